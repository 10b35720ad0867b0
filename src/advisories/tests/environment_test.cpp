// Environment inspection and the audit report over fake site-packages and SPARK_HOME trees that
// the tests write into temporary folders.
#include "advisories/environment.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "advisories/audit.h"

namespace mg::advisories {
namespace {

namespace fs = std::filesystem;

class TempTree {
 public:
  TempTree() {
    path_ = fs::temp_directory_path() /
            ("mg-audit-env-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempTree() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  void Write(const fs::path& relative, const std::string& content) const {
    fs::create_directories((path_ / relative).parent_path());
    std::ofstream(path_ / relative, std::ios::binary) << content;
  }
  // A wheel-style dist-info folder with METADATA.
  void DistInfo(const std::string& name, const std::string& version) const {
    Write(fs::path("site") / (name + "-" + version + ".dist-info") / "METADATA",
          "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version +
              "\nSummary: test\n\nVersion: 0.0.1 (the body is not a header)\n");
  }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

TEST(DistMetadata, ReadsHeadersOnly) {
  const DistMetadata m = ParseDistMetadata(ByteView(std::string_view(
      "Metadata-Version: 2.1\r\nName:  torch \r\nSummary: a\r\n  continued: Version 9\r\n"
      "Version: 2.5.1+cpu\r\nVersion: 7\r\n\r\nName: body\n")));
  EXPECT_EQ(m.name, "torch");
  EXPECT_EQ(m.version, "2.5.1+cpu");
  const DistMetadata body_only =
      ParseDistMetadata(ByteView(std::string_view("\nName: x\nVersion: 1\n")));
  EXPECT_TRUE(body_only.name.empty());
  EXPECT_TRUE(ParseDistMetadata(ByteView()).version.empty());
}

TEST(SparkNames, JarsAndRelease) {
  EXPECT_EQ(SparkVersionFromJarName("spark-mllib_2.12-3.5.1.jar"), "3.5.1");
  EXPECT_EQ(SparkVersionFromJarName("spark-core_2.13-4.0.0-preview1.jar"), "4.0.0-preview1");
  EXPECT_EQ(SparkVersionFromJarName("spark-sql_2.13-4.0.0.jar"), "4.0.0");
  EXPECT_FALSE(SparkVersionFromJarName("spark-mllib-local_2.12-3.5.1.jar"));
  EXPECT_FALSE(SparkVersionFromJarName("spark-mllib_2.12.jar"));
  EXPECT_FALSE(SparkVersionFromJarName("spark-mllib_2.12-3.5.1.txt"));
  EXPECT_FALSE(SparkVersionFromJarName("spark-core_2.12-.jar"));
  EXPECT_FALSE(SparkVersionFromJarName("hadoop-client-3.3.4.jar"));
  EXPECT_EQ(SparkVersionFromRelease("Spark 3.5.1 built for Hadoop 3.3.4\nBuild flags: x\n"),
            "3.5.1");
  EXPECT_FALSE(SparkVersionFromRelease("Hadoop 3.3.4\n"));
  EXPECT_FALSE(SparkVersionFromRelease("Spark \n"));
}

TEST(InspectEnvironment, FindsDistInfoEggInfoAndProblems) {
  TempTree tree;
  tree.DistInfo("torch", "1.13.1");
  tree.DistInfo("Keras", "3.11.3");
  tree.DistInfo("requests", "2.31.0");
  // Debian-style egg-info folder, and an egg-info that is a single PKG-INFO file.
  tree.Write("site/numpy-1.16.2.egg-info/PKG-INFO", "Name: numpy\nVersion: 1.16.2\n");
  tree.Write("site/joblib-1.1.0.egg-info", "Metadata-Version: 1.1\nName: joblib\nVersion: 1.1.0\n");
  fs::create_directories(tree.path() / "site" / "mlflow-2.9.0.dist-info");  // no METADATA
  tree.Write("site/transformers-4.30.0.dist-info/METADATA", "Name: transformers\n");

  std::vector<std::string> errors;
  EnvironmentOptions options;
  options.python_paths = {(tree.path() / "site").string()};
  const Environment env = InspectEnvironment(options, errors);
  EXPECT_TRUE(errors.empty());
  ASSERT_EQ(env.searched.size(), 1u);
  ASSERT_EQ(env.packages.size(), 5u);
  std::map<std::string, std::string> versions;
  for (const auto& p : env.packages) versions[p.normalized] = p.version;
  EXPECT_EQ(versions["torch"], "1.13.1");
  EXPECT_EQ(versions["keras"], "3.11.3");
  EXPECT_EQ(versions["numpy"], "1.16.2");
  EXPECT_EQ(versions["joblib"], "1.1.0");
  ASSERT_EQ(env.problems.size(), 2u);
  EXPECT_EQ(env.problems[0].name, "mlflow");
  EXPECT_EQ(env.problems[1].name, "transformers");
}

// Detection: $VIRTUAL_ENV's and ~/.local's lib/python*/site-packages are found when they exist.
TEST(InspectEnvironment, DetectsVirtualEnvAndUserSitePackages) {
  TempTree tree;
  tree.DistInfo("torch", "2.5.1");
  fs::create_directories(tree.path() / "venv" / "lib" / "python3.11" / "site-packages");
  fs::create_directories(tree.path() / "venv" / "lib" / "python3.12");  // no site-packages
  fs::create_directories(tree.path() / "home" / ".local" / "lib" / "python3.11" / "site-packages");
  fs::rename(tree.path() / "site" / "torch-2.5.1.dist-info",
             tree.path() / "venv" / "lib" / "python3.11" / "site-packages" /
                 "torch-2.5.1.dist-info");
  const char* old_venv = std::getenv("VIRTUAL_ENV");
  const char* old_home = std::getenv("HOME");
  const std::string saved_venv = old_venv ? old_venv : "";
  const std::string saved_home = old_home ? old_home : "";
  ::setenv("VIRTUAL_ENV", (tree.path() / "venv").c_str(), 1);
  ::setenv("HOME", (tree.path() / "home").c_str(), 1);
  const std::vector<std::string> detected = DetectSitePackages();
  std::vector<std::string> errors;
  const Environment env = InspectEnvironment({}, errors);
  const auto restore = [](const char* name, const char* old_value, const std::string& saved) {
    if (old_value != nullptr) {
      ::setenv(name, saved.c_str(), 1);
    } else {
      ::unsetenv(name);
    }
  };
  restore("VIRTUAL_ENV", old_venv, saved_venv);
  restore("HOME", old_home, saved_home);

  const auto has = [&](const fs::path& p) {
    return std::find(detected.begin(), detected.end(), p.string()) != detected.end();
  };
  EXPECT_TRUE(has(tree.path() / "venv" / "lib" / "python3.11" / "site-packages"));
  EXPECT_TRUE(has(tree.path() / "home" / ".local" / "lib" / "python3.11" / "site-packages"));
  EXPECT_FALSE(has(tree.path() / "venv" / "lib" / "python3.12" / "site-packages"));
  EXPECT_TRUE(errors.empty());  // detected folders are never an error
  bool found_torch = false;
  for (const auto& p : env.packages) {
    found_torch = found_torch || (p.normalized == "torch" && p.version == "2.5.1");
  }
  EXPECT_TRUE(found_torch);
}

TEST(InspectEnvironment, NamedFolderThatIsMissingIsAnError) {
  std::vector<std::string> errors;
  EnvironmentOptions options;
  options.python_paths = {"/nonexistent/modelgate/site-packages"};
  options.spark_home = "/nonexistent/modelgate/spark";
  const Environment env = InspectEnvironment(options, errors);
  EXPECT_EQ(errors.size(), 2u);
  EXPECT_TRUE(env.searched.empty());
}

TEST(InspectEnvironment, SparkHomeJarsReleaseAndPysparkJars) {
  TempTree tree;
  tree.Write("spark/jars/spark-core_2.13-4.0.0-preview1.jar", "PK");
  tree.Write("spark/jars/spark-mllib_2.13-4.0.0-preview1.jar", "PK");
  tree.Write("spark/jars/hadoop-client-api-3.3.4.jar", "PK");
  tree.Write("release-only/RELEASE", "Spark 3.5.1 built for Hadoop 3.3.4\n");
  tree.Write("site/pyspark/jars/spark-sql_2.12-3.4.0.jar", "PK");
  tree.DistInfo("pyspark", "3.4.0");
  std::vector<std::string> errors;
  EnvironmentOptions options;
  options.python_paths = {(tree.path() / "site").string()};
  options.spark_home = (tree.path() / "spark").string();
  Environment env = InspectEnvironment(options, errors);
  EXPECT_TRUE(errors.empty());
  std::vector<std::string> spark;
  for (const auto& p : env.packages) {
    if (p.ecosystem == Ecosystem::kMaven) spark.push_back(p.version);
  }
  EXPECT_EQ(spark, (std::vector<std::string>{"3.4.0", "4.0.0-preview1"}));

  options.python_paths.clear();
  options.detect_python = false;
  options.spark_home = (tree.path() / "release-only").string();
  env = InspectEnvironment(options, errors);
  ASSERT_EQ(env.packages.size(), 1u);
  EXPECT_EQ(env.packages[0].version, "3.5.1");
  EXPECT_EQ(fs::path(env.packages[0].evidence).filename(), "RELEASE");
}

const Finding* FindRule(const Report& report, std::string_view rule, std::string_view text) {
  for (const auto& target : report.targets) {
    for (const auto& finding : target.findings) {
      if (finding.rule == rule && finding.message.find(text) != std::string::npos) {
        return &finding;
      }
    }
  }
  return nullptr;
}

TEST(AuditEnvironment, ReportsAffectedVersionsAndListsWhatWasInspected) {
  TempTree tree;
  tree.DistInfo("torch", "1.13.0a0+gitunknown");
  tree.DistInfo("keras", "3.13.2");
  tree.DistInfo("numpy", "1.24.2");
  tree.DistInfo("llama_cpp_python", "0.2.71");
  tree.DistInfo("scikit-learn", "weird version");
  tree.DistInfo("requests", "2.0");
  fs::create_directories(tree.path() / "site" / "onnx-1.0.dist-info");
  std::vector<std::string> errors;
  EnvironmentOptions options;
  options.python_paths = {(tree.path() / "site").string()};
  const Report report = AuditEnvironment(BundledAdvisories(), InspectEnvironment(options, errors));

  const Finding* torch = FindRule(report, kRuleAdvisory, "CVE-2025-32434");
  ASSERT_NE(torch, nullptr);
  EXPECT_EQ(torch->severity, Severity::kCritical);
  EXPECT_NE(torch->message.find("torch 1.13.0a0+gitunknown"), std::string::npos);
  EXPECT_NE(torch->message.find("Fixed in 2.6.0"), std::string::npos);
  EXPECT_NE(torch->evidence.find("torch-1.13.0a0+gitunknown.dist-info"), std::string::npos);
  EXPECT_NE(FindRule(report, kRuleAdvisory, "CVE-2024-34359"), nullptr);
  EXPECT_EQ(FindRule(report, kRuleAdvisory, "keras"), nullptr);  // 3.13.2 has every fix
  EXPECT_EQ(FindRule(report, kRuleAdvisory, "numpy"), nullptr);
  EXPECT_NE(FindRule(report, kRuleInspected, "numpy 1.24.2 is installed"), nullptr);
  EXPECT_NE(FindRule(report, kRuleInspected, "keras 3.13.2"), nullptr);
  EXPECT_EQ(FindRule(report, kRuleInspected, "requests"), nullptr);  // not a model loader
  const Finding* unparsed = FindRule(report, kRuleVersionUnparsed, "scikit-learn");
  ASSERT_NE(unparsed, nullptr);
  EXPECT_EQ(unparsed->severity, Severity::kMedium);
  EXPECT_NE(FindRule(report, kRuleMetadataUnreadable, "onnx"), nullptr);
  EXPECT_EQ(report.Summarize().max_severity, Severity::kCritical);
}

TEST(AuditEnvironment, NothingFoundIsNotClean) {
  const Report empty = AuditEnvironment(BundledAdvisories(), Environment{});
  ASSERT_EQ(empty.targets.size(), 1u);
  EXPECT_EQ(empty.targets[0].status, TargetStatus::kIncomplete);
  EXPECT_EQ(empty.Summarize().max_severity, Severity::kMedium);

  Environment searched;
  searched.searched = {"/somewhere/site-packages"};
  const Report none = AuditEnvironment(BundledAdvisories(), searched);
  EXPECT_EQ(none.Summarize().max_severity, Severity::kInfo);
  EXPECT_NE(FindRule(none, kRuleNothingInspected, "None of the"), nullptr);
}

}  // namespace
}  // namespace mg::advisories
