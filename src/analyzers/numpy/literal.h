// A strict parser for the subset of Python literals an .npy header is written in: strings
// (with prefixes u/r and escapes), integers (decimal, 0x/0o/0b, underscores, a Python 2 'L'
// suffix), True/False/None, tuples, lists and dicts. numpy.lib.format reads the header with
// ast.literal_eval, so anything else (a name, a call, an operator) is not a valid header; the
// parser says whether it failed on such an expression, which is never written by numpy.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mg::numpy {

// Nesting of brackets accepted in a header (structured dtypes nest lists of tuples; NumPy's
// own dtypes stay far below this).
inline constexpr std::uint32_t kMaxLiteralDepth = 32;
// Values (strings, numbers, containers) in one header; bounds the parse tree's memory.
inline constexpr std::uint32_t kMaxLiteralNodes = 65536;

struct Literal {
  enum class Kind : std::uint8_t { kString, kInt, kBool, kNone, kTuple, kList, kDict };
  Kind kind = Kind::kNone;
  std::string text;             // kString: the decoded value, UTF-8
  bool negative = false;        // kInt: sign
  std::uint64_t magnitude = 0;  // kInt: absolute value (too_big when it does not fit)
  bool too_big = false;
  bool boolean = false;        // kBool
  std::vector<Literal> items;  // tuple/list elements; dict: key, value, key, value...
  std::uint64_t offset = 0;    // where the value starts in the header text
};

struct LiteralParse {
  bool ok = false;
  Literal value;
  std::string error;  // why it failed, when !ok
  std::uint64_t error_offset = 0;
  bool not_a_literal = false;  // failed on a name or operator: an expression, not data
  std::string expression;      // the expression's text around the failure, for evidence
  std::uint64_t end = 0;       // first byte after the value (when ok)
  bool python2_long = false;   // an integer with the 'L' suffix was accepted
  bool comment = false;        // a '#' comment was skipped
};

// Parses one literal at the start of `text` (leading spaces and tabs skipped, as
// ast.literal_eval does). `latin1` says how to decode bytes >= 0x80 inside strings (format
// versions 1.0 and 2.0); otherwise the text must already be valid UTF-8 (version 3.0).
// `allow_long_suffix` accepts 10L (numpy filters it out of version 1.0 and 2.0 headers).
LiteralParse ParseLiteral(std::string_view text, bool latin1, bool allow_long_suffix);

// True when `text` is valid UTF-8 (no overlongs, surrogates or values past U+10FFFF).
bool IsValidUtf8(std::string_view text);

}  // namespace mg::numpy
