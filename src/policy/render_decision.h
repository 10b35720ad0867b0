// Rendering `modelgate check` results: text for people, JSON for machines, SARIF (the scan
// report plus one decision result per model), a markdown risk assessment for reviewers, and
// the JSON-lines audit record.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "policy/decide.h"
#include "policy/policy.h"

namespace mg::policy {

struct CheckResult {
  Evidence evidence;
  Decision decision;
};

std::string RenderCheckText(const Policy& policy, const std::vector<CheckResult>& results);
std::string RenderCheckJson(const Policy& policy, const std::vector<CheckResult>& results);
std::string RenderCheckSarif(const Policy& policy, const std::vector<CheckResult>& results);
std::string RenderCheckMarkdown(const Policy& policy, const std::vector<CheckResult>& results,
                                std::chrono::system_clock::time_point now);

// "2026-11-28T04:28:45Z": the time stamps of every check report and audit record.
std::string Rfc3339(std::chrono::system_clock::time_point when);
// Whether every model was allowed (the overall decision).
bool AllAllowed(const std::vector<CheckResult>& results);

// One JSON line (with its newline): model path, root digest, signer, policy digest, findings
// summary, decision with reasons, time (RFC 3339, UTC).
std::string AuditRecord(const Policy& policy, const CheckResult& result,
                        std::chrono::system_clock::time_point now);

}  // namespace mg::policy
