#include "analyzers/jinja/jinja_lexer.h"

#include <array>
#include <cstddef>

#include "core/text.h"

namespace mg::jinja {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
// jinja2 names are Python identifiers; non-ASCII bytes are taken as name characters.
bool IsNameStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IsNameChar(char c) { return IsNameStart(c) || IsDigit(c); }

// Decodes the body of a string literal as jinja2.lexer does (Python's "unicode-escape" codec):
// \\ \' \" \a \b \f \n \r \t \v, \ooo octal, \xhh, \uhhhh, \Uhhhhhhhh; \N{name} is kept as
// written and flagged. An unknown escape keeps its backslash, as Python does.
Token DecodeString(std::string_view body, std::uint64_t offset) {
  Token token{TokenKind::kString, {}, offset, false};
  std::string& out = token.text;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '\\' || i + 1 == body.size()) {
      out += body[i];
      continue;
    }
    const char e = body[++i];
    auto hex = [&](std::size_t digits) {
      std::uint32_t code = 0;
      for (std::size_t k = 1; k <= digits; ++k) {
        if (i + k >= body.size()) return false;
        const int v = HexDigitValue(body[i + k]);
        if (v < 0) return false;
        code = code * 16 + static_cast<std::uint32_t>(v);
      }
      if (code > 0x10FFFF) return false;
      AppendUtf8(out, code);
      i += digits;
      return true;
    };
    switch (e) {
      case '\\':
        out += '\\';
        break;
      case '\'':
        out += '\'';
        break;
      case '"':
        out += '"';
        break;
      case 'a':
        out += '\a';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case '\n':
        break;  // a backslash-newline continues the line
      case 'x':
        if (!hex(2)) token.undecodable = true;
        break;
      case 'u':
        if (!hex(4)) token.undecodable = true;
        break;
      case 'U':
        if (!hex(8)) token.undecodable = true;
        break;
      case 'N':
        token.undecodable = true;
        out += "\\N";
        break;
      default:
        if (e >= '0' && e <= '7') {
          std::uint32_t code = static_cast<std::uint32_t>(e - '0');
          for (int k = 0; k < 2 && i + 1 < body.size() && body[i + 1] >= '0' && body[i + 1] <= '7';
               ++k) {
            code = code * 8 + static_cast<std::uint32_t>(body[++i] - '0');
          }
          AppendUtf8(out, code);
        } else {
          out += '\\';
          out += e;
        }
    }
  }
  return token;
}

constexpr std::array<std::string_view, 6> kTwoCharOperators = {"//", "**", "==", "!=", ">=", "<="};
constexpr std::string_view kOneCharOperators = "+-/*%~|.,:;()[]{}=<>";

class Lexer {
 public:
  Lexer(std::string_view source, const LexLimits& limits) : src_(source), limits_(limits) {}

  LexResult Run() {
    while (result_.ok && pos_ < src_.size()) {
      const std::size_t open = FindOpener(pos_);
      if (open == std::string_view::npos) break;
      const char kind = src_[open + 1];
      pos_ = open + 2;
      if (kind == '#') {
        SkipComment(open);
      } else if (kind == '%' && TryRaw(open)) {
        continue;
      } else {
        LexTag(open, kind == '%' ? TagKind::kStatement : TagKind::kExpression);
      }
    }
    return std::move(result_);
  }

 private:
  std::size_t FindOpener(std::size_t from) const {
    for (std::size_t i = from; i + 1 < src_.size(); ++i) {
      if (src_[i] == '{' && (src_[i + 1] == '{' || src_[i + 1] == '%' || src_[i + 1] == '#')) {
        return i;
      }
    }
    return std::string_view::npos;
  }

  void Fail(std::string why, std::uint64_t offset) {
    result_.ok = false;
    result_.error = std::move(why);
    result_.error_offset = offset;
  }

  void SkipComment(std::size_t open) {
    const std::size_t close = src_.find("#}", pos_);
    if (close == std::string_view::npos) return Fail("a comment '{#' is never closed", open);
    pos_ = close + 2;
  }

  // {% raw %} ... {% endraw %}: everything between is data (jinja2 lexer "raw_begin").
  bool TryRaw(std::size_t open) {
    std::size_t p = SkipModifier(pos_);
    p = SkipSpaces(p);
    if (src_.compare(p, 3, "raw") != 0 || (p + 3 < src_.size() && IsNameChar(src_[p + 3]))) {
      return false;
    }
    const std::size_t after = ClosesStatement(SkipSpaces(p + 3));
    if (after == std::string_view::npos) return false;
    for (std::size_t q = src_.find("{%", after); q != std::string_view::npos;
         q = src_.find("{%", q + 2)) {
      std::size_t r = SkipSpaces(SkipModifier(q + 2));
      if (src_.compare(r, 6, "endraw") != 0) continue;
      const std::size_t end = ClosesStatement(SkipSpaces(r + 6));
      if (end == std::string_view::npos) continue;
      pos_ = end;
      return true;
    }
    Fail("a '{% raw %}' block is never closed", open);
    return true;
  }

  std::size_t SkipModifier(std::size_t p) const {
    return p < src_.size() && (src_[p] == '-' || src_[p] == '+') ? p + 1 : p;
  }
  std::size_t SkipSpaces(std::size_t p) const {
    while (p < src_.size() && IsSpace(src_[p])) ++p;
    return p;
  }
  // Position after '%}' or '-%}' at `p`, or npos.
  std::size_t ClosesStatement(std::size_t p) const {
    if (src_.compare(p, 2, "%}") == 0) return p + 2;
    if (src_.compare(p, 3, "-%}") == 0 || src_.compare(p, 3, "+%}") == 0) return p + 3;
    return std::string_view::npos;
  }
  std::size_t ClosesTag(std::size_t p, TagKind kind) const {
    if (kind == TagKind::kStatement) return ClosesStatement(p);
    if (src_.compare(p, 2, "}}") == 0) return p + 2;
    if (src_.compare(p, 3, "-}}") == 0) return p + 3;
    return std::string_view::npos;
  }

  void LexTag(std::size_t open, TagKind kind) {
    result_.tags.push_back(Tag{kind, open, src_.size(), {}});
    Tag& tag = result_.tags.back();
    pos_ = SkipModifier(pos_);
    std::vector<char> brackets;
    while (true) {
      pos_ = SkipSpaces(pos_);
      if (pos_ >= src_.size()) {
        return Fail(kind == TagKind::kStatement ? "a '{%' tag is never closed"
                                                : "a '{{' tag is never closed",
                    open);
      }
      if (brackets.empty()) {
        const std::size_t end = ClosesTag(pos_, kind);
        if (end != std::string_view::npos) {
          tag.end = end;
          pos_ = end;
          return;
        }
      }
      if (++token_count_ > limits_.max_tokens) {
        return Fail("more than " + std::to_string(limits_.max_tokens) + " tokens", pos_);
      }
      if (!NextToken(tag, brackets)) return;
    }
  }

  bool NextToken(Tag& tag, std::vector<char>& brackets) {
    const char c = src_[pos_];
    const std::size_t start = pos_;
    if (c == '\'' || c == '"') return LexString(tag);
    if (IsNameStart(c)) {
      while (pos_ < src_.size() && IsNameChar(src_[pos_])) ++pos_;
      tag.tokens.push_back(
          {TokenKind::kName, std::string(src_.substr(start, pos_ - start)), start, false});
      return true;
    }
    if (IsDigit(c)) {
      LexNumber();
      tag.tokens.push_back(
          {TokenKind::kNumber, std::string(src_.substr(start, pos_ - start)), start, false});
      return true;
    }
    for (std::string_view op : kTwoCharOperators) {
      if (src_.compare(pos_, 2, op) == 0) {
        pos_ += 2;
        tag.tokens.push_back({TokenKind::kOperator, std::string(op), start, false});
        return true;
      }
    }
    if (kOneCharOperators.find(c) == std::string_view::npos) {
      Fail(std::string("unexpected character '") + c + "'", pos_);
      return false;
    }
    if (!Balance(c, brackets)) return false;
    ++pos_;
    tag.tokens.push_back({TokenKind::kOperator, std::string(1, c), start, false});
    return true;
  }

  bool Balance(char c, std::vector<char>& brackets) {
    if (c == '(' || c == '[' || c == '{') {
      if (brackets.size() >= limits_.max_bracket_depth) {
        Fail("brackets nested deeper than " + std::to_string(limits_.max_bracket_depth), pos_);
        return false;
      }
      brackets.push_back(c == '(' ? ')' : c == '[' ? ']' : '}');
    } else if (c == ')' || c == ']' || c == '}') {
      if (brackets.empty() || brackets.back() != c) {
        Fail(std::string("unbalanced '") + c + "'", pos_);
        return false;
      }
      brackets.pop_back();
    }
    return true;
  }

  // jinja2.lexer integer_re/float_re: digits with '_' separators (or a 0b/0o/0x prefix), a
  // fraction only when a digit follows the '.', an exponent. `x[0].__class__` is the number 0,
  // '.', then a name; a looser rule would swallow the attribute into the number.
  void LexNumber() {
    auto digits = [this] {
      while (pos_ < src_.size() && (IsDigit(src_[pos_]) || src_[pos_] == '_')) ++pos_;
    };
    if (src_[pos_] == '0' && pos_ + 1 < src_.size() &&
        (src_[pos_ + 1] == 'x' || src_[pos_ + 1] == 'X' || src_[pos_ + 1] == 'o' ||
         src_[pos_ + 1] == 'O' || src_[pos_ + 1] == 'b' || src_[pos_ + 1] == 'B')) {
      pos_ += 2;
      while (pos_ < src_.size() && (HexDigitValue(src_[pos_]) >= 0 || src_[pos_] == '_')) ++pos_;
      return;
    }
    digits();
    if (pos_ + 1 < src_.size() && src_[pos_] == '.' && IsDigit(src_[pos_ + 1])) {
      ++pos_;
      digits();
    }
    if (pos_ < src_.size() && (src_[pos_] == 'e' || src_[pos_] == 'E')) {
      std::size_t p = pos_ + 1;
      if (p < src_.size() && (src_[p] == '+' || src_[p] == '-')) ++p;
      if (p < src_.size() && IsDigit(src_[p])) {
        pos_ = p;
        digits();
      }
    }
  }

  bool LexString(Tag& tag) {
    const char quote = src_[pos_];
    const std::size_t start = pos_;
    std::size_t p = pos_ + 1;
    while (p < src_.size() && src_[p] != quote) p += src_[p] == '\\' ? 2 : 1;
    if (p >= src_.size()) {
      Fail("a string literal is never closed", start);
      return false;
    }
    tag.tokens.push_back(DecodeString(src_.substr(start + 1, p - start - 1), start));
    pos_ = p + 1;
    return true;
  }

  std::string_view src_;
  const LexLimits& limits_;
  std::size_t pos_ = 0;
  std::uint64_t token_count_ = 0;
  LexResult result_;
};

}  // namespace

LexResult Lex(std::string_view source, const LexLimits& limits) {
  return Lexer(source, limits).Run();
}

bool LooksLikeJinja(std::string_view text) {
  return text.find("{{") != std::string_view::npos || text.find("{%") != std::string_view::npos;
}

}  // namespace mg::jinja
