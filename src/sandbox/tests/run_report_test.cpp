#include <gtest/gtest.h>

#include <csignal>
#include <nlohmann/json.hpp>

#include "sandbox/outcome.h"

namespace mg::sandbox {
namespace {

RunReport SampleReport() {
  RunReport report;
  report.command = {"python3", "-c", "print(1)"};
  report.resolved_command = "/usr/bin/python3";
  report.models = {{"/host/m.pt", "/model/m.pt"}};
  report.outcome = Outcome::kViolation;
  report.exit_status = 0;
  report.wall_seconds = 0.25;
  report.cpu_seconds = 0.125;
  report.max_rss_kib = 9000;
  report.isolation.namespaces = true;
  report.isolation.landlock_abi = 7;
  report.isolation.landlock = report.isolation.seccomp = report.isolation.monitor = true;
  report.attempts = {{"execve", "/bin/sh", 42, false}, {"openat", "/etc/\x1b[2Jx", 42, true}};
  return report;
}

TEST(RunReport, OutcomeNamesAreStable) {
  EXPECT_EQ(OutcomeName(Outcome::kOk), "OK");
  EXPECT_EQ(OutcomeName(Outcome::kViolation), "VIOLATION");
  EXPECT_EQ(OutcomeName(Outcome::kSignaled), "SIGNALED");
  EXPECT_EQ(OutcomeName(Outcome::kLimit), "LIMIT");
  EXPECT_EQ(OutcomeName(Outcome::kTimeout), "TIMEOUT");
  EXPECT_EQ(OutcomeName(Outcome::kSetupError), "SETUP_ERROR");
}

TEST(RunReport, ExitCodes) {
  RunReport report;
  report.outcome = Outcome::kOk;
  report.exit_status = 7;
  EXPECT_EQ(RunExitCode(report), 7);
  report.outcome = Outcome::kViolation;
  EXPECT_EQ(RunExitCode(report), kRunExitViolation);
  report.outcome = Outcome::kTimeout;
  EXPECT_EQ(RunExitCode(report), kRunExitTimeout);
  report.outcome = Outcome::kSetupError;
  EXPECT_EQ(RunExitCode(report), kRunExitSetupError);
  report.outcome = Outcome::kSignaled;
  report.signal = SIGSEGV;
  EXPECT_EQ(RunExitCode(report), 128 + SIGSEGV);
}

TEST(RunReport, JsonCarriesEveryField) {
  const auto doc = nlohmann::json::parse(RenderRunJson(SampleReport()));
  EXPECT_EQ(doc["schema"], "modelgate-run/1");
  EXPECT_EQ(doc["outcome"], "VIOLATION");
  EXPECT_EQ(doc["exit_code"], kRunExitViolation);
  EXPECT_EQ(doc["exit_status"], 0);
  EXPECT_TRUE(doc["signal"].is_null());
  EXPECT_EQ(doc["models"][0]["inside"], "/model/m.pt");
  EXPECT_EQ(doc["isolation"]["level"], "full");
  EXPECT_EQ(doc["isolation"]["landlock_abi"], 7);
  ASSERT_EQ(doc["attempts"].size(), 2u);
  EXPECT_EQ(doc["attempts"][0]["syscall"], "execve");
  EXPECT_EQ(doc["attempts"][0]["detail"], "/bin/sh");
  EXPECT_EQ(doc["attempts"][0]["allowed"], false);
  EXPECT_DOUBLE_EQ(doc["resources"]["cpu_seconds"].get<double>(), 0.125);
}

TEST(RunReport, JsonSurvivesInvalidUtf8) {
  RunReport report = SampleReport();
  report.attempts[0].detail = "/tmp/\xff\xfe";
  const auto doc = nlohmann::json::parse(RenderRunJson(report));
  EXPECT_EQ(doc["attempts"][0]["detail"], "/tmp/\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(RunReport, TextEscapesTerminalControls) {
  const std::string text = RenderRunText(SampleReport());
  EXPECT_NE(text.find("modelgate run: VIOLATION"), std::string::npos) << text;
  EXPECT_NE(text.find("BLOCKED execve /bin/sh (pid 42)"), std::string::npos) << text;
  EXPECT_NE(text.find("allowed openat /etc/\\x1b[2Jx"), std::string::npos) << text;
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_NE(text.find("/host/m.pt -> /model/m.pt"), std::string::npos) << text;
}

}  // namespace
}  // namespace mg::sandbox
