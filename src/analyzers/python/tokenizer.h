// A small Python tokenizer: enough of the language's lexical rules (Python reference, 2.
// "Lexical analysis") to tell code from comments and string literals, so that the call finder
// never matches text inside them. It is not a parser: it only yields names, operators, strings,
// numbers and logical line ends, each with its 1-based line and byte offset.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mg::python {

enum class TokenKind : std::uint8_t { kName, kOperator, kString, kNumber, kNewline };

struct Token {
  TokenKind kind;
  std::string_view text;  // a view into the source (for strings: the whole literal)
  std::uint32_t line;     // 1-based
  std::uint64_t offset;   // byte offset in the source
};

// Documented limits of the tokenizer (docs/python.md, "Limits").
inline constexpr std::uint64_t kMaxSourceBytes = 8ULL << 20;  // larger files: not tokenized
inline constexpr std::uint64_t kMaxTokens = 1'000'000;        // ~40 MB of tokens at most
inline constexpr std::uint32_t kMaxFStringDepth = 8;          // f-strings within f-strings

struct Tokenized {
  std::vector<Token> tokens;
  bool complete = true;  // false: stopped early (see `error`); tokens so far are kept
  std::string error;     // why it stopped
  std::uint32_t error_line = 0;
  std::uint64_t error_offset = 0;
};

// Tokenizes `source`. The replacement fields of f-strings ({expr}) are tokenized as code, so
// a call hidden in an f-string is seen; the literal text around them is not.
Tokenized Tokenize(std::string_view source);

}  // namespace mg::python
