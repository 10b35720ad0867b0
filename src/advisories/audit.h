// `modelgate audit-env`'s judgement: the installed model-loading libraries against the advisory
// list, as a Report with the same findings, severities and renderers as `scan`.
#pragma once

#include <span>

#include "advisories/advisory.h"
#include "advisories/environment.h"
#include "report/report.h"
#include "report/rule.h"

namespace mg::advisories {

// Stable rule IDs (docs/advisories.md).
inline constexpr std::string_view kRuleAdvisory = "AUDIT-ADVISORY";
inline constexpr std::string_view kRuleInspected = "AUDIT-PACKAGE-INSPECTED";
inline constexpr std::string_view kRuleVersionUnparsed = "AUDIT-VERSION-UNPARSED";
inline constexpr std::string_view kRuleMetadataUnreadable = "AUDIT-METADATA-UNREADABLE";
inline constexpr std::string_view kRuleNothingInspected = "AUDIT-NOTHING-INSPECTED";

// One target per watched package found (path: its dist-info, egg-info or jar), one per
// folder searched, and findings as documented for each rule.
Report AuditEnvironment(const AdvisoryList& advisories, const Environment& environment);

// "torch 1.13.1 is affected by CVE-2025-32434 (...)": shared with the scan-side rules.
std::string AdvisoryMessage(const Advisory& advisory, std::string_view package,
                            std::string_view version);

std::span<const RuleInfo> AuditRules();

}  // namespace mg::advisories
