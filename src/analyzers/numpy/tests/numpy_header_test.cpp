// Unit tests of the .npy header pieces: the literal parser (what ast.literal_eval accepts,
// and expressions it must refuse), the dtype reader (item sizes as NumPy 1.24 reports them on
// 64-bit Linux), and the header dict checks.
#include <gtest/gtest.h>

#include <string>

#include "analyzers/numpy/dtype.h"
#include "analyzers/numpy/header.h"
#include "analyzers/numpy/literal.h"

namespace mg::numpy {
namespace {

using Kind = Literal::Kind;

LiteralParse Parse(std::string_view text, bool latin1 = false, bool allow_long = false) {
  return ParseLiteral(text, latin1, allow_long);
}

TEST(NumpyLiteralTest, ParsesTheHeaderNumpyWrites) {
  const std::string_view text =
      "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }          \n";
  const LiteralParse parse = Parse(text);
  ASSERT_TRUE(parse.ok) << parse.error;
  EXPECT_EQ(parse.end, text.size());  // the padding is space
  const Literal& dict = parse.value;
  ASSERT_EQ(dict.kind, Kind::kDict);
  ASSERT_EQ(dict.items.size(), 6u);
  EXPECT_EQ(dict.items[1].text, "<f8");
  EXPECT_EQ(dict.items[3].kind, Kind::kBool);
  EXPECT_FALSE(dict.items[3].boolean);
  ASSERT_EQ(dict.items[5].kind, Kind::kTuple);
  EXPECT_EQ(dict.items[5].items[1].magnitude, 4u);
  EXPECT_FALSE(parse.comment);
}

TEST(NumpyLiteralTest, TuplesParenthesesAndEmptyContainers) {
  EXPECT_EQ(Parse("()").value.kind, Kind::kTuple);
  EXPECT_EQ(Parse("(5,)").value.items.size(), 1u);
  const LiteralParse grouped = Parse("(5)");  // parentheses, not a tuple
  ASSERT_TRUE(grouped.ok);
  EXPECT_EQ(grouped.value.kind, Kind::kInt);
  EXPECT_EQ(Parse("[]").value.kind, Kind::kList);
  EXPECT_EQ(Parse("{}").value.kind, Kind::kDict);
  EXPECT_EQ(Parse("None").value.kind, Kind::kNone);
}

TEST(NumpyLiteralTest, StringsEscapesPrefixesAndConcatenation) {
  EXPECT_EQ(Parse(R"('a\'b\\c\x41\u00e9\n')").value.text, "a'b\\cA\xc3\xa9\n");
  EXPECT_EQ(Parse(R"("dq" 'sq')").value.text, "dqsq");
  EXPECT_EQ(Parse(R"(u'x')").value.text, "x");
  EXPECT_EQ(Parse(R"(r'\d')").value.text, "\\d");
  EXPECT_EQ(Parse(R"('''tri'ple''')").value.text, "tri'ple");
  EXPECT_EQ(Parse("'\\101'").value.text, "A");
  // Latin-1 headers (versions 1.0, 2.0): the byte 0xe9 is U+00E9.
  EXPECT_EQ(Parse("'\xe9'", true).value.text, "\xc3\xa9");
  EXPECT_FALSE(Parse("'open").ok);
  EXPECT_FALSE(Parse("'a\nb'").ok);
  EXPECT_FALSE(Parse(R"('\x4')").ok);
  EXPECT_FALSE(Parse("b'<f8'").ok);  // bytes, not str
  EXPECT_FALSE(Parse("b'<f8'").not_a_literal);
}

TEST(NumpyLiteralTest, Integers) {
  EXPECT_EQ(Parse("1_000").value.magnitude, 1000u);
  EXPECT_EQ(Parse("0x1F").value.magnitude, 31u);
  EXPECT_EQ(Parse("0o17").value.magnitude, 15u);
  EXPECT_EQ(Parse("0b101").value.magnitude, 5u);
  EXPECT_EQ(Parse("000").value.magnitude, 0u);
  const LiteralParse negative = Parse("- 7");
  ASSERT_TRUE(negative.ok);
  EXPECT_TRUE(negative.value.negative);
  EXPECT_EQ(negative.value.magnitude, 7u);
  const LiteralParse huge = Parse("99999999999999999999999999");
  ASSERT_TRUE(huge.ok);
  EXPECT_TRUE(huge.value.too_big);
  for (const char* bad :
       {"012", "1__0", "1_", "0x", "1.5", "1e5", "2j", "0xG", "1+2j", "(1 - 2.5j)", "..."}) {
    EXPECT_FALSE(Parse(bad).ok) << bad;
    EXPECT_FALSE(Parse(bad).not_a_literal) << bad;
  }
  // numpy filters Python 2's long suffix out of version 1.0 and 2.0 headers only.
  EXPECT_FALSE(Parse("10L").ok);
  const LiteralParse long_suffix = Parse("10L", false, true);
  ASSERT_TRUE(long_suffix.ok);
  EXPECT_TRUE(long_suffix.python2_long);
  EXPECT_EQ(long_suffix.value.magnitude, 10u);
}

TEST(NumpyLiteralTest, ExpressionsAreNotLiterals) {
  struct Case {
    const char* text;
    const char* expression;
  };
  const Case cases[] = {
      {"{'descr': __import__('os').system('id'), 'shape': ()}", "__import__('os').system('id')"},
      {"{'descr': eval('1')}", "eval('1')"},
      {"{'descr': '<f8'.join([]), 'x': 1}", "'<f8'.join([])"},
      {"{'shape': (1 + 2,)}", "1 + 2"},
      {"{'shape': [1][0]}", "[1][0]"},
      {"{'descr': f'{x}'}", "f'{x}'"},
      {"{'descr': lambda: 0}", "lambda: 0"},
      {"{'shape': (x := 3)}", "x := 3"},
      {"{'descr': ~1}", "~1"},
      {"{'descr': '<f8'('x')}", "'<f8'('x')"},
  };
  for (const Case& c : cases) {
    const LiteralParse parse = Parse(c.text);
    EXPECT_FALSE(parse.ok) << c.text;
    EXPECT_TRUE(parse.not_a_literal) << c.text;
    EXPECT_EQ(parse.expression, c.expression) << c.text;
  }
}

TEST(NumpyLiteralTest, CommentsAndContinuationsAreSpace) {
  const LiteralParse parse = Parse("{'a': 1, # note\n 'b': \\\n 2}");
  ASSERT_TRUE(parse.ok) << parse.error;
  EXPECT_TRUE(parse.comment);
  EXPECT_EQ(parse.value.items.size(), 4u);
}

TEST(NumpyLiteralTest, DepthAndSizeLimits) {
  std::string deep(kMaxLiteralDepth, '[');
  deep += std::string(kMaxLiteralDepth, ']');
  EXPECT_TRUE(Parse(deep).ok);
  const std::string too_deep = "[" + deep + "]";
  const LiteralParse parse = Parse(too_deep);
  EXPECT_FALSE(parse.ok);
  EXPECT_NE(parse.error.find("deeper"), std::string::npos);
  std::string many = "(";
  for (std::uint32_t i = 0; i <= kMaxLiteralNodes; ++i) many += "1,";
  many += ")";
  EXPECT_FALSE(Parse(many).ok);
  EXPECT_FALSE(Parse("{1, 2}").ok);  // a set
}

TEST(NumpyLiteralTest, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8("temp\xc3\xa9rature"));
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));  // surrogate
  EXPECT_FALSE(IsValidUtf8("\xe2\x82"));      // cut short
}

// Item sizes and object-ness as numpy.dtype(...) reports them (NumPy 1.24, x86-64 Linux).
TEST(NumpyDtypeTest, TypeStrings) {
  struct Case {
    const char* type;
    std::uint64_t itemsize;
    bool object;
  };
  const Case cases[] = {
      {"<f8", 8, false},      {"|b1", 1, false},   {"?", 1, false},       {">i2", 2, false},
      {"<u8", 8, false},      {"<c16", 16, false}, {"<f16", 16, false},   {"<U10", 40, false},
      {"|S3", 3, false},      {"|V0", 0, false},   {"<M8[ns]", 8, false}, {"<m8", 8, false},
      {"M8[ns/2]", 8, false}, {"|O", 8, true},     {"O", 8, true},        {"<O4", 8, true},
      {"l", 8, false},        {"g", 16, false},    {"G", 32, false},      {"c", 1, false},
  };
  for (const Case& c : cases) {
    const DtypeInfo info = DescribeTypeString(c.type);
    ASSERT_TRUE(info.ok) << c.type << ": " << info.error;
    EXPECT_EQ(info.itemsize, c.itemsize) << c.type;
    EXPECT_EQ(info.has_object, c.object) << c.type;
  }
  for (const char* bad : {"", "<", "float64", "u", "i0", "f3", "<f8,<i4", "<M8[", "<f8[ns]",
                          "S99999999999999999999", "O2", "h2"}) {
    const DtypeInfo info = DescribeTypeString(bad);
    EXPECT_FALSE(info.ok) << bad;
    EXPECT_TRUE(info.unsupported) << bad;
  }
}

DtypeInfo DescribeText(std::string_view descr) {
  const LiteralParse parse = Parse(descr);
  EXPECT_TRUE(parse.ok) << descr;
  return DescribeDtype(parse.value);
}

TEST(NumpyDtypeTest, StructuredAndSubarrayDtypes) {
  // np.dtype([('id', '<i4'), ('pos', '<f8', (2, 3)), ('info', [('name', 'S4'), ('flag', '?')])])
  DtypeInfo info = DescribeText(
      "[('id', '<i4'), ('pos', '<f8', (2, 3)), ('info', [('name', '|S4'), ('flag', '|b1')])]");
  ASSERT_TRUE(info.ok) << info.error;
  EXPECT_EQ(info.itemsize, 4u + 48u + 5u);
  EXPECT_FALSE(info.has_object);
  // Object fields anywhere make the whole array a pickle.
  info = DescribeText("[('a', '<i4'), ('b', [('c', [('d', '|O')])])]");
  ASSERT_TRUE(info.ok);
  EXPECT_TRUE(info.has_object);
  info = DescribeText("[(('title', 'name'), '<f4', 3)]");
  ASSERT_TRUE(info.ok) << info.error;
  EXPECT_EQ(info.itemsize, 12u);
  info = DescribeText("('<i2', (2, 2))");
  ASSERT_TRUE(info.ok);
  EXPECT_EQ(info.itemsize, 8u);
  EXPECT_TRUE(DescribeText("[]").ok);
  EXPECT_FALSE(DescribeText("[('a',)]").ok);
  EXPECT_FALSE(DescribeText("[(1, '<f4')]").ok);
  EXPECT_FALSE(DescribeText("[('a', '<f4', (-1,))]").ok);
  EXPECT_FALSE(DescribeText("[('a', '<f8', (4294967296, 4294967296))]").ok);  // overflow
  EXPECT_FALSE(DescribeText("5").ok);
}

TEST(NumpyHeaderDictTest, KeysAndTypes) {
  auto dict = [](std::string_view text) {
    static LiteralParse parse;  // the HeaderDict points into it
    parse = Parse(text);
    EXPECT_TRUE(parse.ok) << text;
    return ReadHeaderDict(parse.value);
  };
  EXPECT_TRUE(dict("{'descr': '<f8', 'fortran_order': True, 'shape': ()}").ok);
  EXPECT_FALSE(dict("{'descr': '<f8', 'fortran_order': 1, 'shape': ()}").ok);
  EXPECT_FALSE(dict("{'descr': '<f8', 'fortran_order': True, 'shape': [1]}").ok);
  EXPECT_FALSE(dict("{'descr': '<f8', 'fortran_order': True, 'shape': ('1',)}").ok);
  EXPECT_FALSE(dict("{'descr': '<f8', 'fortran_order': True}").ok);
  EXPECT_FALSE(dict("{1: '<f8'}").ok);
  EXPECT_FALSE(dict("['descr']").ok);
  const HeaderDict repeated =
      dict("{'shape': (1,), 'shape': (2,), 'descr': '<f8', 'fortran_order': False}");
  ASSERT_TRUE(repeated.ok);
  ASSERT_EQ(repeated.duplicate_keys.size(), 1u);
  EXPECT_EQ(repeated.shape->items[0].magnitude, 2u);  // the last value, as in Python
}

TEST(NumpyHeaderDictTest, ElementCounts) {
  auto count = [](std::string_view shape) { return CountElements(Parse(shape).value); };
  EXPECT_EQ(count("()").count, 1u);
  EXPECT_EQ(count("(3, 4)").count, 12u);
  EXPECT_TRUE(count("(4294967296, 4294967296)").overflow);
  EXPECT_EQ(count("(0, 4294967296, 4294967296)").count, 0u);  // empty whatever the rest
  EXPECT_TRUE(count("(2, -1)").negative);
  EXPECT_TRUE(count("(99999999999999999999999,)").overflow);
}

TEST(NumpyHeaderTest, PreambleVersionsAndLengths) {
  using namespace std::string_view_literals;
  Preamble pre = ReadPreamble(ByteView("\x93NUMPY\x01\x00\x02\x00{}"sv));
  EXPECT_EQ(pre.error, PreambleError::kNone);
  EXPECT_EQ(pre.header_offset, 10u);
  EXPECT_EQ(pre.data_offset, 12u);
  pre = ReadPreamble(ByteView("\x93NUMPY\x03\x00\x02\x00\x00\x00{}"sv));
  EXPECT_EQ(pre.error, PreambleError::kNone);
  EXPECT_EQ(pre.header_offset, 12u);
  EXPECT_EQ(ReadPreamble(ByteView("\x93NUMPY\x02\x00\x02\x00\x00"sv)).error,
            PreambleError::kTooShort);
  EXPECT_EQ(ReadPreamble(ByteView("\x93NUMPY\x01\x01\x02\x00{}"sv)).error,
            PreambleError::kUnknownVersion);
  EXPECT_EQ(ReadPreamble(ByteView("\x93NUMPY\x01\x00\x03\x00{}"sv)).error,
            PreambleError::kHeaderPastEnd);
  EXPECT_EQ(ReadPreamble(ByteView("\x93NUMPY"sv)).error, PreambleError::kTooShort);
}

TEST(NumpyHeaderTest, EvidenceIsEscapedAndBounded) {
  EXPECT_EQ(Excerpt("a\tb\n"), "a\\x09b\\x0a");
  EXPECT_EQ(Excerpt("\xe9t\xe9"), "\\xe9t\\xe9");  // latin-1, not UTF-8
  EXPECT_EQ(Excerpt("\xc3\xa9t\xc3\xa9"), "\xc3\xa9t\xc3\xa9");
  EXPECT_EQ(Excerpt(std::string(300, 'x'), 10), std::string(10, 'x') + "...");
  EXPECT_EQ(Repr(Parse("{'a': (1,), 'b': [True, None, -2]}").value),
            "{'a': (1,), 'b': [True, None, -2]}");
}

}  // namespace
}  // namespace mg::numpy
