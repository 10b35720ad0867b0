// Tests of the Spark SQL tokenizer against the lexical rules of SqlBaseLexer.g4: nested
// comments, continued '--' comments, hints, quoting and escapes, literal concatenation,
// numbers, URI identifiers, Unicode whitespace, errors with offsets and the limits.
#include "analyzers/sparkml/sql_lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mg::sparksql {
namespace {

std::vector<std::string> Texts(const LexResult& result) {
  std::vector<std::string> out;
  for (const Token& token : result.tokens) out.push_back(token.text);
  return out;
}

TEST(SparkSqlLexer, SplitsAQueryIntoWordsOperatorsAndNumbers) {
  LexResult result = LexSql("SELECT *, (v1 + v2) AS v3 FROM __THIS__ WHERE v1 >= 0.5e3");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(Texts(result),
            (std::vector<std::string>{"SELECT", "*", ",", "(", "v1", "+", "v2", ")", "AS", "v3",
                                      "FROM", "__THIS__", "WHERE", "v1", ">=", "0.5e3"}));
  EXPECT_EQ(result.tokens[0].kind, TokenKind::kWord);
  EXPECT_EQ(result.tokens[15].kind, TokenKind::kNumber);
  EXPECT_EQ(result.tokens[14].offset, 49u);
}

TEST(SparkSqlLexer, KeywordsCarryAnUpperCaseCopy) {
  LexResult result = LexSql("sElEcT `Reflect`");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.tokens[0].upper, "SELECT");
  EXPECT_EQ(result.tokens[1].kind, TokenKind::kQuotedIdent);
  EXPECT_EQ(result.tokens[1].text, "Reflect");
  EXPECT_EQ(result.tokens[1].upper, "REFLECT");
}

TEST(SparkSqlLexer, BackquotedIdentifiersDecodeDoubledBackquotes) {
  LexResult result = LexSql("SELECT `a``b` FROM parquet.`/tmp/x`");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.tokens[1].text, "a`b");
  EXPECT_EQ(result.tokens[5].text, "/tmp/x");
}

TEST(SparkSqlLexer, BlockCommentsNest) {
  // Spark's BRACKETED_COMMENT is recursive: the first '*/' does not end the outer comment.
  LexResult result = LexSql("SELECT /* a /* b */ reflect */ 1");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(Texts(result), (std::vector<std::string>{"SELECT", "1"}));
}

TEST(SparkSqlLexer, AHintMarkerInsideACommentOpensNoNestedComment) {
  // BRACKETED_COMMENT's {!isHint()}? predicate also guards the nested '/*': '/*+' opens nothing.
  LexResult result = LexSql("SELECT /* a /*+ b */ reflect -- */\n1");
  ASSERT_TRUE(result.ok()) << result.message;
  EXPECT_EQ(Texts(result), (std::vector<std::string>{"SELECT", "reflect", "1"}));
}

TEST(SparkSqlLexer, OlderDialectsEndCommentsEarlier) {
  const LexDialect spark30{false, true};
  const LexDialect spark2{false, false};
  // Before Spark 3.1 the first '*/' ends a comment.
  LexResult flat = LexSql("SELECT /* a /* b */ reflect */ 1", {}, spark30);
  ASSERT_TRUE(flat.ok()) << flat.message;
  EXPECT_EQ(Texts(flat), (std::vector<std::string>{"SELECT", "reflect", "*", "/", "1"}));
  // '/*' ~[+] consumes the third character, so '/**/ x */' is one comment when a '*/' follows.
  EXPECT_EQ(Texts(LexSql("a /**/ b */ c", {}, spark30)), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(Texts(LexSql("a /**/ b", {}, spark30)), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(LexSql("a /* b", {}, spark30).error, LexError::kUnterminatedComment);
  // Spark 2.x has no backslash continuation of '--' comments.
  LexResult line = LexSql("SELECT 1 -- note \\\nreflect\nFROM __THIS__", {}, spark2);
  ASSERT_TRUE(line.ok());
  EXPECT_EQ(Texts(line), (std::vector<std::string>{"SELECT", "1", "reflect", "FROM", "__THIS__"}));
}

TEST(SparkSqlLexer, LineCommentsEndAtNewlineUnlessEscaped) {
  LexResult result = LexSql("SELECT 1 -- note \\\nreflect\nFROM __THIS__");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(Texts(result), (std::vector<std::string>{"SELECT", "1", "FROM", "__THIS__"}));
}

TEST(SparkSqlLexer, CommentsSeparateKeywords) {
  LexResult result = LexSql("ADD/**/JAR--x\n'/tmp/a.jar'");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(Texts(result), (std::vector<std::string>{"ADD", "JAR", "/tmp/a.jar"}));
}

TEST(SparkSqlLexer, HintsAreMarkedAndTheirContentLexed) {
  LexResult result = LexSql("SELECT /*+ BROADCAST(t) */ * FROM __THIS__ t");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.tokens[1].kind, TokenKind::kHintStart);
  EXPECT_EQ(result.tokens[2].text, "BROADCAST");
  EXPECT_EQ(result.tokens[6].kind, TokenKind::kHintEnd);
}

TEST(SparkSqlLexer, StringsDecodeBackslashEscapesInBothQuotes) {
  LexResult result = LexSql(R"(SELECT 'it\'s\n', "say \"x\"", 'a\tb\\')");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.tokens[1].text, "it's\n");
  EXPECT_EQ(result.tokens[3].text, "say \"x\"");
  EXPECT_EQ(result.tokens[5].text, "a\tb\\");
}

TEST(SparkSqlLexer, StringsDecodeUnicodeAndOctalEscapes) {
  LexResult result = LexSql(R"(SELECT '\u0072eflect', '\U0001F600', '\162\145f', '\201\u12')");
  ASSERT_TRUE(result.ok());
  // \2 is not an octal escape (only \0oo and \1oo are) and \u needs four hex digits.
  EXPECT_EQ(result.tokens[7].text, "201u12");
  EXPECT_EQ(result.tokens[1].text, "reflect");
  EXPECT_EQ(result.tokens[3].text, "\xF0\x9F\x98\x80");
  EXPECT_EQ(result.tokens[5].text, "ref");
}

TEST(SparkSqlLexer, RawStringsKeepBackslashes) {
  LexResult result = LexSql(R"(SELECT r'C:\temp\n', R"a\b")");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.tokens[1].text, R"(C:\temp\n)");
  EXPECT_EQ(result.tokens[3].text, R"(a\b)");
}

TEST(SparkSqlLexer, AdjacentStringLiteralsAreConcatenated) {
  LexResult result = LexSql("USING '/bin/' /* x */ \"s\"\n'h'");
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result.tokens.size(), 2u);
  EXPECT_EQ(result.tokens[1].kind, TokenKind::kString);
  EXPECT_EQ(result.tokens[1].text, "/bin/sh");
  EXPECT_EQ(result.tokens[1].offset, 6u);
}

TEST(SparkSqlLexer, NumbersWithSuffixesAndIdentifiersWithLeadingDigits) {
  LexResult result = LexSql("SELECT 10L, 2.5BD, 1e-3D, .5, 1st_col");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.tokens[1].kind, TokenKind::kNumber);
  EXPECT_EQ(result.tokens[3].text, "2.5BD");
  EXPECT_EQ(result.tokens[3].kind, TokenKind::kNumber);
  EXPECT_EQ(result.tokens[5].text, "1e-3D");
  EXPECT_EQ(result.tokens[7].text, ".5");
  EXPECT_EQ(result.tokens[9].kind, TokenKind::kWord);
  EXPECT_EQ(result.tokens[9].text, "1st_col");
}

TEST(SparkSqlLexer, OperatorsUseTheLongestMatch) {
  LexResult result = LexSql("a<=>b->c::d||e!=f");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(Texts(result), (std::vector<std::string>{"a", "<=>", "b", "->", "c", "::", "d", "||",
                                                     "e", "!=", "f"}));
}

TEST(SparkSqlLexer, UriIdentifiersAreOneWord) {
  LexResult result = LexSql("SELECT * FROM parquet.s3a://bucket/key.parquet");
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result.tokens.size(), 6u);
  EXPECT_EQ(result.tokens[5].text, "s3a://bucket/key.parquet");
}

TEST(SparkSqlLexer, UnicodeWhitespaceSeparatesTokens) {
  // U+00A0 and U+3000 are whitespace for Spark, not part of an identifier.
  LexResult result = LexSql("ADD\xC2\xA0JAR\xE3\x80\x80'x.jar'");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(Texts(result), (std::vector<std::string>{"ADD", "JAR", "x.jar"}));
}

TEST(SparkSqlLexer, UnterminatedConstructsReportTheirOffset) {
  LexResult string = LexSql("SELECT 'abc FROM __THIS__");
  EXPECT_EQ(string.error, LexError::kUnterminatedString);
  EXPECT_EQ(string.error_offset, 7u);
  EXPECT_EQ(string.tokens.size(), 1u);

  LexResult comment = LexSql("SELECT 1 /* a /* b */");
  EXPECT_EQ(comment.error, LexError::kUnterminatedComment);
  EXPECT_EQ(comment.error_offset, 9u);

  LexResult ident = LexSql("SELECT `abc");
  EXPECT_EQ(ident.error, LexError::kUnterminatedIdentifier);

  LexResult hint = LexSql("SELECT /*+ REPARTITION(2) * FROM t");
  EXPECT_EQ(hint.error, LexError::kUnterminatedHint);
  EXPECT_EQ(hint.error_offset, 7u);

  LexResult backslash = LexSql("SELECT 'abc\\'");
  EXPECT_EQ(backslash.error, LexError::kUnterminatedString);
}

TEST(SparkSqlLexer, LimitsStopLexing) {
  LexLimits limits;
  limits.max_statement_bytes = 16;
  LexResult long_text = LexSql("SELECT * FROM __THIS__", limits);
  EXPECT_EQ(long_text.error, LexError::kTooLong);
  EXPECT_TRUE(long_text.tokens.empty());

  limits.max_statement_bytes = 1 << 20;
  limits.max_tokens = 3;
  LexResult many = LexSql("SELECT a, b FROM __THIS__", limits);
  EXPECT_EQ(many.error, LexError::kTooManyTokens);
  EXPECT_EQ(many.tokens.size(), 3u);
}

TEST(SparkSqlLexer, ArbitraryBytesDoNotBreakIt) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  LexResult result = LexSql(bytes);
  for (const Token& token : result.tokens) EXPECT_LE(token.offset, token.end);
  EXPECT_LE(result.error_offset, bytes.size());
}

}  // namespace
}  // namespace mg::sparksql
