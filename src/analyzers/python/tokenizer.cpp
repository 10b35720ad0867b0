#include "analyzers/python/tokenizer.h"

#include <algorithm>
#include <cctype>

namespace mg::python {
namespace {

bool IsNameStart(unsigned char c) { return std::isalpha(c) != 0 || c == '_' || c >= 0x80; }
bool IsNameChar(unsigned char c) { return IsNameStart(c) || std::isdigit(c) != 0; }

// Python reference 2.4.1: string prefixes are combinations of r, u, b, f (and t since 3.14),
// in any case and order.
struct Prefix {
  bool valid = false;
  bool raw = false;
  bool formatted = false;
};

Prefix ReadPrefix(std::string_view name) {
  Prefix prefix;
  if (name.empty() || name.size() > 2) return prefix;
  for (const char c : name) {
    switch (std::tolower(static_cast<unsigned char>(c))) {
      case 'r':
        if (prefix.raw) return {};
        prefix.raw = true;
        break;
      case 'f':
      case 't':
        if (prefix.formatted) return {};
        prefix.formatted = true;
        break;
      case 'b':
      case 'u':
        break;
      default:
        return {};
    }
  }
  prefix.valid = true;
  return prefix;
}

class Lexer {
 public:
  explicit Lexer(std::string_view source) : src_(source) {}

  Tokenized Run() {
    if (src_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // UTF-8 byte order mark
    Code(/*in_field=*/false);
    return std::move(out_);
  }

 private:
  bool Failed() const { return !out_.complete; }

  void Fail(std::string why, std::uint64_t offset, std::uint32_t line) {
    if (Failed()) return;
    out_.complete = false;
    out_.error = std::move(why);
    out_.error_offset = offset;
    out_.error_line = line;
  }

  void Emit(TokenKind kind, std::size_t begin, std::uint32_t line) {
    if (out_.tokens.size() >= kMaxTokens) {
      return Fail("more than " + std::to_string(kMaxTokens) + " tokens", begin, line);
    }
    out_.tokens.push_back({kind, src_.substr(begin, pos_ - begin), line, begin});
  }

  void NewLine() {
    ++line_;
    ++pos_;
  }

  // Code until the end of the source, or (in an f-string replacement field) until the '}'
  // that closes the field, which is left unconsumed.
  void Code(bool in_field) {
    std::uint32_t brackets = 0;
    while (pos_ < src_.size() && !Failed()) {
      const unsigned char c = src_[pos_];
      if (c == '#') {
        while (pos_ < src_.size() && src_[pos_] != '\n' && src_[pos_] != '\r') ++pos_;
      } else if (c == '\\' && pos_ + 1 < src_.size() &&
                 (src_[pos_ + 1] == '\n' || src_[pos_ + 1] == '\r')) {
        ++pos_;  // explicit line joining (2.1.5): the newline is not a logical line end
        LineBreak();
      } else if (c == '\n' || c == '\r') {
        if (brackets == 0 && !in_field && !out_.tokens.empty() &&
            out_.tokens.back().kind != TokenKind::kNewline) {
          out_.tokens.push_back({TokenKind::kNewline, src_.substr(pos_, 1), line_, pos_});
        }
        LineBreak();
      } else if (c == ' ' || c == '\t' || c == '\f') {
        ++pos_;
      } else if (IsNameStart(c)) {
        NameOrString();
      } else if (c == '"' || c == '\'') {
        String(pos_, Prefix{true, false, false});
      } else if (std::isdigit(c) != 0 ||
                 (c == '.' && pos_ + 1 < src_.size() &&
                  std::isdigit(static_cast<unsigned char>(src_[pos_ + 1])) != 0)) {
        Number();
      } else {
        if (in_field && brackets == 0 && c == '}') return;
        if (c == '(' || c == '[' || c == '{') ++brackets;
        if ((c == ')' || c == ']' || c == '}') && brackets > 0) --brackets;
        const std::size_t begin = pos_++;
        Emit(TokenKind::kOperator, begin, line_);
      }
    }
  }

  void LineBreak() {
    if (src_[pos_] == '\r' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '\n') ++pos_;
    NewLine();
  }

  void NameOrString() {
    const std::size_t begin = pos_;
    while (pos_ < src_.size() && IsNameChar(static_cast<unsigned char>(src_[pos_]))) ++pos_;
    if (pos_ < src_.size() && (src_[pos_] == '"' || src_[pos_] == '\'')) {
      const Prefix prefix = ReadPrefix(src_.substr(begin, pos_ - begin));
      if (prefix.valid) return String(begin, prefix);
    }
    Emit(TokenKind::kName, begin, line_);
  }

  void Number() {
    const std::size_t begin = pos_;
    while (pos_ < src_.size()) {
      const unsigned char c = src_[pos_];
      const bool exponent_sign = (c == '+' || c == '-') && pos_ > begin &&
                                 (src_[pos_ - 1] == 'e' || src_[pos_ - 1] == 'E') &&
                                 !(src_.substr(begin, 2) == "0x" || src_.substr(begin, 2) == "0X");
      if (std::isalnum(c) == 0 && c != '_' && c != '.' && !exponent_sign) break;
      ++pos_;
    }
    Emit(TokenKind::kNumber, begin, line_);
  }

  // A string literal from `begin` (its prefix) with the quote at pos_.
  void String(std::size_t begin, Prefix prefix) {
    const std::uint32_t start_line = line_;
    const char quote = src_[pos_];
    const bool triple = src_.substr(pos_, 3) == std::string(3, quote);
    pos_ += triple ? 3 : 1;
    if (prefix.formatted && ++fstring_depth_ > kMaxFStringDepth) {
      return Fail("f-strings nested deeper than " + std::to_string(kMaxFStringDepth), begin,
                  start_line);
    }
    while (!Failed()) {
      if (pos_ >= src_.size()) {
        return Fail("unterminated string starting on line " + std::to_string(start_line), begin,
                    start_line);
      }
      const char c = src_[pos_];
      if (c == '\\' && pos_ + 1 < src_.size()) {
        // Even in a raw string a backslash keeps the next quote from ending the literal.
        ++pos_;
        if (src_[pos_] == '\n' || src_[pos_] == '\r') {
          LineBreak();
        } else {
          ++pos_;
        }
      } else if (c == quote && (!triple || src_.substr(pos_, 3) == std::string(3, quote))) {
        pos_ += triple ? 3 : 1;
        break;
      } else if (c == '\n' || c == '\r') {
        if (!triple) {
          return Fail("unterminated string on line " + std::to_string(start_line), begin,
                      start_line);
        }
        LineBreak();
      } else if (prefix.formatted && c == '{') {
        if (pos_ + 1 < src_.size() && src_[pos_ + 1] == '{') {
          pos_ += 2;  // '{{' is a literal brace
        } else {
          ReplacementField();
        }
      } else {
        ++pos_;
      }
    }
    if (prefix.formatted) --fstring_depth_;
    if (!Failed()) {
      // The literal as one token, ending on the line it started on for call evidence.
      out_.tokens.push_back(
          {TokenKind::kString, src_.substr(begin, pos_ - begin), start_line, begin});
    }
  }

  // PEP 498 / PEP 701: the expression between '{' and '}' is code. A format spec after ':'
  // is tokenized with it (harmless operators, seldom a name); nested fields in it are braces.
  void ReplacementField() {
    const std::uint64_t open = pos_;
    const std::uint32_t open_line = line_;
    ++pos_;
    Code(/*in_field=*/true);
    if (Failed()) return;
    if (pos_ >= src_.size()) {
      return Fail("unterminated f-string replacement field", open, open_line);
    }
    ++pos_;  // the closing '}'
  }

  std::string_view src_;
  std::size_t pos_ = 0;
  std::uint32_t line_ = 1;
  std::uint32_t fstring_depth_ = 0;
  Tokenized out_;
};

}  // namespace

Tokenized Tokenize(std::string_view source) {
  if (source.size() > kMaxSourceBytes) {
    Tokenized out;
    out.complete = false;
    out.error = "the file is larger than " + std::to_string(kMaxSourceBytes) + " bytes";
    return out;
  }
  return Lexer(source).Run();
}

}  // namespace mg::python
