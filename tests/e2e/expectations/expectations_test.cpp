// Scans every fixture and judges the report against tests/fixtures/expectations.json.
// Its own binary (modelgate_expectation_tests) because it only passes once the real pickle and
// ZIP analyzers are merged; ctest runs it when MODELGATE_EXPECTATIONS is ON. Entries with a
// pending_issue are skipped, with the issue named.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "e2e/expectations.h"
#include "support/test_paths.h"

namespace mg::test {
namespace {

class Expectations : public ::testing::TestWithParam<FixtureExpectation> {};

TEST_P(Expectations, Scan) {
  const FixtureExpectation& expectation = GetParam();
  if (expectation.pending()) {
    GTEST_SKIP() << expectation.name << " waits for issue "
                 << expectation.entry["pending_issue"].get<std::string>();
  }
  CliOptions options;
  options.timeout = std::chrono::seconds(expectation.entry.value("max_seconds", 60) + 30);
  const CliRun run = RunCli(ScanArgumentsFor(expectation.name), options);
  for (const auto& problem : JudgeScan(expectation.entry, run)) {
    ADD_FAILURE() << expectation.name << ": " << problem;
  }
}

// gtest names allow [A-Za-z0-9_] only.
std::string TestName(const ::testing::TestParamInfo<FixtureExpectation>& info) {
  std::string name = info.param.name;
  for (char& c : name) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!keep) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, Expectations, ::testing::ValuesIn(LoadExpectations()), TestName);

// Every rule ID reported over the fixture tree and the examples has an entry in the rule
// catalogue (the SARIF rule table), as the style guide requires of analyzers. Here rather than
// with the e2e tests because the placeholder analyzers report rules they do not list.
TEST(Catalog, EveryReportedRuleIsInTheRuleTable) {
  const CliRun run = RunCli(
      {"scan", "--format", "sarif", FixturesDir().string(), (SourceDir() / "examples").string()});
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 1) << run.err;
  const Json sarif = ParseJson(run.out);
  ASSERT_FALSE(sarif.is_discarded());
  std::set<std::string> catalogued;
  for (const Json& rule : sarif["runs"][0]["tool"]["driver"]["rules"]) {
    catalogued.insert(rule["id"].get<std::string>());
  }
  std::set<std::string> missing;
  for (const Json& result : sarif["runs"][0]["results"]) {
    const std::string rule = result["ruleId"];
    if (!catalogued.contains(rule)) missing.insert(rule);
  }
  for (const auto& rule : missing) ADD_FAILURE() << rule << " is reported but not catalogued";
}

}  // namespace
}  // namespace mg::test
