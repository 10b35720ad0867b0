#include <gtest/gtest.h>

#include <array>
#include <nlohmann/json.hpp>
#include <set>

#include "render/render.h"
#include "render_test_support.h"

namespace mg {
namespace {

using test::ExpectMatchesFile;
using test::RenderGolden;
using Json = nlohmann::json;

ToolInfo TestTool() {
  ToolInfo tool;
  tool.version = "0.0.0-test";
  return tool;
}

// A fixed table, so that goldens do not change when analyzers add rules. PICKLE-PROTOCOL is
// left out on purpose: a finding whose rule is not catalogued must still get a descriptor.
constexpr std::array kRules = {
    RuleInfo{"PICKLE-DANGEROUS-CALL", Severity::kCritical, "Dangerous call",
             "The pickle calls a function that runs code.", "os.system('id')"},
    RuleInfo{"PICKLE-UNKNOWN-GLOBAL", Severity::kMedium, "Unknown global",
             "The pickle imports something not known to be safe.", ""},
    RuleInfo{"SCAN-IO-ERROR", Severity::kMedium, "File could not be read", "Unreadable.", ""},
    RuleInfo{"SCAN-LIMIT-DEPTH", Severity::kMedium, "Too deep", "Nested too deeply.", ""},
    RuleInfo{"SCAN-SYMLINK-ESCAPE", Severity::kHigh, "Symlink escape", "Points outside.", ""},
    RuleInfo{"SCAN-UNRECOGNIZED-FORMAT", Severity::kInfo, "Unknown content", "No format.", ""},
};

SarifOptions RepoRoot() {
  SarifOptions options;
  options.source_root = "/repo";
  return options;
}

Json Render(const Report& report, const SarifOptions& options = RepoRoot()) {
  return Json::parse(RenderSarif(report, TestTool(), kRules, options));
}

TEST(RenderSarifTest, EmptyReportGolden) {
  ExpectMatchesFile(RenderGolden("sarif_empty.sarif"),
                    RenderSarif(Report{}, TestTool(), kRules, RepoRoot()));
}

TEST(RenderSarifTest, MixedReportGolden) {
  ExpectMatchesFile(RenderGolden("sarif_mixed.sarif"),
                    RenderSarif(test::MixedReport(), TestTool(), kRules, RepoRoot()));
}

TEST(RenderSarifTest, HostileReportGolden) {
  ExpectMatchesFile(RenderGolden("sarif_hostile.sarif"),
                    RenderSarif(test::HostileReport(), TestTool(), kRules, RepoRoot()));
}

TEST(RenderSarifTest, EveryResultPointsAtItsRuleWithLevelAndSecuritySeverity) {
  const Json sarif = Render(test::MixedReport());
  EXPECT_EQ(sarif["version"], "2.1.0");
  const Json& run = sarif["runs"][0];
  const Json& rules = run["tool"]["driver"]["rules"];
  ASSERT_EQ(rules.size(), kRules.size() + 1);  // + the uncatalogued PICKLE-PROTOCOL
  EXPECT_EQ(rules.back()["id"], "PICKLE-PROTOCOL");
  ASSERT_EQ(run["results"].size(), 8u);
  for (const Json& result : run["results"]) {
    const Json& rule = rules[result["ruleIndex"].get<std::size_t>()];
    EXPECT_EQ(rule["id"], result["ruleId"]);
    EXPECT_FALSE(result["message"]["text"].get<std::string>().empty());
    EXPECT_EQ(result["locations"][0]["physicalLocation"]["region"]["startLine"], 1);
  }
  const Json& critical = run["results"][1];
  EXPECT_EQ(critical["level"], "error");
  EXPECT_EQ(critical["properties"]["security-severity"], "9.5");
  EXPECT_EQ(rules[0]["properties"]["security-severity"], "9.5");
  EXPECT_EQ(rules[0]["properties"]["tags"], Json::array({"security", "pickle"}));
  EXPECT_EQ(rules[0]["name"], "PickleDangerousCall");
  EXPECT_NE(rules[0]["help"]["markdown"].get<std::string>().find("```\nos.system('id')\n```"),
            std::string::npos);
  // Info rules are facts: no security tag, no score, level note.
  const Json& info_rule = rules[5];
  EXPECT_EQ(info_rule["id"], "SCAN-UNRECOGNIZED-FORMAT");
  EXPECT_FALSE(info_rule["properties"].contains("security-severity"));
  EXPECT_EQ(info_rule["defaultConfiguration"]["level"], "note");
  EXPECT_EQ(run["results"][2]["level"], "note");
  EXPECT_EQ(run["results"][3]["level"], "error");    // high
  EXPECT_EQ(run["results"][0]["level"], "warning");  // medium
}

TEST(RenderSarifTest, MemberChainOffsetAndEvidenceAreInMessageAndProperties) {
  const Json sarif = Render(test::MixedReport());
  const Json& in_member = sarif["runs"][0]["results"][3];
  EXPECT_EQ(in_member["message"]["text"],
            "Calls builtins.exec on a string. (in archive/data.pkl) At offset 10. Evidence: "
            "builtins.exec('import os')");
  EXPECT_EQ(in_member["properties"]["member"], Json::array({"archive/data.pkl"}));
  EXPECT_EQ(in_member["properties"]["offset"], 10);
  EXPECT_TRUE(sarif["runs"][0]["results"][4]["properties"]["offset"].is_null());
}

TEST(RenderSarifTest, UrisAreRelativeToTheSourceRoot) {
  Report report;
  for (const char* path : {"models/a.pkl", "./models/b c.pkl", "/repo/deep/x.pkl",
                           "/elsewhere/y.pkl", "../outside.pkl"}) {
    Target target = test::MakeTarget(path, "pickle", 1);
    target.findings.push_back(test::MakeFinding("SCAN-IO-ERROR", Severity::kMedium, "m", path));
    report.targets.push_back(std::move(target));
  }
  const Json run = Render(report)["runs"][0];
  EXPECT_EQ(run["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file:///repo/");
  std::vector<Json> locations;
  for (const Json& result : run["results"]) {
    locations.push_back(result["locations"][0]["physicalLocation"]["artifactLocation"]);
  }
  EXPECT_EQ(locations[0], (Json{{"uri", "models/a.pkl"}, {"uriBaseId", "%SRCROOT%"}}));
  EXPECT_EQ(locations[1], (Json{{"uri", "models/b%20c.pkl"}, {"uriBaseId", "%SRCROOT%"}}));
  EXPECT_EQ(locations[2], (Json{{"uri", "deep/x.pkl"}, {"uriBaseId", "%SRCROOT%"}}));
  EXPECT_EQ(locations[3], (Json{{"uri", "file:///elsewhere/y.pkl"}}));
  EXPECT_EQ(locations[4], (Json{{"uri", "file:///outside.pkl"}}));

  // Without a source root, paths are written as given.
  const Json plain = Render(report, SarifOptions{})["runs"][0];
  EXPECT_FALSE(plain.contains("originalUriBaseIds"));
  EXPECT_EQ(plain["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"],
            (Json{{"uri", "models/b%20c.pkl"}}));
  EXPECT_EQ(plain["results"][4]["locations"][0]["physicalLocation"]["artifactLocation"],
            (Json{{"uri", "../outside.pkl"}}));
}

TEST(RenderSarifTest, FingerprintsAreStableDistinctAndIgnoreOffsets) {
  Report report;
  Target target = test::MakeTarget("m.pkl", "pickle", 1);
  for (std::uint64_t offset : {5u, 9u}) {
    target.findings.push_back(test::MakeFinding("PICKLE-DANGEROUS-CALL", Severity::kCritical,
                                                "Calls os.system.", "m.pkl", {}, offset,
                                                "os.system('id')"));
  }
  report.targets.push_back(target);
  const Json first = Render(report)["runs"][0]["results"];
  const std::string key = "modelgateFinding/v1";
  EXPECT_NE(first[0]["partialFingerprints"][key], first[1]["partialFingerprints"][key]);

  // The same findings at other offsets (a re-saved model) keep their fingerprints.
  report.targets[0].findings[0].location.offset = 100;
  report.targets[0].findings[1].location.offset = 200;
  const Json moved = Render(report)["runs"][0]["results"];
  EXPECT_EQ(first[0]["partialFingerprints"], moved[0]["partialFingerprints"]);
  EXPECT_EQ(first[1]["partialFingerprints"], moved[1]["partialFingerprints"]);
}

TEST(RenderSarifTest, LongEvidenceIsCut) {
  const Json result = Render(test::HostileReport())["runs"][0]["results"][1];
  const std::string evidence = result["properties"]["evidence"];
  EXPECT_LT(evidence.size(), 1100u);
  EXPECT_NE(evidence.find(" ... (+2013 bytes)"), std::string::npos);
}

TEST(RenderSarifTest, InformationUriOnlyWhenKnown) {
  ToolInfo tool = TestTool();
  EXPECT_FALSE(Json::parse(RenderSarif(Report{}, tool, kRules))["runs"][0]["tool"]["driver"]
                   .contains("informationUri"));
  tool.information_uri = "https://example.invalid/modelgate";
  EXPECT_EQ(Json::parse(RenderSarif(Report{}, tool, kRules))["runs"][0]["tool"]["driver"]
                ["informationUri"],
            "https://example.invalid/modelgate");
}

TEST(RenderSarifTest, ValidAgainstTheSarif210Schema) {
  const auto schema = test::SharedDir() / "fixtures" / "sarif" / "sarif-schema-2.1.0.json";
  if (!std::filesystem::exists(schema)) GTEST_SKIP() << "no SARIF schema at " << schema;
  int checked = 0;
  for (const Report& report : {Report{}, test::MixedReport(), test::HostileReport()}) {
    for (const SarifOptions& options : {RepoRoot(), SarifOptions{}}) {
      const auto check = test::ValidateAgainstSchema(
          schema, RenderSarif(report, TestTool(), kRules, options), "report.sarif");
      if (check.skipped) GTEST_SKIP() << "python3-jsonschema not available: " << check.output;
      EXPECT_TRUE(check.valid) << check.output;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 6);
}

}  // namespace
}  // namespace mg
