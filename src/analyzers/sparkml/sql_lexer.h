// A Spark SQL tokenizer, enough to judge a SQLTransformer statement (spark-ml-format.md §3.1).
// It follows Spark's SqlBaseLexer.g4 in the details an attacker could use to hide text from a
// simpler reader: nested bracketed comments, '--' comments continued by a backslash before the
// newline, hints '/*+ ... */', backquoted identifiers with '``', single- and double-quoted
// strings with backslash escapes (decoded like ParserUtils.unescapeSQLString: \uXXXX,
// \UXXXXXXXX, octal \0oo and \1oo, \n ...), raw strings R'...', adjacent string literals
// concatenated (the parser's `stringLit+`), Unicode whitespace, and URI identifiers
// (s3a://bucket/x). Keywords are case-insensitive: every word carries an ASCII upper-case copy.
// Spark parses with the grammar of the release that loads the model, so the comment rules of
// older releases can be asked for (LexDialect).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mg::sparksql {

enum class TokenKind : std::uint8_t {
  kWord,         // identifier or keyword (also URI identifiers); `upper` is its upper case
  kQuotedIdent,  // `backquoted` identifier; `text` holds the name with '``' decoded
  kString,       // string literal(s); `text` holds the decoded, concatenated value
  kNumber,       // numeric literal as written (with suffixes L S Y F D BD)
  kOperator,     // punctuation and operators: ( ) , . ; -> :: <=> ...
  kHintStart,    // '/*+'
  kHintEnd,      // '*/' closing a hint
};

struct Token {
  TokenKind kind = TokenKind::kWord;
  std::string text;          // decoded value for strings and quoted identifiers, else source
  std::string upper;         // ASCII upper case of `text` (words and quoted identifiers)
  std::uint64_t offset = 0;  // offset of the token's first byte in the statement
  std::uint64_t end = 0;     // offset just past the token's last byte
};

// Bounds on what one statement may cost. A SQLTransformer statement is one query of a few
// hundred bytes; 1 MiB and 200k tokens leave room for generated feature SQL.
struct LexLimits {
  std::uint64_t max_statement_bytes = 1 << 20;
  std::uint64_t max_tokens = 200000;
};

// The lexical rules that changed between Spark releases (SqlBase.g4 history). The default is
// Spark 3.1 and later.
struct LexDialect {
  // Spark 3.1+: BRACKETED_COMMENT nests (except at '/*+'). Spark 2.x-3.0: '/*' ~[+] .*? '*/'
  // (the first '*/' after the third character ends it) or '/**/'.
  bool nested_comments = true;
  // Spark 3.0+: SIMPLE_COMMENT '--' ('\\\n' | ~[\r\n])*. Spark 2.x: '--' ~[\r\n]*.
  bool continued_line_comments = true;
};

enum class LexError : std::uint8_t {
  kNone,
  kUnterminatedString,
  kUnterminatedIdentifier,
  kUnterminatedComment,
  kUnterminatedHint,
  kTooLong,        // statement longer than max_statement_bytes: nothing lexed
  kTooManyTokens,  // stopped after max_tokens
};

struct LexResult {
  std::vector<Token> tokens;  // every token lexed before an error
  LexError error = LexError::kNone;
  std::string message;  // why lexing stopped, for people
  std::uint64_t error_offset = 0;
  bool ok() const { return error == LexError::kNone; }
};

LexResult LexSql(std::string_view statement, const LexLimits& limits = {},
                 const LexDialect& dialect = {});

}  // namespace mg::sparksql
