#include "analyzers/mlflow/rules.h"

#include <array>

namespace mg::mlflow {
namespace {

constexpr std::array kRules = {
    RuleInfo{rule::kMalformed, Severity::kMedium, "MLmodel unreadable",
             "The MLmodel file is not a YAML mapping that the bounded reader accepts (a syntax "
             "error, a second document, more than 1 MiB, 100,000 nodes or 64 levels, a walk past "
             "200,000 visits as an alias bomb needs), or it has no `flavors` mapping. What MLflow "
             "would load from it is unknown: the file is `incomplete`.",
             "MLmodel: YAML error at line 7: illegal map value"},
    RuleInfo{rule::kLoaderModule, Severity::kHigh, "pyfunc loader module outside MLflow",
             "The python_function flavor's loader_module is not one of MLflow's own flavor "
             "modules. mlflow.pyfunc.load_model imports it (importlib.import_module) and calls its "
             "_load_pyfunc(data_path): arbitrary code. Critical when the module is shipped in the "
             "model's code folder.",
             "flavors/python_function/loader_module: evil_loader"},
    RuleInfo{rule::kCodePath, Severity::kHigh, "Model ships Python code",
             "A flavor's `code` (code_paths) folder is put first on sys.path when the model loads, "
             "and every module of the same name already imported is evicted "
             "(mlflow.utils.model_utils._add_code_to_system_path), so its Python files run with "
             "the loader's rights. The evidence lists the files (bounded).",
             "flavors/python_function/code: code -> code/helpers.py, code/os.py"},
    RuleInfo{rule::kModuleShadowing, Severity::kHigh, "Shipped module shadows a known package",
             "A Python file or package at the top of the model's code folder has the name of a "
             "standard-library or widely used module (os, json, pickle, numpy, torch, mlflow, "
             "...). Because the folder is first on sys.path and the cached module is evicted, the "
             "next `import os` anywhere in the process runs the model's file instead.",
             "code/os.py shadows the module 'os'"},
    RuleInfo{rule::kPythonModel, Severity::kCritical, "Custom pyfunc python_model (cloudpickle)",
             "The python_function flavor names a python_model file: MLflow cloudpickle-loads it "
             "(decompressing per python_model_compression) and calls load_context. A cloudpickled "
             "class defined in a script is pickled by value with its code objects, so this is code "
             "execution by design even for an honest model; the pickle analyzer reports what the "
             "file itself contains.",
             "flavors/python_function/python_model: python_model.pkl"},
    RuleInfo{rule::kModelCode, Severity::kCritical, "Model from code (model_code_path)",
             "A \"model from code\": the python_function flavor's model_code_path names a Python "
             "file that MLflow executes at load time (spec_from_file_location and exec_module).",
             "flavors/python_function/model_code_path: agent.py"},
    RuleInfo{rule::kPathEscape, Severity::kHigh, "MLmodel path leaves the model folder",
             "A path value in MLmodel is absolute, starts with ~, climbs out with .., carries a "
             "URL scheme, or resolves through a symbolic link outside the model folder. MLflow "
             "joins these with os.path.join, which lets an absolute path replace the folder. "
             "Critical when the path is loaded as code or a pickle (code, python_model, "
             "model_code_path, pickled_model, model_data, data).",
             "flavors/sklearn/pickled_model: ../../shared/model.pkl"},
    RuleInfo{rule::kMissingFile, Severity::kMedium, "Referenced model file missing",
             "A file or folder that a flavor loads is not in the model folder, so what the loader "
             "would read was not analysed (it may be fetched or placed later). Medium for a file "
             "loaded as code or a pickle, low for data (environment files, examples).",
             "flavors/python_function/python_model: python_model.pkl (not found)"},
    RuleInfo{rule::kPickleModule, Severity::kHigh, "PyTorch model unpickled by another module",
             "The pytorch flavor's pickle_module_name (and data/pickle_module_info.txt) names the "
             "module torch.load unpickles with; MLflow imports it. dill or cloudpickle: high (they "
             "rebuild functions from code objects); any other module: critical (an arbitrary "
             "import whose Unpickler runs).",
             "flavors/pytorch/pickle_module_name: dill"},
    RuleInfo{rule::kSparkModelClass, Severity::kHigh, "Spark flavor model_class unexpected",
             "MLflow always saves a Spark model as a PipelineModel; model_class names another "
             "class. A pyspark.ml.connect class is imported and its loadFromLocal called.",
             "flavors/spark/model_class: evil.Model"},
    RuleInfo{rule::kPickledModel, Severity::kInfo, "Flavor loads a pickle",
             "The flavor loads its model by unpickling a file (sklearn pickle or cloudpickle, "
             "statsmodels, pmdarima ...). Informational: the pickle analyzer judges the file "
             "itself. Medium when sklearn's serialization_format is not one MLflow knows.",
             "flavors/sklearn/pickled_model: model.pkl (serialization_format cloudpickle)"},
    RuleInfo{rule::kSkopsTrusted, Severity::kHigh, "skops trusted types widened by MLmodel",
             "An sklearn model saved with skops lists, in MLmodel itself, types that skops should "
             "trust when loading. A type outside scikit-learn, NumPy and SciPy lets the file "
             "construct it.",
             "flavors/sklearn/skops_trusted_types: builtins.eval"},
    RuleInfo{rule::kUnknownFlavor, Severity::kInfo, "Flavor not known to modelgate",
             "A flavor that is not one of MLflow's built-in flavors. Its files are not interpreted "
             "here beyond the path checks; pyfunc only loads it through loader_module, which is "
             "checked separately.",
             "flavors/my_flavor"},
    RuleInfo{rule::kYamlAlias, Severity::kLow, "MLmodel uses YAML aliases or merge keys",
             "MLflow writes MLmodel without anchors, aliases or merge keys (<<); a hand-made file "
             "uses them, to multiply nodes (an alias bomb) or to hide a key inside a merged "
             "mapping. Aliases are followed within the visit budget and merge keys resolved as "
             "PyYAML's SafeLoader does.",
             "MLmodel: 10 aliases, 1 merge keys"},
    RuleInfo{rule::kYamlPythonTag, Severity::kHigh, "MLmodel carries a PyYAML Python tag",
             "A node is tagged !!python/object/apply:, !!python/name: or another PyYAML Python "
             "tag. MLflow reads MLmodel with yaml.safe_load, which refuses the file, but any "
             "tool that reads it with yaml.load, yaml.unsafe_load or an older FullLoader imports "
             "and calls what the tag names. MLflow never writes such tags.",
             "tag:yaml.org,2002:python/object/apply:os.system (line 4), 1 node"},
    RuleInfo{rule::kRequirementSource, Severity::kMedium,
             "Requirement installed from outside an index",
             "requirements.txt, conda.yaml or python_env.yaml beside MLmodel installs a package "
             "from a URL, a VCS (git+https://...), a local path, or a different package index "
             "(--index-url, --extra-index-url, -f, a conda channel URL). mlflow models serve and "
             "spark_udf build environments from these files.",
             "requirements.txt:3: git+https://attacker.invalid/pkg.git"},
    RuleInfo{rule::kRequirementAdvisory, Severity::kHigh,
             "Requirement asks for a library version with a model-loading advisory",
             "requirements.txt, conda.yaml or python_env.yaml pins a model-loading library to "
             "versions that are all affected by an advisory of the bundled list "
             "(docs/advisories.md): an exact pin (==, ===) to an affected version, or a range "
             "whose every allowed version is affected. A range that still allows a fixed "
             "release is not reported, nor are advisories that no release fixes. The severity "
             "is the advisory's, at most high: the environment MLflow builds from these files "
             "(mlflow models serve, spark_udf) would load the model with that library.",
             "requirements.txt:2 asks for torch==2.5.1, affected by CVE-2025-32434 "
             "(torch.load(weights_only=True)), CVE-2026-24747 (torch.load(weights_only=True)); "
             "all fixed in 2.10.0."},
    RuleInfo{rule::kEnvMalformed, Severity::kMedium, "Environment file unreadable",
             "A requirements.txt, conda.yaml or python_env.yaml beside MLmodel is too large or not "
             "valid YAML, so the packages it installs were not checked: `incomplete`.",
             "conda.yaml: YAML error at line 2"},
    RuleInfo{rule::kNotLookedUp, Severity::kInfo, "Referenced files not looked up",
             "The MLmodel file was found inside an archive, or without a path on disk: the files "
             "it references are not checked for existence, links or shadowing modules (the engine "
             "still analyses every member it meets).",
             "MLmodel is inside an archive"},
};

}  // namespace

std::span<const RuleInfo> Rules() { return kRules; }

}  // namespace mg::mlflow
