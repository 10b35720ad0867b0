// Rule IDs of the HDF5 analyzer; descriptions and examples are in rules.cpp.
#pragma once

#include <span>
#include <string_view>

#include "report/rule.h"

namespace mg::hdf5 {

inline constexpr std::string_view kFormatName = "hdf5";

namespace rule {
inline constexpr std::string_view kKerasModel = "HDF5-KERAS-MODEL";
inline constexpr std::string_view kKerasVersionAdvisory = "HDF5-KERAS-VERSION-ADVISORY";
inline constexpr std::string_view kMalformed = "HDF5-MALFORMED";
inline constexpr std::string_view kDenseAttributes = "HDF5-DENSE-ATTRIBUTES";
inline constexpr std::string_view kUnreadableAttribute = "HDF5-UNREADABLE-ATTRIBUTE";
}  // namespace rule

// Member names given to ScanEmbedded for the Keras configuration attributes.
inline constexpr std::string_view kModelConfigMember = "<model_config attribute>";
inline constexpr std::string_view kTrainingConfigMember = "<training_config attribute>";

std::span<const RuleInfo> Rules();

}  // namespace mg::hdf5
