// Rule IDs of the safetensors analyzer; descriptions and examples are in rules.cpp.
#pragma once

#include <span>
#include <string_view>

#include "report/rule.h"

namespace mg::safetensors {

inline constexpr std::string_view kFormatName = "safetensors";

namespace rule {
inline constexpr std::string_view kTruncated = "SAFETENSORS-TRUNCATED";
inline constexpr std::string_view kHeaderTooLarge = "SAFETENSORS-HEADER-TOO-LARGE";
inline constexpr std::string_view kInvalidJson = "SAFETENSORS-INVALID-JSON";
inline constexpr std::string_view kMalformedHeader = "SAFETENSORS-MALFORMED-HEADER";
inline constexpr std::string_view kDuplicateKey = "SAFETENSORS-DUPLICATE-KEY";
inline constexpr std::string_view kUnknownDtype = "SAFETENSORS-UNKNOWN-DTYPE";
inline constexpr std::string_view kSizeMismatch = "SAFETENSORS-SIZE-MISMATCH";
inline constexpr std::string_view kOffsetOutOfBounds = "SAFETENSORS-OFFSET-OUT-OF-BOUNDS";
inline constexpr std::string_view kOffsetLayout = "SAFETENSORS-OFFSET-LAYOUT";
inline constexpr std::string_view kTrailingData = "SAFETENSORS-TRAILING-DATA";
inline constexpr std::string_view kBadMetadata = "SAFETENSORS-BAD-METADATA";
inline constexpr std::string_view kUnexpectedField = "SAFETENSORS-UNEXPECTED-FIELD";
inline constexpr std::string_view kNoncanonicalHeader = "SAFETENSORS-NONCANONICAL-HEADER";
inline constexpr std::string_view kLargeMetadata = "SAFETENSORS-LARGE-METADATA";
inline constexpr std::string_view kFindingsCapped = "SAFETENSORS-FINDINGS-CAPPED";
}  // namespace rule

// Member names given to ScanEmbedded for bytes no tensor accounts for.
inline constexpr std::string_view kTrailingMember = "<trailing data>";
inline constexpr std::string_view kUnreferencedMember = "<unreferenced bytes>";
inline constexpr std::string_view kDataMember = "<data after an unreadable header>";

std::span<const RuleInfo> Rules();

}  // namespace mg::safetensors
