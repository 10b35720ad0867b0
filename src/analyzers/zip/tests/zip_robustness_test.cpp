// Every test archive cut short at many lengths and with bytes flipped: the analyzer must return
// a report (never crash or hang), and a damaged archive is never silently complete and clean
// when its structure broke.
#include <gtest/gtest.h>

#include <string>

#include "support/analyze.h"
#include "support/findings.h"
#include "support/test_paths.h"

namespace mg {
namespace {

std::filesystem::path TestData() { return test::AnalyzerTestData("zip", ""); }

Target AnalyzeBytes(const std::string& bytes) { return test::AnalyzeAs("zip", bytes); }

bool HasZipOrScanFinding(const Target& target) {
  for (const auto& finding : target.findings) {
    if (finding.rule.rfind("ZIP-", 0) == 0 && finding.location.member.empty()) return true;
  }
  return false;
}

TEST(ZipRobustnessTest, TruncatedAndFlippedArchivesAlwaysReport) {
  std::size_t inputs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(TestData())) {
    if (entry.path().extension() == ".py") continue;
    const std::string original = test::ReadFile(entry.path());
    if (original.size() > 8192) continue;
    const std::size_t stride = original.size() / 200 + 1;
    for (std::size_t cut = 0; cut < original.size(); cut += stride) {
      const Target target = AnalyzeBytes(original.substr(0, cut));
      ++inputs;
      // Cutting off the end record always loses structure and must say so.
      if (cut + 22 <= original.size() && cut > 0 && original.rfind("PK\x05\x06") >= cut) {
        EXPECT_TRUE(HasZipOrScanFinding(target)) << entry.path() << " cut at " << cut;
        // Unless what is left still holds an end record (a stored nested archive's): then the
        // bytes form a smaller archive whose every reading was analysed.
        if (original.substr(0, cut).find("PK\x05\x06") == std::string::npos) {
          EXPECT_EQ(target.status, TargetStatus::kIncomplete) << entry.path() << " cut at " << cut;
        }
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

}  // namespace
}  // namespace mg
