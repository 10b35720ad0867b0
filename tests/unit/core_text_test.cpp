#include "core/text.h"

#include <string>

#include <gtest/gtest.h>

namespace mg {
namespace {

std::string Utf8(std::uint32_t code_point) {
  std::string out;
  AppendUtf8(out, code_point);
  return out;
}

TEST(CoreText, EncodesEachUtf8LengthAtItsBoundaries) {
  EXPECT_EQ(Utf8(0x7F), "\x7F");
  EXPECT_EQ(Utf8(0x80), "\xC2\x80");
  EXPECT_EQ(Utf8(0x7FF), "\xDF\xBF");
  EXPECT_EQ(Utf8(0x800), "\xE0\xA0\x80");
  EXPECT_EQ(Utf8(0xFFFF), "\xEF\xBF\xBF");
  EXPECT_EQ(Utf8(0x10000), "\xF0\x90\x80\x80");
  EXPECT_EQ(Utf8(0x10FFFF), "\xF4\x8F\xBF\xBF");
}

TEST(CoreText, KeepsSurrogatesAndReplacesOutOfRangeValues) {
  EXPECT_EQ(Utf8(0xD800), "\xED\xA0\x80");  // as Python's surrogatepass writes it
  EXPECT_EQ(Utf8(0x110000), "\xEF\xBF\xBD");
  EXPECT_EQ(Utf8(0xFFFFFFFF), "\xEF\xBF\xBD");
}

TEST(CoreText, HexDigits) {
  EXPECT_EQ(HexDigitValue('0'), 0);
  EXPECT_EQ(HexDigitValue('9'), 9);
  EXPECT_EQ(HexDigitValue('a'), 10);
  EXPECT_EQ(HexDigitValue('F'), 15);
  EXPECT_EQ(HexDigitValue('g'), -1);
  EXPECT_EQ(HexDigitValue(0x100 + '1'), -1);
}

}  // namespace
}  // namespace mg
