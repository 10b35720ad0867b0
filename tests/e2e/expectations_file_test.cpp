// The expectations file itself (tests/fixtures/expectations.json): it covers every fixture,
// each entry is well formed, and the judge that the expectation tests use really tells a
// matching scan from a non-matching one. These run on every branch; the scans against the
// expectations are in tests/e2e/expectations/.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "e2e/expectations.h"
#include "support/test_paths.h"

namespace mg::test {
namespace {

namespace fs = std::filesystem;

TEST(ExpectationsFile, EveryFileParses) {
  const auto files = ExpectationFiles();
  ASSERT_FALSE(files.empty());
  for (const auto& file : files) {
    const Json document = ParseJson(ReadFile(file));
    EXPECT_FALSE(document.is_discarded()) << file << " is not JSON";
    EXPECT_TRUE(document.contains("fixtures") && document["fixtures"].is_array())
        << file << " has no \"fixtures\" list";
  }
}

// Every file under the fixture folders is covered by exactly one entry: its own, or one for a
// folder above it (a model folder, e.g. a Hugging Face model or ONNX with external data, is
// scanned and judged as a whole).
TEST(ExpectationsFile, CoversEveryFixtureExactlyOnce) {
  const auto expectations = LoadExpectations();
  ASSERT_GT(expectations.size(), 80u) << "expectations files missing or unparsable";
  std::map<std::string, int> listed;
  for (const auto& expectation : expectations) ++listed[expectation.name];
  for (const auto& [name, count] : listed) {
    EXPECT_EQ(count, 1) << name << " is listed " << count << " times";
    EXPECT_TRUE(fs::is_regular_file(FixturePath(name)) || fs::is_directory(FixturePath(name)))
        << name << " is listed but missing";
  }
  for (const char* folder : {"clean", "malicious", "examples/clean", "examples/malicious"}) {
    for (const auto& entry : fs::recursive_directory_iterator(FixturePath(folder))) {
      if (!entry.is_regular_file()) continue;
      const fs::path relative = entry.path().lexically_relative(FixturePath(folder));
      int covering = 0;
      std::string prefix = folder;
      for (const auto& part : relative) {
        prefix += '/';
        prefix += part.string();
        if (listed.contains(prefix)) ++covering;
      }
      EXPECT_EQ(covering, 1) << folder << '/' << relative.string()
                             << " must be covered by exactly one entry (itself or a folder)";
    }
  }
}

TEST(ExpectationsFile, EntriesAreWellFormed) {
  for (const auto& expectation : LoadExpectations()) {
    for (const auto& problem : ValidateEntry(expectation.entry)) {
      ADD_FAILURE() << expectation.name << ": " << problem;
    }
    const std::string expect = expectation.entry["expect"];
    if (expectation.name.find("clean/") != std::string::npos) {
      EXPECT_EQ(expect, "clean") << expectation.name;
    }
    if (expectation.name.find("malicious/") != std::string::npos) {
      EXPECT_NE(expect, "clean") << expectation.name;
    }
    if (expectation.pending()) {
      static const std::set<std::string> kIssues = {"formats", "compression"};
      EXPECT_TRUE(kIssues.contains(expectation.entry["pending_issue"].get<std::string>()))
          << expectation.name;
    }
  }
}

// --- The judge, on hand-written reports -----------------------------------------------------

CliRun RunWithReport(const Json& target) {
  CliRun run;
  run.exit_code = 1;
  run.out = Json{{"targets", Json::array({target})}}.dump();
  return run;
}

Json Target(const std::string& status, Json findings) {
  return Json{{"path", "x.pkl"},
              {"format", "pickle"},
              {"status", status},
              {"findings", std::move(findings)}};
}

Json Finding(const std::string& rule, const std::string& severity, const std::string& evidence,
             Json members = Json::array()) {
  return Json{{"rule", rule},
              {"severity", severity},
              {"message", "m"},
              {"location", {{"path", "x.pkl"}, {"member", std::move(members)}}},
              {"evidence", evidence}};
}

const Json kMaliciousEntry = Json::parse(R"json({
  "path": "malicious/x.pkl", "expect": "findings", "format": "pickle",
  "required": [{"rule_any_of": ["PICKLE-DANGEROUS-CALL", "PICKLE-CALL-ON-RESULT"],
                "min_severity": "high", "evidence_contains": "os.system('echo pwned')",
                "member_contains": "data.pkl", "min_member_depth": 1}]})json");

TEST(ExpectationsJudge, AcceptsAMatchingFinding) {
  const Json target =
      Target("complete",
             Json::array({Finding("PICKLE-CALL-ON-RESULT", "critical", "os.system('echo pwned')",
                                  Json::array({"archive/data.pkl"}))}));
  EXPECT_TRUE(JudgeScan(kMaliciousEntry, RunWithReport(target)).empty());
}

TEST(ExpectationsJudge, RejectsEachMismatch) {
  const Json members = Json::array({"archive/data.pkl"});
  const std::map<std::string, Json> cases = {
      {"other rule", Finding("PICKLE-UNANALYSED", "high", "os.system('echo pwned')", members)},
      {"too low", Finding("PICKLE-DANGEROUS-CALL", "medium", "os.system('echo pwned')", members)},
      {"evidence", Finding("PICKLE-DANGEROUS-CALL", "high", "os.system('id')", members)},
      {"member", Finding("PICKLE-DANGEROUS-CALL", "high", "os.system('echo pwned')",
                         Json::array({"archive/other.pkl"}))},
      {"depth", Finding("PICKLE-DANGEROUS-CALL", "high", "os.system('echo pwned')")},
  };
  for (const auto& [why, finding] : cases) {
    EXPECT_FALSE(
        JudgeScan(kMaliciousEntry, RunWithReport(Target("complete", Json::array({finding}))))
            .empty())
        << why;
  }
  Json wrong_format = Target(
      "complete",
      Json::array({Finding("PICKLE-DANGEROUS-CALL", "high", "os.system('echo pwned')", members)}));
  wrong_format["format"] = "zip";
  EXPECT_FALSE(JudgeScan(kMaliciousEntry, RunWithReport(wrong_format)).empty());
}

TEST(ExpectationsJudge, CleanMeansCompleteAndBelowMedium) {
  const Json entry = Json::parse(R"({"path": "clean/x.pkl", "expect": "clean"})");
  const Json info = Finding("PICKLE-UNKNOWN-GLOBAL", "low", "");
  EXPECT_TRUE(JudgeScan(entry, RunWithReport(Target("complete", Json::array({info})))).empty());
  EXPECT_FALSE(JudgeScan(entry, RunWithReport(Target("incomplete", Json::array({info})))).empty());
  const Json medium = Finding("PICKLE-UNANALYSED", "medium", "");
  EXPECT_FALSE(JudgeScan(entry, RunWithReport(Target("complete", Json::array({medium})))).empty());
}

TEST(ExpectationsJudge, RobustMeansFastSmallAndNoCrash) {
  const Json entry = Json::parse(
      R"({"path": "malicious/b.pkl", "expect": "robust", "max_seconds": 2,
          "max_output_bytes": 1000})");
  CliRun run = RunWithReport(Target("incomplete", Json::array()));
  EXPECT_TRUE(JudgeScan(entry, run).empty());
  CliRun slow = run;
  slow.elapsed = std::chrono::seconds(3);
  EXPECT_FALSE(JudgeScan(entry, slow).empty());
  CliRun crashed = run;
  crashed.exit_code = -1;
  crashed.term_signal = 11;
  EXPECT_FALSE(JudgeScan(entry, crashed).empty());
  CliRun verbose = run;
  verbose.out += std::string(2000, ' ');
  EXPECT_FALSE(JudgeScan(entry, verbose).empty());
}

}  // namespace
}  // namespace mg::test
