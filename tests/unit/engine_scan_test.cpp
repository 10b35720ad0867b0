#include "engine/engine.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <zlib.h>

namespace mg {
namespace {

namespace fs = std::filesystem;

// gzip (RFC 1952) through zlib's deflate with a gzip wrapper (windowBits 16 + 15).
std::string GzipOf(const std::string& data) {
  z_stream stream{};
  EXPECT_EQ(deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + 15, 8,
                         Z_DEFAULT_STRATEGY),
            Z_OK);
  std::string out(compressBound(data.size()) + 64, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

class EngineScanTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(testing::TempDir()) /
           ("modelgate_engine_" +
            std::string(testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, std::string_view content) {
    const fs::path path = dir_ / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
  }

  fs::path dir_;
};

TEST_F(EngineScanTest, FormatsOfEmbeddedPayloadsAreRecordedOnce) {
  // A gzip stream holding a gzip stream holding a protocol 2 pickle of None:
  // the target is "compressed", and inside are "compressed" and "pickle".
  const std::string pickle("\x80\x02N.", 4);
  const std::string inner = GzipOf(pickle);
  const Target target = ScanFile(Write("model.gz", GzipOf(inner)), Limits{}, false);
  EXPECT_EQ(target.format, "compressed");
  EXPECT_EQ(target.embedded_formats, (std::vector<std::string>{"compressed", "pickle"}));
  const Target plain = ScanFile(Write("plain.pkl", pickle), Limits{}, false);
  EXPECT_TRUE(plain.embedded_formats.empty());
}

TEST_F(EngineScanTest, PlainFileIsHashedOnRequestAndUnrecognised) {
  const std::string path = Write("notes.txt", "abc");
  const Target target = ScanFile(path, Limits{}, /*sha256=*/true);
  EXPECT_EQ(target.path, path);
  EXPECT_EQ(target.size, 3u);
  // FIPS 180-2 example: SHA-256("abc").
  EXPECT_EQ(target.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(target.format, "unknown");
  EXPECT_EQ(target.status, TargetStatus::kComplete);
}

TEST_F(EngineScanTest, WithoutTheOptionTheSizeIsKnownAndNoDigestIsComputed) {
  const std::string path = Write("notes.txt", "abcd");
  const Target target = ScanFile(path, Limits{});
  EXPECT_EQ(target.size, 4u);
  EXPECT_TRUE(target.sha256.empty());

  ScanOptions options;
  EXPECT_FALSE(options.sha256);
  options.sha256 = true;
  const ScanOutcome outcome = Scan({path}, options);
  ASSERT_EQ(outcome.report.targets.size(), 1u);
  // FIPS 180-2 style check against a digest computed independently (sha256sum of "abcd").
  EXPECT_EQ(outcome.report.targets[0].sha256,
            "88d4266fd4e6338d13b845fcf289579d209c897823b9217da3e161936f031589");
}

TEST_F(EngineScanTest, FileOverTheSizeLimitIsIncompleteButHashed) {
  const std::string path = Write("big.bin", std::string(100, 'x'));
  Limits limits;
  limits.max_file_size = 99;
  const Target target = ScanFile(path, limits, /*sha256=*/true);
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  EXPECT_EQ(target.size, 100u);
  EXPECT_EQ(target.sha256.size(), 64u);
  ASSERT_EQ(target.findings.size(), 1u);
  EXPECT_EQ(target.findings[0].rule, "SCAN-LIMIT-FILE-SIZE");
  EXPECT_GE(target.findings[0].severity, Severity::kMedium);

  limits.max_file_size = 100;  // the limit itself is allowed
  EXPECT_EQ(ScanFile(path, limits).status, TargetStatus::kComplete);
}

TEST_F(EngineScanTest, MissingFileIsAnErrorTarget) {
  const Target target = ScanFile((dir_ / "gone.pkl").string(), Limits{});
  EXPECT_EQ(target.status, TargetStatus::kError);
  EXPECT_TRUE(target.sha256.empty());
  EXPECT_FALSE(target.size.has_value());
  ASSERT_EQ(target.findings.size(), 1u);
  EXPECT_EQ(target.findings[0].rule, "SCAN-IO-ERROR");
}

TEST_F(EngineScanTest, ParallelScanKeepsTheWalkOrder) {
  std::vector<std::string> expected;
  for (int i = 0; i < 40; ++i) {
    char name[32];
    std::snprintf(name, sizeof(name), "m/f%02d.txt", i);
    expected.push_back(Write(name, std::string(static_cast<std::size_t>(i), 'y')));
  }
  ScanOptions options;
  options.jobs = 4;
  const ScanOutcome outcome = Scan({(dir_ / "m").string()}, options);
  EXPECT_TRUE(outcome.errors.empty());
  ASSERT_EQ(outcome.report.targets.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(outcome.report.targets[i].path, expected[i]);
    EXPECT_EQ(outcome.report.targets[i].size, i);
  }
}

TEST_F(EngineScanTest, MissingPathAndEscapingLinkAreReported) {
  Write("m/a.txt", "a");
  const std::string outside = Write("outside.txt", "secret");
  fs::create_symlink(outside, dir_ / "m" / "link.txt");
  const ScanOutcome outcome =
      Scan({(dir_ / "m").string(), (dir_ / "missing").string()}, ScanOptions{});
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_NE(outcome.errors[0].find("missing"), std::string::npos);
  ASSERT_EQ(outcome.report.targets.size(), 2u);
  const Target& link = outcome.report.targets[1];
  EXPECT_EQ(link.format, "symlink");
  ASSERT_EQ(link.findings.size(), 1u);
  EXPECT_EQ(link.findings[0].rule, "SCAN-SYMLINK-ESCAPE");
  EXPECT_EQ(link.findings[0].severity, Severity::kHigh);
  EXPECT_EQ(link.findings[0].evidence, "-> " + fs::canonical(outside).string());
}

}  // namespace
}  // namespace mg
