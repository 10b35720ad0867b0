// Small text helpers shared by the parsers that decode escape sequences (pickle text opcodes,
// NumPy header literals, Jinja and Spark SQL string literals).
#pragma once

#include <cstdint>
#include <string>

namespace mg {

// The value of an ASCII hexadecimal digit, or -1.
inline int HexDigitValue(std::uint32_t c) {
  if (c >= '0' && c <= '9') return static_cast<int>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<int>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<int>(c - 'A' + 10);
  return -1;
}

// Appends the UTF-8 form of `code_point`. Surrogates are encoded like any other code point (as
// Python's "surrogatepass" does, since Python strings may hold them); a value above U+10FFFF,
// which no escape syntax can produce once its decoder has checked it, becomes U+FFFD.
void AppendUtf8(std::string& out, std::uint32_t code_point);

}  // namespace mg
