// Rule IDs of the Hugging Face config analyzer; descriptions and examples in rules.cpp.
#pragma once

#include <span>
#include <string_view>

#include "report/rule.h"

namespace mg::huggingface {

inline constexpr std::string_view kFormatName = "huggingface-config";

namespace rule {
inline constexpr std::string_view kAutoMap = "HF-AUTO-MAP";
inline constexpr std::string_view kRemoteRepoCode = "HF-REMOTE-REPO-CODE";
inline constexpr std::string_view kCustomPipeline = "HF-CUSTOM-PIPELINE";
inline constexpr std::string_view kTrustRemoteCode = "HF-TRUST-REMOTE-CODE";
inline constexpr std::string_view kCustomClass = "HF-CUSTOM-CLASS";
inline constexpr std::string_view kChatTemplate = "HF-CHAT-TEMPLATE";
inline constexpr std::string_view kMalformed = "HF-MALFORMED-CONFIG";
inline constexpr std::string_view kDuplicateKey = "HF-DUPLICATE-KEY";
inline constexpr std::string_view kKerasLambda = "HF-KERAS-LAMBDA";
}  // namespace rule

// The Jinja analyzer gets chat templates as embedded payloads.
inline constexpr std::string_view kJinjaFormat = "jinja";

std::span<const RuleInfo> Rules();

}  // namespace mg::huggingface
