// docs/rules.md is generated from the rule catalogue; this test fails when they drift apart.
// After adding or changing a rule: MODELGATE_UPDATE_GOLDEN=1 ctest -R RulesDoc (or
// build/modelgate rules --format markdown > docs/rules.md) and commit the result.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
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

TEST(RulesDocTest, EveryRuleIsDocumentedAndUniquelyNamed) {
  const std::regex upper_kebab("[A-Z][A-Z0-9]*(-[A-Z0-9]+)+");
  std::set<std::string_view> seen;
  for (const RuleInfo& rule : AllRules()) {
    EXPECT_TRUE(std::regex_match(std::string(rule.id), upper_kebab)) << rule.id;
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
