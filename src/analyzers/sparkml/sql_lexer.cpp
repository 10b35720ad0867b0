#include "analyzers/sparkml/sql_lexer.h"

#include <array>
#include <cstddef>

#include "core/text.h"

namespace mg::sparksql {
namespace {

bool IsAsciiAlpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool IsHex(unsigned char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
// SqlBaseLexer IDENTIFIER: (UNICODE_LETTER | DIGIT | '_')+. Any non-ASCII byte that is not
// Unicode whitespace is taken as part of a word: a little wider than \p{L}, which only errs
// towards one longer word (Spark would reject the statement).
bool IsWordByte(unsigned char c) { return IsAsciiAlpha(c) || IsDigit(c) || c == '_' || c >= 0x80; }

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// Operators, longest first so that the first prefix match is the longest (SqlBaseLexer.g4).
constexpr std::array<std::string_view, 37> kOperators = {
    "<=>", ">>>", "<=", ">=", "<>", "!=", "!<", "!>", "==", "<<", ">>", "||", "::",
    "->",  "=>",  "=",  "<",  ">",  "+",  "-",  "*",  "/",  "%",  "~",  "&",  "|",
    "^",   ":",   "?",  "(",  ")",  "[",  "]",  "{",  "}",  ",",  "."};

class Lexer {
 public:
  Lexer(std::string_view src, const LexLimits& limits, const LexDialect& dialect)
      : src_(src), limits_(limits), dialect_(dialect) {}

  LexResult Run() {
    if (src_.size() > limits_.max_statement_bytes) {
      return Fail(LexError::kTooLong, 0, "statement longer than the analysis limit");
    }
    while (pos_ < src_.size() && result_.ok()) {
      if (result_.tokens.size() >= limits_.max_tokens) {
        Fail(LexError::kTooManyTokens, pos_, "more tokens than the analysis limit");
        break;
      }
      Step();
    }
    if (result_.ok() && in_hint_) {
      Fail(LexError::kUnterminatedHint, hint_offset_, "unterminated hint '/*+'");
    }
    return std::move(result_);
  }

 private:
  LexResult& Fail(LexError error, std::uint64_t offset, std::string message) {
    result_.error = error;
    result_.error_offset = offset;
    result_.message = std::move(message);
    return result_;
  }

  unsigned char At(std::size_t i) const {
    return i < src_.size() ? static_cast<unsigned char>(src_[i]) : 0;
  }

  // Length of the Unicode whitespace sequence at `at` (SqlBaseLexer WS), 0 if none.
  std::size_t WhitespaceLength(std::size_t at) const {
    unsigned char c = At(at);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == '\v') return 1;
    unsigned char c1 = At(at + 1);
    unsigned char c2 = At(at + 2);
    if (c == 0xC2 && c1 == 0xA0) return 2;                // U+00A0
    if (c == 0xE1 && c1 == 0x9A && c2 == 0x80) return 3;  // U+1680
    if (c == 0xE2 && c1 == 0x80 && ((c2 >= 0x80 && c2 <= 0x8A) || c2 == 0xA8 || c2 == 0xAF)) {
      return 3;  // U+2000..200A ...
    }
    if (c == 0xE2 && c1 == 0x81 && c2 == 0x9F) return 3;  // U+205F
    if (c == 0xE3 && c1 == 0x80 && c2 == 0x80) return 3;  // U+3000
    return 0;
  }

  // A byte of an identifier: not the start of a Unicode whitespace sequence.
  bool WordByteAt(std::size_t at) const {
    return IsWordByte(At(at)) && (At(at) < 0x80 || WhitespaceLength(at) == 0);
  }

  void Step() {
    if (std::size_t ws = WhitespaceLength(pos_); ws > 0) {
      pos_ += ws;
      return;
    }
    unsigned char c = At(pos_);
    unsigned char next = At(pos_ + 1);
    if (c == '-' && next == '-') return SkipLineComment();
    if (c == '/' && next == '*') {
      if (At(pos_ + 2) == '+' && !in_hint_) return StartHint();
      return dialect_.nested_comments ? SkipBlockComment() : SkipFlatComment();
    }
    if (in_hint_ && c == '*' && next == '/') return EndHint();
    if ((c == 'r' || c == 'R') && (next == '\'' || next == '"')) return LexRawString();
    if (c == '\'' || c == '"') return LexString();
    if (c == '`') return LexQuotedIdent();
    if (IsDigit(c) || (c == '.' && IsDigit(next))) return LexNumber();
    if (IsWordByte(c)) return LexWord();
    LexOperator();
  }

  // SIMPLE_COMMENT: '--' ('\\\n' | ~[\r\n])* — a backslash before the newline continues it.
  void SkipLineComment() {
    pos_ += 2;
    while (pos_ < src_.size()) {
      unsigned char c = At(pos_);
      if (c == '\\' && At(pos_ + 1) == '\n' && dialect_.continued_line_comments) {
        pos_ += 2;
        continue;
      }
      if (c == '\n' || c == '\r') break;
      ++pos_;
    }
  }

  // BRACKETED_COMMENT nests: '/*' {!isHint()}? ( BRACKETED_COMMENT | . )*? '*/'; an unclosed one
  // is an error. The predicate is checked at every nested '/*' too, so '/*+' inside a comment
  // opens nothing and the next '*/' closes the enclosing comment.
  void SkipBlockComment() {
    std::size_t start = pos_;
    std::uint64_t depth = 0;
    while (pos_ < src_.size()) {
      if (At(pos_) == '/' && At(pos_ + 1) == '*' && (depth == 0 || At(pos_ + 2) != '+')) {
        ++depth;
        pos_ += 2;
      } else if (At(pos_) == '*' && At(pos_ + 1) == '/') {
        --depth;
        pos_ += 2;
        if (depth == 0) return;
      } else {
        ++pos_;
      }
    }
    Fail(LexError::kUnterminatedComment, start, "unterminated comment '/*'");
  }

  // Spark 2.x-3.0: BRACKETED_COMMENT '/*' ~[+] .*? '*/' and BRACKETED_EMPTY_COMMENT '/**/'. The
  // lexer takes the longest match, so '/**/' only stands alone when no later '*/' exists.
  void SkipFlatComment() {
    const std::size_t close = src_.find("*/", pos_ + 3);
    if (close != std::string_view::npos) {
      pos_ = close + 2;
    } else if (src_.substr(pos_, 4) == "/**/") {
      pos_ += 4;
    } else {
      Fail(LexError::kUnterminatedComment, pos_, "unterminated comment '/*'");
    }
  }

  void StartHint() {
    in_hint_ = true;
    hint_offset_ = pos_;
    Push(TokenKind::kHintStart, pos_, pos_ + 3, "/*+");
    pos_ += 3;
  }

  void EndHint() {
    in_hint_ = false;
    Push(TokenKind::kHintEnd, pos_, pos_ + 2, "*/");
    pos_ += 2;
  }

  Token& Push(TokenKind kind, std::size_t begin, std::size_t end, std::string text) {
    Token token;
    token.kind = kind;
    token.offset = begin;
    token.end = end;
    token.text = std::move(text);
    if (kind == TokenKind::kWord || kind == TokenKind::kQuotedIdent)
      token.upper = Upper(token.text);
    result_.tokens.push_back(std::move(token));
    return result_.tokens.back();
  }

  // Adjacent literals form one value (SqlBaseParser stringLit+), so 'ref' 'lect' is "reflect".
  void PushString(std::size_t begin, std::string value) {
    if (!result_.tokens.empty() && result_.tokens.back().kind == TokenKind::kString) {
      Token& previous = result_.tokens.back();
      previous.text += value;
      previous.end = pos_;
      return;
    }
    Push(TokenKind::kString, begin, pos_, std::move(value));
  }

  void LexRawString() {
    std::size_t begin = pos_;
    char quote = src_[pos_ + 1];
    std::size_t close = src_.find(quote, pos_ + 2);
    if (close == std::string_view::npos) {
      Fail(LexError::kUnterminatedString, begin, "unterminated raw string literal");
      return;
    }
    std::string value(src_.substr(pos_ + 2, close - pos_ - 2));
    pos_ = close + 1;
    PushString(begin, std::move(value));
  }

  // Reads `count` hex digits at pos_; false (pos_ unchanged) when they are not all hex.
  bool ReadHex(std::size_t count, std::uint32_t& value) {
    value = 0;
    for (std::size_t i = 0; i < count; ++i) {
      unsigned char c = At(pos_ + i);
      if (!IsHex(c)) return false;
      value = value * 16 + static_cast<std::uint32_t>(IsDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    pos_ += count;
    return true;
  }

  // One escape after a backslash at pos_ - 1 (ParserUtils.unescapeSQLString).
  void DecodeEscape(std::string& out) {
    unsigned char c = At(pos_);
    std::uint32_t code_point = 0;
    if (c == 'u' || c == 'U') {
      ++pos_;
      if (ReadHex(c == 'u' ? 4 : 8, code_point)) {
        AppendUtf8(out, code_point);
        return;
      }
      out += static_cast<char>(c);
      return;
    }
    // Octal escapes are \0oo and \1oo only (SparkParserUtils.isThreeDigitOctalEscape).
    if ((c == '0' || c == '1') && At(pos_ + 1) >= '0' && At(pos_ + 1) <= '7' &&
        At(pos_ + 2) >= '0' && At(pos_ + 2) <= '7') {
      code_point = (c - '0') * 64u + (At(pos_ + 1) - '0') * 8u + (At(pos_ + 2) - '0');
      pos_ += 3;
      AppendUtf8(out, code_point);
      return;
    }
    ++pos_;
    switch (c) {
      case '0':
        out += '\0';
        break;
      case 'b':
        out += '\b';
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
      case 'Z':
        out += '\x1A';
        break;
      case '%':
        out += "\\%";
        break;
      case '_':
        out += "\\_";
        break;
      default:
        out += static_cast<char>(c);
        break;
    }
  }

  void LexString() {
    std::size_t begin = pos_;
    char quote = src_[pos_++];
    std::string value;
    while (pos_ < src_.size()) {
      char c = src_[pos_];
      if (c == quote) {
        ++pos_;
        PushString(begin, std::move(value));
        return;
      }
      ++pos_;
      if (c == '\\' && pos_ < src_.size()) {
        DecodeEscape(value);
      } else {
        value += c;
      }
    }
    Fail(LexError::kUnterminatedString, begin, "unterminated string literal");
  }

  void LexQuotedIdent() {
    std::size_t begin = pos_++;
    std::string name;
    while (pos_ < src_.size()) {
      if (src_[pos_] == '`') {
        if (At(pos_ + 1) == '`') {
          name += '`';
          pos_ += 2;
          continue;
        }
        ++pos_;
        Push(TokenKind::kQuotedIdent, begin, pos_, std::move(name));
        return;
      }
      name += src_[pos_++];
    }
    Fail(LexError::kUnterminatedIdentifier, begin, "unterminated backquoted identifier");
  }

  // Digits, fraction, exponent and any letter suffix (L S Y F D BD) as one token.
  void LexNumber() {
    std::size_t begin = pos_;
    while (IsDigit(At(pos_))) ++pos_;
    if (At(pos_) == '.' && (IsDigit(At(pos_ + 1)) || !IsWordByte(At(pos_ + 1)))) {
      ++pos_;
      while (IsDigit(At(pos_))) ++pos_;
    }
    if ((At(pos_) == 'e' || At(pos_) == 'E') &&
        (IsDigit(At(pos_ + 1)) ||
         ((At(pos_ + 1) == '+' || At(pos_ + 1) == '-') && IsDigit(At(pos_ + 2))))) {
      pos_ += 2;
      while (IsDigit(At(pos_))) ++pos_;
    }
    // IDENTIFIER also allows a leading digit (e.g. 1st_col): keep the rest in the token.
    bool word = false;
    while (WordByteAt(pos_)) {
      word = word || !IsDigit(At(pos_));
      ++pos_;
    }
    std::string text(src_.substr(begin, pos_ - begin));
    bool suffix_only = true;
    if (word) {
      std::string up = Upper(text);
      std::size_t digits = up.find_first_not_of("0123456789.E+-");
      std::string_view suffix =
          digits == std::string::npos ? std::string_view() : std::string_view(up).substr(digits);
      suffix_only = suffix == "L" || suffix == "S" || suffix == "Y" || suffix == "F" ||
                    suffix == "D" || suffix == "BD";
    }
    Push(suffix_only ? TokenKind::kNumber : TokenKind::kWord, begin, pos_, std::move(text));
  }

  // IDENTIFIER, including the URI form UNICODE_LETTER+ '://' [...]+ used for path relations.
  void LexWord() {
    std::size_t begin = pos_;
    while (WordByteAt(pos_)) ++pos_;
    if (src_.substr(pos_, 3) == "://") {
      std::size_t uri_end = pos_ + 3;
      constexpr std::string_view kUriExtra = "_/-.?=&#%";
      while (uri_end < src_.size() &&
             (WordByteAt(uri_end) || kUriExtra.find(src_[uri_end]) != std::string_view::npos)) {
        ++uri_end;
      }
      if (uri_end > pos_ + 3) pos_ = uri_end;
    }
    Push(TokenKind::kWord, begin, pos_, std::string(src_.substr(begin, pos_ - begin)));
  }

  void LexOperator() {
    std::string_view rest = src_.substr(pos_);
    for (std::string_view op : kOperators) {
      if (rest.substr(0, op.size()) == op) {
        Push(TokenKind::kOperator, pos_, pos_ + op.size(), std::string(op));
        pos_ += op.size();
        return;
      }
    }
    // ';' and anything Spark does not recognise (UNRECOGNIZED) as one-byte operators.
    Push(TokenKind::kOperator, pos_, pos_ + 1, std::string(1, src_[pos_]));
    ++pos_;
  }

  std::string_view src_;
  LexLimits limits_;
  LexDialect dialect_;
  LexResult result_;
  std::size_t pos_ = 0;
  bool in_hint_ = false;
  std::size_t hint_offset_ = 0;
};

}  // namespace

LexResult LexSql(std::string_view statement, const LexLimits& limits, const LexDialect& dialect) {
  return Lexer(statement, limits, dialect).Run();
}

}  // namespace mg::sparksql
