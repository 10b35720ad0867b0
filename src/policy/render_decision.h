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

// One JSON line (with its newline): model path, root digest, signer, policy digest, findings
// summary, decision with reasons, time (RFC 3339, UTC).
std::string AuditRecord(const Policy& policy, const CheckResult& result,
                        std::chrono::system_clock::time_point now);

}  // namespace mg::policy
