// A bounded reader of Python's marshal format, only as far as Keras Lambda layers need it: the
// bytecode of a lambda, stored as base64 of marshal.dumps(function.__code__). Nothing is
// executed or evaluated; the reader builds a small tree of the marshalled objects and pulls out
// what a reviewer needs to judge the code: the names it uses (co_names) and its constants.
// Format facts come from CPython's Python/marshal.c (type codes, FLAG_REF, the code object's
// field order per version).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/byte_view.h"

namespace mg::keras {

// Limits of the marshal reader; a lambda's code is a few hundred bytes.
inline constexpr std::uint64_t kMaxMarshalBytes = 1 << 20;  // larger input is not decoded
inline constexpr std::uint32_t kMaxMarshalObjects = 100'000;
inline constexpr std::uint32_t kMaxMarshalDepth = 64;
inline constexpr std::size_t kMaxReportedItems = 48;  // names or constants in the evidence

struct CodeSummary {
  bool ok = false;
  std::string layout;                  // which Python versions' code object layout matched
  std::vector<std::string> names;      // co_names of the code and nested code, deduplicated
  std::vector<std::string> constants;  // str, bytes and number constants, as Python reprs
  std::string error;                   // why it could not be decoded (when !ok)
};

// Decodes `bytes` as one marshalled code object, trying the code object layouts of Python
// 3.7, 3.8-3.10 and 3.11-3.13 in turn; a layout is accepted only if every field has the type
// that layout requires and the object ends exactly at the end of `bytes`.
CodeSummary ReadMarshalledCode(ByteView bytes);

// "names: __import__, system; constants: 'os', 'curl attacker.invalid'" (bounded length).
std::string DescribeCode(const CodeSummary& code);

}  // namespace mg::keras
