// Rule IDs of the ONNX analyzer; descriptions and examples are in rules.cpp.
#pragma once

#include <span>
#include <string_view>

#include "report/rule.h"

namespace mg::onnx {

inline constexpr std::string_view kFormatName = "onnx";

namespace rule {
inline constexpr std::string_view kPythonOp = "ONNX-PYTHON-OP";
inline constexpr std::string_view kCustomOp = "ONNX-CUSTOM-OP";
inline constexpr std::string_view kContribOp = "ONNX-RUNTIME-CONTRIB-OP";
inline constexpr std::string_view kExternalPath = "ONNX-EXTERNAL-DATA-PATH";
inline constexpr std::string_view kExternalSymlink = "ONNX-EXTERNAL-DATA-SYMLINK";
inline constexpr std::string_view kExternalMissing = "ONNX-EXTERNAL-DATA-MISSING";
inline constexpr std::string_view kExternalInvalid = "ONNX-EXTERNAL-DATA-INVALID";
inline constexpr std::string_view kExternalData = "ONNX-EXTERNAL-DATA";
inline constexpr std::string_view kMalformed = "ONNX-MALFORMED";
inline constexpr std::string_view kLimit = "ONNX-LIMIT";
}  // namespace rule

std::span<const RuleInfo> Rules();

}  // namespace mg::onnx
