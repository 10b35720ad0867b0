// Every .npy test file cut short at every length and with bytes flipped: the analyzer must
// return (never crash or hang), and a file cut inside its preamble, header or declared data is
// never silently complete.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/analyze.h"
#include "support/findings.h"
#include "support/test_paths.h"

namespace mg {
namespace {

std::filesystem::path TestData() { return test::AnalyzerTestData("numpy", ""); }

Target AnalyzeBytes(const std::string& bytes) { return test::AnalyzeAs("numpy", bytes); }

bool HasNumpyFinding(const Target& target) {
  for (const auto& finding : target.findings) {
    if (finding.rule.rfind("NUMPY-", 0) == 0 && finding.location.member.empty()) return true;
  }
  return false;
}

// Where the header ends, from the preamble of an intact file (versions 1.0 to 3.0).
std::size_t DataOffset(const std::string& file) {
  const auto byte = [&file](std::size_t i) { return static_cast<unsigned char>(file[i]); };
  if (file[6] == 1) return 10 + (byte(8) | byte(9) << 8);
  return 12 + (byte(8) | byte(9) << 8 | byte(10) << 16 | static_cast<std::size_t>(byte(11)) << 24);
}

TEST(NumpyRobustnessTest, TruncatedAndFlippedFilesAlwaysReport) {
  std::size_t inputs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(TestData())) {
    const std::string original = test::ReadFile(entry.path());
    if (entry.path().extension() != ".npy" || original.size() < 12) continue;
    const Target intact = AnalyzeBytes(original);
    const std::size_t data_offset = DataOffset(original);
    for (std::size_t cut = 0; cut < original.size(); ++cut) {
      const Target target = AnalyzeBytes(original.substr(0, cut));
      ++inputs;
      // Cut inside the preamble or header: always an incomplete scan with a NUMPY finding.
      if (cut < data_offset && intact.format == "numpy") {
        EXPECT_TRUE(HasNumpyFinding(target)) << entry.path() << " cut at " << cut;
        EXPECT_EQ(target.status, TargetStatus::kIncomplete) << entry.path() << " cut at " << cut;
      }
    }
    for (std::size_t at = 0; at < original.size(); ++at) {
      std::string flipped = original;
      flipped[at] = static_cast<char>(flipped[at] ^ 0xA5);
      (void)AnalyzeBytes(flipped);
      ++inputs;
    }
  }
  EXPECT_GT(inputs, 5000u);
}

// Cutting the data of a clean non-object array is a truncation, never clean.
TEST(NumpyRobustnessTest, CutArrayDataIsIncomplete) {
  const std::string original = test::ReadFile(TestData() / "float32.npy");
  for (std::size_t cut = 128; cut < original.size(); ++cut) {
    const Target target = AnalyzeBytes(original.substr(0, cut));
    EXPECT_EQ(target.status, TargetStatus::kIncomplete) << cut;
    ASSERT_FALSE(target.findings.empty());
    EXPECT_EQ(target.findings[0].rule, "NUMPY-TRUNCATED");
  }
}

// A header over the parse limit is not parsed: medium and incomplete, and what follows it is
// still sniffed (here a pickle, analysed as '<array data>').
TEST(NumpyRobustnessTest, HeaderOverTheParseLimitIsIncompleteAndTheDataSniffed) {
  const std::uint32_t header_length = (1u << 20) + 64;
  std::string file("\x93NUMPY\x02\x00", 8);
  for (int shift = 0; shift < 32; shift += 8) {
    file += static_cast<char>((header_length >> shift) & 0xff);
  }
  file += std::string(header_length - 1, ' ') + "\n";
  file += test::ReadFile(TestData() / "object_os_system.npy").substr(128);  // the pickle
  const Target target = AnalyzeBytes(file);
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  ASSERT_FALSE(target.findings.empty());
  bool large = false;
  bool pickle = false;
  for (const auto& finding : target.findings) {
    large =
        large || (finding.rule == "NUMPY-LARGE-HEADER" && finding.severity == Severity::kMedium);
    pickle = pickle || (finding.location.member == std::vector<std::string>{"<array data>"} &&
                        finding.rule == "PICKLE-DANGEROUS-CALL");
  }
  EXPECT_TRUE(large);
  EXPECT_TRUE(pickle);
}

}  // namespace
}  // namespace mg
