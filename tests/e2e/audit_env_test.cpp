// `modelgate audit-env` end to end: fake site-packages and SPARK_HOME trees, every report
// format, --advisories, and the exit codes shared with `scan` (0 clean, 1 findings, 2 error).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "e2e/cli_runner.h"

namespace mg::test {
namespace {

namespace fs = std::filesystem;

void DistInfo(const fs::path& site, const std::string& name, const std::string& version) {
  WriteFile(site / (name + "-" + version + ".dist-info") / "METADATA",
            "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n\n");
}

std::vector<std::string> Rules(const nlohmann::ordered_json& report) {
  std::vector<std::string> rules;
  for (const auto& target : report["targets"]) {
    for (const auto& finding : target["findings"]) rules.push_back(finding["rule"]);
  }
  return rules;
}

TEST(AuditEnv, VulnerableTorchExitsOneAndNamesTheAdvisory) {
  TempDir dir;
  const fs::path site = dir.path() / "site-packages";
  DistInfo(site, "torch", "2.5.1+cu121");
  DistInfo(site, "numpy", "1.26.4");
  const CliRun run =
      RunCli({"audit-env", "--python-path", site.string(), "--format", "json"});
  ASSERT_EQ(run.exit_code, 1) << run.err;
  const auto report = ParseJson(run.out);
  ASSERT_FALSE(report.is_discarded()) << run.out;
  const std::string text = report.dump();
  EXPECT_NE(text.find("CVE-2025-32434"), std::string::npos);
  EXPECT_NE(text.find("torch 2.5.1+cu121"), std::string::npos);
  EXPECT_NE(text.find("numpy 1.26.4 is installed"), std::string::npos);
  const auto rules = Rules(report);
  EXPECT_NE(std::find(rules.begin(), rules.end(), "AUDIT-ADVISORY"), rules.end());
}

TEST(AuditEnv, PatchedEnvironmentExitsZeroButListsWhatItSaw) {
  TempDir dir;
  const fs::path site = dir.path() / "site";
  DistInfo(site, "torch", "2.10.0");
  DistInfo(site, "keras", "3.13.2");
  const CliRun run = RunCli({"audit-env", "--python-path", site.string(), "--color", "never"});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("torch"), std::string::npos) << run.out;
  // With --fail-on info the inspected-package facts count.
  const CliRun strict =
      RunCli({"audit-env", "--python-path", site.string(), "--fail-on", "info"});
  EXPECT_EQ(strict.exit_code, 1);
}

TEST(AuditEnv, SparkHomeJarsAndSarif) {
  TempDir dir;
  WriteFile(dir.path() / "spark" / "jars" / "spark-mllib_2.12-3.5.1.jar", "PK");
  WriteFile(dir.path() / "site" / "README", "");
  const CliRun run = RunCli({"audit-env", "--python-path", (dir.path() / "site").string(),
                             "--spark-home", (dir.path() / "spark").string(), "--format",
                             "sarif", "--fail-on", "high"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto sarif = ParseJson(run.out);
  ASSERT_FALSE(sarif.is_discarded());
  EXPECT_EQ(sarif["version"], "2.1.0");
  EXPECT_NE(run.out.find("spark 3.5.1"), std::string::npos);
}

// SPARK-52122: a 4.0.0 release candidate's jars are affected, the release is not; pip's
// pyspark is judged by the jars it carries.
TEST(AuditEnv, SparkReleaseCandidateIsAffectedTheReleaseIsNot) {
  TempDir dir;
  WriteFile(dir.path() / "spark" / "jars" / "spark-mllib_2.13-4.0.0-rc4.jar", "PK");
  WriteFile(dir.path() / "site" / "pyspark" / "jars" / "spark-core_2.13-4.0.0.jar", "PK");
  DistInfo(dir.path() / "site", "pyspark", "4.0.0");
  const CliRun run = RunCli({"audit-env", "--python-path", (dir.path() / "site").string(),
                             "--spark-home", (dir.path() / "spark").string(), "--format",
                             "json"});
  ASSERT_EQ(run.exit_code, 1) << run.err;
  const auto report = ParseJson(run.out);
  ASSERT_FALSE(report.is_discarded()) << run.out;
  int advisories = 0;
  for (const auto& target : report["targets"]) {
    for (const auto& finding : target["findings"]) {
      if (finding["rule"] != "AUDIT-ADVISORY") continue;
      ++advisories;
      const std::string message = finding["message"];
      EXPECT_NE(message.find("SPARK-52122"), std::string::npos) << message;
      EXPECT_NE(message.find("4.0.0-rc4"), std::string::npos) << message;
      EXPECT_EQ(finding["severity"], "high");
    }
  }
  EXPECT_EQ(advisories, 1) << run.out;
}

TEST(AuditEnv, CustomAdvisoryListAndOutputFile) {
  TempDir dir;
  const fs::path site = dir.path() / "site";
  DistInfo(site, "dill", "0.3.8");
  WriteFile(dir.path() / "list.json", R"({"advisories": [
    {"id": "TEST-1", "package": "dill", "ecosystem": "pypi", "affected": ["<1.0"],
     "fixed": "1.0", "severity": "low", "loading_path": "dill.load", "summary": "test entry",
     "source": "https://attacker.invalid/advisory"}]})");
  const fs::path out = dir.path() / "report.json";
  const CliRun run =
      RunCli({"audit-env", "--python-path", site.string(), "--advisories",
              (dir.path() / "list.json").string(), "--format", "json", "-o", out.string(),
              "--fail-on", "low"});
  ASSERT_EQ(run.exit_code, 1) << run.err;
  const CliRun cat = RunProgram("/bin/cat", {out.string()});
  EXPECT_NE(cat.out.find("TEST-1"), std::string::npos);
}

TEST(AuditEnv, ErrorsExitTwo) {
  TempDir dir;
  EXPECT_EQ(RunCli({"audit-env", "--python-path", (dir.path() / "missing").string()}).exit_code,
            2);
  WriteFile(dir.path() / "bad.json", R"({"advisories": [{"id": "X"}]})");
  const CliRun bad = RunCli({"audit-env", "--python-path", dir.path().string(), "--advisories",
                             (dir.path() / "bad.json").string()});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("advisory list"), std::string::npos) << bad.err;
  EXPECT_EQ(RunCli({"audit-env", "--format", "xml"}).exit_code, 2);
}

}  // namespace
}  // namespace mg::test
