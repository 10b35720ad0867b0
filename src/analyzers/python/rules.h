// Rule IDs of the Python source and bytecode analyzer; descriptions and examples in rules.cpp.
#pragma once

#include <span>
#include <string_view>

#include "report/rule.h"

namespace mg::python {

inline constexpr std::string_view kFormatName = "python";

namespace rule {
inline constexpr std::string_view kSource = "PY-SOURCE";
inline constexpr std::string_view kBytecode = "PY-BYTECODE";
inline constexpr std::string_view kRunsCommand = "PY-RUNS-COMMAND";
inline constexpr std::string_view kRunsCode = "PY-RUNS-CODE";
inline constexpr std::string_view kNetwork = "PY-NETWORK";
inline constexpr std::string_view kDeserialize = "PY-DESERIALIZE";
inline constexpr std::string_view kNativeCode = "PY-NATIVE-CODE";
inline constexpr std::string_view kUnreadable = "PY-UNREADABLE";
inline constexpr std::string_view kMalformedBytecode = "PY-MALFORMED-BYTECODE";
}  // namespace rule

// At most this many dangerous uses are reported per file; the rest are counted.
inline constexpr std::size_t kMaxUseFindings = 64;

std::span<const RuleInfo> Rules();

}  // namespace mg::python
