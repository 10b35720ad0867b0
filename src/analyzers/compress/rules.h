// Rule IDs of the compressed-stream analyzer; descriptions and examples are in rules.cpp.
#pragma once

#include <span>
#include <string_view>

#include "report/rule.h"

namespace mg::compress {

inline constexpr std::string_view kFormatName = "compressed";

namespace rule {
inline constexpr std::string_view kTruncated = "COMPRESS-TRUNCATED";
inline constexpr std::string_view kCorrupt = "COMPRESS-CORRUPT";
inline constexpr std::string_view kChecksum = "COMPRESS-CHECKSUM-MISMATCH";
inline constexpr std::string_view kRatio = "COMPRESS-RATIO";
inline constexpr std::string_view kUnsupported = "COMPRESS-UNSUPPORTED";
inline constexpr std::string_view kTooManyStreams = "COMPRESS-TOO-MANY-STREAMS";
inline constexpr std::string_view kTrailingData = "COMPRESS-TRAILING-DATA";
inline constexpr std::string_view kMultipleStreams = "COMPRESS-MULTIPLE-STREAMS";
inline constexpr std::string_view kHeaderAnomaly = "COMPRESS-HEADER-ANOMALY";
inline constexpr std::string_view kSkippableFrame = "COMPRESS-SKIPPABLE-FRAME";
}  // namespace rule

std::span<const RuleInfo> Rules();

}  // namespace mg::compress
