// The pickle rules and a sink that de-duplicates findings within one pickle: a million calls
// of the same class give one finding with a count, so reports stay bounded.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "report/rule.h"
#include "report/severity.h"

namespace mg {
class ScanContext;
}

namespace mg::pickle {

namespace rule {
inline constexpr std::string_view kDangerousCall = "PICKLE-DANGEROUS-CALL";
inline constexpr std::string_view kDangerousGlobal = "PICKLE-DANGEROUS-GLOBAL";
inline constexpr std::string_view kUnknownCall = "PICKLE-UNKNOWN-CALL";
inline constexpr std::string_view kUnknownGlobal = "PICKLE-UNKNOWN-GLOBAL";
inline constexpr std::string_view kPolicyDeniedGlobal = "PICKLE-POLICY-DENIED-GLOBAL";
inline constexpr std::string_view kDynamicGlobal = "PICKLE-DYNAMIC-GLOBAL";
inline constexpr std::string_view kCallOnResult = "PICKLE-CALL-ON-RESULT";
inline constexpr std::string_view kGlobalMutation = "PICKLE-GLOBAL-MUTATION";
inline constexpr std::string_view kExtUnresolved = "PICKLE-EXT-UNRESOLVED";
inline constexpr std::string_view kNestedPickle = "PICKLE-NESTED-PICKLE";
inline constexpr std::string_view kNestedUndecoded = "PICKLE-NESTED-UNDECODED";
inline constexpr std::string_view kMalformed = "PICKLE-MALFORMED";
inline constexpr std::string_view kLimit = "PICKLE-LIMIT";
inline constexpr std::string_view kFrameMismatch = "PICKLE-FRAME-MISMATCH";
inline constexpr std::string_view kProtocolAnomaly = "PICKLE-PROTOCOL-ANOMALY";
inline constexpr std::string_view kTrailingData = "PICKLE-TRAILING-DATA";
inline constexpr std::string_view kPersistentId = "PICKLE-PERSISTENT-ID";
inline constexpr std::string_view kJoblibArray = "PICKLE-JOBLIB-ARRAY";
}  // namespace rule

std::span<const RuleInfo> PickleRules();

struct PendingFinding {
  std::string rule;
  Severity severity = Severity::kInfo;
  std::string message;
  std::string evidence;
  std::uint64_t offset = 0;
  std::uint64_t count = 0;
  bool incomplete = false;  // reported through ScanContext::Incomplete
  bool count_in_message = true;
};

class FindingSink {
 public:
  // The finding for (rule, key), counted once more. `created` tells the caller to fill in
  // severity, message and evidence (done once, so evidence is rendered once). Returns nullptr
  // when the per-pickle cap is reached (the occurrence is still counted per rule).
  PendingFinding* Touch(std::string_view rule, std::string_view key, Severity severity,
                        std::uint64_t offset, bool& created);
  // Convenience for findings without evidence.
  void Add(std::string_view rule, std::string_view key, Severity severity, std::string message,
           std::uint64_t offset, bool incomplete = false, std::string evidence = {});
  bool Has(std::string_view rule) const;
  std::size_t size() const { return entries_.size(); }
  const std::vector<PendingFinding>& entries() const { return entries_; }

  // Reports everything in order of first offset and empties the sink.
  void Flush(ScanContext& ctx);
  void Clear();

 private:
  std::vector<PendingFinding> entries_;
  std::unordered_map<std::string, std::size_t> index_;
  struct Overflow {
    std::uint64_t count = 0;
    Severity severity = Severity::kMedium;
  };
  std::map<std::string, Overflow, std::less<>> overflow_;  // rule -> dropped occurrences
};

}  // namespace mg::pickle
