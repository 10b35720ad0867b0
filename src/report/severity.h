// Severities, lowest first. Defined for users in docs/severities.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace mg {

enum class Severity : std::uint8_t { kInfo = 0, kLow, kMedium, kHigh, kCritical };

inline constexpr int kSeverityCount = 5;

std::string_view SeverityName(Severity severity);
std::optional<Severity> ParseSeverity(std::string_view name);

}  // namespace mg
