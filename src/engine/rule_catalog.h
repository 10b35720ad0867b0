// Every rule ID this build can report, for SARIF's rule table and docs/rules.md.
#pragma once

#include <string_view>
#include <vector>

#include "report/rule.h"

namespace mg {

// Core rules, then each registered analyzer's, sorted by ID.
std::vector<RuleInfo> AllRules();

// The rule with this ID, or nullptr.
const RuleInfo* FindRule(std::string_view id);

}  // namespace mg
