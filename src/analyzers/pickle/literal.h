// Decoding of the literal a kLiteral value points to (the opcode at its offset), and of the
// text encodings pickle uses: protocol 0 STRING is a Python repr decoded with escape_decode,
// UNICODE is raw-unicode-escape, the binary opcodes carry UTF-8 or raw bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/byte_view.h"

namespace mg::pickle {

enum class LiteralType : std::uint8_t {
  kStr,   // str in Python 3
  kStr8,  // BINSTRING/SHORT_BINSTRING/STRING: str under the default encoding, or bytes
  kBytes,
  kByteArray,
  kBigInt,  // an int that did not fit inline
  kFloat,
};

enum class TextEncoding : std::uint8_t {
  kRaw,               // the bytes as they are (UTF-8 for str, raw for bytes)
  kRawUnicodeEscape,  // UNICODE: \uXXXX and \UXXXXXXXX escapes, other bytes are code points
  kPythonEscaped,     // STRING: the content of a quoted repr, with backslash escapes
  kDecimal,           // INT/LONG/FLOAT text
  kLittleEndian,      // LONG1/LONG4 two's complement bytes
  kBigEndianDouble,   // BINFLOAT
};

struct Literal {
  LiteralType type = LiteralType::kStr;
  TextEncoding encoding = TextEncoding::kRaw;
  ByteView raw;  // the argument bytes inside the input (quotes of STRING removed)
};

// The literal pushed by the opcode at `offset` in `data` (the VM only makes kLiteral values
// for opcodes it has already decoded, so this cannot fail for them).
std::optional<Literal> ReadLiteral(ByteView data, std::uint64_t offset);

// The content of `lit` as bytes: UTF-8 for str, raw bytes for bytes; at most `max_bytes`
// produced (sets *truncated when more would follow). nullopt when an escape is invalid.
std::optional<std::string> DecodeLiteral(const Literal& lit, std::uint64_t max_bytes,
                                         bool* truncated = nullptr);

// Python's escape_decode on `raw` (the STRING opcode's content).
std::optional<std::string> PythonEscapeDecode(ByteView raw, std::uint64_t max_bytes,
                                              bool* truncated);

// Length of the valid UTF-8 sequence at `p` (at most `n` bytes available), 0 when invalid
// (overlong forms, surrogates and code points above U+10FFFF are invalid, as in Python).
std::size_t Utf8SequenceLength(const unsigned char* p, std::size_t n);
bool IsValidUtf8(std::string_view text);


// Parses a protocol 0 INT/LONG line ("123", "-5", "123L", "01"); nullopt when it does not
// fit in 64 bits or is not a number.
std::optional<std::int64_t> ParseDecimalInt(ByteView text);

}  // namespace mg::pickle
