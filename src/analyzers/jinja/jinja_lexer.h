// A small Jinja2 lexer, enough to judge chat templates: it splits a template into data, tags
// ({% %} statements, {{ }} expressions; {# #} comments dropped) and, inside tags, names,
// string literals (escapes decoded as Jinja decodes them), numbers and operators. It follows
// jinja2/lexer.py in the details an attacker could use to hide code from a simpler reader:
// whitespace control ('-' and '+' next to the delimiters), {% raw %} blocks, and balanced
// brackets, inside which '}}' and '%}' do not end a tag. It never evaluates anything.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mg::jinja {

enum class TokenKind : std::uint8_t {
  kName,      // identifier (also keywords: if, for, set, in, not, ...)
  kString,    // string literal; `text` holds the decoded value
  kNumber,    // integer or float literal, as written
  kOperator,  // one of + - * / // % ** ~ | . , : ; ( ) [ ] { } = == != < > <= >=
};

struct Token {
  TokenKind kind = TokenKind::kName;
  std::string text;          // decoded value for strings, the source text otherwise
  std::uint64_t offset = 0;  // offset of the token in the template
  bool undecodable = false;  // a string escape this lexer does not decode (\N{...})
};

enum class TagKind : std::uint8_t { kStatement, kExpression };

struct Tag {
  TagKind kind = TagKind::kExpression;
  std::uint64_t begin = 0;  // offset of '{%' or '{{'
  std::uint64_t end = 0;    // offset just past '%}' or '}}' (or the end of input on error)
  std::vector<Token> tokens;
};

// Bounds on what one template may cost to lex (a chat template is a few KB).
struct LexLimits {
  std::uint64_t max_tokens = 200000;
  std::uint32_t max_bracket_depth = 64;
};

struct LexResult {
  std::vector<Tag> tags;  // every tag lexed, in order, including the one that failed
  bool ok = true;
  std::string error;  // why lexing stopped, for people
  std::uint64_t error_offset = 0;
};

LexResult Lex(std::string_view source, const LexLimits& limits = {});

// True when `text` contains a Jinja tag opener ('{{' or '{%'): worth lexing as a template.
bool LooksLikeJinja(std::string_view text);

}  // namespace mg::jinja
