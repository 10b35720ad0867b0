#include "report/report.h"

namespace mg {

std::string_view TargetStatusName(TargetStatus status) {
  switch (status) {
    case TargetStatus::kComplete: return "complete";
    case TargetStatus::kIncomplete: return "incomplete";
    case TargetStatus::kError: return "error";
  }
  return "error";
}

Summary Report::Summarize() const {
  Summary s;
  s.targets = targets.size();
  for (const auto& target : targets) {
    for (const auto& finding : target.findings) {
      ++s.findings;
      ++s.counts[static_cast<std::size_t>(finding.severity)];
      if (!s.max_severity || finding.severity > *s.max_severity) s.max_severity = finding.severity;
    }
  }
  return s;
}

}  // namespace mg
