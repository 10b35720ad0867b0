// `modelgate check` with the policy's allow/deny name lists (docs/policy.md, "allow and deny")
// on real fixtures: a denied Spark ML class or Keras module blocks a model modelgate alone finds
// clean, an allow entry cannot excuse a dangerous call, and a bad entry names its line.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "e2e/cli_runner.h"
#include "support/test_paths.h"

namespace mg::test {
namespace {

namespace fs = std::filesystem;

CliRun Check(const fs::path& policy, const fs::path& model) {
  return RunCli({"check", "--policy", policy.string(), "--format", "json", model.string()});
}

fs::path WritePolicy(const fs::path& root, const std::string& body) {
  const fs::path policy = root / "policy.yaml";
  WriteFile(policy, "version: 1\n" + body);
  return policy;
}

// Every finding of `rule` in the JSON output's scan report.
std::vector<std::string> Evidence(const CliRun& run, const std::string& rule) {
  std::vector<std::string> found;
  const auto json = ParseJson(run.out);
  if (json.is_discarded()) return found;
  for (const auto& target : json["models"][0]["report"]["targets"]) {
    for (const auto& finding : target["findings"]) {
      if (finding["rule"] == rule) found.push_back(finding["evidence"].get<std::string>());
    }
  }
  return found;
}

TEST(CheckNameLists, ADeniedSparkClassBlocksARealPipeline) {
  TempDir dir;
  const fs::path pipeline = FixturesDir() / "clean" / "sparkml" / "pipeline_lr";
  const fs::path plain = WritePolicy(dir.path(), "");
  ASSERT_EQ(Check(plain, pipeline).exit_code, 0);
  const fs::path policy = WritePolicy(
      dir.path(), "deny:\n  sparkml_classes: [org.apache.spark.ml.feature.HashingTF]\n");
  const CliRun run = Check(policy, pipeline);
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_EQ(Evidence(run, "SPARKML-POLICY-DENIED-CLASS"),
            std::vector<std::string>{"/class: org.apache.spark.ml.feature.HashingTF (policy deny "
                                     "entry 'org.apache.spark.ml.feature.HashingTF')"})
      << run.out;
}

TEST(CheckNameLists, ADeniedKerasModuleBlocksARealKerasArchive) {
  TempDir dir;
  const fs::path model = FixturesDir() / "clean" / "keras" / "sequential.keras";
  ASSERT_EQ(Check(WritePolicy(dir.path(), ""), model).exit_code, 0);
  const CliRun run =
      Check(WritePolicy(dir.path(), "deny:\n  keras_modules: [\"keras.regularizers\"]\n"), model);
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  const auto denied = Evidence(run, "KERAS-POLICY-DENIED-MODULE");
  ASSERT_FALSE(denied.empty()) << run.out;
  EXPECT_NE(denied[0].find("keras.regularizers (policy deny entry 'keras.regularizers')"),
            std::string::npos);
}

TEST(CheckNameLists, AnAllowEntryCannotExcuseADangerousCall) {
  TempDir dir;
  const fs::path model = dir.path() / "head.pkl";
  fs::copy_file(FixturesDir() / "malicious" / "os_system_p2.pkl", model);
  const CliRun run = Check(
      WritePolicy(dir.path(), "allow:\n  pickle_globals: [os.system, \"os.*\", \"posix.*\"]\n"),
      model);
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_FALSE(Evidence(run, "PICKLE-DANGEROUS-CALL").empty()) << run.out;
}

TEST(CheckNameLists, ABadEntryIsAPolicyErrorWithItsLine) {
  TempDir dir;
  const fs::path model = FixturesDir() / "clean" / "keras" / "sequential.keras";
  const CliRun run = Check(
      WritePolicy(dir.path(), "allow:\n  keras_modules:\n    - mylab\n    - \"mylab*\"\n"), model);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("policy.yaml:5: allow.keras_modules[1]: 'mylab*' must be a dotted name"),
            std::string::npos)
      << run.err;
}

}  // namespace
}  // namespace mg::test
