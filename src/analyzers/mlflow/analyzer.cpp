// The MLflow model analyzer: the MLmodel file (YAML) at the root of an MLflow model folder. MLmodel
// decides what loading runs: the pyfunc loader module that is imported, the `code` folder put first
// on sys.path, cloudpickled python_model files, "models from code" Python files, and each flavor's
// pickles. The files themselves (pickles, .py, sparkml/) are judged by their own analyzers as the
// engine walks the folder; this analyzer judges what MLmodel makes of them and where its paths
// lead. Environment files beside MLmodel are read too.
#include "engine/analyzer.h"

#include <filesystem>
#include <optional>
#include <set>
#include <string>

#include "analyzers/mlflow/environment.h"
#include "analyzers/mlflow/flavors.h"
#include "analyzers/mlflow/model_folder.h"
#include "analyzers/mlflow/rules.h"
#include "analyzers/mlflow/yaml_tree.h"
#include "engine/scan_context.h"

namespace mg::mlflow {
namespace {

constexpr int kMlmodelScore = 90;
constexpr std::size_t kMaxListedFiles = 20;  // Python files named in one evidence string
constexpr std::uint64_t kMaxPickleModuleInfoBytes = 4096;
constexpr std::size_t kMaxUnknownFlavorReports = 16;

// MLmodel is YAML text: no NUL byte in the first 4 KiB, unless a byte order mark says UTF-16 or
// UTF-32, which PyYAML and yaml-cpp both decode (YAML 1.2 section 5.2).
bool PlausibleYamlText(ByteView data) {
  if (data.StartsWith("\xFF\xFE") || data.StartsWith("\xFE\xFF") ||
      data.StartsWith(std::string_view("\0\0\xFE\xFF", 4))) {
    return true;
  }
  const std::uint64_t checked = data.size() < 4096 ? data.size() : 4096;
  for (std::uint64_t i = 0; i < checked; ++i) {
    if (data[i] == 0) return false;
  }
  return true;
}

std::string Line(std::uint32_t line) {
  return line ? " (line " + std::to_string(line) + ")" : std::string();
}
std::string Line(const YamlNode& node) { return Line(node.line); }

// mlflow.spark saves a PipelineModel (JVM or Python class name), or a Spark Connect model saved
// with saveToLocal (pyspark.ml.connect in Spark 3.5 and 4.0).
bool IsExpectedSparkClass(std::string_view name) {
  constexpr std::string_view kExpected[] = {
      "org.apache.spark.ml.PipelineModel",
      "pyspark.ml.PipelineModel",
      "pyspark.ml.pipeline.PipelineModel",
      "pyspark.ml.connect.pipeline.PipelineModel",
      "pyspark.ml.connect.classification.LogisticRegressionModel",
      "pyspark.ml.connect.feature.MaxAbsScalerModel",
      "pyspark.ml.connect.feature.StandardScalerModel",
      "pyspark.ml.connect.feature.ArrayAssembler",
      "pyspark.ml.connect.tuning.CrossValidatorModel"};
  for (std::string_view expected : kExpected) {
    if (name == expected) return true;
  }
  return false;
}

class MlmodelScan {
 public:
  MlmodelScan(ScanContext& ctx, ByteView data) : ctx_(ctx), data_(data) {}

  void Run() {
    YamlParse parsed = ParseYaml(data_);
    if (!parsed.tree) {
      return ctx_.Incomplete(
          rule::kMalformed,
          "MLmodel is not YAML that could be read" +
              (parsed.error.line ? " (line " + std::to_string(parsed.error.line) + ")"
                                 : std::string()) +
              ": " + parsed.error.message + ".");
    }
    tree_ = &*parsed.tree;
    if (tree_->root().kind != YamlKind::kMapping) {
      return ctx_.Incomplete(rule::kMalformed, "MLmodel is YAML but not a mapping.");
    }
    if (tree_->alias_count() > 0 || tree_->merge_count() > 0) {
      ctx_.Report(rule::kYamlAlias, Severity::kLow,
                  "MLmodel uses YAML aliases or merge keys, which MLflow never writes.",
                  std::nullopt,
                  "MLmodel: " + std::to_string(tree_->alias_count()) + " aliases, " +
                      std::to_string(tree_->merge_count()) + " merge keys");
    }
    if (tree_->python_tag_count() > 0) {
      ctx_.Report(rule::kYamlPythonTag, Severity::kHigh,
                  "MLmodel has a PyYAML Python tag: MLflow's safe loader refuses it, but a tool "
                  "reading MLmodel with yaml.load would import and call what it names.",
                  std::nullopt,
                  tree_->first_python_tag() + Line(tree_->first_python_tag_line()) + ", " +
                      std::to_string(tree_->python_tag_count()) + " nodes");
    }
    const auto flavors = tree_->Find(tree_->root_index(), "flavors");
    if (!flavors || tree_->node(*flavors).kind != YamlKind::kMapping) {
      return ctx_.Incomplete(rule::kMalformed,
                             "MLmodel has no 'flavors' mapping: MLflow cannot load it, and what "
                             "another reader would load is unknown.");
    }
    OpenFolder();
    CodeFolders(*flavors);
    for (const auto& [flavor, node] : tree_->Entries(*flavors)) {
      if (!tree_->Visit()) break;
      Flavor(flavor, node);
      WalkPaths(flavor, node, "flavors/" + flavor, 0);
    }
    if (const auto example = tree_->Find(tree_->root_index(), "saved_input_example_info")) {
      WalkPaths("", *example, "saved_input_example_info", 0);
    }
    if (tree_->BudgetSpent()) {
      ctx_.Incomplete(rule::kMalformed,
                      "MLmodel needs more than the visit budget to walk (an alias bomb?); the "
                      "rest of it was not checked.");
    }
    if (folder_) CheckEnvironment(ctx_, *folder_);
  }

 private:
  void OpenFolder() {
    if (ctx_.depth() == 0 && !ctx_.target_path().empty()) {
      folder_.emplace(std::filesystem::path(ctx_.target_path()));
      return;
    }
    ctx_.Report(rule::kNotLookedUp, Severity::kInfo,
                "MLmodel is not a file on disk (it is inside an archive): the files it references "
                "were not looked up.",
                std::nullopt, std::string(ctx_.current_name()));
  }

  // Every `code` value of every flavor first, so that a loader module shipped there is known.
  void CodeFolders(std::uint32_t flavors) {
    for (const auto& [flavor, node] : tree_->Entries(flavors)) {
      for (const char* key : {"code", "code_paths"}) {
        const auto value = tree_->Find(node, key);
        if (!value) continue;
        const YamlNode& code = tree_->node(*value);
        const std::string pointer = "flavors/" + flavor + "/" + key;
        if (code.kind == YamlKind::kScalar && !IsYamlNull(code)) CodeFolder(pointer, code.text);
        if (code.kind == YamlKind::kSequence) {
          for (std::uint32_t item : code.items) {
            if (!tree_->Visit()) return;
            const YamlNode& entry = tree_->node(item);
            if (entry.kind == YamlKind::kScalar && !IsYamlNull(entry)) {
              CodeFolder(pointer, entry.text);
            }
          }
        }
      }
    }
  }

  void CodeFolder(const std::string& pointer, const std::string& value) {
    if (!code_folders_.insert(value).second) return;  // pyfunc and its flavor share one
    if (!PathEscapeReason(value).empty() || !folder_) {
      ctx_.Report(rule::kCodePath, Severity::kHigh,
                  "MLmodel ships Python code: the folder '" + value +
                      "' is put first on sys.path when the model loads.",
                  std::nullopt, pointer + ": " + value);
      return;
    }
    const CodeListing listing = folder_->ListCode(value);
    std::string files;
    for (std::size_t i = 0; i < listing.python_files.size() && i < kMaxListedFiles; ++i) {
      files += (i ? ", " : "") + listing.python_files[i];
    }
    if (listing.python_files.size() > kMaxListedFiles) {
      files += " and " + std::to_string(listing.python_files.size() - kMaxListedFiles) + " more";
    }
    if (listing.truncated) files += " (listing stopped at the entry limit)";
    ctx_.Report(rule::kCodePath, Severity::kHigh,
                "MLmodel ships Python code in '" + value +
                    "': the folder is put first on sys.path when the model loads and its modules "
                    "replace any already imported under the same name.",
                std::nullopt,
                pointer + ": " + value + " -> " + (files.empty() ? "no .py files" : files));
    for (const std::string& name : listing.top_level_names) {
      shipped_modules_.insert(name);
      const std::string_view shadowed = ShadowedModule(name);
      if (shadowed.empty()) continue;
      ctx_.Report(rule::kModuleShadowing, Severity::kHigh,
                  "The model's code folder has a module named '" + name +
                      "', which shadows the standard or popular module of that name for every "
                      "later import in the process.",
                  std::nullopt, value + "/" + name + " shadows the module '" + name + "'");
    }
  }

  void Flavor(const std::string& flavor, std::uint32_t node) {
    // MLflow writes a handful of flavors; a file with thousands gets one finding per name up to a
    // limit, so that the report stays small.
    if (!IsKnownFlavor(flavor) && ++unknown_flavors_ <= kMaxUnknownFlavorReports) {
      ctx_.Report(rule::kUnknownFlavor, Severity::kInfo,
                  "MLmodel has a flavor MLflow does not ship: '" + flavor + "'" +
                      (unknown_flavors_ == kMaxUnknownFlavorReports
                           ? "; further unknown flavors are not listed."
                           : "."),
                  std::nullopt, "flavors/" + flavor);
    }
    if (tree_->node(node).kind != YamlKind::kMapping) return;
    if (flavor == "python_function") return Pyfunc(node);
    if (flavor == "spark") return Spark(node);
    if (flavor == "sklearn") return Sklearn(node);
    if (flavor == "pytorch") return Pytorch(node);
    if (flavor == "keras") return KerasModule(node);
    if (flavor == "statsmodels" || flavor == "pmdarima") {
      ctx_.Report(rule::kPickledModel, Severity::kInfo,
                  "The " + flavor + " flavor loads its model by unpickling its data file.",
                  std::nullopt, "flavors/" + flavor);
    }
  }

  void Pyfunc(std::uint32_t node) {
    const std::string pointer = "flavors/python_function/";
    if (const auto loader = tree_->String(node, "loader_module")) LoaderModule(*loader, node);
    if (const auto model = tree_->String(node, "python_model")) {
      const auto compression = tree_->String(node, "python_model_compression");
      ctx_.Report(rule::kPythonModel, Severity::kCritical,
                  "The pyfunc model is a cloudpickled Python object, " + *model +
                      ", that MLflow unpickles and calls at load time: it can run any code.",
                  std::nullopt,
                  pointer + "python_model: " + *model +
                      (compression ? " (python_model_compression " + *compression + ")" : ""));
    }
    if (const auto code = tree_->String(node, "model_code_path")) {
      ctx_.Report(rule::kModelCode, Severity::kCritical,
                  "The pyfunc model is a model from code: MLflow executes the "
                  "Python file " +
                      *code + " when the model loads.",
                  std::nullopt, pointer + "model_code_path: " + *code);
    }
  }

  void LoaderModule(const std::string& module, std::uint32_t node) {
    const std::string evidence = "flavors/python_function/loader_module: " + module +
                                 Line(tree_->node(*tree_->Find(node, "loader_module")));
    if (IsMlflowLoaderModule(module)) return;
    const std::string top = module.substr(0, module.find('.'));
    if (shipped_modules_.count(top)) {
      ctx_.Report(rule::kLoaderModule, Severity::kCritical,
                  "The pyfunc loader module '" + module +
                      "' is shipped in the model's code folder: loading imports it and calls its "
                      "_load_pyfunc.",
                  std::nullopt, evidence);
    } else if (top == "mlflow") {
      ctx_.Report(rule::kLoaderModule, Severity::kMedium,
                  "The pyfunc loader module '" + module +
                      "' is in MLflow's namespace but not one of its known flavor loaders.",
                  std::nullopt, evidence);
    } else {
      ctx_.Report(rule::kLoaderModule, Severity::kHigh,
                  "The pyfunc loader module '" + module +
                      "' is not one of MLflow's: loading imports it and calls its _load_pyfunc.",
                  std::nullopt, evidence);
    }
  }

  // mlflow.spark wraps every model in a PipelineModel before saving it.
  void Spark(std::uint32_t node) {
    const auto model_class = tree_->String(node, "model_class");
    if (!model_class || IsExpectedSparkClass(*model_class)) return;
    const bool connect = model_class->starts_with("pyspark.ml.connect.");
    ctx_.Report(rule::kSparkModelClass, Severity::kHigh,
                connect ? "The spark flavor's model_class is not a Spark Connect model that "
                          "pyspark ships: MLflow imports it and calls its loadFromLocal."
                        : "The spark flavor's model_class is not a PipelineModel, which is what "
                          "MLflow always saves.",
                std::nullopt, "flavors/spark/model_class: " + *model_class);
  }

  void Sklearn(std::uint32_t node) {
    const std::string format = tree_->String(node, "serialization_format").value_or("pickle");
    const std::string file = tree_->String(node, "pickled_model").value_or("(none)");
    const std::string evidence =
        "flavors/sklearn/pickled_model: " + file + " (serialization_format " + format + ")";
    if (format == "pickle" || format == "cloudpickle") {
      ctx_.Report(rule::kPickledModel, Severity::kInfo,
                  "The sklearn model is loaded by unpickling " + file + ".", std::nullopt,
                  evidence);
    } else if (format == "skops") {
      SkopsTrusted(node);
    } else {
      ctx_.Report(rule::kPickledModel, Severity::kMedium,
                  "The sklearn flavor names a serialization format MLflow does "
                  "not know: '" +
                      format + "'.",
                  std::nullopt, evidence);
    }
  }

  // skops loads only the types it trusts; MLflow passes a list stored in MLmodel.
  void SkopsTrusted(std::uint32_t node) {
    for (const char* key : {"skops_trusted_types", "trusted_types", "trusted"}) {
      const auto list = tree_->Find(node, key);
      if (!list || tree_->node(*list).kind != YamlKind::kSequence) continue;
      for (std::uint32_t item : tree_->node(*list).items) {
        if (!tree_->Visit()) return;
        const YamlNode& type = tree_->node(item);
        if (type.kind != YamlKind::kScalar) continue;
        if (type.text.starts_with("sklearn.") || type.text.starts_with("numpy.") ||
            type.text.starts_with("scipy.")) {
          continue;
        }
        ctx_.Report(rule::kSkopsTrusted, Severity::kHigh,
                    "MLmodel tells skops to trust a type outside scikit-learn, NumPy and SciPy.",
                    std::nullopt, "flavors/sklearn/" + std::string(key) + ": " + type.text);
      }
    }
  }

  void Pytorch(std::uint32_t node) {
    if (const auto module = tree_->String(node, "pickle_module_name")) {
      PickleModule("flavors/pytorch/pickle_module_name", *module);
    }
    // mlflow.pytorch reads the module name again from <model_data>/pickle_module_info.txt.
    const std::string data = tree_->String(node, "model_data").value_or("data");
    if (!folder_ || !PathEscapeReason(data).empty()) return;
    const std::string info_path = data + "/pickle_module_info.txt";
    if (const auto info = folder_->ReadSmall(info_path, kMaxPickleModuleInfoBytes)) {
      std::string module = *info;
      while (!module.empty() &&
             (module.back() == '\n' || module.back() == '\r' || module.back() == ' ')) {
        module.pop_back();
      }
      PickleModule(info_path, module);
    }
  }

  void PickleModule(const std::string& where, const std::string& module) {
    if (module == "mlflow.pytorch.pickle_module" || module == "pickle") return;
    const bool known = module == "dill" || module == "cloudpickle";
    ctx_.Report(rule::kPickleModule, known ? Severity::kHigh : Severity::kCritical,
                known ? "The PyTorch model is unpickled with " + module +
                            ", which rebuilds functions from their code."
                      : "The PyTorch model names '" + module +
                            "' as its pickle module: MLflow imports it and torch.load unpickles "
                            "with it.",
                std::nullopt, where + ": " + module);
  }

  // mlflow.keras (Keras 2) imports the module MLmodel names as keras_module.
  void KerasModule(std::uint32_t node) {
    const auto module = tree_->String(node, "keras_module");
    if (!module || *module == "keras" || *module == "tensorflow.keras" || *module == "tf_keras") {
      return;
    }
    ctx_.Report(rule::kLoaderModule, Severity::kHigh,
                "The keras flavor names '" + *module + "' as its Keras module; MLflow imports it.",
                std::nullopt, "flavors/keras/keras_module: " + *module);
  }

  // Every path-valued key, at any depth (artifacts/<name>/path, env/conda ...), within the visit
  // budget.
  void WalkPaths(const std::string& flavor, std::uint32_t index, const std::string& pointer,
                 std::uint32_t depth) {
    if (depth > 16 || !tree_->Visit()) return;
    const YamlNode& node = tree_->node(index);
    if (node.kind == YamlKind::kSequence) {
      for (std::uint32_t item : node.items) WalkPaths(flavor, item, pointer, depth + 1);
      return;
    }
    if (node.kind != YamlKind::kMapping) return;
    for (const auto& [key, value] : tree_->Entries(index)) {
      const std::string child = pointer + "/" + key;
      const YamlNode& target = tree_->node(value);
      const PathUse use = FlavorKeyUse(flavor, key);
      if (use != PathUse::kNone && target.kind == YamlKind::kScalar && !IsYamlNull(target)) {
        if (!tree_->Visit()) return;
        PathValue(child, target, use);
      } else if (use != PathUse::kNone && target.kind == YamlKind::kSequence) {
        for (std::uint32_t item : target.items) {
          if (!tree_->Visit()) return;
          const YamlNode& entry = tree_->node(item);
          if (entry.kind == YamlKind::kScalar && !IsYamlNull(entry)) PathValue(child, entry, use);
        }
      } else {
        WalkPaths(flavor, value, child, depth + 1);
      }
    }
  }

  void PathValue(const std::string& pointer, const YamlNode& value, PathUse use) {
    const std::string evidence = pointer + ": " + value.text + Line(value);
    const std::string reason = PathEscapeReason(value.text);
    const Severity escape = use == PathUse::kCode ? Severity::kCritical : Severity::kHigh;
    if (!reason.empty()) {
      ctx_.Report(rule::kPathEscape, escape,
                  "An MLmodel path is " + reason + ", outside the model folder" +
                      (use == PathUse::kCode ? "; it is loaded as code or a pickle." : "."),
                  std::nullopt, evidence);
      return;
    }
    if (!folder_) return;
    switch (folder_->Lookup(value.text)) {
      case Presence::kPresent:
        return;
      case Presence::kOutside:
        ctx_.Report(rule::kPathEscape, escape,
                    "An MLmodel path leads outside the model folder through a symbolic link.",
                    std::nullopt, evidence);
        return;
      case Presence::kMissing:
        ctx_.Report(rule::kMissingFile, use == PathUse::kCode ? Severity::kMedium : Severity::kLow,
                    "A file MLmodel references is not in the model folder, so what MLflow would "
                    "load was not analysed.",
                    std::nullopt, evidence + " (not found)");
        return;
    }
  }

  ScanContext& ctx_;
  ByteView data_;
  const YamlTree* tree_ = nullptr;
  std::optional<ModelFolder> folder_;
  std::set<std::string> code_folders_;
  std::set<std::string> shipped_modules_;
  std::size_t unknown_flavors_ = 0;
};

class MlflowAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return kFormatName; }
  int Sniff(ByteView) const override { return 0; }  // YAML has no magic: the name decides
  int SniffNamed(std::string_view name, ByteView data) const override {
    return PayloadBaseName(name) == "MLmodel" && PlausibleYamlText(data) ? kMlmodelScore : 0;
  }
  void Analyze(ScanContext& ctx, ByteView data) const override { MlmodelScan(ctx, data).Run(); }
  std::span<const RuleInfo> Rules() const override { return mlflow::Rules(); }
};

}  // namespace
}  // namespace mg::mlflow

namespace mg {

const Analyzer& MlflowAnalyzerInstance() {
  static const mlflow::MlflowAnalyzer kInstance;
  return kInstance;
}

}  // namespace mg
