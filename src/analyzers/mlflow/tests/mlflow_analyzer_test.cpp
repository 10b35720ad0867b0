// Tests of the MLflow analyzer on the model folders under tests/fixtures/{clean,malicious}/mlflow
// (made by tests/fixtures/mlflow/make_fixtures.py) and on MLmodel text built here.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/analyzer.h"
#include "engine/engine.h"
#include "engine/scan_context.h"
#include "engine/sniff.h"
#include "support/findings.h"
#include "support/test_paths.h"

namespace mg {
namespace {

Target ScanMlmodel(const std::string& folder) {
  return ScanFile((test::FixturesDir() / folder / "MLmodel").string(), Limits{});
}

std::size_t AtOrAbove(const Target& target, Severity severity) {
  std::size_t count = 0;
  for (const auto& finding : target.findings) count += finding.severity >= severity ? 1 : 0;
  return count;
}

// The finding of `rule` whose evidence contains `text`, or nullptr.
const Finding* Find(const Target& target, std::string_view rule, std::string_view text) {
  for (const Finding* finding : test::WithRule(target, rule)) {
    if (finding->evidence.find(text) != std::string::npos) return finding;
  }
  return nullptr;
}

TEST(MlflowSniffTest, ClaimsOnlyFilesNamedMlmodel) {
  const std::string text = "artifact_path: model\nflavors: {}\n";
  const Analyzer* chosen = SniffAnalyzer(ByteView(text), "models/m1/MLmodel");
  ASSERT_NE(chosen, nullptr);
  EXPECT_EQ(chosen->Name(), "mlflow");
  EXPECT_EQ(SniffAnalyzer(ByteView(text), "MLmodel.yaml"), nullptr);
  EXPECT_EQ(SniffAnalyzer(ByteView(text), "conda.yaml"), nullptr);
  const std::string binary("\x80\x04N.", 4);
  const Analyzer* pickle = SniffAnalyzer(ByteView(binary), "MLmodel");
  EXPECT_TRUE(pickle == nullptr || pickle->Name() != "mlflow");
}

TEST(MlflowAnalyzerTest, CleanModelsScanClean) {
  for (const char* folder : {"clean/mlflow/sklearn_logreg", "clean/mlflow/spark_pipeline"}) {
    const Target target = ScanMlmodel(folder);
    EXPECT_EQ(target.format, "mlflow") << folder;
    EXPECT_EQ(target.status, TargetStatus::kComplete) << folder;
    EXPECT_EQ(AtOrAbove(target, Severity::kLow), 0u) << folder;
  }
  // The sklearn flavor is noted as a pickle for the pickle analyzer to judge.
  const Target sklearn = ScanMlmodel("clean/mlflow/sklearn_logreg");
  EXPECT_NE(Find(sklearn, "MLFLOW-PICKLED-MODEL", "serialization_format cloudpickle"), nullptr);
}

TEST(MlflowAnalyzerTest, LoaderModuleOutsideMlflowIsHigh) {
  const Target target = ScanMlmodel("malicious/mlflow/loader_unknown");
  const Finding* finding = Find(target, "MLFLOW-LOADER-MODULE", "loader_module: evil_loader");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->severity, Severity::kHigh);
}

TEST(MlflowAnalyzerTest, ShippedCodeShadowingAndLoaderInCode) {
  const Target target = ScanMlmodel("malicious/mlflow/code_shadowing");
  const Finding* code = Find(target, "MLFLOW-CODE-PATH", "code/os.py");
  ASSERT_NE(code, nullptr);
  EXPECT_EQ(code->severity, Severity::kHigh);
  EXPECT_NE(code->evidence.find("code/custom_loader.py"), std::string::npos);
  const Finding* shadow = Find(target, "MLFLOW-MODULE-SHADOWING", "shadows the module 'os'");
  ASSERT_NE(shadow, nullptr);
  EXPECT_EQ(shadow->severity, Severity::kHigh);
  EXPECT_EQ(test::WithRule(target, "MLFLOW-MODULE-SHADOWING").size(), 1u);
  // The loader module is a file of the model's own code folder.
  const Finding* loader = Find(target, "MLFLOW-LOADER-MODULE", "custom_loader");
  ASSERT_NE(loader, nullptr);
  EXPECT_EQ(loader->severity, Severity::kCritical);
}

TEST(MlflowAnalyzerTest, ModelFromCodeAndPythonModelAreCritical) {
  const Target code = ScanMlmodel("malicious/mlflow/model_code");
  const Finding* executed = Find(code, "MLFLOW-MODEL-CODE", "model_code_path: agent.py");
  ASSERT_NE(executed, nullptr);
  EXPECT_EQ(executed->severity, Severity::kCritical);
  EXPECT_FALSE(test::Has(code, "MLFLOW-MISSING-FILE"));

  const Target compressed = ScanMlmodel("malicious/mlflow/pyfunc_os_system");
  const Finding* pickled = Find(compressed, "MLFLOW-PYTHON-MODEL",
                                "python_model.pkl.gz (python_model_compression gzip)");
  ASSERT_NE(pickled, nullptr);
  EXPECT_EQ(pickled->severity, Severity::kCritical);
  EXPECT_FALSE(test::Has(compressed, "MLFLOW-MISSING-FILE"));  // the file and artifacts exist

  const Target honest = ScanMlmodel("malicious/mlflow/pyfunc_cloudpickle_honest");
  EXPECT_NE(Find(honest, "MLFLOW-PYTHON-MODEL", "python_model: python_model.pkl"), nullptr);
}

TEST(MlflowAnalyzerTest, PathsLeavingTheFolder) {
  const Target target = ScanMlmodel("malicious/mlflow/path_escape");
  const Finding* pickle = Find(target, "MLFLOW-PATH-ESCAPE", "pickled_model: ../../outside");
  ASSERT_NE(pickle, nullptr);
  EXPECT_EQ(pickle->severity, Severity::kCritical);
  const Finding* code = Find(target, "MLFLOW-PATH-ESCAPE", "python_function/code: ../shared");
  ASSERT_NE(code, nullptr);
  EXPECT_EQ(code->severity, Severity::kCritical);
  const Finding* artifact =
      Find(target, "MLFLOW-PATH-ESCAPE", "artifacts/extra/path: s3://attacker.invalid/x");
  ASSERT_NE(artifact, nullptr);
  EXPECT_EQ(artifact->severity, Severity::kHigh);
  EXPECT_NE(Find(target, "MLFLOW-PATH-ESCAPE", "saved_input_example_info/artifact_path: /etc"),
            nullptr);
  EXPECT_NE(Find(target, "MLFLOW-CODE-PATH", "../shared"), nullptr);
}

TEST(MlflowAnalyzerTest, PytorchPickleModuleFromBothPlaces) {
  const Target target = ScanMlmodel("malicious/mlflow/pytorch_dill");
  const auto findings = test::WithRule(target, "MLFLOW-PICKLE-MODULE");
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_NE(Find(target, "MLFLOW-PICKLE-MODULE", "pickle_module_name: dill"), nullptr);
  EXPECT_NE(Find(target, "MLFLOW-PICKLE-MODULE", "data/pickle_module_info.txt: dill"), nullptr);
  for (const Finding* finding : findings) EXPECT_EQ(finding->severity, Severity::kHigh);
}

TEST(MlflowAnalyzerTest, RequirementsFromOutsideAnIndex) {
  const Target target = ScanMlmodel("malicious/mlflow/requirements_sources");
  EXPECT_NE(Find(target, "MLFLOW-REQUIREMENT-SOURCE",
                 "requirements.txt:4: --extra-index-url "
                 "https://attacker.invalid/simple"),
            nullptr);
  EXPECT_NE(Find(target, "MLFLOW-REQUIREMENT-SOURCE", "git+https://attacker.invalid/helper.git"),
            nullptr);
  EXPECT_NE(Find(target, "MLFLOW-REQUIREMENT-SOURCE", "conda.yaml:"), nullptr);
  for (const Finding* finding : test::WithRule(target, "MLFLOW-REQUIREMENT-SOURCE")) {
    EXPECT_EQ(finding->severity, Severity::kMedium);
  }
  EXPECT_EQ(target.status, TargetStatus::kComplete);
}

TEST(MlflowAnalyzerTest, SparkModelClassMustBePipelineModel) {
  const Target target = ScanMlmodel("malicious/mlflow/spark_model_class");
  const Finding* finding =
      Find(target, "MLFLOW-SPARK-MODEL-CLASS", "model_class: pyspark.ml.connect.evil.Model");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->severity, Severity::kHigh);
}

TEST(MlflowAnalyzerTest, AliasBombAndMalformedYamlAreIncomplete) {
  const Target bomb = ScanMlmodel("malicious/mlflow/alias_bomb");
  EXPECT_EQ(bomb.status, TargetStatus::kIncomplete);
  EXPECT_TRUE(test::Has(bomb, "MLFLOW-MALFORMED"));
  EXPECT_TRUE(test::Has(bomb, "MLFLOW-YAML-ALIAS"));
  const Target broken = ScanMlmodel("malicious/mlflow/malformed");
  EXPECT_EQ(broken.status, TargetStatus::kIncomplete);
  const auto malformed = test::WithRule(broken, "MLFLOW-MALFORMED");
  ASSERT_EQ(malformed.size(), 1u);
  EXPECT_EQ(malformed[0]->severity, Severity::kMedium);
}

TEST(MlflowAnalyzerTest, InsideAnArchiveFilesAreNotLookedUp) {
  const std::string text =
      "flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n"
      "    model_path: missing.pkl\n    env: {conda: conda.yaml}\n";
  Target target;
  target.path = "model.zip";
  ScanContext ctx(target, Limits{});
  ctx.ScanEmbedded("model/MLmodel", ByteView(text));
  EXPECT_TRUE(test::Has(target, "MLFLOW-FILES-NOT-LOOKED-UP"));
  EXPECT_FALSE(test::Has(target, "MLFLOW-MISSING-FILE"));
  EXPECT_EQ(AtOrAbove(target, Severity::kLow), 0u);
}

TEST(MlflowAnalyzerTest, LoaderHiddenInAMergeKeyIsFound) {
  const std::string text =
      "hidden: &hidden {loader_module: evil_loader}\n"
      "flavors:\n  python_function:\n    <<: *hidden\n    python_version: 3.11.2\n";
  Target target;
  target.path = "model.zip";
  ScanContext ctx(target, Limits{});
  ctx.ScanEmbedded("MLmodel", ByteView(text));
  const Finding* loader = Find(target, "MLFLOW-LOADER-MODULE", "evil_loader");
  ASSERT_NE(loader, nullptr);
  EXPECT_EQ(loader->severity, Severity::kHigh);
  EXPECT_NE(Find(target, "MLFLOW-YAML-ALIAS", "1 merge keys"), nullptr);
}

TEST(MlflowAnalyzerTest, Utf16MlmodelIsStillClaimed) {
  // PyYAML reads UTF-16 with a byte order mark; so does yaml-cpp.
  const std::string ascii = "flavors:\n  python_function:\n    loader_module: evil_loader\n";
  std::string utf16("\xFF\xFE", 2);
  for (char c : ascii) {
    utf16.push_back(c);
    utf16.push_back('\0');
  }
  Target target;
  target.path = "model.zip";
  ScanContext ctx(target, Limits{});
  ctx.ScanEmbedded("MLmodel", ByteView(utf16));
  EXPECT_NE(Find(target, "MLFLOW-LOADER-MODULE", "evil_loader"), nullptr);
}

TEST(MlflowAnalyzerTest, MlmodelWithoutFlavorsIsIncomplete) {
  Target target;
  target.path = "MLmodel";
  ScanContext ctx(target, Limits{});
  AnalyzeBuffer(ctx, ByteView(std::string("artifact_path: model\nmlflow_version: 2.9.2\n")),
                "mlflow");
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  EXPECT_TRUE(test::Has(target, "MLFLOW-MALFORMED"));
}

TEST(MlflowAnalyzerTest, ThousandsOfFlavorsStayCheapAndFewFindings) {
  // 40000 flavor names fit in 1 MiB: resolving a mapping's keys must not cost n^2 comparisons,
  // and the report lists a bounded number of unknown flavors.
  std::string text = "flavors:\n";
  for (int i = 0; i < 40000; ++i) text += "  f" + std::to_string(i) + ": 1\n";
  text += "  python_function:\n    loader_module: evil_loader\n";
  Target target;
  target.path = "MLmodel";
  ScanContext ctx(target, Limits{});
  const auto start = std::chrono::steady_clock::now();
  AnalyzeBuffer(ctx, ByteView(text), "mlflow");
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
  EXPECT_LT(seconds.count(), 5.0);
  EXPECT_EQ(test::WithRule(target, "MLFLOW-UNKNOWN-FLAVOR").size(), 16u);
  EXPECT_NE(Find(target, "MLFLOW-LOADER-MODULE", "evil_loader"), nullptr);
}

}  // namespace
}  // namespace mg

namespace mg {
namespace {

// A model folder written into a fresh temporary directory, removed afterwards.
class TempModel {
 public:
  TempModel() {
    root_ = std::filesystem::temp_directory_path() /
            ("modelgate-mlflow-" + std::to_string(::getpid()) + "-" + std::to_string(++count_));
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
  }
  ~TempModel() {
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }
  void Write(const std::string& name, const std::string& text) const {
    std::ofstream(root_ / name, std::ios::binary) << text;
  }
  const std::filesystem::path& root() const { return root_; }
  Target Scan() const { return ScanFile((root_ / "MLmodel").string(), Limits{}); }

 private:
  static inline int count_ = 0;
  std::filesystem::path root_;
};

TEST(MlflowFolderTest, SymbolicLinkOutOfTheFolderIsAnEscape) {
  TempModel model;
  model.Write("MLmodel",
              "flavors:\n  sklearn:\n    pickled_model: model.pkl\n"
              "    serialization_format: pickle\n");
  std::filesystem::create_symlink("/etc/hostname", model.root() / "model.pkl");
  const Target target = model.Scan();
  const Finding* finding = Find(target, "MLFLOW-PATH-ESCAPE", "pickled_model: model.pkl");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->severity, Severity::kCritical);
}

TEST(MlflowFolderTest, CyclicAliasesInEnvironmentFilesEnd) {
  TempModel model;
  model.Write("MLmodel", "flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n");
  model.Write("conda.yaml", "dependencies: &d [{pip: *d}, git+https://attacker.invalid/x.git]\n");
  model.Write("python_env.yaml", "python: 3.11\ndependencies: [-r ../../requirements.txt]\n");
  model.Write("requirements.txt", "numpy==1.24.2\n-f /opt/wheels\n");
  const Target target = model.Scan();
  EXPECT_NE(Find(target, "MLFLOW-REQUIREMENT-SOURCE", "conda.yaml:1: git+https"), nullptr);
  EXPECT_NE(Find(target, "MLFLOW-REQUIREMENT-SOURCE", "python_env.yaml:2: -r ../../"), nullptr);
  EXPECT_NE(Find(target, "MLFLOW-REQUIREMENT-SOURCE", "requirements.txt:2: -f /opt/wheels"),
            nullptr);
}

TEST(MlflowFolderTest, UnreadableEnvironmentFileIsIncomplete) {
  TempModel model;
  model.Write("MLmodel", "flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n");
  model.Write("conda.yaml", "dependencies: [unclosed\n");
  const Target target = model.Scan();
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  const auto findings = test::WithRule(target, "MLFLOW-ENV-MALFORMED");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_NE(findings[0]->message.find("conda.yaml"), std::string::npos);
}

TEST(MlflowFolderTest, UnknownMlflowNamespaceLoaderIsMedium) {
  TempModel model;
  model.Write("MLmodel",
              "flavors:\n  python_function:\n    loader_module: mlflow.not_a_flavor\n"
              "  my_flavor: {data: weights.bin}\n");
  const Target target = model.Scan();
  const Finding* loader = Find(target, "MLFLOW-LOADER-MODULE", "mlflow.not_a_flavor");
  ASSERT_NE(loader, nullptr);
  EXPECT_EQ(loader->severity, Severity::kMedium);
  EXPECT_TRUE(test::Has(target, "MLFLOW-UNKNOWN-FLAVOR"));
  const Finding* missing = Find(target, "MLFLOW-MISSING-FILE", "my_flavor/data: weights.bin");
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(missing->severity, Severity::kLow);
}

}  // namespace
}  // namespace mg

namespace mg {
namespace {

TEST(MlflowAnalyzerTest, PyyamlPythonTagIsHigh) {
  const Target target = ScanMlmodel("malicious/mlflow/yaml_python_tag");
  const Finding* tag =
      Find(target, "MLFLOW-YAML-PYTHON-TAG", "tag:yaml.org,2002:python/object/apply:os.system");
  ASSERT_NE(tag, nullptr);
  EXPECT_EQ(tag->severity, Severity::kHigh);
  EXPECT_NE(tag->evidence.find("(line 5)"), std::string::npos);
}

}  // namespace
}  // namespace mg
