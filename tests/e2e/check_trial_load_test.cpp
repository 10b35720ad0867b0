// `modelgate check` with a policy that requires a sandboxed trial load (docs/policy.md,
// "trial_load"): Debian's python3 unpickles the model inside `modelgate run`'s sandbox. The
// malicious fixture is loaded only there; it skips wherever the run tests skip.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "e2e/check_support.h"
#include "e2e/cli_runner.h"
#include "e2e/run_support.h"
#include "support/test_paths.h"

namespace mg::test {
namespace {

// The loader as a YAML list: `-c` code with spaces cannot be written as a split string.
constexpr char kUnpickle[] =
    "\"import pickle, sys; print('LOADED', "
    "pickle.load(open(sys.argv[1], 'rb')))\"";

class CheckTrialLoad : public ::testing::Test {
 protected:
  void SetUp() override {
    // check's trial load applies the sandbox's default memory limit, which an ASan build cannot
    // live under before exec (run_support.h, SanitizerBuild()); `modelgate run` covers it there.
    SKIP_IN_SANITIZER_BUILD();
    if (const auto& reason = SandboxUnavailable()) GTEST_SKIP() << *reason;
    if (!fs::exists("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3";
  }

  // A policy with only the trial load (findings never block) and the fixture copied as model.pkl
  // beside it.
  fs::path Prepare(const std::string& fixture, const std::string& loader) {
    WriteFile(scratch_.path() / "policy.yaml",
              "version: 1\nfindings:\n  block_at: critical\n  "
              "incomplete_blocks: false\n"
              "trial_load:\n  required: true\n  timeout: 90\n  loader: " +
                  loader + "\n");
    const fs::path model = scratch_.path() / "model.pkl";
    fs::copy_file(FixturesDir() / fixture, model, fs::copy_options::overwrite_existing);
    return model;
  }

  CliRun Check(const fs::path& model, const std::string& format) {
    CliOptions options;
    options.timeout = std::chrono::seconds(180);
    return RunCli({"check", "--policy", (scratch_.path() / "policy.yaml").string(), "--format",
                   format, model.string()},
                  options);
  }

  TempDir scratch_;
};

TEST_F(CheckTrialLoad, BenignPickleLoadsAndIsAllowed) {
  // "{model}" places the path; nothing is appended after it.
  const fs::path model =
      Prepare("clean/python_dict_p4.pkl",
              std::string("[/usr/bin/python3, -c, ") + kUnpickle + ", \"{model}\"]");
  const CliRun run = Check(model, "json");
  const auto json = ParseJson(run.out);
  ASSERT_FALSE(json.is_discarded()) << run.out << run.err;
  EXPECT_EQ(run.exit_code, 0) << json.dump(2);
  EXPECT_EQ(json["decision"], "allow");
  const auto& trial = json["models"][0]["trial_load"];
  EXPECT_EQ(trial["passed"], true) << trial.dump(2);
  EXPECT_EQ(trial["run"]["outcome"], "OK");
  EXPECT_EQ(trial["run"]["exit_status"], 0);
  EXPECT_EQ(trial["run"]["isolation"]["level"], "full");
  EXPECT_EQ(trial["run"]["command"].back(), "/model/model.pkl");
  EXPECT_EQ(trial["run"]["command"].size(), 4u);
  for (const auto& attempt : trial["run"]["attempts"]) EXPECT_EQ(attempt["allowed"], true);
  // The loader's print went to stderr: stdout is the report alone (it parsed above).
  EXPECT_NE(run.err.find("LOADED {'name': 'tiny-config'"), std::string::npos) << run.err;

  const CliRun text = Check(model, "text");
  EXPECT_EQ(text.exit_code, 0) << text.out << text.err;
  EXPECT_NE(text.out.find("ALLOW "), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("trial load: OK, exit status 0"), std::string::npos) << text.out;
}

TEST_F(CheckTrialLoad, ShellFromAMaliciousPickleIsBlockedAndReported) {
  // os.system('echo pwned') (tests/fixtures/expectations.json); the model path is appended.
  const fs::path model = Prepare("malicious/os_system_p4.pkl",
                                 std::string("[/usr/bin/python3, -c, ") + kUnpickle + "]");
  const CliRun run = Check(model, "json");
  const auto json = ParseJson(run.out);
  ASSERT_FALSE(json.is_discarded()) << run.out << run.err;
  EXPECT_EQ(run.exit_code, 1) << json.dump(2);
  EXPECT_EQ(json["decision"], "block");
  EXPECT_TRUE(HasReason(json, "trial_load", "VIOLATION")) << json["models"][0]["reasons"];
  EXPECT_TRUE(HasReason(json, "trial_load", "execve /bin/sh blocked"))
      << json["models"][0]["reasons"];
  const auto& trial = json["models"][0]["trial_load"];
  EXPECT_EQ(trial["passed"], false);
  EXPECT_EQ(trial["run"]["outcome"], "VIOLATION") << trial.dump(2);
  EXPECT_TRUE(HasAttempt(trial["run"], "execve", "/bin/sh", false)) << trial.dump(2);
  EXPECT_EQ(trial["run"]["command"].back(), "/model/model.pkl");
  // The shell never ran: its echo is not in the loader's output (nor in check's).
  EXPECT_EQ(run.out.find("\npwned"), std::string::npos);

  const CliRun md = Check(model, "markdown");
  EXPECT_EQ(md.exit_code, 1) << md.err;
  EXPECT_NE(md.out.find("### Trial load"), std::string::npos) << md.out;
  EXPECT_NE(md.out.find("| execve | /bin/sh |"), std::string::npos) << md.out;
  EXPECT_NE(md.out.find("**blocked**"), std::string::npos) << md.out;
}

TEST_F(CheckTrialLoad, MissingLoaderFailsClosed) {
  const fs::path model = Prepare("clean/python_dict_p4.pkl", "/nonexistent/loader --flag");
  const CliRun run = Check(model, "json");
  const auto json = ParseJson(run.out);
  ASSERT_FALSE(json.is_discarded()) << run.out << run.err;
  EXPECT_EQ(run.exit_code, 1) << json.dump(2);
  EXPECT_EQ(json["decision"], "block");
  EXPECT_TRUE(HasReason(json, "trial_load", "failed")) << json["models"][0]["reasons"];
  EXPECT_EQ(json["models"][0]["trial_load"]["passed"], false);
}

}  // namespace
}  // namespace mg::test
