// Scans every fixture and judges the report against tests/fixtures/expectations.json.
// Its own binary (modelgate_expectation_tests) because it only passes once the real pickle and
// ZIP analyzers are merged; ctest runs it when MODELGATE_EXPECTATIONS is ON. Entries with a
// pending_issue are skipped, with the issue named.
#include "e2e/expectations.h"

#include <gtest/gtest.h>

#include <string>

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

}  // namespace
}  // namespace mg::test
