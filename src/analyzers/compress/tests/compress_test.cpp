// Tests of the compressed-stream analyzer on the files in ../testdata (made by
// make_compressed.py with Python's gzip/zlib/bz2/lzma, joblib 1.2 and the zstd and lz4 tools).
// The malicious payload is a hand-written pickle calling os.system('echo pwned'): every stream
// type must hand its output to the pickle analyzer with the member chain.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "support/test_paths.h"

namespace mg {
namespace {

std::filesystem::path TestData(const std::string& name) {
  return test::SourceDir() / "src" / "analyzers" / "compress" / "testdata" / name;
}

Target Scan(const std::string& name, const Limits& limits = {}) {
  return ScanFile(TestData(name).string(), limits);
}

const Finding* WithRule(const Target& target, std::string_view rule) {
  for (const auto& finding : target.findings) {
    if (finding.rule == rule) return &finding;
  }
  return nullptr;
}

std::string Describe(const Target& target) {
  std::string out;
  for (const auto& f : target.findings) {
    out += f.rule + " [" + std::string(SeverityName(f.severity)) + "] " + f.message + "\n";
  }
  return out;
}

// The payload's os.system call, reported critical inside `chain`.
void ExpectPayloadFound(const Target& target, const std::vector<std::string>& chain) {
  const Finding* call = WithRule(target, "PICKLE-DANGEROUS-CALL");
  ASSERT_NE(call, nullptr) << Describe(target);
  EXPECT_EQ(call->severity, Severity::kCritical);
  EXPECT_EQ(call->evidence, "os.system('echo pwned')");
  EXPECT_EQ(call->location.member, chain);
}

// Nothing at or above medium, status complete: what a clean model must give.
void ExpectClean(const Target& target) {
  for (const auto& finding : target.findings) {
    EXPECT_LT(finding.severity, Severity::kMedium) << finding.rule << ": " << finding.message;
  }
  EXPECT_EQ(target.status, TargetStatus::kComplete) << Describe(target);
}

TEST(CompressAnalyzerTest, EveryStreamTypeHandsItsPickleToTheEngine) {
  const std::pair<const char*, const char*> files[] = {
      {"malicious_gzip.joblib", "<gzip>"}, {"malicious_zlib.joblib", "<zlib>"},
      {"malicious.pkl.bz2", "<bzip2>"},    {"malicious.pkl.xz", "<xz>"},
      {"malicious.pkl.lzma", "<lzma>"},    {"malicious.pkl.zst", "<zstd>"},
      {"malicious.pkl.lz4", "<lz4>"},      {"malicious_zfile.pkl", "<joblib-zfile>"},
  };
  for (const auto& [file, member] : files) {
    SCOPED_TRACE(file);
    const Target target = Scan(file);
    EXPECT_EQ(target.format, "compressed");
    ExpectPayloadFound(target, {member});
    EXPECT_EQ(target.status, TargetStatus::kComplete) << Describe(target);
  }
}

TEST(CompressAnalyzerTest, GzipFileNameBecomesTheMemberName) {
  ExpectPayloadFound(Scan("malicious.pkl.gz"), {"payload.pkl"});
}

TEST(CompressAnalyzerTest, RealJoblibFilesOfEveryCompressorScanClean) {
  for (const char* method : {"zlib", "gzip", "bz2", "lzma", "xz", "lz4", "zstd"}) {
    SCOPED_TRACE(method);
    const Target target = Scan(std::string("logreg_") + method + ".joblib");
    EXPECT_EQ(target.format, "compressed");
    ExpectClean(target);
    // The pickle analyzer saw joblib's pickle (it notes the raw arrays it steps over).
    bool pickle_seen = false;
    for (const auto& f : target.findings) pickle_seen |= f.rule.rfind("PICKLE-", 0) == 0;
    EXPECT_TRUE(pickle_seen) << Describe(target);
  }
}

TEST(CompressAnalyzerTest, ConcatenatedStreamsAreOnePayload) {
  // The pickle is split across two streams: only the concatenation holds the call.
  for (const auto& [file, member] :
       {std::pair{"split_members.gz", "<gzip>"}, std::pair{"split_frames.zst", "<zstd>"},
        std::pair{"split_streams.xz", "<xz>"}, std::pair{"split_streams.bz2", "<bzip2>"}}) {
    SCOPED_TRACE(file);
    const Target target = Scan(file);
    ExpectPayloadFound(target, {member});
    const Finding* multiple = WithRule(target, "COMPRESS-MULTIPLE-STREAMS");
    ASSERT_NE(multiple, nullptr);
    EXPECT_EQ(multiple->severity, Severity::kInfo);
    EXPECT_EQ(target.status, TargetStatus::kComplete) << Describe(target);
  }
}

TEST(CompressAnalyzerTest, SkippableFrameContentIsAnalysed) {
  const Target target = Scan("skippable.zst");
  ExpectPayloadFound(target, {"<skippable frame 1>"});
  const Finding* skippable = WithRule(target, "COMPRESS-SKIPPABLE-FRAME");
  ASSERT_NE(skippable, nullptr);
  EXPECT_EQ(skippable->location.offset, 0u);
}

TEST(CompressAnalyzerTest, TruncatedStreamIsIncompleteButItsPrefixIsAnalysed) {
  for (const auto& [file, member] :
       {std::pair{"truncated.gz", "<gzip>"}, std::pair{"truncated.xz", "<xz>"}}) {
    SCOPED_TRACE(file);
    const Target target = Scan(file);
    EXPECT_EQ(target.status, TargetStatus::kIncomplete);
    const Finding* truncated = WithRule(target, "COMPRESS-TRUNCATED");
    ASSERT_NE(truncated, nullptr) << Describe(target);
    EXPECT_EQ(truncated->severity, Severity::kMedium);
    EXPECT_EQ(truncated->location.offset, 0u);
    EXPECT_TRUE(truncated->location.member.empty());
    ExpectPayloadFound(target, {member});
  }
}

TEST(CompressAnalyzerTest, CorruptCrcIsReportedAndTheDataStillAnalysed) {
  const Target target = Scan("bad_crc.gz");
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  const Finding* crc = WithRule(target, "COMPRESS-CHECKSUM-MISMATCH");
  ASSERT_NE(crc, nullptr) << Describe(target);
  EXPECT_EQ(crc->severity, Severity::kMedium);
  EXPECT_NE(crc->message.find("gzip member 1"), std::string::npos) << crc->message;
  ExpectPayloadFound(target, {"<gzip>"});
}

TEST(CompressAnalyzerTest, CorruptDataIsIncomplete) {
  const Target target = Scan("corrupt.bz2");
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  const Finding* corrupt = WithRule(target, "COMPRESS-CORRUPT");
  ASSERT_NE(corrupt, nullptr) << Describe(target);
  EXPECT_EQ(corrupt->severity, Severity::kMedium);
}

TEST(CompressAnalyzerTest, TrailingGarbageIsReportedAndAnalysedOnItsOwn) {
  const Target target = Scan("trailing_garbage.gz");
  const Finding* trailing = WithRule(target, "COMPRESS-TRAILING-DATA");
  ASSERT_NE(trailing, nullptr) << Describe(target);
  EXPECT_EQ(trailing->severity, Severity::kLow);
  EXPECT_EQ(trailing->location.offset, 51u);  // the gzip member is 51 bytes long
  ExpectPayloadFound(target, {"<gzip>"});
  EXPECT_EQ(target.status, TargetStatus::kComplete);
}

TEST(CompressAnalyzerTest, MembersAfterZeroPaddingAreRead) {
  const Target target = Scan("padded_members.gz");
  ExpectPayloadFound(target, {"<gzip>"});
  EXPECT_NE(WithRule(target, "COMPRESS-MULTIPLE-STREAMS"), nullptr);
  EXPECT_EQ(WithRule(target, "COMPRESS-TRAILING-DATA"), nullptr);
}

TEST(CompressAnalyzerTest, TrailingDataIsSniffedPastZeroPadding) {
  const Target target = Scan("padded_trailing.gz");
  ASSERT_NE(WithRule(target, "COMPRESS-TRAILING-DATA"), nullptr);
  ExpectPayloadFound(target, {"<trailing data>", "<zstd>"});
}

TEST(CompressAnalyzerTest, ZeroPaddingIsNotTrailingData) {
  const Target target = Scan("zero_padded.gz");
  EXPECT_EQ(WithRule(target, "COMPRESS-TRAILING-DATA"), nullptr);
  ExpectPayloadFound(target, {"<gzip>"});
}

TEST(CompressAnalyzerTest, NestedStreamsExtendTheMemberChain) {
  ExpectPayloadFound(Scan("nested.gz.gz"), {"<gzip>", "<gzip>"});
  Limits shallow;
  shallow.max_depth = 1;
  const Target target = Scan("nested.gz.gz", shallow);
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  EXPECT_NE(WithRule(target, "SCAN-LIMIT-DEPTH"), nullptr) << Describe(target);
  EXPECT_EQ(WithRule(target, "PICKLE-DANGEROUS-CALL"), nullptr);
}

TEST(CompressAnalyzerTest, GzipMemberOfAZipArchiveIsDecompressed) {
  const Target target = Scan("gz_in_zip.zip");
  EXPECT_EQ(target.format, "zip");
  ExpectPayloadFound(target, {"model.pkl.gz", "payload.pkl"});
}

TEST(CompressAnalyzerTest, RatioBombStopsFastWithAFinding) {
  for (const char* file : {"bomb.bz2", "bomb.zst"}) {
    SCOPED_TRACE(file);
    const auto start = std::chrono::steady_clock::now();
    const Target target = Scan(file);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
    EXPECT_EQ(target.status, TargetStatus::kIncomplete);
    const Finding* ratio = WithRule(target, "COMPRESS-RATIO");
    ASSERT_NE(ratio, nullptr) << Describe(target);
    EXPECT_EQ(ratio->severity, Severity::kHigh);
  }
}

TEST(CompressAnalyzerTest, BudgetExhaustionIsIncomplete) {
  Limits limits;
  limits.max_compression_ratio = 1'000'000;  // let the bomb through the ratio check
  limits.max_decompressed_bytes = 8 << 20;
  const Target target = Scan("bomb.zst", limits);
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  EXPECT_NE(WithRule(target, "SCAN-LIMIT-DECOMPRESSED"), nullptr) << Describe(target);
  EXPECT_EQ(WithRule(target, "COMPRESS-RATIO"), nullptr);
}

TEST(CompressAnalyzerTest, LoweredRatioLimitStillAllowsTheFirstMiB) {
  Limits limits;
  limits.max_compression_ratio = 1;
  ExpectClean(Scan("logreg_gzip.joblib", limits));
}

}  // namespace
}  // namespace mg
