#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "render/render.h"
#include "render_test_support.h"

namespace mg {
namespace {

using test::ExpectMatchesFile;
using test::RenderGolden;

ToolInfo TestTool() {
  ToolInfo tool;
  tool.version = "0.0.0-test";
  return tool;
}

std::filesystem::path ReportSchema() { return test::SourceDir() / "docs" / "report-schema.json"; }

TEST(RenderJsonTest, EmptyReportGolden) {
  ExpectMatchesFile(RenderGolden("json_empty.json"), RenderJson(Report{}, TestTool()));
}

TEST(RenderJsonTest, MixedReportGolden) {
  ExpectMatchesFile(RenderGolden("json_mixed.json"), RenderJson(test::MixedReport(), TestTool()));
}

TEST(RenderJsonTest, HostileReportGoldenIsAsciiOnly) {
  const std::string json = RenderJson(test::HostileReport(), TestTool());
  ExpectMatchesFile(RenderGolden("json_hostile.json"), json);
  for (const char c : json) {
    const auto byte = static_cast<unsigned char>(c);
    EXPECT_TRUE(byte < 0x80 && (byte >= 0x20 || byte == '\n')) << "byte " << int(byte);
  }
  // Valid UTF-8 survives the \u escaping; the invalid bytes became U+FFFD.
  const auto parsed = nlohmann::json::parse(json);
  const auto& members = parsed["targets"][0]["findings"][0]["location"]["member"];
  EXPECT_EQ(members[1], "caf\xc3\xa9 \xe2\x80\xae" "gnp.pkl");
  EXPECT_NE(parsed["targets"][0]["findings"][0]["evidence"].get<std::string>().find(
                "\xef\xbf\xbd"),
            std::string::npos);
  // JSON keeps the whole evidence: only the text report cuts it.
  EXPECT_EQ(parsed["targets"][0]["findings"][1]["evidence"].get<std::string>().size(), 3013u);
}

TEST(RenderJsonTest, ShapeOfTargetsFindingsAndSummary) {
  const auto json = nlohmann::json::parse(RenderJson(test::MixedReport(), TestTool()));
  EXPECT_EQ(json["schema_version"], "1.1");
  EXPECT_EQ(json["tool"]["name"], "modelgate");
  ASSERT_EQ(json["targets"].size(), 6u);
  const auto& evil = json["targets"][0];
  EXPECT_EQ(evil["size"], 1234);
  EXPECT_EQ(evil["status"], "complete");
  // Findings keep analyzer order in JSON (sorting is the text renderer's business).
  EXPECT_EQ(evil["findings"][0]["severity"], "medium");
  EXPECT_EQ(evil["findings"][0]["location"]["offset"], 2);
  const auto& depth = json["targets"][1]["findings"][1];
  EXPECT_TRUE(depth["location"]["offset"].is_null());
  EXPECT_EQ(depth["location"]["member"], nlohmann::json::array({"a.zip", "b.zip"}));
  EXPECT_EQ(json["targets"][1]["status"], "incomplete");
  // Unread targets have no size or digest.
  EXPECT_EQ(json["targets"][4]["status"], "error");
  EXPECT_TRUE(json["targets"][4]["size"].is_null());
  EXPECT_TRUE(json["targets"][5]["sha256"].is_null());

  const auto& summary = json["summary"];
  EXPECT_EQ(summary["targets"], 6);
  EXPECT_EQ(summary["findings"], 8);
  EXPECT_EQ(summary["counts"], (nlohmann::json{{"info", 2}, {"low", 0}, {"medium", 3},
                                               {"high", 2}, {"critical", 1}}));
  EXPECT_EQ(summary["max_severity"], "critical");
  EXPECT_EQ(summary["statuses"],
            (nlohmann::json{{"complete", 4}, {"incomplete", 1}, {"error", 1}}));
}

TEST(RenderJsonTest, EmptyReportSummaryIsNone) {
  const auto json = nlohmann::json::parse(RenderJson(Report{}, TestTool()));
  EXPECT_EQ(json["summary"]["max_severity"], "none");
  EXPECT_TRUE(json["targets"].empty());
}

Report WithConfinement(bool landlock, std::string detail) {
  Report report = test::MixedReport();
  Confinement confinement;
  confinement.landlock = landlock;
  confinement.landlock_abi = landlock ? 7 : 0;
  confinement.seccomp = true;
  confinement.detail = std::move(detail);
  report.confinement = confinement;
  return report;
}

TEST(RenderJsonTest, ConfinementIsWrittenOnlyWhenSet) {
  EXPECT_FALSE(nlohmann::json::parse(RenderJson(Report{}, TestTool())).contains("confinement"));
  const auto json = nlohmann::json::parse(RenderJson(WithConfinement(true, ""), TestTool()));
  EXPECT_EQ(json["confinement"],
            nlohmann::json::parse(R"({"requested": true, "landlock": true, "landlock_abi": 7,
                                      "seccomp": true, "detail": null})"));
  const auto partial = nlohmann::json::parse(
      RenderJson(WithConfinement(false, "the kernel offers no Landlock"), TestTool()));
  EXPECT_EQ(partial["confinement"]["detail"], "the kernel offers no Landlock");
  EXPECT_EQ(partial["confinement"]["landlock"], false);
}

TEST(RenderJsonTest, ValidAgainstTheDocumentedSchema) {
  int checked = 0;
  for (const Report& report : {Report{}, test::MixedReport(), test::HostileReport(),
                               WithConfinement(true, ""), WithConfinement(false, "x")}) {
    const auto check = test::ValidateAgainstSchema(ReportSchema(), RenderJson(report, TestTool()),
                                                   "report.json");
    if (check.skipped) GTEST_SKIP() << "python3-jsonschema not available: " << check.output;
    EXPECT_TRUE(check.valid) << check.output;
    ++checked;
  }
  EXPECT_EQ(checked, 5);
}

}  // namespace
}  // namespace mg
