#include "core/reader.h"

#include <gtest/gtest.h>

#include <limits>

namespace mg {
namespace {

ByteView View(std::string_view s) { return ByteView(s); }

TEST(ReaderTest, ReadsLittleAndBigEndianIntegers) {
  Reader r(View(std::string_view("\x01\x02\x03\x04\x05\x06\x07\x08", 8)));
  EXPECT_EQ(*r.U16Le(), 0x0201);
  EXPECT_EQ(*r.U16Be(), 0x0304);
  EXPECT_EQ(*r.U32Le(), 0x08070605u);
  EXPECT_TRUE(r.at_end());
}

TEST(ReaderTest, TruncatedReadReportsAbsoluteOffsetAndDoesNotAdvance) {
  Reader r(View("abc"), 100);
  ASSERT_TRUE(r.Skip(2).ok());
  auto value = r.U32Le();
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.error().code, ErrorCode::kTruncated);
  EXPECT_EQ(value.error().offset, 102u);
  EXPECT_EQ(r.position(), 2u);
}

TEST(ReaderTest, BytesIsAViewWithoutCopy) {
  const std::string_view data = "hello world";
  Reader r(View(data));
  ASSERT_TRUE(r.Skip(6).ok());
  auto bytes = r.Bytes(5);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(bytes->AsStringView(), "world");
  EXPECT_EQ(reinterpret_cast<const char*>(bytes->data()), data.data() + 6);
}

TEST(ReaderTest, HugeDeclaredLengthIsRejectedWithoutOverflow) {
  Reader r(View("abcdef"));
  ASSERT_TRUE(r.Skip(3).ok());
  EXPECT_FALSE(r.Bytes(std::numeric_limits<std::uint64_t>::max()).ok());
  EXPECT_FALSE(r.Skip(std::numeric_limits<std::uint64_t>::max() - 1).ok());
  EXPECT_EQ(r.position(), 3u);
}

TEST(ReaderTest, UntilStopsAtDelimiterOrLimit) {
  Reader r(View("I42\nrest"));
  ASSERT_TRUE(r.Skip(1).ok());
  auto line = r.Until('\n', 16);
  ASSERT_TRUE(line.ok());
  EXPECT_EQ(line->AsStringView(), "42");
  EXPECT_EQ(r.position(), 4u);

  Reader no_newline(View("aaaaaaaaaaaaaaaaaaaa"));
  auto limited = no_newline.Until('\n', 4);
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().code, ErrorCode::kLimitExceeded);

  Reader short_input(View("abc"));
  auto truncated = short_input.Until('\n', 16);
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.error().code, ErrorCode::kTruncated);
}

TEST(ReaderTest, SeekBeyondEndFails) {
  Reader r(View("abc"));
  EXPECT_TRUE(r.Seek(3).ok());
  EXPECT_FALSE(r.Seek(4).ok());
}

TEST(ByteViewTest, SubChecksRangeWithoutOverflow) {
  const ByteView v = View("0123456789");
  EXPECT_TRUE(v.Sub(2, 8).has_value());
  EXPECT_FALSE(v.Sub(2, 9).has_value());
  EXPECT_FALSE(v.Sub(11, 0).has_value());
  EXPECT_FALSE(v.Sub(5, std::numeric_limits<std::uint64_t>::max()).has_value());
  EXPECT_EQ(v.Tail(20).size(), 0u);
  EXPECT_EQ(v.Prefix(3).AsStringView(), "012");
}

}  // namespace
}  // namespace mg
