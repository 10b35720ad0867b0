// SARIF output validated against the OASIS SARIF 2.1.0 schema in ../shared/fixtures/sarif/
// with python3-jsonschema (tests/e2e/validate_sarif.py). Skips when either is absent: ../shared
// exists on developer machines and in CI, not in every clone.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "e2e/cli_runner.h"
#include "support/test_paths.h"

namespace mg::test {
namespace {

namespace fs = std::filesystem;

constexpr int kValidatorModuleMissing = 3;  // validate_sarif.py's exit status

class SarifSchema : public ::testing::Test {
 protected:
  void SetUp() override {
    schema_ = SharedDir() / "fixtures" / "sarif" / "sarif-schema-2.1.0.json";
    if (!fs::exists(schema_)) GTEST_SKIP() << "no SARIF schema at " << schema_;
    // Debian's interpreter, where python3-jsonschema installs (scripts/install-deps.sh).
    python_ = "/usr/bin/python3";
    if (!fs::exists(python_)) GTEST_SKIP() << "no /usr/bin/python3";
  }

  // Writes the SARIF report of scanning `paths` and validates it; returns the validator run.
  CliRun ScanAndValidate(const std::vector<std::string>& paths) {
    std::vector<std::string> args = {"scan", "--format", "sarif", "--output",
                                     (dir_.path() / "report.sarif").string()};
    args.insert(args.end(), paths.begin(), paths.end());
    const CliRun scan = RunCli(args);
    EXPECT_TRUE(scan.exit_code == 0 || scan.exit_code == 1) << scan.err;
    return RunProgram(python_, {(SourceDir() / "tests" / "e2e" / "validate_sarif.py").string(),
                                schema_.string(), (dir_.path() / "report.sarif").string()});
  }

  fs::path schema_;
  fs::path python_;
  TempDir dir_;
};

TEST_F(SarifSchema, ReportOfEveryFixtureIsValid) {
  const CliRun run = ScanAndValidate({FixturesDir().string()});
  if (run.exit_code == kValidatorModuleMissing) GTEST_SKIP() << run.err;
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("valid SARIF 2.1.0"), std::string::npos) << run.out;
}

TEST_F(SarifSchema, ReportWithoutResultsIsValid) {
  const CliRun run = ScanAndValidate({dir_.path().string()});
  if (run.exit_code == kValidatorModuleMissing) GTEST_SKIP() << run.err;
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
}

// The validator must be able to fail, or the tests above prove nothing.
TEST_F(SarifSchema, ValidatorRejectsAnInvalidDocument) {
  WriteFile(dir_.path() / "bad.sarif",
            R"({"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": [{}]}]})");
  const CliRun run =
      RunProgram(python_, {(SourceDir() / "tests" / "e2e" / "validate_sarif.py").string(),
                           schema_.string(), (dir_.path() / "bad.sarif").string()});
  if (run.exit_code == kValidatorModuleMissing) GTEST_SKIP() << run.err;
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("runs/0"), std::string::npos) << run.out;
}

}  // namespace
}  // namespace mg::test
