// The table of formats recognised by magic number but not analysed (engine/sniff.cpp). It is
// tested directly: a registered analyzer (ZIP, say) takes precedence in real scans.
#include "engine/sniff.h"

#include <gtest/gtest.h>

#include "engine/scan_context.h"

namespace mg {
namespace {

using namespace std::string_view_literals;

struct Sniffed {
  std::string format;
  Target target;
};

Sniffed Unanalysed(std::string_view bytes) {
  Sniffed out;
  out.target.path.assign(1, 'f');  // (a literal here trips GCC 12 -Wrestrict)
  Limits limits;
  ScanContext ctx(out.target, limits);
  out.format = ReportUnanalysedFormat(ctx, ByteView(bytes));
  return out;
}

struct CodeCarrier {
  std::string_view name;
  std::string_view bytes;
};

TEST(SniffTableTest, FormatsThatCanCarryCodeFailClosed) {
  const CodeCarrier carriers[] = {
      {"hdf5", "\x89HDF\r\n\x1a\n"sv},
      {"java-serialization", "\xac\xed\x00\x05sr"sv},
  };
  for (const auto& carrier : carriers) {
    const Sniffed sniffed = Unanalysed(carrier.bytes);
    EXPECT_EQ(sniffed.format, carrier.name);
    EXPECT_EQ(sniffed.target.status, TargetStatus::kIncomplete) << carrier.name;
    ASSERT_EQ(sniffed.target.findings.size(), 1u) << carrier.name;
    EXPECT_EQ(sniffed.target.findings[0].rule, "SCAN-UNSUPPORTED-FORMAT");
    EXPECT_GE(sniffed.target.findings[0].severity, Severity::kMedium) << carrier.name;
    EXPECT_EQ(sniffed.target.findings[0].location.offset, 0u);
  }
}

TEST(SniffTableTest, DataFormatIsInfoAndComplete) {
  const Sniffed sniffed = Unanalysed("PAR1\x15\x04"sv);
  EXPECT_EQ(sniffed.format, "parquet");
  EXPECT_EQ(sniffed.target.status, TargetStatus::kComplete);
  ASSERT_EQ(sniffed.target.findings.size(), 1u);
  EXPECT_EQ(sniffed.target.findings[0].rule, "SCAN-UNSUPPORTED-FORMAT");
  EXPECT_EQ(sniffed.target.findings[0].severity, Severity::kInfo);
}

TEST(SniffTableTest, UnknownContentIsInfoAndEmptyHasNoFinding) {
  const Sniffed text = Unanalysed("{\"architectures\": [\"Bert\"]}");
  EXPECT_EQ(text.format, "unknown");
  EXPECT_EQ(text.target.status, TargetStatus::kComplete);
  ASSERT_EQ(text.target.findings.size(), 1u);
  EXPECT_EQ(text.target.findings[0].rule, "SCAN-UNRECOGNIZED-FORMAT");
  EXPECT_EQ(text.target.findings[0].severity, Severity::kInfo);

  const Sniffed empty = Unanalysed("");
  EXPECT_EQ(empty.format, "empty");
  EXPECT_TRUE(empty.target.findings.empty());
}

TEST(SniffTableTest, MagicMustBeAtItsOffsetAndComplete) {
  EXPECT_EQ(Unanalysed("xPK\x03\x04"sv).format, "unknown");
  EXPECT_EQ(Unanalysed("PK\x03"sv).format, "unknown");              // truncated magic
  EXPECT_EQ(Unanalysed("ustar at the start"sv).format, "unknown");  // tar's is at 257
  EXPECT_EQ(Unanalysed(std::string(300, 'x')).format, "unknown");
}

TEST(SniffTableTest, NoAnalyzerClaimsText) {
  EXPECT_EQ(SniffAnalyzer(ByteView(std::string_view("hello world\n"))), nullptr);
  EXPECT_EQ(SniffAnalyzer(ByteView()), nullptr);
}

}  // namespace
}  // namespace mg
