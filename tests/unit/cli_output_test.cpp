#include <gtest/gtest.h>

#include "cli/output.h"

namespace mg::cli {
namespace {

unsigned long long Parsed(const std::string& text) {
  unsigned long long bytes = 0;
  EXPECT_TRUE(ParseByteSize(text, bytes)) << text;
  return bytes;
}

bool Rejects(const std::string& text) {
  unsigned long long bytes = 12345;
  const bool ok = ParseByteSize(text, bytes);
  EXPECT_EQ(bytes, 12345u) << "output changed on failure for " << text;
  return !ok;
}

TEST(ParseByteSizeTest, PlainBytesAndBinarySuffixes) {
  EXPECT_EQ(Parsed("0"), 0u);
  EXPECT_EQ(Parsed("123"), 123u);
  EXPECT_EQ(Parsed("123B"), 123u);
  EXPECT_EQ(Parsed("64K"), 64u << 10);
  EXPECT_EQ(Parsed("64KiB"), 64u << 10);
  EXPECT_EQ(Parsed("4M"), 4u << 20);
  EXPECT_EQ(Parsed("2G"), 2ULL << 30);
  EXPECT_EQ(Parsed("64GiB"), 64ULL << 30);
  EXPECT_EQ(Parsed("1T"), 1ULL << 40);
  EXPECT_EQ(Parsed("18446744073709551615"), ~0ULL);
}

TEST(ParseByteSizeTest, RejectsGarbageAndOverflow) {
  EXPECT_TRUE(Rejects(""));
  EXPECT_TRUE(Rejects("K"));
  EXPECT_TRUE(Rejects("-1"));
  EXPECT_TRUE(Rejects("1.5G"));
  EXPECT_TRUE(Rejects("12Q"));
  EXPECT_TRUE(Rejects("4 G"));
  EXPECT_TRUE(Rejects("4g"));
  EXPECT_TRUE(Rejects("4GB"));  // decimal or binary? ambiguous, so refused
  EXPECT_TRUE(Rejects("18446744073709551616"));
  EXPECT_TRUE(Rejects("16777216T"));  // 2^64
  EXPECT_TRUE(Rejects("99999999999999999999999"));
}

TEST(FormatByteSizeTest, ShortestExactForm) {
  EXPECT_EQ(FormatByteSize(0), "0");
  EXPECT_EQ(FormatByteSize(1000), "1000");
  EXPECT_EQ(FormatByteSize(1024), "1K");
  EXPECT_EQ(FormatByteSize(1536), "1536");
  EXPECT_EQ(FormatByteSize(4ULL << 30), "4G");
  EXPECT_EQ(FormatByteSize(64ULL << 30), "64G");
  EXPECT_EQ(FormatByteSize(2048ULL << 40), "2048T");
  for (const unsigned long long value : {0ULL, 1ULL, 1024ULL, 3ULL << 20, 5ULL << 40}) {
    unsigned long long back = 0;
    ASSERT_TRUE(ParseByteSize(FormatByteSize(value), back));
    EXPECT_EQ(back, value);
  }
}

}  // namespace
}  // namespace mg::cli
