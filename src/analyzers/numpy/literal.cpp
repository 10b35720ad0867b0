#include "analyzers/numpy/literal.h"

#include <optional>
#include <utility>

#include "core/text.h"

namespace mg::numpy {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IsIdentChar(char c) { return IsIdentStart(c) || IsDigit(c); }

// Characters that, where a value or a separator is expected, start or continue an expression
// (operators, calls, attribute access, subscripts, assignment expressions, lambdas).
bool IsOperatorChar(char c) {
  static constexpr std::string_view kOperators = "+-*/%@&|^~<>=!.[(:;`$?";
  return kOperators.find(c) != std::string_view::npos;
}

class Parser {
 public:
  Parser(std::string_view text, bool latin1, bool allow_long)
      : text_(text), latin1_(latin1), allow_long_(allow_long) {}

  LiteralParse Run() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
    std::optional<Literal> value = Value(0);
    if (value) {
      result_.ok = true;
      result_.value = std::move(*value);
      result_.end = pos_;
    }
    return std::move(result_);
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek(std::uint64_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }

  std::nullopt_t Fail(std::string why, std::uint64_t at) {
    if (result_.error.empty()) {
      result_.error = std::move(why);
      result_.error_offset = at;
    }
    return std::nullopt;
  }

  // Fails on an expression: `start` is where it begins (a name, or the value an operator
  // follows); the evidence runs to the next separator outside brackets and strings.
  std::nullopt_t FailExpression(std::uint64_t start, std::uint64_t at) {
    result_.not_a_literal = true;
    result_.expression = ExpressionText(start);
    return Fail("a Python expression, not a literal", at);
  }

  std::string ExpressionText(std::uint64_t start) const {
    constexpr std::uint64_t kMaxExpressionChars = 160;
    int depth = 0;
    char quote = 0;
    std::uint64_t end = start;
    for (; end < text_.size() && end - start < kMaxExpressionChars; ++end) {
      const char c = text_[end];
      if (quote != 0) {
        if (c == '\\')
          ++end;
        else if (c == quote)
          quote = 0;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '(' || c == '[' || c == '{') {
        ++depth;
      } else if (c == ')' || c == ']' || c == '}') {
        if (--depth < 0) break;
      } else if ((c == ',' || c == '\n') && depth == 0) {
        break;
      }
    }
    if (end > text_.size()) end = text_.size();
    return std::string(text_.substr(start, end - start));
  }

  // Whitespace, backslash line continuations and comments between tokens.
  void SkipSpace() {
    while (!AtEnd()) {
      const char c = Peek();
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        ++pos_;
      } else if (c == '\\' && (Peek(1) == '\n' || Peek(1) == '\r')) {
        pos_ += 2;
      } else if (c == '#') {
        result_.comment = true;
        while (!AtEnd() && Peek() != '\n') ++pos_;
      } else {
        return;
      }
    }
  }

  std::optional<Literal> Value(std::uint32_t depth) {
    SkipSpace();
    if (AtEnd()) return Fail("the header ends where a value was expected", pos_);
    if (++nodes_ > kMaxLiteralNodes) {
      return Fail("more than " + std::to_string(kMaxLiteralNodes) + " values", pos_);
    }
    const std::uint64_t start = pos_;
    const char c = Peek();
    std::optional<Literal> value;
    if (c == '{' || c == '(' || c == '[') {
      if (depth >= kMaxLiteralDepth) {
        return Fail("brackets nested deeper than " + std::to_string(kMaxLiteralDepth), pos_);
      }
      value = c == '{' ? Dict(depth + 1) : Sequence(depth + 1, c == '(' ? ')' : ']');
    } else if (c == '\'' || c == '"' || IsStringPrefix()) {
      value = Strings();
    } else if (IsDigit(c) || (c == '.' && IsDigit(Peek(1)))) {
      value = Number(false);
    } else if ((c == '-' || c == '+') && NumberFollowsSign()) {
      ++pos_;
      SkipSpace();
      value = Number(c == '-');
    } else if (IsIdentStart(c)) {
      value = Name();
    } else if (text_.substr(pos_, 3) == "...") {
      return Fail("Ellipsis is not used in .npy headers", start);  // a literal, not code
    } else if (IsOperatorChar(c)) {
      return FailExpression(start, start);
    } else {
      return Fail("unexpected character", start);
    }
    if (!value) return std::nullopt;
    value->offset = start;
    // A value followed by a call, attribute, subscript or operator is an expression.
    SkipSpace();
    if (value->kind == Literal::Kind::kInt && ImaginaryFollows()) {
      // 1+2j is a complex literal to ast.literal_eval: malformed here, but not code.
      return Fail("complex numbers are not used in .npy headers", pos_);
    }
    if (!AtEnd() && (IsOperatorChar(Peek()) || IsIdentStart(Peek())) && Peek() != ':') {
      return FailExpression(start, pos_);
    }
    return value;
  }

  // '+ 2j' or '- 2.5j' at pos_.
  bool ImaginaryFollows() const {
    if (Peek() != '+' && Peek() != '-') return false;
    std::uint64_t p = pos_ + 1;
    while (p < text_.size() && (text_[p] == ' ' || text_[p] == '\t')) ++p;
    const std::uint64_t token = p;
    while (p < text_.size() && (IsIdentChar(text_[p]) || text_[p] == '.')) ++p;
    return p > token && IsDigit(text_[token]) && (text_[p - 1] == 'j' || text_[p - 1] == 'J');
  }

  bool NumberFollowsSign() const {
    std::uint64_t p = pos_ + 1;
    while (p < text_.size() && (text_[p] == ' ' || text_[p] == '\t')) ++p;
    return p < text_.size() && (IsDigit(text_[p]) || text_[p] == '.');
  }

  std::optional<Literal> Name() {
    const std::uint64_t start = pos_;
    while (!AtEnd() && IsIdentChar(Peek())) ++pos_;
    const std::string_view name = text_.substr(start, pos_ - start);
    Literal value;
    if (name == "True" || name == "False") {
      value.kind = Literal::Kind::kBool;
      value.boolean = name == "True";
    } else if (name == "None") {
      value.kind = Literal::Kind::kNone;
    } else {
      return FailExpression(start, start);
    }
    return value;
  }

  // After an element: ',' (then maybe the closer) or the closer. True when the closer came.
  std::optional<bool> Separator(char closer) {
    SkipSpace();
    if (Peek() == closer) {
      ++pos_;
      return true;
    }
    if (Peek() != ',') {
      if (AtEnd()) return Fail("the header ends inside brackets", pos_);
      return Fail(std::string("expected ',' or '") + closer + "'", pos_);
    }
    ++pos_;
    SkipSpace();
    if (Peek() == closer) {
      ++pos_;
      return true;
    }
    return false;
  }

  std::optional<Literal> Dict(std::uint32_t depth) {
    ++pos_;
    Literal dict;
    dict.kind = Literal::Kind::kDict;
    SkipSpace();
    if (Peek() == '}') {
      ++pos_;
      return dict;
    }
    for (;;) {
      std::optional<Literal> key = Value(depth);
      if (!key) return std::nullopt;
      SkipSpace();
      if (Peek() != ':') return Fail("expected ':' after a dict key (a set is not a header)", pos_);
      ++pos_;
      std::optional<Literal> item = Value(depth);
      if (!item) return std::nullopt;
      dict.items.push_back(std::move(*key));
      dict.items.push_back(std::move(*item));
      const std::optional<bool> closed = Separator('}');
      if (!closed) return std::nullopt;
      if (*closed) return dict;
    }
  }

  // A list, a tuple, or a parenthesised value: (x) is x, (x,) and () are tuples.
  std::optional<Literal> Sequence(std::uint32_t depth, char closer) {
    ++pos_;
    Literal sequence;
    sequence.kind = closer == ')' ? Literal::Kind::kTuple : Literal::Kind::kList;
    SkipSpace();
    if (Peek() == closer) {
      ++pos_;
      return sequence;
    }
    for (;;) {
      std::optional<Literal> item = Value(depth);
      if (!item) return std::nullopt;
      SkipSpace();
      if (closer == ')' && sequence.items.empty() && Peek() == ')') {
        ++pos_;
        return item;  // parentheses around one value
      }
      sequence.items.push_back(std::move(*item));
      const std::optional<bool> closed = Separator(closer);
      if (!closed) return std::nullopt;
      if (*closed) return sequence;
    }
  }

  bool IsStringPrefix() const {
    std::uint64_t p = pos_;
    while (p < text_.size() && p - pos_ < 3 &&
           std::string_view("uUrRbBfF").find(text_[p]) != std::string_view::npos) {
      ++p;
    }
    return p > pos_ && p < text_.size() && (text_[p] == '\'' || text_[p] == '"');
  }

  // One or more adjacent string literals, concatenated as Python does.
  std::optional<Literal> Strings() {
    Literal value;
    value.kind = Literal::Kind::kString;
    do {
      if (!OneString(value.text)) return std::nullopt;
      SkipSpace();
    } while (!AtEnd() && (Peek() == '\'' || Peek() == '"' || IsStringPrefix()));
    return value;
  }

  bool OneString(std::string& out) {
    const std::uint64_t start = pos_;
    bool raw = false;
    while (Peek() != '\'' && Peek() != '"') {
      const char p = Peek();
      if (p == 'f' || p == 'F') {
        // An f-string runs the code in its braces: an expression, never data.
        FailExpression(start, start);
        return false;
      }
      if (p == 'b' || p == 'B') {
        Fail("a bytes literal where NumPy writes str", start);
        return false;
      }
      raw = raw || p == 'r' || p == 'R';
      ++pos_;
    }
    const char quote = Peek();
    const bool triple = Peek(1) == quote && Peek(2) == quote;
    pos_ += triple ? 3 : 1;
    for (;;) {
      if (AtEnd()) {
        Fail("unterminated string", start);
        return false;
      }
      const char c = Peek();
      if (c == quote && (!triple || (Peek(1) == quote && Peek(2) == quote))) {
        pos_ += triple ? 3 : 1;
        return true;
      }
      if (!triple && (c == '\n' || c == '\r')) {
        Fail("line break inside a string", pos_);
        return false;
      }
      if (c == '\\') {
        if (!Escape(out, raw)) return false;
        continue;
      }
      AppendByte(out, c);
      ++pos_;
    }
  }

  void AppendByte(std::string& out, char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (latin1_ && byte >= 0x80) {
      AppendUtf8(out, byte);
    } else {
      out += c;
    }
  }

  bool Escape(std::string& out, bool raw) {
    const char next = Peek(1);
    if (pos_ + 1 >= text_.size()) {
      Fail("unterminated string", pos_);
      return false;
    }
    if (raw) {  // a raw string keeps the backslash and the character after it
      out += '\\';
      AppendByte(out, next);
      pos_ += 2;
      return true;
    }
    pos_ += 2;
    switch (next) {
      case '\n':
        return true;
      case '\\':
        out += '\\';
        return true;
      case '\'':
        out += '\'';
        return true;
      case '"':
        out += '"';
        return true;
      case 'a':
        out += '\a';
        return true;
      case 'b':
        out += '\b';
        return true;
      case 'f':
        out += '\f';
        return true;
      case 'n':
        out += '\n';
        return true;
      case 'r':
        out += '\r';
        return true;
      case 't':
        out += '\t';
        return true;
      case 'v':
        out += '\v';
        return true;
      case 'x':
        return HexEscape(out, 2);
      case 'u':
        return HexEscape(out, 4);
      case 'U':
        return HexEscape(out, 8);
      case 'N':
        Fail("\\N{...} escapes are not used in .npy headers", pos_ - 2);
        return false;
      default:
        break;
    }
    if (next >= '0' && next <= '7') {  // up to three octal digits
      std::uint32_t code = static_cast<std::uint32_t>(next - '0');
      for (int i = 0; i < 2 && Peek() >= '0' && Peek() <= '7'; ++i, ++pos_) {
        code = code * 8 + static_cast<std::uint32_t>(Peek() - '0');
      }
      AppendUtf8(out, code);
      return true;
    }
    out += '\\';  // Python keeps unknown escapes as written
    AppendByte(out, next);
    return true;
  }

  bool HexEscape(std::string& out, int digits) {
    std::uint32_t code = 0;
    for (int i = 0; i < digits; ++i) {
      const int digit = HexDigitValue(Peek());
      if (digit < 0) {
        Fail("truncated \\x, \\u or \\U escape", pos_);
        return false;
      }
      code = code * 16 + static_cast<std::uint32_t>(digit);
      ++pos_;
    }
    if (code > 0x10FFFF) {
      Fail("escape beyond U+10FFFF", pos_);
      return false;
    }
    AppendUtf8(out, code);
    return true;
  }

  std::optional<Literal> Number(bool negative) {
    const std::uint64_t start = pos_;
    while (!AtEnd() && (IsIdentChar(Peek()) || Peek() == '.')) {
      const char c = Peek();
      ++pos_;
      // 1e+5: the sign belongs to a decimal exponent.
      if ((c == 'e' || c == 'E') && (Peek() == '+' || Peek() == '-') && text_[start] != '0') {
        ++pos_;
      }
    }
    std::string_view token = text_.substr(start, pos_ - start);
    if (allow_long_ && (token.back() == 'L' || token.back() == 'l')) {
      token.remove_suffix(1);
      result_.python2_long = true;
    }
    Literal value;
    value.kind = Literal::Kind::kInt;
    value.negative = negative;
    if (!ParseInt(token, value)) {
      std::string why(1, '\'');  // appended: GCC 12 -Wrestrict misfires on "'" + string&&
      why += token;
      why += "' is not an integer";
      return Fail(std::move(why), start);
    }
    return value;
  }

  static bool ParseInt(std::string_view token, Literal& value) {
    unsigned base = 10;
    if (token.size() > 2 && token[0] == '0') {
      const char marker = static_cast<char>(token[1] | 0x20);
      base = marker == 'x' ? 16 : marker == 'o' ? 8 : marker == 'b' ? 2 : 10;
      if (base != 10) token.remove_prefix(2);
      if (base != 10 && token.front() == '_') token.remove_prefix(1);
    }
    if (token.empty()) return false;
    // Decimal literals other than zero may not start with 0 in Python 3.
    bool only_zeros = true;
    bool previous_underscore = true;  // no leading underscore
    for (const char c : token) {
      if (c == '_') {
        if (previous_underscore) return false;
        previous_underscore = true;
        continue;
      }
      previous_underscore = false;
      const int digit = HexDigitValue(c);
      if (digit < 0 || static_cast<unsigned>(digit) >= base) return false;
      only_zeros = only_zeros && digit == 0;
      const std::optional<std::uint64_t> scaled = CheckedMulAdd(value.magnitude, base, digit);
      if (scaled)
        value.magnitude = *scaled;
      else
        value.too_big = true;
    }
    if (previous_underscore) return false;
    if (base == 10 && token.size() > 1 && token[0] == '0' && !only_zeros) return false;
    return true;
  }

  static std::optional<std::uint64_t> CheckedMulAdd(std::uint64_t a, unsigned b, int c) {
    std::uint64_t out = 0;
    if (__builtin_mul_overflow(a, static_cast<std::uint64_t>(b), &out)) return std::nullopt;
    if (__builtin_add_overflow(out, static_cast<std::uint64_t>(c), &out)) return std::nullopt;
    return out;
  }

  std::string_view text_;
  bool latin1_;
  bool allow_long_;
  std::uint64_t pos_ = 0;
  std::uint32_t nodes_ = 0;
  LiteralParse result_;
};

}  // namespace

LiteralParse ParseLiteral(std::string_view text, bool latin1, bool allow_long_suffix) {
  return Parser(text, latin1, allow_long_suffix).Run();
}

bool IsValidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    std::uint32_t code = 0;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2, code = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3, code = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4, code = lead & 0x07;
    } else {
      return false;
    }
    if (text.size() - i < length) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    if ((length == 3 && (code < 0x800 || (code >= 0xD800 && code <= 0xDFFF))) ||
        (length == 4 && (code < 0x10000 || code > 0x10FFFF))) {
      return false;
    }
    i += length;
  }
  return true;
}

}  // namespace mg::numpy
