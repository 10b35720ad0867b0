// Rule IDs of the NumPy (.npy) analyzer; descriptions and examples are in rules.cpp.
#pragma once

#include <span>
#include <string_view>

#include "report/rule.h"

namespace mg::numpy {

inline constexpr std::string_view kFormatName = "numpy";

namespace rule {
inline constexpr std::string_view kObjectArray = "NUMPY-OBJECT-ARRAY";
inline constexpr std::string_view kNonLiteralHeader = "NUMPY-NON-LITERAL-HEADER";
inline constexpr std::string_view kDuplicateKey = "NUMPY-DUPLICATE-KEY";
inline constexpr std::string_view kMalformedHeader = "NUMPY-MALFORMED-HEADER";
inline constexpr std::string_view kUnsupportedVersion = "NUMPY-UNSUPPORTED-VERSION";
inline constexpr std::string_view kUnsupportedDtype = "NUMPY-UNSUPPORTED-DTYPE";
inline constexpr std::string_view kLargeHeader = "NUMPY-LARGE-HEADER";
inline constexpr std::string_view kNoncanonicalHeader = "NUMPY-NONCANONICAL-HEADER";
inline constexpr std::string_view kTruncated = "NUMPY-TRUNCATED";
inline constexpr std::string_view kTrailingData = "NUMPY-TRAILING-DATA";
}  // namespace rule

// Member names given to ScanEmbedded for the parts of an .npy file.
inline constexpr std::string_view kObjectMember = "<object array>";
inline constexpr std::string_view kDataMember = "<array data>";
inline constexpr std::string_view kTrailingMember = "<trailing data>";

std::span<const RuleInfo> Rules();

}  // namespace mg::numpy
