// The rule catalogue: every rule ID a finding can carry, with its default severity and help.
// Core rules live in report/core_rules.cpp; each analyzer contributes its own list, and
// engine/rule_catalog.h joins them.
#pragma once

#include <span>
#include <string_view>

#include "report/severity.h"

namespace mg {

struct RuleInfo {
  std::string_view id;        // stable, UPPER-KEBAB, prefixed by its analyzer (PICKLE-...)
  Severity severity;          // default; some rules vary by case (stated in `description`)
  std::string_view title;     // short name
  std::string_view description;  // what it means and what to do, a few sentences
  std::string_view example;   // an example of evidence or message
};

// Rules that belong to the engine itself (unsupported formats, limits, I/O).
std::span<const RuleInfo> CoreRules();

}  // namespace mg
