// The trial load's pure parts: the loader's argv, the sandbox configuration, the judgement of a run
// report, the clause's parsing and its rendering. The real sandbox runs in
// tests/e2e/check_trial_load_test.cpp.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "policy/parse.h"
#include "policy/render_decision.h"
#include "policy/trial_load.h"

namespace mg::policy {
namespace {

using Strings = std::vector<std::string>;

TEST(TrialLoadArgv, ModelPathIsAppendedWithoutAPlaceholder) {
  EXPECT_EQ(TrialLoadArgv({"python3", "load.py"}, "/model/m.pkl"),
            (Strings{"python3", "load.py", "/model/m.pkl"}));
}

TEST(TrialLoadArgv, PlaceholderIsReplacedWhereverItIsAndNothingIsAppended) {
  EXPECT_EQ(TrialLoadArgv({"loader", "--model={model}", "-v"}, "/model/bert"),
            (Strings{"loader", "--model=/model/bert", "-v"}));
  EXPECT_EQ(TrialLoadArgv({"cp", "{model}", "{model}.bak{model}"}, "/m"),
            (Strings{"cp", "/m", "/m.bak/m"}));
  // Only the exact token counts: "{ model}" and "{MODEL}" are left as written.
  EXPECT_EQ(TrialLoadArgv({"x", "{ model}", "{MODEL}"}, "/m"),
            (Strings{"x", "{ model}", "{MODEL}", "/m"}));
}

TEST(SplitLoader, SplitsOnSpacesAndTabsWithoutQuoting) {
  EXPECT_EQ(SplitLoader("  python3\t-m  loader  "), (Strings{"python3", "-m", "loader"}));
  EXPECT_EQ(SplitLoader("python3 -c \"import torch\""),
            (Strings{"python3", "-c", "\"import", "torch\""}));
  EXPECT_TRUE(SplitLoader(" \t ").empty());
}

TEST(TrialLoadConfig, EnforcesWithTheMonitorTheModelReadOnlyAndTheClauseTimeout) {
  TrialLoadClause clause;
  clause.required = true;
  clause.loader = {"python3", "load.py"};
  clause.timeout = std::chrono::seconds(7);
  const sandbox::RunConfig config = TrialLoadConfig(clause, "/data/m.pkl", "/model/m.pkl",
                                                    sandbox::IsolationRequest::kNamespaces);
  EXPECT_EQ(config.command, (Strings{"python3", "load.py", "/model/m.pkl"}));
  ASSERT_EQ(config.models.size(), 1u);
  EXPECT_EQ(config.models[0].host_path, "/data/m.pkl");
  EXPECT_EQ(config.models[0].inside, "/model/m.pkl");
  EXPECT_EQ(config.mode, sandbox::Mode::kEnforce);
  EXPECT_TRUE(config.monitor);
  EXPECT_TRUE(config.output_dir.empty());
  EXPECT_EQ(config.isolation, sandbox::IsolationRequest::kNamespaces);
  EXPECT_EQ(config.limits.wall_timeout, std::chrono::milliseconds(7000));
  // The fallback has no mount namespace: the loader gets the host path.
  const sandbox::RunConfig fallback = TrialLoadConfig(clause, "/data/m.pkl", "/data/m.pkl",
                                                      sandbox::IsolationRequest::kNoNamespaces);
  EXPECT_EQ(fallback.command.back(), "/data/m.pkl");
  EXPECT_TRUE(fallback.models[0].inside.empty());
}

sandbox::RunReport Finished(sandbox::Outcome outcome, std::optional<int> status) {
  sandbox::RunReport run;
  run.command = {"python3", "load.py", "/model/m.pkl"};
  run.outcome = outcome;
  run.exit_status = status;
  run.isolation.namespaces = run.isolation.seccomp = run.isolation.landlock = true;
  run.isolation.landlock_abi = 3;
  return run;
}

TEST(JudgeTrialLoad, PassesOnlyWhenOkExitZeroAndNothingBlocked) {
  sandbox::RunReport run = Finished(sandbox::Outcome::kOk, 0);
  run.attempts.push_back({"openat", "/proc/self/maps", 4, true});
  const TrialLoadEvidence passed = JudgeTrialLoad(run);
  EXPECT_TRUE(passed.passed) << passed.detail;
  EXPECT_EQ(passed.detail, "OK: exit status 0, 1 attempt recorded, isolation full");
  ASSERT_TRUE(passed.run.has_value());
  EXPECT_EQ(passed.run->attempts.size(), 1u);

  const TrialLoadEvidence failed = JudgeTrialLoad(Finished(sandbox::Outcome::kOk, 1));
  EXPECT_FALSE(failed.passed);
  EXPECT_NE(failed.detail.find("exit status 1"), std::string::npos) << failed.detail;
  EXPECT_NE(failed.detail.find("did not exit 0"), std::string::npos) << failed.detail;

  // A blocked attempt fails the load even if the outcome claimed OK.
  run.attempts.push_back({"connect", "127.0.0.1:80", 4, false});
  EXPECT_FALSE(JudgeTrialLoad(run).passed);
}

TEST(JudgeTrialLoad, ViolationNamesTheFirstBlockedAttempts) {
  sandbox::RunReport run = Finished(sandbox::Outcome::kViolation, 1);
  run.attempts = {{"openat", "/etc/ld.so.cache", 9, true}, {"execve", "/bin/sh", 9, false},
                  {"connect", "127.0.0.1:80", 9, false},   {"ptrace", "", 9, false},
                  {"execve", "/bin/bash", 9, false},       {"execve", "/bin/dash", 9, false}};
  const TrialLoadEvidence evidence = JudgeTrialLoad(run);
  EXPECT_FALSE(evidence.passed);
  EXPECT_EQ(evidence.detail,
            "VIOLATION: exit status 1, 6 attempts recorded, isolation full; execve "
            "/bin/sh "
            "blocked; connect 127.0.0.1:80 blocked; ptrace blocked; 2 more blocked");
}

TEST(JudgeTrialLoad, SetupErrorTimeoutAndSignalFailClosed) {
  sandbox::RunReport setup = Finished(sandbox::Outcome::kSetupError, std::nullopt);
  setup.message = "neither namespaces nor Landlock are available";
  const TrialLoadEvidence failed = JudgeTrialLoad(setup);
  EXPECT_FALSE(failed.passed);
  EXPECT_EQ(failed.detail,
            "SETUP_ERROR: the sandbox could not run the loader: "
            "neither namespaces nor Landlock "
            "are available");

  sandbox::RunReport timeout = Finished(sandbox::Outcome::kTimeout, std::nullopt);
  timeout.signal = 9;
  EXPECT_FALSE(JudgeTrialLoad(timeout).passed);
  EXPECT_EQ(JudgeTrialLoad(timeout).detail.rfind("TIMEOUT: signal 9", 0), 0u);

  sandbox::RunReport crash = Finished(sandbox::Outcome::kSignaled, std::nullopt);
  crash.signal = 11;
  EXPECT_FALSE(JudgeTrialLoad(crash).passed);
}

TEST(TrialLoadParse, LoaderIsAListOrAStringSplitOnSpaces) {
  const PolicyLoad list = ParsePolicy(
      "version: 1\ntrial_load:\n  required: true\n  loader: "
      "[python3, -c, \"import x; x.load()\", "
      "\"{model}\"]\n  timeout: 5\n",
      "/p/policy.yaml");
  ASSERT_TRUE(list.policy.has_value()) << list.errors.front().ToString();
  EXPECT_EQ(list.policy->trial_load.loader,
            (Strings{"python3", "-c", "import x; x.load()", "{model}"}));
  EXPECT_EQ(list.policy->trial_load.timeout, std::chrono::seconds(5));

  const PolicyLoad text = ParsePolicy(
      "version: 1\ntrial_load:\n  required: true\n  loader: python3  load.py\n", "/p/policy.yaml");
  ASSERT_TRUE(text.policy.has_value());
  EXPECT_EQ(text.policy->trial_load.loader, (Strings{"python3", "load.py"}));
}

TEST(TrialLoadParse, EmptyLoaderAndZeroTimeoutAreRejected) {
  for (const char* clause : {"  loader: []\n", "  loader: \"   \"\n", "  loader: [python3, \"\"]\n",
                             "  loader: python3\n  timeout: 0\n"}) {
    const PolicyLoad load =
        ParsePolicy(std::string("version: 1\ntrial_load:\n") + clause, "/p/policy.yaml");
    EXPECT_FALSE(load.policy.has_value()) << clause;
    ASSERT_FALSE(load.errors.empty()) << clause;
    EXPECT_EQ(load.errors.front().key_path.rfind("trial_load.", 0), 0u)
        << load.errors.front().ToString();
  }
}

TEST(TrialLoadRender, EveryFormatShowsTheOutcomeAndEveryAttempt) {
  Policy policy;
  policy.file = "/p/policy.yaml";
  policy.trial_load.required = true;
  policy.trial_load.loader = {"python3"};
  sandbox::RunReport run = Finished(sandbox::Outcome::kViolation, 1);
  run.attempts = {{"openat", "/usr/lib/x.so", 42, true}, {"execve", "/bin/sh", 42, false}};
  CheckResult result;
  result.evidence.model_path = "m.pkl";
  result.evidence.trial_load = JudgeTrialLoad(run);
  result.decision.reasons.push_back({"trial_load", "failed", ""});

  const std::string text = RenderCheckText(policy, {result});
  EXPECT_NE(text.find("trial load: VIOLATION, exit status 1, 2 attempts (1 "
                      "blocked), isolation "
                      "full"),
            std::string::npos)
      << text;

  const auto json = nlohmann::ordered_json::parse(RenderCheckJson(policy, {result}));
  const auto& trial = json["models"][0]["trial_load"];
  EXPECT_EQ(trial["passed"], false);
  EXPECT_EQ(trial["run"]["outcome"], "VIOLATION");
  EXPECT_EQ(trial["run"]["exit_status"], 1);
  EXPECT_EQ(trial["run"]["isolation"]["level"], "full");
  EXPECT_EQ(trial["run"]["command"], nlohmann::ordered_json(run.command));
  ASSERT_EQ(trial["run"]["attempts"].size(), 2u);
  EXPECT_EQ(trial["run"]["attempts"][1]["syscall"], "execve");
  EXPECT_EQ(trial["run"]["attempts"][1]["detail"], "/bin/sh");
  EXPECT_EQ(trial["run"]["attempts"][1]["pid"], 42);
  EXPECT_EQ(trial["run"]["attempts"][1]["allowed"], false);

  const std::string md = RenderCheckMarkdown(policy, {result}, std::chrono::system_clock::now());
  EXPECT_NE(md.find("- Command: python3 load.py /model/m.pkl"), std::string::npos) << md;
  EXPECT_NE(md.find("- Isolation: full"), std::string::npos) << md;
  EXPECT_NE(md.find("| execve | /bin/sh | 42 | **blocked** |"), std::string::npos) << md;
  EXPECT_NE(md.find("| openat | /usr/lib/x.so | 42 | allowed |"), std::string::npos) << md;

  const auto record = nlohmann::ordered_json::parse(
      AuditRecord(policy, result, std::chrono::system_clock::now()));
  EXPECT_EQ(record["trial_load"]["passed"], false);
  EXPECT_EQ(record["trial_load"]["outcome"], "VIOLATION");
  EXPECT_EQ(record["trial_load"]["blocked_attempts"], 1);
  EXPECT_NE(record["trial_load"]["summary"].get<std::string>().find("1 blocked"),
            std::string::npos);

  // Not required: no trial load anywhere.
  policy.trial_load.required = false;
  result.evidence.trial_load.reset();
  EXPECT_EQ(
      nlohmann::ordered_json::parse(RenderCheckJson(policy, {result}))["models"][0]["trial_load"],
      nullptr);
  EXPECT_NE(RenderCheckMarkdown(policy, {result}, std::chrono::system_clock::now())
                .find("Not required by the policy."),
            std::string::npos);
  EXPECT_EQ(nlohmann::ordered_json::parse(
                AuditRecord(policy, result, std::chrono::system_clock::now()))["trial_load"],
            nullptr);
}

}  // namespace
}  // namespace mg::policy
