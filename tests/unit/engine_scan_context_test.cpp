#include "engine/scan_context.h"

#include <gtest/gtest.h>

#include "engine/sniff.h"

namespace mg {
namespace {

// Text no registered analyzer takes, so that ScanEmbedded ends in the unrecognised-content path
// whatever analyzers this build has (silent inside a container: it is data).
constexpr std::string_view kPlainText = "just some text, not a model\n";
// A Java serialization stream (magic AC ED 00 05): recognised but not analysed, so the engine
// reports it wherever it is embedded.
constexpr std::string_view kJavaStream("\xac\xed\x00\x05sr", 6);

class ScanContextTest : public testing::Test {
 protected:
  ScanContextTest() { target_.path = "model.bin"; }
  Target target_;
  Limits limits_;
};

TEST_F(ScanContextTest, ReportLocatesTheFindingInTheTarget) {
  ScanContext ctx(target_, limits_);
  ctx.Report("X-RULE", Severity::kLow, "A message.", 12, "evidence");
  ASSERT_EQ(target_.findings.size(), 1u);
  const Finding& finding = target_.findings[0];
  EXPECT_EQ(finding.rule, "X-RULE");
  EXPECT_EQ(finding.severity, Severity::kLow);
  EXPECT_EQ(finding.location.path, "model.bin");
  EXPECT_TRUE(finding.location.member.empty());
  EXPECT_EQ(finding.location.offset, 12u);
  EXPECT_EQ(finding.evidence, "evidence");
  EXPECT_EQ(target_.status, TargetStatus::kComplete);  // a finding alone changes no status
}

TEST_F(ScanContextTest, IncompleteMarksTheTargetAndRaisesSeverityToMedium) {
  ScanContext ctx(target_, limits_);
  ctx.Incomplete("X-TRUNCATED", "Cut short.", 3, Severity::kInfo);
  ctx.Incomplete("X-LOW", "Low asked.", std::nullopt, Severity::kLow);
  ctx.Incomplete("X-HIGH", "High asked.", std::nullopt, Severity::kHigh);
  EXPECT_EQ(target_.status, TargetStatus::kIncomplete);
  ASSERT_EQ(target_.findings.size(), 3u);
  EXPECT_EQ(target_.findings[0].severity, Severity::kMedium);
  EXPECT_EQ(target_.findings[0].location.offset, 3u);
  EXPECT_EQ(target_.findings[1].severity, Severity::kMedium);
  EXPECT_EQ(target_.findings[2].severity, Severity::kHigh);
}

TEST_F(ScanContextTest, IncompleteNeverHidesAnError) {
  target_.status = TargetStatus::kError;
  ScanContext ctx(target_, limits_);
  ctx.Incomplete("X-TRUNCATED", "Cut short.");
  EXPECT_EQ(target_.status, TargetStatus::kError);
}

TEST_F(ScanContextTest, EmbeddedPayloadFindingsCarryTheMemberChain) {
  ScanContext ctx(target_, limits_);
  ctx.ScanEmbedded("archive/notes.txt", ByteView(kPlainText));
  EXPECT_TRUE(target_.findings.empty());  // unrecognised content inside a container is data
  ctx.ScanEmbedded("archive/object.ser", ByteView(kJavaStream));
  EXPECT_EQ(ctx.depth(), 0u);  // the chain is popped after the member
  ASSERT_EQ(target_.findings.size(), 1u);
  EXPECT_EQ(target_.findings[0].rule, "SCAN-UNSUPPORTED-FORMAT");
  EXPECT_EQ(target_.findings[0].location.member, std::vector<std::string>{"archive/object.ser"});
  ctx.Report("X-AFTER", Severity::kInfo, "After the member.");
  EXPECT_TRUE(target_.findings[1].location.member.empty());
}

TEST_F(ScanContextTest, DepthLimitStopsEmbeddedScanningAndFailsClosed) {
  limits_.max_depth = 0;
  ScanContext ctx(target_, limits_);
  ctx.ScanEmbedded("inner.pkl", ByteView(kPlainText));
  EXPECT_EQ(target_.status, TargetStatus::kIncomplete);
  ASSERT_EQ(target_.findings.size(), 1u);
  EXPECT_EQ(target_.findings[0].rule, "SCAN-LIMIT-DEPTH");
  EXPECT_EQ(target_.findings[0].severity, Severity::kMedium);
  EXPECT_NE(target_.findings[0].message.find("inner.pkl"), std::string::npos);
  EXPECT_TRUE(target_.findings[0].location.member.empty());
}

TEST_F(ScanContextTest, DepthLimitAllowsExactlyMaxDepthLevels) {
  limits_.max_depth = 1;
  ScanContext ctx(target_, limits_);
  ctx.ScanEmbedded("level1", ByteView(kJavaStream));
  ASSERT_EQ(target_.findings.size(), 1u);  // analysed at depth 1, not stopped by the limit
  EXPECT_EQ(target_.findings[0].rule, "SCAN-UNSUPPORTED-FORMAT");
  EXPECT_EQ(target_.findings[0].location.member, std::vector<std::string>{"level1"});
}

TEST_F(ScanContextTest, DecompressionBudgetIsSharedAndReportedOnce) {
  limits_.max_decompressed_bytes = 100;
  ScanContext ctx(target_, limits_);
  EXPECT_TRUE(ctx.ConsumeDecompressed(60, 0));
  EXPECT_TRUE(ctx.ConsumeDecompressed(40, 10));  // exactly the budget is still fine
  EXPECT_EQ(target_.status, TargetStatus::kComplete);
  EXPECT_FALSE(ctx.ConsumeDecompressed(1, 20));
  EXPECT_FALSE(ctx.ConsumeDecompressed(1000, 30));
  EXPECT_EQ(target_.status, TargetStatus::kIncomplete);
  ASSERT_EQ(target_.findings.size(), 1u);
  EXPECT_EQ(target_.findings[0].rule, "SCAN-LIMIT-DECOMPRESSED");
  EXPECT_EQ(target_.findings[0].severity, Severity::kMedium);
  EXPECT_EQ(target_.findings[0].location.offset, 20u);
}

TEST_F(ScanContextTest, TimeLimitStopsEmbeddedScanningOnce) {
  limits_.max_time_per_file = std::chrono::milliseconds(0);
  ScanContext ctx(target_, limits_);
  EXPECT_TRUE(ctx.TimeUp());
  ctx.ScanEmbedded("a", ByteView(kPlainText));
  ctx.ScanEmbedded("b", ByteView(kPlainText));
  EXPECT_EQ(target_.status, TargetStatus::kIncomplete);
  ASSERT_EQ(target_.findings.size(), 1u);
  EXPECT_EQ(target_.findings[0].rule, "SCAN-LIMIT-TIME");
}

TEST_F(ScanContextTest, OwnKeepsBytesAliveForTheScan) {
  ScanContext ctx(target_, limits_);
  const ByteView first = ctx.Own(std::vector<std::uint8_t>{'a', 'b', 'c'});
  for (int i = 0; i < 100; ++i) ctx.Own(std::vector<std::uint8_t>(1000, 'x'));
  EXPECT_EQ(first.AsStringView(), "abc");  // earlier buffers do not move
}

TEST_F(ScanContextTest, UnknownFormatNameFallsBackToTheUnanalysedPath) {
  ScanContext ctx(target_, limits_);
  EXPECT_EQ(AnalyzeBuffer(ctx, ByteView(kPlainText), "no-such-analyzer"), "unknown");
}

}  // namespace
}  // namespace mg
