// The CLI facing hostile names and limits: file names that carry terminal escapes or URI
// metacharacters, and the file size limit that fails closed.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "e2e/cli_runner.h"
#include "support/test_paths.h"

namespace mg::test {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

TEST(HostileNames, TerminalEscapesInFileNamesAreNotWrittenRaw) {
  TempDir dir;
  // ESC [ 2 J clears the screen; a file name is attacker-controlled text.
  const fs::path hostile = dir.path() / "model\x1b[2J\x1b]0;owned\x07.pkl";
  fs::copy_file(FixturesDir() / "malicious" / "os_system_p2.pkl", hostile);
  const CliRun run = RunCli({"scan", "--color", "never", dir.path().string()});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out.find('\x1b'), std::string::npos) << "raw ESC in the text report";
  EXPECT_EQ(run.out.find('\x07'), std::string::npos) << "raw BEL in the text report";
  EXPECT_NE(run.out.find("\\x1b[2J"), std::string::npos) << run.out;
}

TEST(HostileNames, SarifUrisArePercentEncoded) {
  TempDir dir;
  const fs::path odd = dir.path() / "my model (final)#1%.pkl";
  fs::copy_file(FixturesDir() / "malicious" / "os_system_p2.pkl", odd);
  const CliRun run = RunCli({"scan", "--format", "sarif", odd.string()});
  EXPECT_EQ(run.exit_code, 1);
  const Json sarif = ParseJson(run.out);
  ASSERT_FALSE(sarif.is_discarded());
  ASSERT_FALSE(sarif["runs"][0]["results"].empty());
  const std::string uri =
      sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
  EXPECT_NE(uri.find("my%20model%20%28final%29%231%25.pkl"), std::string::npos) << uri;
}

TEST(HostileNames, NameThatIsNotUtf8StillGivesValidJson) {
  TempDir dir;
  const fs::path latin1 = dir.path() / "mod\xe8le\xff.pkl";
  fs::copy_file(FixturesDir() / "malicious" / "os_system_p2.pkl", latin1);
  for (const char* format : {"json", "sarif"}) {
    const CliRun run = RunCli({"scan", "--format", format, dir.path().string()});
    EXPECT_EQ(run.exit_code, 1) << format;
    EXPECT_FALSE(ParseJson(run.out).is_discarded()) << format << ": " << run.out;
  }
}

TEST(Limits, FileOverSizeLimitIsIncompleteNotClean) {
  const std::string path = (FixturesDir() / "clean" / "readme_text.txt").string();
  const CliRun run = RunCli({"scan", "--format", "json", "--max-file-size", "16", path});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  const Json report = ParseJson(run.out);
  ASSERT_FALSE(report.is_discarded());
  const Json& target = report["targets"][0];
  EXPECT_EQ(target["status"], "incomplete");
  ASSERT_EQ(target["findings"].size(), 1u);
  EXPECT_EQ(target["findings"][0]["rule"], "SCAN-LIMIT-FILE-SIZE");
  EXPECT_EQ(target["findings"][0]["severity"], "medium");
  // At the limit exactly, the file is analysed.
  const CliRun at_limit = RunCli(
      {"scan", "--format", "json", "--max-file-size", std::to_string(fs::file_size(path)), path});
  EXPECT_EQ(at_limit.exit_code, 0) << at_limit.out;
}

TEST(Limits, SizeSuffixesAreAccepted) {
  const std::string path = (FixturesDir() / "clean" / "readme_text.txt").string();
  for (const char* size : {"1K", "2M", "1G", "1KiB", "100B"}) {
    EXPECT_EQ(RunCli({"scan", "--max-file-size", size, path}).exit_code, 0) << size;
  }
  EXPECT_EQ(RunCli({"scan", "--max-file-size", "99999999999999999999T", path}).exit_code, 2);
}

}  // namespace
}  // namespace mg::test
