// Edge cases built in memory with zlib: bombs under lowered limits, stream-count and time
// limits, header anomalies, unsupported variants, and the weak zlib magic against pickles.
#include <gtest/gtest.h>
#include <zlib.h>

#include <chrono>
#include <string>
#include <vector>

#include "analyzers/compress/formats.h"
#include "engine/analyzer.h"
#include "engine/scan_context.h"
#include "engine/sniff.h"
#include "support/test_paths.h"

namespace mg {
namespace {

using namespace std::string_literals;
using namespace std::string_view_literals;

Target Analyze(const std::string& bytes, const Limits& limits = {}) {
  Target target;
  target.path.assign("mem");
  ScanContext ctx(target, limits);
  target.format = AnalyzeBuffer(ctx, ByteView(bytes));
  return target;
}

const Finding* WithRule(const Target& target, std::string_view rule) {
  for (const auto& finding : target.findings) {
    if (finding.rule == rule) return &finding;
  }
  return nullptr;
}

// zlib's deflate with window bits 31 (gzip wrapper) or 15 (zlib wrapper). Z_RLE: fast, and
// still about 1000:1 on zeros.
std::string Deflate(const std::string& data, int window_bits) {
  z_stream stream{};
  EXPECT_EQ(deflateInit2(&stream, 9, Z_DEFLATED, window_bits, 9, Z_RLE), Z_OK);
  std::string out(deflateBound(&stream, data.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

std::string Gzip(const std::string& data) { return Deflate(data, 31); }

// pickletools: PROTO 2, GLOBAL 'os system', SHORT_BINUNICODE is protocol 4, so BINUNICODE.
std::string MaliciousPickle() {
  return "\x80\x02"
         "cos\nsystem\n"
         "X\x02\x00\x00\x00id"
         "\x85"
         "R."s;
}

TEST(CompressEdgeTest, GzipBombWithLoweredLimitsFinishesFast) {
  const std::string bomb = Gzip(std::string(64 << 20, '\0'));
  ASSERT_LT(bomb.size(), 128u << 10);
  Limits limits;
  limits.max_compression_ratio = 10;
  const auto start = std::chrono::steady_clock::now();
  const Target target = Analyze(bomb, limits);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  const Finding* ratio = WithRule(target, "COMPRESS-RATIO");
  ASSERT_NE(ratio, nullptr);
  EXPECT_EQ(ratio->severity, Severity::kHigh);
  EXPECT_NE(ratio->message.find("gzip member 1"), std::string::npos) << ratio->message;
}

TEST(CompressEdgeTest, ManyMembersStopAtTheStreamLimit) {
  std::string members;
  for (int i = 0; i < 50; ++i) members += Gzip("");
  Limits limits;
  limits.max_members = 10;
  const Target target = Analyze(members, limits);
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  EXPECT_NE(WithRule(target, "COMPRESS-TOO-MANY-STREAMS"), nullptr);
  // Under the default limit, 50 empty members are a clean, empty payload.
  const Target all = Analyze(members);
  EXPECT_EQ(all.status, TargetStatus::kComplete);
  ASSERT_NE(WithRule(all, "COMPRESS-MULTIPLE-STREAMS"), nullptr);
}

TEST(CompressEdgeTest, TimeLimitStopsDecompression) {
  Limits limits;
  limits.max_time_per_file = std::chrono::milliseconds(0);
  const Target target = Analyze(Gzip(MaliciousPickle()), limits);
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  EXPECT_NE(WithRule(target, "SCAN-LIMIT-TIME"), nullptr);
}

TEST(CompressEdgeTest, ReservedGzipFlagsAreNotedAndTheDataStillAnalysed) {
  std::string gz = Gzip(MaliciousPickle());
  gz[3] = static_cast<char>(gz[3] | 0x20);  // RFC 1952: FLG bits 5-7 are reserved
  const Target target = Analyze(gz);
  const Finding* anomaly = WithRule(target, "COMPRESS-HEADER-ANOMALY");
  ASSERT_NE(anomaly, nullptr);
  EXPECT_EQ(anomaly->severity, Severity::kLow);
  const Finding* call = WithRule(target, "PICKLE-DANGEROUS-CALL");
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->location.member, std::vector<std::string>{"<gzip>"});
}

TEST(CompressEdgeTest, GzipNameIsSanitised) {
  // FLG.FNAME with a control character and a long name: printable and capped.
  std::string gz = Gzip(MaliciousPickle());
  const std::string name = "a\x01" + std::string(300, 'b');
  gz[3] = static_cast<char>(gz[3] | 0x08);
  gz.insert(10, name + '\0');
  const Target target = Analyze(gz);
  const Finding* call = WithRule(target, "PICKLE-DANGEROUS-CALL");
  ASSERT_NE(call, nullptr);
  ASSERT_EQ(call->location.member.size(), 1u);
  EXPECT_EQ(call->location.member[0], "a?" + std::string(198, 'b'));
}

TEST(CompressEdgeTest, UnsupportedVariantsAreIncomplete) {
  std::string other_method = Gzip("x");
  other_method[2] = 7;
  std::string needs_dictionary = "\x78\xbb"s + std::string(8, '\0');  // FDICT set
  for (const std::string& bytes :
       {other_method, "\x02\x21\x4c\x18\x10\x00\x00\x00"s + std::string(16, 'a')}) {
    const Target target = Analyze(bytes);
    EXPECT_EQ(target.format, "compressed");
    EXPECT_EQ(target.status, TargetStatus::kIncomplete);
    EXPECT_NE(WithRule(target, "COMPRESS-UNSUPPORTED"), nullptr);
  }
  // zlib with a preset dictionary is not even taken for zlib: no loader can read it.
  EXPECT_FALSE(compress::Detect(ByteView(needs_dictionary)).has_value());
}

TEST(CompressEdgeTest, ZlibAdlerMismatchIsAChecksumFinding) {
  std::string z = Deflate(MaliciousPickle(), 15);
  z.back() = static_cast<char>(z.back() ^ 1);  // RFC 1950: ADLER32 ends the stream
  const Target target = Analyze(z);
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  EXPECT_NE(WithRule(target, "COMPRESS-CHECKSUM-MISMATCH"), nullptr);
  EXPECT_NE(WithRule(target, "PICKLE-DANGEROUS-CALL"), nullptr);
}

TEST(CompressEdgeTest, TruncatedHeaderIsIncomplete) {
  const Target target = Analyze("\x1f\x8b\x08\x08\0\0\0\0\0\x03name-without-end"s);
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  EXPECT_NE(WithRule(target, "COMPRESS-TRUNCATED"), nullptr);
}

TEST(CompressEdgeTest, EmptyStreamIsCleanAndComplete) {
  const Target target = Analyze(Gzip(""));
  EXPECT_EQ(target.format, "compressed");
  EXPECT_EQ(target.status, TargetStatus::kComplete);
  EXPECT_TRUE(target.findings.empty());
}

TEST(CompressEdgeTest, WeakZlibMagicLosesToAPickle) {
  // "(S" passes the RFC 1950 header check ((0x28 * 256 + 0x53) % 31 == 0), but a protocol 0
  // pickle (MARK, STRING, TUPLE, STOP) follows, which does not inflate.
  const std::string pickle = "(S'abc'\np0\nt."s;
  EXPECT_FALSE(compress::Detect(ByteView(pickle)).has_value());
  const Analyzer* chosen = SniffAnalyzer(ByteView(pickle));
  ASSERT_NE(chosen, nullptr);
  EXPECT_EQ(chosen->Name(), "pickle");
  // Real zlib data is still recognised, below every strong magic.
  const auto zlib = compress::Detect(ByteView(Deflate(MaliciousPickle(), 15)));
  ASSERT_TRUE(zlib.has_value());
  EXPECT_EQ(zlib->kind, compress::Kind::kZlib);
  EXPECT_LT(zlib->score, 50);
}

TEST(CompressEdgeTest, TextAndRandomBytesAreNotClaimed) {
  for (std::string_view bytes :
       {"{\"architectures\": [\"Bert\"]}"sv, "BZh"sv, "\x1f"sv, "\x5d\x00\x00\x40\x00"sv, "x"sv}) {
    EXPECT_FALSE(compress::Detect(ByteView(bytes)).has_value()) << bytes;
  }
  const std::string zeros(4096, '\0');  // zero-filled tensor storage
  EXPECT_FALSE(compress::Detect(ByteView(zeros)).has_value());
}

TEST(CompressEdgeTest, LzmaWithAKnownSizeIsConfirmedByDecoding) {
  // The LZMA SDK writes the uncompressed size instead of all ones: no longer the writers'
  // canonical header, so it must decode to be taken for .lzma.
  std::string lzma = test::ReadFile(test::SourceDir() / "src" / "analyzers" / "compress" /
                                    "testdata" / "malicious.pkl.lzma");
  ASSERT_GT(lzma.size(), 13u);
  // The file's pickle (make_compressed.py) is 31 bytes long: size field 31, little-endian.
  for (int i = 0; i < 8; ++i) lzma[5 + i] = static_cast<char>(i == 0 ? 31 : 0);
  const auto detected = compress::Detect(ByteView(lzma));
  ASSERT_TRUE(detected.has_value());
  EXPECT_EQ(detected->kind, compress::Kind::kLzma);
  const Target target = Analyze(lzma);
  const Finding* call = WithRule(target, "PICKLE-DANGEROUS-CALL");
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->evidence, "os.system('echo pwned')");
}

TEST(CompressEdgeTest, IntegerArraysThatLookLikeLzmaHeadersAreNotClaimed) {
  // int32 [93, 1, 5, 7, 0, ...]: props 0x5D, a 16 MiB dictionary, a small known size and a
  // zero byte at offset 13, like a .lzma header; int64 [93, ...] has a zero dictionary.
  for (int width : {4, 8}) {
    std::string array(4096, '\0');
    const int values[] = {93, 1, 5, 7};
    for (int i = 0; i < 4; ++i)
      array[static_cast<std::size_t>(i * width)] = static_cast<char>(values[i]);
    EXPECT_FALSE(compress::Detect(ByteView(array)).has_value()) << width;
  }
}

}  // namespace
}  // namespace mg
