// The rule catalogue: the engine's own rules joined with every registered analyzer's.
#include "engine/rule_catalog.h"

#include <algorithm>

#include "advisories/audit.h"
#include "engine/analyzer.h"

namespace mg {

std::vector<RuleInfo> AllRules() {
  const auto core = CoreRules();
  std::vector<RuleInfo> all(core.begin(), core.end());
  const auto audit = advisories::AuditRules();  // `audit-env`
  all.insert(all.end(), audit.begin(), audit.end());
  for (const Analyzer* analyzer : RegisteredAnalyzers()) {
    const auto rules = analyzer->Rules();
    all.insert(all.end(), rules.begin(), rules.end());
  }
  std::sort(all.begin(), all.end(),
            [](const RuleInfo& a, const RuleInfo& b) { return a.id < b.id; });
  return all;
}

const RuleInfo* FindRule(std::string_view id) {
  static const std::vector<RuleInfo> kAll = AllRules();
  for (const auto& rule : kAll) {
    if (rule.id == id) return &rule;
  }
  return nullptr;
}

}  // namespace mg
