// Exit codes of `modelgate scan` (docs/cli.md, "Exit codes"): 0 nothing at or above --fail-on,
// 1 something is, 2 usage or I/O error. Also --output.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <string>

#include "e2e/cli_runner.h"
#include "support/test_paths.h"

namespace mg::test {
namespace {

namespace fs = std::filesystem;

std::string Fixture(const std::string& relative) { return (FixturesDir() / relative).string(); }

// Highest severity in a JSON report, as a rank; -1 when there is no finding.
int MaxSeverityRank(const nlohmann::ordered_json& report) {
  int max = -1;
  for (const auto& target : report["targets"]) {
    for (const auto& finding : target["findings"]) {
      max = std::max(max, SeverityRank(finding["severity"].get<std::string>()));
    }
  }
  return max;
}

TEST(ExitCodes, FileWithoutFindingsAtDefaultThresholdExitsZero) {
  const CliRun run = RunCli({"scan", "--format", "json", Fixture("clean/readme_text.txt")});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto report = ParseJson(run.out);
  ASSERT_FALSE(report.is_discarded());
  EXPECT_LT(MaxSeverityRank(report), SeverityRank("medium"));
  EXPECT_TRUE(run.err.empty()) << run.err;
}

TEST(ExitCodes, MaliciousPickleExitsOne) {
  const CliRun run = RunCli({"scan", Fixture("malicious/os_system_p2.pkl")});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("os_system_p2.pkl"), std::string::npos);
}

TEST(ExitCodes, MissingPathExitsTwoWithMessage) {
  const std::string missing = Fixture("clean/no-such-model.pt");
  const CliRun run = RunCli({"scan", missing});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("no such file or folder: " + missing), std::string::npos) << run.err;
}

TEST(ExitCodes, MissingPathNextToGoodOneStillReportsTheGoodOne) {
  const CliRun run =
      RunCli({"scan", "--format", "json", Fixture("clean/readme_text.txt"), Fixture("clean/nope")});
  EXPECT_EQ(run.exit_code, 2);
  const auto report = ParseJson(run.out);
  ASSERT_FALSE(report.is_discarded()) << run.out;
  ASSERT_EQ(report["targets"].size(), 1u);
  EXPECT_EQ(report["targets"][0]["path"], Fixture("clean/readme_text.txt"));
}

// An unreadable file that stays unreadable as root (CI runs as root, and root reads any file
// whatever its mode): sysfs attributes are regular files that cannot be memory-mapped, so
// opening works and mmap fails with ENODEV, a real I/O error on the path modelgate takes.
std::string UnmappableFile() {
  for (const char* candidate : {"/sys/devices/system/cpu/online", "/sys/kernel/uevent_seqnum",
                                "/sys/kernel/mm/transparent_hugepage/enabled"}) {
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec) && fs::file_size(candidate, ec) > 0) {
      return candidate;
    }
  }
  return {};
}

TEST(ExitCodes, UnreadableFileExitsTwoWithIoErrorFinding) {
  const std::string path = UnmappableFile();
  if (path.empty()) GTEST_SKIP() << "no sysfs attribute file to use as an unreadable file";
  const CliRun run = RunCli({"scan", "--format", "json", path});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("cannot read " + path), std::string::npos) << run.err;
  const auto report = ParseJson(run.out);
  ASSERT_FALSE(report.is_discarded()) << run.out;
  ASSERT_EQ(report["targets"].size(), 1u);
  const auto& target = report["targets"][0];
  EXPECT_EQ(target["status"], "error");
  ASSERT_EQ(target["findings"].size(), 1u);
  EXPECT_EQ(target["findings"][0]["rule"], "SCAN-IO-ERROR");
}

TEST(ExitCodes, UsageErrorsExitTwo) {
  EXPECT_EQ(RunCli({"scan", "--format", "xml", Fixture("clean")}).exit_code, 2);
  EXPECT_EQ(RunCli({"scan", "--fail-on", "severe", Fixture("clean")}).exit_code, 2);
  EXPECT_EQ(RunCli({"scan"}).exit_code, 2);
  EXPECT_EQ(RunCli({"scan", "--max-file-size", "12Q", Fixture("clean/readme_text.txt")}).exit_code,
            2);
  EXPECT_EQ(RunCli({"--version"}).exit_code, 0);
}

// For each file and each threshold the exit code must follow the report's highest severity:
// 1 exactly when some finding is at or above --fail-on. Derived from the JSON report, so the
// test holds whatever severities the analyzers choose.
TEST(FailOn, ExitCodeFollowsHighestSeverityForEveryThreshold) {
  const std::array<std::string, 5> thresholds = {"info", "low", "medium", "high", "critical"};
  for (const char* relative :
       {"clean/readme_text.txt", "clean/xgboost_booster.ubj", "clean/pickle_named.bin",
        "malicious/os_system_p2.pkl", "malicious/torch_zip_injected.pt"}) {
    const std::string path = Fixture(relative);
    const CliRun json_run = RunCli({"scan", "--format", "json", path});
    const auto report = ParseJson(json_run.out);
    ASSERT_FALSE(report.is_discarded()) << relative;
    const int max = MaxSeverityRank(report);
    for (const auto& threshold : thresholds) {
      const int expected = max >= SeverityRank(threshold) ? 1 : 0;
      EXPECT_EQ(RunCli({"scan", "--fail-on", threshold, path}).exit_code, expected)
          << relative << " --fail-on " << threshold << " (highest severity rank " << max << ")";
    }
  }
}

TEST(FailOn, InfoFindingTripsInfoThresholdOnly) {
  const std::string path = Fixture("clean/readme_text.txt");
  const auto report = ParseJson(RunCli({"scan", "--format", "json", path}).out);
  ASSERT_EQ(MaxSeverityRank(report), SeverityRank("info"))
      << "a text file is expected to get an info finding (content of no known format)";
  EXPECT_EQ(RunCli({"scan", "--fail-on", "info", path}).exit_code, 1);
  EXPECT_EQ(RunCli({"scan", "--fail-on", "low", path}).exit_code, 0);
}

TEST(Output, WritesReportToFileAndNothingToStdout) {
  TempDir dir;
  const fs::path report_path = dir.path() / "report.json";
  const std::string scanned = Fixture("malicious/os_system_p2.pkl");
  const CliRun to_stdout = RunCli({"scan", "--format", "json", scanned});
  const CliRun to_file =
      RunCli({"scan", "--format", "json", "--output", report_path.string(), scanned});
  EXPECT_EQ(to_file.exit_code, to_stdout.exit_code);
  EXPECT_TRUE(to_file.out.empty()) << to_file.out;
  ASSERT_TRUE(fs::exists(report_path));
  EXPECT_EQ(ReadFile(report_path), to_stdout.out);
}

TEST(Output, TextReportToFileHasNoColour) {
  TempDir dir;
  const fs::path report_path = dir.path() / "report.txt";
  const CliRun run = RunCli({"scan", "--color", "auto", "-o", report_path.string(),
                             Fixture("malicious/os_system_p2.pkl")});
  EXPECT_EQ(run.exit_code, 1);
  const std::string text = ReadFile(report_path);
  EXPECT_NE(text.find("os_system_p2.pkl"), std::string::npos);
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << "escape sequence in a file report";
}

TEST(Output, UnwritableOutputExitsTwo) {
  TempDir dir;
  const fs::path report_path = dir.path() / "no-such-folder" / "report.json";
  const CliRun run = RunCli({"scan", "--format", "json", "--output", report_path.string(),
                             Fixture("clean/readme_text.txt")});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("cannot write"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace mg::test
