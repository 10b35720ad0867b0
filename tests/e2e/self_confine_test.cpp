// `modelgate scan` confines its parsers (Landlock read-only on the targets, seccomp without exec
// or network) unless --no-self-confine: the report says which applied, and confinement changes
// no finding anywhere in the fixture tree nor in any golden set.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "e2e/cli_runner.h"
#include "sandbox/landlock.h"
#include "support/test_paths.h"

namespace mg::test {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

Json ScanJson(const std::vector<std::string>& targets, bool confine) {
  std::vector<std::string> args = {"scan", "--format", "json", "--fail-on", "none", "--jobs", "2"};
  if (!confine) args.push_back("--no-self-confine");
  args.insert(args.end(), targets.begin(), targets.end());
  CliOptions options;
  options.working_dir = SourceDir();
  const CliRun run = RunCli(args, options);
  EXPECT_TRUE(run.exit_code == 0 || run.exit_code == 2) << run.err;
  Json report = ParseJson(run.out);
  EXPECT_FALSE(report.is_discarded()) << run.out.substr(0, 400) << run.err;
  return report;
}

// On this kernel: both parts apply, with the ABI the kernel offers; without Landlock the scan
// still ran and says why.
void ExpectConfined(const Json& confinement) {
  ASSERT_TRUE(confinement.is_object()) << confinement.dump();
  EXPECT_EQ(confinement["requested"], true);
  EXPECT_EQ(confinement["seccomp"], true) << confinement.dump();
  const int abi = sandbox::LandlockAbi();
  EXPECT_EQ(confinement["landlock_abi"], abi);
  EXPECT_EQ(confinement["landlock"], abi > 0) << confinement.dump();
  if (abi > 0) {
    EXPECT_TRUE(confinement["detail"].is_null()) << confinement.dump();
  } else {
    EXPECT_TRUE(confinement["detail"].is_string());
  }
}

TEST(SelfConfine, JsonReportSaysConfinementApplied) {
  const Json report = ScanJson({"tests/fixtures"}, true);
  ExpectConfined(report["confinement"]);
  EXPECT_GT(report["summary"]["targets"].get<int>(), 50);
}

TEST(SelfConfine, OptOutIsReported) {
  const Json report = ScanJson({"tests/fixtures/clean"}, false);
  const Json& confinement = report["confinement"];
  EXPECT_EQ(confinement["requested"], false);
  EXPECT_EQ(confinement["landlock"], false);
  EXPECT_EQ(confinement["seccomp"], false);
  EXPECT_EQ(confinement["detail"], "--no-self-confine");
}

// The same findings, statuses and formats for every fixture, confined or not.
TEST(SelfConfine, SameFindingsOverTheWholeFixtureTree) {
  const Json confined = ScanJson({"tests/fixtures"}, true);
  const Json free = ScanJson({"tests/fixtures"}, false);
  ASSERT_EQ(confined["targets"].size(), free["targets"].size());
  for (std::size_t i = 0; i < confined["targets"].size(); ++i) {
    EXPECT_TRUE(confined["targets"][i] == free["targets"][i])
        << "differs under confinement: " << confined["targets"][i]["path"] << "\n"
        << confined["targets"][i].dump();
  }
  EXPECT_EQ(confined["summary"], free["summary"]);
}

// Golden sets name single files: analyzers that read a file's companions (an MLmodel's folder,
// a Spark ML model folder) must still reach them.
TEST(SelfConfine, SameFindingsForEveryGoldenSetsFiles) {
  for (const auto& entry : fs::directory_iterator(SourceDir() / "tests" / "golden")) {
    if (!fs::exists(entry.path() / "inputs.txt")) continue;
    std::vector<std::string> inputs;
    std::istringstream lines(ReadFile(entry.path() / "inputs.txt"));
    for (std::string line; std::getline(lines, line);) {
      line = line.substr(0, line.find('#'));
      while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) {
        line.pop_back();
      }
      while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) {
        line.erase(0, 1);
      }
      if (!line.empty()) inputs.push_back(line);
    }
    if (inputs.empty()) continue;
    const Json confined = ScanJson(inputs, true);
    const Json free = ScanJson(inputs, false);
    ASSERT_EQ(confined["targets"].size(), free["targets"].size()) << entry.path().filename();
    for (std::size_t i = 0; i < confined["targets"].size(); ++i) {
      EXPECT_TRUE(confined["targets"][i] == free["targets"][i])
          << "differs under confinement: " << confined["targets"][i]["path"] << "\n"
          << confined["targets"][i].dump();
    }
  }
}

TEST(SelfConfine, ReportToAFileWhileConfined) {
  TempDir dir;
  const fs::path report_path = dir.path() / "report.json";
  const fs::path scanned = FixturesDir() / "malicious" / "os_system_p2.pkl";
  const CliRun run =
      RunCli({"scan", "--format", "json", "-q", "--output", report_path.string(), scanned});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  const Json report = ParseJson(ReadFile(report_path));
  ASSERT_FALSE(report.is_discarded());
  ExpectConfined(report["confinement"]);
  EXPECT_EQ(report["summary"]["max_severity"], "critical");
}

TEST(SelfConfine, TextAndSarifSayWhichApplied) {
  const std::string scanned = (FixturesDir() / "clean").string();
  const CliRun text = RunCli({"scan", "--color", "never", scanned});
  EXPECT_NE(text.out.find("\nSelf-confinement: " +
                          std::string(sandbox::LandlockAbi() > 0 ? "Landlock ABI " : "seccomp")),
            std::string::npos)
      << text.out;
  const CliRun off = RunCli({"scan", "--no-self-confine", scanned});
  EXPECT_NE(off.out.find("\nSelf-confinement: off (--no-self-confine).\n"), std::string::npos)
      << off.out;
  const CliRun sarif = RunCli({"scan", "--format", "sarif", scanned});
  const Json log = ParseJson(sarif.out);
  ASSERT_FALSE(log.is_discarded());
  ExpectConfined(log["runs"][0]["properties"]["confinement"]);
}

}  // namespace
}  // namespace mg::test
