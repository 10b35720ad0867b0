// `make demo` scans examples/ and relies on exit code 1 (scripts/demo.sh). Also checks that
// each malicious example is flagged on its own, not merely that something in the folder is.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "e2e/cli_runner.h"
#include "support/test_paths.h"

namespace mg::test {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

TEST(Demo, ScanOfExamplesExitsOne) {
  CliOptions options;
  options.working_dir = SourceDir();
  const CliRun run = RunCli({"scan", "--color", "never", "examples/"}, options);
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("examples/malicious/model.pkl"), std::string::npos) << run.out;
}

TEST(Demo, EveryMaliciousExampleIsFlaggedAtMediumOrAbove) {
  int malicious = 0;
  for (const auto& entry : fs::directory_iterator(SourceDir() / "examples" / "malicious")) {
    ++malicious;
    const CliRun run = RunCli({"scan", "--format", "json", entry.path().string()});
    EXPECT_EQ(run.exit_code, 1) << entry.path();
    const Json report = ParseJson(run.out);
    ASSERT_FALSE(report.is_discarded());
    ASSERT_EQ(report["targets"].size(), 1u);
    bool flagged = false;
    for (const Json& finding : report["targets"][0]["findings"]) {
      flagged |= SeverityRank(finding["severity"].get<std::string>()) >= SeverityRank("medium");
    }
    EXPECT_TRUE(flagged) << entry.path();
  }
  EXPECT_GE(malicious, 2);
}

TEST(Demo, DemoScriptReportsSuccess) {
  const fs::path script = SourceDir() / "scripts" / "demo.sh";
  if (!fs::exists("/bin/bash")) GTEST_SKIP() << "no bash";
  const CliRun run = RunProgram("/bin/bash", {script.string(), CliBinary().string()});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("as intended"), std::string::npos) << run.out;
}

}  // namespace
}  // namespace mg::test
