// docs/rules.md is generated from the rule catalogue; this test fails when they drift apart.
// After adding or changing a rule: MODELGATE_UPDATE_GOLDEN=1 ctest -R RulesDoc (or
// build/modelgate rules --format markdown > docs/rules.md) and commit the result.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "engine/rule_catalog.h"
#include "render/render.h"
#include "render_test_support.h"

namespace mg {
namespace {

TEST(RulesDocTest, DocsRulesMdMatchesTheCatalogue) {
  test::ExpectMatchesFile(test::SourceDir() / "docs" / "rules.md",
                          RenderRulesMarkdown(AllRules()));
}

// PREFIX-NAME...: upper-case letters and digits in at least two dash-separated words.
bool IsUpperKebab(std::string_view id) {
  if (id.empty() || id.front() < 'A' || id.front() > 'Z' || id.back() == '-') return false;
  bool has_dash = false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    if (c == '-') {
      if (id[i - 1] == '-') return false;
      has_dash = true;
    } else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
      return false;
    }
  }
  return has_dash;
}

TEST(RulesDocTest, UpperKebabCheck) {
  EXPECT_TRUE(IsUpperKebab("SCAN-IO-ERROR"));
  EXPECT_TRUE(IsUpperKebab("ZIP-CRC32-MISMATCH"));
  for (const char* bad : {"", "SCAN", "scan-io", "SCAN--IO", "SCAN-", "-SCAN", "SCAN_IO"}) {
    EXPECT_FALSE(IsUpperKebab(bad)) << bad;
  }
}

TEST(RulesDocTest, EveryRuleIsDocumentedAndUniquelyNamed) {
  std::set<std::string_view> seen;
  for (const RuleInfo& rule : AllRules()) {
    EXPECT_TRUE(IsUpperKebab(rule.id)) << rule.id;
    EXPECT_TRUE(seen.insert(rule.id).second) << "duplicate rule ID " << rule.id;
    EXPECT_FALSE(rule.title.empty()) << rule.id;
    EXPECT_FALSE(rule.description.empty()) << rule.id;
    const RuleInfo* found = FindRule(rule.id);
    ASSERT_NE(found, nullptr) << rule.id;
    EXPECT_EQ(found->severity, rule.severity) << rule.id;
  }
}

TEST(RulesDocTest, MarkdownEscapesTableCellsAndLinksEachRule) {
  const std::array rules = {
      RuleInfo{"X-ONE", Severity::kHigh, "a | b", "Line one.\nLine two.", "x = 1"},
      RuleInfo{"X-TWO", Severity::kInfo, "plain", "Described.", ""},
  };
  const std::string markdown = RenderRulesMarkdown(rules);
  EXPECT_NE(markdown.find("| [`X-ONE`](#x-one) | high | a \\| b |\n"), std::string::npos)
      << markdown;
  EXPECT_NE(markdown.find("\n## X-ONE\n\n**a | b**. Default severity: **high**.\n\n"
                          "Line one.\nLine two.\n\nExample:\n\n```text\nx = 1\n```\n"),
            std::string::npos)
      << markdown;
  EXPECT_NE(markdown.find("\n## X-TWO\n\n**plain**. Default severity: **info**.\n\nDescribed.\n"),
            std::string::npos);
  EXPECT_EQ(markdown.find("Example:\n\n```text\n\n"), std::string::npos);
}

TEST(RulesDocTest, JsonListsEveryField) {
  const std::array rules = {RuleInfo{"X-ONE", Severity::kLow, "t", "d", "e"}};
  EXPECT_EQ(nlohmann::json::parse(RenderRulesJson(rules)),
            nlohmann::json::parse(R"([{"id": "X-ONE", "severity": "low", "title": "t",
                                      "description": "d", "example": "e"}])"));
}

}  // namespace
}  // namespace mg
