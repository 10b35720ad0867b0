// A reporter for container analyzers: at most kMaxPerRule findings per rule and container,
// the rest counted and summarised by Flush() under the analyzer's own "findings capped" rule,
// so that a hostile archive with a million bad names still yields a readable report.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "report/severity.h"

namespace mg {

class ScanContext;

class CappedReporter {
 public:
  static constexpr std::uint64_t kMaxPerRule = 20;

  // `capped_rule` is the rule ID Flush() reports the counts under (e.g. ZIP-FINDINGS-CAPPED).
  CappedReporter(ScanContext& ctx, std::string_view capped_rule)
      : ctx_(ctx), capped_rule_(capped_rule) {}

  void Report(std::string_view rule, Severity severity, std::string message,
              std::optional<std::uint64_t> offset, std::string evidence = {});
  // Fail closed: the first occurrence is always admitted, so it marks the target incomplete.
  void Incomplete(std::string_view rule, std::string message, std::optional<std::uint64_t> offset,
                  Severity severity = Severity::kMedium);
  // Reports how many findings of each rule were left out, and starts counting afresh.
  void Flush();

  ScanContext& ctx() { return ctx_; }

 private:
  bool Admit(std::string_view rule);

  ScanContext& ctx_;
  std::string_view capped_rule_;
  std::map<std::string_view, std::uint64_t> counts_;
};

}  // namespace mg
