// Unit tests of the TAR parser's field readers and of the path judgements, on hand-made
// fields (the archives themselves are tested in tar_test.cpp).
#include <gtest/gtest.h>

#include <string>

#include "analyzers/tar/checks.h"
#include "analyzers/tar/parser.h"

namespace mg::tar {
namespace {

using namespace std::string_view_literals;

std::optional<std::uint64_t> Number(std::string_view field) { return ParseNumber(ByteView(field)); }

TEST(TarParserTest, OctalFieldsAsWritersWriteThem) {
  EXPECT_EQ(Number("00000000644\0"sv), 0644u);
  EXPECT_EQ(Number("     644 \0"sv), 0644u);  // leading spaces, trailing space and NUL
  EXPECT_EQ(Number("\0\0\0\0\0\0\0\0"sv), 0u);  // an empty field is 0 for tarfile
  EXPECT_EQ(Number("77777777777\0"sv), 077777777777u);
}

TEST(TarParserTest, InvalidOctalFieldsAreRejected) {
  EXPECT_FALSE(Number("0000012x\0"sv));
  EXPECT_FALSE(Number("00000089\0"sv));
  EXPECT_FALSE(Number("644 1\0\0\0"sv));  // digits after the terminator
  EXPECT_FALSE(Number("7777777777777777777777\0"sv));  // more than 64 bits
}

TEST(TarParserTest, Base256Fields) {
  EXPECT_EQ(Number("\x80\0\0\0\0\0\0\0\0\0\x01\x00"sv), 256u);
  EXPECT_EQ(Number("\x80\0\0\0\x02\0\0\0\0\0\0\0"sv), 0x0200000000000000u);
  EXPECT_FALSE(Number("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"sv));  // negative
  EXPECT_FALSE(Number("\x80\0\x01\0\0\0\0\0\0\0\0\0"sv));  // beyond 64 bits
}

TEST(TarParserTest, PaddedSize) {
  EXPECT_EQ(PaddedSize(0), 0u);
  EXPECT_EQ(PaddedSize(1), 512u);
  EXPECT_EQ(PaddedSize(512), 512u);
  EXPECT_FALSE(PaddedSize(~std::uint64_t{0}));
}

TEST(TarParserTest, PaxRecordsAreBoundedByTheirLengths) {
  const PaxRecords good = ParsePaxRecords(ByteView("20 path=model/a.pkl\n10 size=9\n"sv));
  ASSERT_FALSE(good.error) << *good.error;
  ASSERT_EQ(good.records.size(), 2u);
  EXPECT_EQ(good.records[0].value, "model/a.pkl");
  EXPECT_EQ(good.records[1].keyword, "size");
  // A value holding '=' and a newline: the length decides, not the characters.
  const PaxRecords odd = ParsePaxRecords(ByteView("17 comment=a=b\nc\n"sv));
  ASSERT_EQ(odd.records.size(), 1u);
  EXPECT_EQ(odd.records[0].value, "a=b\nc");
  EXPECT_TRUE(ParsePaxRecords(ByteView("99 path=a\n"sv)).error);      // longer than the data
  EXPECT_TRUE(ParsePaxRecords(ByteView("0 path=a\n"sv)).error);       // zero length
  EXPECT_TRUE(ParsePaxRecords(ByteView("9 patha\nxx"sv)).error);      // no '='
  EXPECT_TRUE(ParsePaxRecords(ByteView("10 path=ab"sv)).error);       // no final newline
  EXPECT_TRUE(ParsePaxRecords(ByteView("\0\0\0"sv)).records.empty());  // padding ends it
}

TEST(TarParserTest, NormalizePathAppliesDotDotLexically) {
  EXPECT_EQ(NormalizedName("./a//b/./c"), "a/b/c");
  EXPECT_EQ(NormalizedName("a/../b"), "b");
  EXPECT_FALSE(NormalizedName("a/../../b"));
  EXPECT_FALSE(NormalizedName(".."));
}

TEST(TarParserTest, CredentialPaths) {
  EXPECT_TRUE(IsCredentialPath("/home/user/.ssh/id_rsa"));
  EXPECT_TRUE(IsCredentialPath("../../../../root/.ssh"));
  EXPECT_TRUE(IsCredentialPath("/etc/shadow"));
  EXPECT_TRUE(IsCredentialPath("/home/u/.aws/credentials"));
  EXPECT_TRUE(IsCredentialPath("/root/.netrc"));
  EXPECT_TRUE(IsCredentialPath("/proc/self/environ"));
  EXPECT_TRUE(IsCredentialPath("/etc/x/../shadow"));
  EXPECT_FALSE(IsCredentialPath("/etc/hostname"));
  EXPECT_FALSE(IsCredentialPath("model/shadow"));
  EXPECT_FALSE(IsCredentialPath("model/environ"));
  EXPECT_FALSE(IsCredentialPath("weights/data.bin"));
}

}  // namespace
}  // namespace mg::tar
