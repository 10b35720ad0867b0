// Rule IDs of the GGUF analyzer; descriptions and examples are in rules.cpp.
#pragma once

#include <span>
#include <string_view>

#include "report/rule.h"

namespace mg::gguf {

inline constexpr std::string_view kFormatName = "gguf";

namespace rule {
inline constexpr std::string_view kTemplateCodeExecution = "GGUF-TEMPLATE-CODE-EXECUTION";
inline constexpr std::string_view kTemplateSuspicious = "GGUF-TEMPLATE-SUSPICIOUS";
inline constexpr std::string_view kTemplateUnparsable = "GGUF-TEMPLATE-UNPARSABLE";
inline constexpr std::string_view kTemplateTooLarge = "GGUF-TEMPLATE-TOO-LARGE";
inline constexpr std::string_view kMalformed = "GGUF-MALFORMED";
inline constexpr std::string_view kTruncated = "GGUF-TRUNCATED";
inline constexpr std::string_view kLimitExceeded = "GGUF-LIMIT-EXCEEDED";
inline constexpr std::string_view kUnsupportedVersion = "GGUF-UNSUPPORTED-VERSION";
inline constexpr std::string_view kBigEndian = "GGUF-BIG-ENDIAN";
inline constexpr std::string_view kDuplicateKey = "GGUF-DUPLICATE-KEY";
inline constexpr std::string_view kBadAlignment = "GGUF-BAD-ALIGNMENT";
inline constexpr std::string_view kTensorInvalid = "GGUF-TENSOR-INVALID";
inline constexpr std::string_view kTensorOutOfBounds = "GGUF-TENSOR-OUT-OF-BOUNDS";
inline constexpr std::string_view kUnknownTensorType = "GGUF-UNKNOWN-TENSOR-TYPE";
inline constexpr std::string_view kTrailingData = "GGUF-TRAILING-DATA";
inline constexpr std::string_view kFindingsCapped = "GGUF-FINDINGS-CAPPED";
}  // namespace rule

// Member name given to ScanEmbedded for bytes after the tensor data.
inline constexpr std::string_view kTrailingMember = "<trailing data>";

std::span<const RuleInfo> Rules();

}  // namespace mg::gguf
