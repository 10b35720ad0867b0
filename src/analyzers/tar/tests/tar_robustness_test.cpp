// Every test archive cut short at many lengths and with bytes flipped: the analyzer must return
// a report (never crash or hang), and an archive cut inside its headers or data is never
// silently complete.
#include <gtest/gtest.h>

#include <string>

#include "support/analyze.h"
#include "support/findings.h"
#include "support/test_paths.h"

namespace mg {
namespace {

std::filesystem::path TestData() { return test::AnalyzerTestData("tar", ""); }

Target AnalyzeBytes(const std::string& bytes) { return test::AnalyzeAs("tar", bytes); }

bool HasTarFinding(const Target& target) {
  for (const auto& finding : target.findings) {
    if (finding.rule.rfind("TAR-", 0) == 0 && finding.location.member.empty()) return true;
  }
  return false;
}

// Offset of the end marker (the first of the two zero blocks) of a well-formed archive.
std::size_t EndMarker(const std::string& archive) {
  const std::string zero_block(512, '\0');
  for (std::size_t at = 0; at + 512 <= archive.size(); at += 512) {
    if (archive.compare(at, 512, zero_block) == 0) return at;
  }
  return archive.size();
}

TEST(TarRobustnessTest, TruncatedAndFlippedArchivesAlwaysReport) {
  std::size_t inputs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(TestData())) {
    if (entry.path().extension() != ".tar") continue;
    const std::string original = test::ReadFile(entry.path());
    if (original.size() > 16384) continue;
    const std::size_t end_marker = EndMarker(original);
    const std::size_t stride = original.size() / 200 + 1;
    for (std::size_t cut = 1; cut < original.size(); cut += stride) {
      const Target target = AnalyzeBytes(original.substr(0, cut));
      ++inputs;
      // Cut before the end marker: the archive lost structure and must say so.
      if (cut <= end_marker) {
        EXPECT_TRUE(HasTarFinding(target)) << entry.path() << " cut at " << cut;
        EXPECT_EQ(target.status, TargetStatus::kIncomplete) << entry.path() << " cut at " << cut;
      }
    }
    for (std::size_t at = 0; at < original.size(); at += stride) {
      std::string flipped = original;
      flipped[at] = static_cast<char>(flipped[at] ^ 0xA5);
      (void)AnalyzeBytes(flipped);
      ++inputs;
    }
  }
  EXPECT_GT(inputs, 1000u);
}

TEST(TarRobustnessTest, LongChainOfArchivesAfterEndMarkersIsWalkedWithoutRecursion) {
  // data_after_end.tar starts with a member and an end marker (3 blocks); 20000 copies make
  // an archive that hides 19999 archives after end markers, each walked in turn.
  const std::string one = test::ReadFile(TestData() / "data_after_end.tar").substr(0, 1536);
  std::string chain;
  for (int i = 0; i < 20000; ++i) chain += one;
  const Target target = AnalyzeBytes(chain);
  std::size_t after_end = 0;
  bool capped = false;
  for (const auto& finding : target.findings) {
    after_end += finding.rule == "TAR-DATA-AFTER-END";
    capped |= finding.rule == "TAR-FINDINGS-CAPPED" &&
              finding.message.find("TAR-DATA-AFTER-END: 19979 more") != std::string::npos;
  }
  EXPECT_EQ(after_end, 20u);
  EXPECT_TRUE(capped);
}

}  // namespace
}  // namespace mg
