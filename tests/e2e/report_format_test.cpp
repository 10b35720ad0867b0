// The JSON and SARIF reports as the CLI writes them: fields, summary arithmetic, and the same
// bytes whatever the number of worker threads.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "e2e/cli_runner.h"
#include "support/test_paths.h"

namespace mg::test {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

// Computed with OpenSSL directly, independently of modelgate's own hashing code.
std::string Sha256OfFile(const fs::path& path) {
  const std::string data = ReadFile(path);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    char buf[3];
    std::snprintf(buf, sizeof(buf), "%02x", digest[i]);
    hex += buf;
  }
  return hex;
}

Json ScanJson(const std::vector<std::string>& args) {
  std::vector<std::string> full = {"scan", "--format", "json"};
  full.insert(full.end(), args.begin(), args.end());
  const CliRun run = RunCli(full);
  EXPECT_TRUE(run.exit_code == 0 || run.exit_code == 1) << run.err;
  Json report = ParseJson(run.out);
  EXPECT_FALSE(report.is_discarded()) << run.out;
  return report;
}

TEST(JsonReport, DigestOnlyWithSha256Option) {
  const fs::path clean = FixturesDir() / "clean" / "readme_text.txt";
  const Json plain = ScanJson({clean.string()});
  ASSERT_EQ(plain["targets"].size(), 1u);
  EXPECT_EQ(plain["targets"][0]["size"], fs::file_size(clean));
  EXPECT_TRUE(plain["targets"][0]["sha256"].is_null());
  const Json hashed = ScanJson({"--sha256", clean.string()});
  ASSERT_EQ(hashed["targets"].size(), 1u);
  EXPECT_EQ(hashed["targets"][0]["sha256"], Sha256OfFile(clean));
}

TEST(JsonReport, TargetsCarryPathFormatSizeHashStatusFindings) {
  const fs::path clean = FixturesDir() / "clean" / "readme_text.txt";
  const fs::path malicious = FixturesDir() / "malicious" / "os_system_p2.pkl";
  const Json report = ScanJson({"--sha256", clean.string(), malicious.string()});
  EXPECT_EQ(report["schema_version"], "1.1");
  EXPECT_EQ(report["tool"]["name"], "modelgate");
  EXPECT_EQ(report["tool"]["version"], MODELGATE_VERSION);
  ASSERT_EQ(report["targets"].size(), 2u);
  const std::array<fs::path, 2> paths = {clean, malicious};
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const Json& target = report["targets"][i];
    EXPECT_EQ(target["path"], paths[i].string());
    EXPECT_EQ(target["size"], fs::file_size(paths[i]));
    EXPECT_EQ(target["sha256"], Sha256OfFile(paths[i]));
    EXPECT_TRUE(target["status"] == "complete" || target["status"] == "incomplete");
    ASSERT_TRUE(target["findings"].is_array());
    EXPECT_EQ(target["embedded_formats"], Json::array());  // neither holds a payload
    for (const Json& finding : target["findings"]) {
      EXPECT_FALSE(finding["rule"].get<std::string>().empty());
      EXPECT_GE(SeverityRank(finding["severity"]), 0) << finding.dump();
      EXPECT_FALSE(finding["message"].get<std::string>().empty());
      EXPECT_EQ(finding["location"]["path"], paths[i].string());
      EXPECT_TRUE(finding["location"]["member"].is_array());
      EXPECT_TRUE(finding["location"]["offset"].is_null() ||
                  finding["location"]["offset"].is_number_unsigned());
      EXPECT_TRUE(finding["evidence"].is_string());
    }
  }
  EXPECT_EQ(report["targets"][0]["format"], "unknown");
  EXPECT_EQ(report["targets"][1]["format"], "pickle");
  EXPECT_FALSE(report["targets"][1]["findings"].empty());
}

// The summary must add up to the targets it summarises, for a whole fixture tree.
TEST(JsonReport, SummaryCountsMatchTheFindings) {
  const Json report = ScanJson({FixturesDir().string()});
  std::map<std::string, std::uint64_t> counts;
  std::uint64_t total = 0;
  int max_rank = -1;
  for (const Json& target : report["targets"]) {
    for (const Json& finding : target["findings"]) {
      const std::string severity = finding["severity"];
      ++counts[severity];
      ++total;
      max_rank = std::max(max_rank, SeverityRank(severity));
    }
  }
  const Json& summary = report["summary"];
  EXPECT_GT(report["targets"].size(), 100u);
  EXPECT_EQ(summary["targets"], report["targets"].size());
  EXPECT_EQ(summary["findings"], total);
  for (const char* severity : {"info", "low", "medium", "high", "critical"}) {
    EXPECT_EQ(summary["counts"][severity], counts[severity]) << severity;
  }
  static constexpr std::array<const char*, 5> kNames = {"info", "low", "medium", "high",
                                                        "critical"};
  EXPECT_EQ(summary["max_severity"], max_rank < 0 ? "none" : kNames[max_rank]);
}

TEST(JsonReport, EmptyFolderGivesEmptyReport) {
  TempDir dir;
  const CliRun run = RunCli({"scan", "--format", "json", dir.path().string()});
  EXPECT_EQ(run.exit_code, 0);
  const Json report = ParseJson(run.out);
  EXPECT_TRUE(report["targets"].empty());
  EXPECT_EQ(report["summary"]["targets"], 0);
  EXPECT_EQ(report["summary"]["max_severity"], "none");
}

TEST(SarifReport, IsSarif210WithRuleTableAndLocatedResults) {
  const CliRun run = RunCli({"scan", "--format", "sarif", FixturesDir().string()});
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 1) << run.err;
  const Json sarif = ParseJson(run.out);
  ASSERT_FALSE(sarif.is_discarded());
  EXPECT_EQ(sarif["version"], "2.1.0");
  EXPECT_TRUE(sarif["$schema"].get<std::string>().find("sarif") != std::string::npos);
  ASSERT_EQ(sarif["runs"].size(), 1u);
  const Json& driver = sarif["runs"][0]["tool"]["driver"];
  EXPECT_EQ(driver["name"], "modelgate");
  EXPECT_EQ(driver["version"], MODELGATE_VERSION);
  std::vector<std::string> rule_ids;
  for (const Json& rule : driver["rules"]) rule_ids.push_back(rule["id"]);
  const std::set<std::string> unique(rule_ids.begin(), rule_ids.end());
  EXPECT_EQ(unique.size(), rule_ids.size()) << "a rule ID appears twice in the rule table";

  const Json& results = sarif["runs"][0]["results"];
  const Json json_report = ScanJson({FixturesDir().string()});
  EXPECT_EQ(results.size(), json_report["summary"]["findings"]);
  for (const Json& result : results) {
    const std::string rule = result["ruleId"];
    // Whether every reported rule is in the table is checked with the real analyzers in
    // Catalog.EveryReportedRuleIsInTheRuleTable (modelgate_expectation_tests); here: an index,
    // when given, points at the rule.
    if (result.contains("ruleIndex")) {
      EXPECT_EQ(rule_ids.at(result["ruleIndex"].get<std::size_t>()), rule);
    }
    const std::string level = result["level"];
    EXPECT_TRUE(level == "error" || level == "warning" || level == "note") << level;
    EXPECT_FALSE(result["message"]["text"].get<std::string>().empty());
    // GitHub code scanning needs a physical location with an artifact URI on every result.
    const std::string uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    EXPECT_FALSE(uri.empty());
    EXPECT_EQ(uri.find(' '), std::string::npos) << uri;
  }
}

// Work is spread over threads but the report is ordered by path: byte-identical output.
TEST(Determinism, OneJobAndFourJobsGiveIdenticalReports) {
  for (const char* format : {"json", "sarif", "text"}) {
    const CliRun one = RunCli(
        {"scan", "--format", format, "--jobs", "1", "--color", "never", FixturesDir().string()});
    const CliRun four = RunCli(
        {"scan", "--format", format, "--jobs", "4", "--color", "never", FixturesDir().string()});
    EXPECT_EQ(one.exit_code, four.exit_code) << format;
    EXPECT_FALSE(one.out.empty());
    EXPECT_TRUE(one.out == four.out) << format << " output differs between --jobs 1 and 4";
  }
}

}  // namespace
}  // namespace mg::test
