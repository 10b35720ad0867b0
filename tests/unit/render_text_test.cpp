#include <gtest/gtest.h>

#include "render/render.h"
#include "render_test_support.h"

namespace mg {
namespace {

using test::ExpectMatchesFile;
using test::RenderGolden;

TEST(RenderTextTest, EmptyReport) {
  ExpectMatchesFile(RenderGolden("text_empty.txt"), RenderText(Report{}, TextOptions{}));
}

TEST(RenderTextTest, MixedReportGolden) {
  ExpectMatchesFile(RenderGolden("text_mixed.txt"),
                    RenderText(test::MixedReport(), TextOptions{}));
}

TEST(RenderTextTest, FindingsAreSortedWorstFirstWithinAFile) {
  const std::string text = RenderText(test::MixedReport(), TextOptions{});
  const auto critical = text.find("CRITICAL  PICKLE-DANGEROUS-CALL at offset 42");
  const auto medium = text.find("MEDIUM    PICKLE-UNKNOWN-GLOBAL at offset 2");
  ASSERT_NE(critical, std::string::npos) << text;
  ASSERT_NE(medium, std::string::npos) << text;
  EXPECT_LT(critical, medium);
}

TEST(RenderTextTest, MemberChainAndStatusAreShown) {
  const std::string text = RenderText(test::MixedReport(), TextOptions{});
  EXPECT_NE(text.find("SCAN-LIMIT-DEPTH in a.zip > b.zip\n"), std::string::npos) << text;
  EXPECT_NE(text.find("models/model.pt  (zip, 3.0 MiB, incomplete)"), std::string::npos);
  EXPECT_NE(text.find("models/secret.bin  (unknown, error)"), std::string::npos);
  EXPECT_NE(text.find("1 file not fully analysed; 1 file unreadable"), std::string::npos);
}

TEST(RenderTextTest, FilesWithNothingAboveInfoAreListedCompactly) {
  const std::string text = RenderText(test::MixedReport(), TextOptions{});
  EXPECT_NE(text.find("No findings above info in 2 files:\n"
                      "  models/clean.pkl  (pickle, 120 B)\n"
                      "  models/config.json  (unknown, 2.0 KiB)  info: SCAN-UNRECOGNIZED-FORMAT\n"),
            std::string::npos)
      << text;
}

TEST(RenderTextTest, LongListsOfQuietFilesAreCounted) {
  Report report;
  for (int i = 0; i < 5; ++i) {
    std::string name = "f";
    name += std::to_string(i);
    report.targets.push_back(test::MakeTarget(name, "pickle", 1));
  }
  TextOptions options;
  options.max_quiet_files_listed = 2;
  const std::string text = RenderText(report, options);
  EXPECT_NE(text.find("  f1  (pickle, 1 B)\n  ... and 3 more\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("f2"), std::string::npos);
}

TEST(RenderTextTest, HostileStringsAreEscapedAndLongEvidenceCut) {
  const std::string text = RenderText(test::HostileReport(), TextOptions{});
  ExpectMatchesFile(RenderGolden("text_hostile.txt"), text);
  // Nothing that a terminal interprets reaches the output: no ESC, BEL, CR or raw C1 byte,
  // no UTF-8 encoded C1 control and no bidi override.
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    EXPECT_FALSE(byte < 0x20 && byte != '\n') << "control byte " << int(byte);
    EXPECT_NE(byte, 0x7f);
  }
  EXPECT_EQ(text.find("\xc2\x9b"), std::string::npos);
  EXPECT_EQ(text.find("\xe2\x80\xae"), std::string::npos);
  EXPECT_NE(text.find("\\x1b]0;pwned\\x07name\\nwith\\tbreaks.pkl"), std::string::npos);
  EXPECT_NE(text.find(" ... (+"), std::string::npos);
  EXPECT_LT(text.size(), 2000u);  // the 3000-byte evidence was cut
}

TEST(RenderTextTest, ColourOnlyWhenAsked) {
  const Report report = test::MixedReport();
  EXPECT_EQ(RenderText(report, TextOptions{}).find('\x1b'), std::string::npos);
  TextOptions colour;
  colour.color = true;
  const std::string text = RenderText(report, colour);
  EXPECT_NE(text.find("\x1b[1;31mCRITICAL  \x1b[0mPICKLE-DANGEROUS-CALL"), std::string::npos)
      << text;
  EXPECT_NE(text.find("highest severity: \x1b[1;31mcritical\x1b[0m."), std::string::npos);
}

}  // namespace
}  // namespace mg
