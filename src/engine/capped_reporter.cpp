#include "engine/capped_reporter.h"

#include <utility>

#include "engine/scan_context.h"

namespace mg {

bool CappedReporter::Admit(std::string_view rule) { return ++counts_[rule] <= kMaxPerRule; }

void CappedReporter::Report(std::string_view rule, Severity severity, std::string message,
                            std::optional<std::uint64_t> offset, std::string evidence) {
  if (Admit(rule)) ctx_.Report(rule, severity, std::move(message), offset, std::move(evidence));
}

void CappedReporter::Incomplete(std::string_view rule, std::string message,
                                std::optional<std::uint64_t> offset, Severity severity) {
  if (Admit(rule)) ctx_.Incomplete(rule, std::move(message), offset, severity);
}

void CappedReporter::Flush() {
  for (const auto& [rule, count] : counts_) {
    if (count <= kMaxPerRule) continue;
    ctx_.Report(capped_rule_, Severity::kInfo,
                std::string(rule) + ": " + std::to_string(count - kMaxPerRule) +
                    " more occurrences in this archive were not listed.");
  }
  counts_.clear();
}

}  // namespace mg
