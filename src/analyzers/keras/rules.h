// Rule IDs of the Keras configuration analyzer; descriptions and examples are in rules.cpp.
#pragma once

#include <span>
#include <string_view>

#include "report/rule.h"

namespace mg::keras {

inline constexpr std::string_view kFormatName = "keras";

namespace rule {
inline constexpr std::string_view kLambdaCode = "KERAS-LAMBDA-CODE";
inline constexpr std::string_view kDangerousReference = "KERAS-DANGEROUS-REFERENCE";
inline constexpr std::string_view kKerasGadget = "KERAS-UNSAFE-KERAS-FUNCTION";
inline constexpr std::string_view kExternalModule = "KERAS-EXTERNAL-MODULE";
inline constexpr std::string_view kCustomObject = "KERAS-CUSTOM-OBJECT";
inline constexpr std::string_view kEcosystemModule = "KERAS-ECOSYSTEM-MODULE";
inline constexpr std::string_view kPolicyDeniedModule = "KERAS-POLICY-DENIED-MODULE";
inline constexpr std::string_view kNamedFunction = "KERAS-NAMED-FUNCTION";
inline constexpr std::string_view kExternalSavedModel = "KERAS-EXTERNAL-SAVEDMODEL";
inline constexpr std::string_view kTorchModule = "KERAS-TORCH-MODULE";
inline constexpr std::string_view kDangerousString = "KERAS-DANGEROUS-STRING";
inline constexpr std::string_view kDuplicateKey = "KERAS-DUPLICATE-KEY";
inline constexpr std::string_view kMalformed = "KERAS-MALFORMED";
inline constexpr std::string_view kVersion = "KERAS-VERSION";
inline constexpr std::string_view kVersionAdvisory = "KERAS-VERSION-ADVISORY";
inline constexpr std::string_view kFindingsCapped = "KERAS-FINDINGS-CAPPED";
}  // namespace rule

// Member name given to ScanEmbedded for a TorchModuleWrapper's decoded module.
inline constexpr std::string_view kTorchModuleMember = "<TorchModuleWrapper module>";

std::span<const RuleInfo> Rules();

}  // namespace mg::keras
