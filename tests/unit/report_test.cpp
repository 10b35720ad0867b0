#include <gtest/gtest.h>

#include "report/finding.h"
#include "report/report.h"
#include "report/rule.h"
#include "report/severity.h"

namespace mg {
namespace {

TEST(SeverityTest, NamesRoundTripAndAreOrdered) {
  const char* names[] = {"info", "low", "medium", "high", "critical"};
  for (int i = 0; i < kSeverityCount; ++i) {
    const auto severity = static_cast<Severity>(i);
    EXPECT_EQ(SeverityName(severity), names[i]);
    EXPECT_EQ(ParseSeverity(names[i]), severity);
  }
  EXPECT_LT(Severity::kInfo, Severity::kLow);
  EXPECT_LT(Severity::kLow, Severity::kMedium);
  EXPECT_LT(Severity::kMedium, Severity::kHigh);
  EXPECT_LT(Severity::kHigh, Severity::kCritical);
}

TEST(SeverityTest, ParsingIsExact) {
  EXPECT_EQ(ParseSeverity("High"), std::nullopt);
  EXPECT_EQ(ParseSeverity("none"), std::nullopt);
  EXPECT_EQ(ParseSeverity(""), std::nullopt);
  EXPECT_EQ(ParseSeverity("critical "), std::nullopt);
}

TEST(ReportTest, SummaryCountsFindingsAndTheHighestSeverity) {
  Report report;
  EXPECT_EQ(report.Summarize().max_severity, std::nullopt);
  report.targets.resize(3);
  report.targets[0].findings.resize(2);
  report.targets[0].findings[0].severity = Severity::kLow;
  report.targets[0].findings[1].severity = Severity::kHigh;
  report.targets[2].findings.resize(1);
  report.targets[2].findings[0].severity = Severity::kLow;
  const Summary summary = report.Summarize();
  EXPECT_EQ(summary.targets, 3u);
  EXPECT_EQ(summary.findings, 3u);
  EXPECT_EQ(summary.counts[static_cast<int>(Severity::kLow)], 2u);
  EXPECT_EQ(summary.counts[static_cast<int>(Severity::kHigh)], 1u);
  EXPECT_EQ(summary.counts[static_cast<int>(Severity::kCritical)], 0u);
  EXPECT_EQ(summary.max_severity, Severity::kHigh);
}

TEST(ReportTest, StatusNames) {
  EXPECT_EQ(TargetStatusName(TargetStatus::kComplete), "complete");
  EXPECT_EQ(TargetStatusName(TargetStatus::kIncomplete), "incomplete");
  EXPECT_EQ(TargetStatusName(TargetStatus::kError), "error");
}

TEST(LocationTest, DisplayJoinsTheMemberChain) {
  Location location;
  location.path = "model.pt";
  EXPECT_EQ(location.Display(), "model.pt");
  location.member = {"archive/data.pkl", "inner"};
  EXPECT_EQ(location.Display(), "model.pt!archive/data.pkl!inner");
  location.offset = 42;
  EXPECT_EQ(location.Display(), "model.pt!archive/data.pkl!inner @42");
}

TEST(CoreRulesTest, CoreRulesAreScanPrefixedWithAnExample) {
  for (const RuleInfo& rule : CoreRules()) {
    EXPECT_EQ(rule.id.substr(0, 5), "SCAN-") << rule.id;
    EXPECT_FALSE(rule.example.empty()) << rule.id;
  }
}

}  // namespace
}  // namespace mg
