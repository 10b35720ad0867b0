#include "report/severity.h"

#include <array>

namespace mg {

namespace {
constexpr std::array<std::string_view, kSeverityCount> kNames = {"info", "low", "medium", "high",
                                                                 "critical"};
}  // namespace

std::string_view SeverityName(Severity severity) {
  return kNames[static_cast<std::size_t>(severity)];
}

std::optional<Severity> ParseSeverity(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<Severity>(i);
  }
  return std::nullopt;
}

}  // namespace mg
