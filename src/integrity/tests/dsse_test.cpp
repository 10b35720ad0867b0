#include "integrity/dsse.h"

#include <gtest/gtest.h>

#include <string>

namespace mg::integrity {
namespace {

Bytes B(std::string_view text) { return Bytes(text.begin(), text.end()); }
std::string S(const Bytes& bytes) { return std::string(bytes.begin(), bytes.end()); }

TEST(Dsse, PreAuthEncodingHasExactBytes) {
  // DSSE protocol.md: lengths are decimal byte counts, fields separated by one space.
  EXPECT_EQ(S(PreAuthEncoding("application/vnd.in-toto+json", B("{}"))),
            "DSSEv1 28 application/vnd.in-toto+json 2 {}");
  EXPECT_EQ(S(PreAuthEncoding("", {})), "DSSEv1 0  0 ");
  const Bytes binary = {0x00, 0xff, 0x20};
  Bytes expected = B("DSSEv1 1 t 3 ");
  expected.insert(expected.end(), binary.begin(), binary.end());
  EXPECT_EQ(PreAuthEncoding("t", binary), expected);
  // A multi-byte UTF-8 type counts bytes, not characters.
  EXPECT_EQ(S(PreAuthEncoding("\xc3\xa9", B("x"))), "DSSEv1 2 \xc3\xa9 1 x");
}

TEST(Dsse, PythonBytesReprFollowsCPythonRules) {
  EXPECT_EQ(PythonBytesRepr(B("abc")), "b'abc'");
  EXPECT_EQ(PythonBytesRepr(B("{\n  \"a\": 1\t}\r")), "b'{\\n  \"a\": 1\\t}\\r'");
  EXPECT_EQ(PythonBytesRepr(B("it's")), "b\"it's\"");
  EXPECT_EQ(PythonBytesRepr(B("it's \"q\"")), "b'it\\'s \"q\"'");
  EXPECT_EQ(PythonBytesRepr(B("a\\b")), "b'a\\\\b'");
  EXPECT_EQ(PythonBytesRepr(Bytes{0x00, 0x1f, 0x7f, 0x80, 0xff}), "b'\\x00\\x1f\\x7f\\x80\\xff'");
}

TEST(Dsse, LegacyEncodingUsesUpperCaseVAndTheRepr) {
  EXPECT_EQ(S(LegacyPreAuthEncodingV02("application/vnd.in-toto+json", B("{\n}"))),
            "DSSEV1 28 application/vnd.in-toto+json 3 b'{\\n}'");
}

}  // namespace
}  // namespace mg::integrity
