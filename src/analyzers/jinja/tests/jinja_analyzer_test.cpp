// The Jinja analyzer as the engine uses it: template files are taken by name, judged with the
// shared rules, and mapped to JINJA-* findings; unreadable templates fail closed.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "engine/analyzer.h"
#include "engine/engine.h"
#include "engine/sniff.h"
#include "support/findings.h"
#include "support/test_paths.h"

namespace mg {
namespace {

namespace fs = std::filesystem;

fs::path Templates() { return test::AnalyzerTestData("jinja", "templates"); }

TEST(JinjaAnalyzerTest, TemplateFilesAreTakenByNameOnly) {
  const std::string text = "{% for m in messages %}{{ m['content'] }}{% endfor %}";
  const Analyzer* by_name = SniffAnalyzer(ByteView(text), "model/chat_template.jinja");
  ASSERT_NE(by_name, nullptr);
  EXPECT_EQ(by_name->Name(), "jinja");
  EXPECT_EQ(SniffAnalyzer(ByteView(text), "model/notes.txt"), nullptr);
  const std::string binary("{{\0\0}}", 6);
  EXPECT_EQ(SniffAnalyzer(ByteView(binary), "chat_template.jinja"), nullptr);
}

TEST(JinjaAnalyzerTest, RealisticTemplatesAreClean) {
  for (const auto& entry : fs::directory_iterator(Templates())) {
    if (!entry.is_regular_file()) continue;
    const Target target = ScanFile(entry.path().string(), Limits{});
    EXPECT_EQ(target.format, "jinja") << entry.path();
    EXPECT_EQ(target.status, TargetStatus::kComplete) << entry.path();
    EXPECT_TRUE(target.findings.empty()) << entry.path() << ": " << target.findings[0].rule;
  }
}

TEST(JinjaAnalyzerTest, EveryMaliciousTemplateIsReportedHighOrCritical) {
  int seen = 0;
  for (const auto& entry : fs::directory_iterator(Templates() / "malicious")) {
    const Target target = ScanFile(entry.path().string(), Limits{});
    if (entry.path().filename() == "unterminated.jinja") {
      // Nothing to judge in it: unreadable, so incomplete rather than clean.
      EXPECT_EQ(target.status, TargetStatus::kIncomplete);
      EXPECT_TRUE(test::Has(target, "JINJA-TEMPLATE-UNPARSABLE"));
      continue;
    }
    EXPECT_EQ(target.format, "jinja") << entry.path();
    bool serious = false;
    for (const auto& finding : target.findings) {
      serious |= finding.rule.rfind("JINJA-TEMPLATE-", 0) == 0 &&
                 finding.severity >= Severity::kHigh;
    }
    EXPECT_TRUE(serious) << entry.path();
    ++seen;
  }
  EXPECT_GE(seen, 10);
}

TEST(JinjaAnalyzerTest, UnterminatedTemplateIsIncomplete) {
  const fs::path path = fs::temp_directory_path() /
                        ("modelgate_" + std::to_string(::getpid()) + "_chat_template.jinja");
  {
    std::ofstream out(path, std::ios::binary);
    out << "{% for m in messages %}{{ m['content'] ";
  }
  const Target target = ScanFile(path.string(), Limits{});
  fs::remove(path);
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  EXPECT_TRUE(test::Has(target, "JINJA-TEMPLATE-UNPARSABLE"));
}

}  // namespace
}  // namespace mg
