// `modelgate run` end to end: escape-attempt programs (src/sandbox/tests/escapes/) and Debian's
// python3 loading crafted malicious pickles, each inside the sandbox; each attempt must be
// contained and reported, and a benign load must succeed with its output intact. The malicious
// pickles are written by the test and never loaded outside the sandbox.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "e2e/cli_runner.h"
#include "e2e/run_support.h"
#include "support/test_paths.h"

namespace mg::test {
namespace {

namespace fs = std::filesystem;

void ExpectContained(const SandboxRun& run) {
  ASSERT_FALSE(run.report.is_discarded()) << run.cli.err;
  EXPECT_EQ(run.cli.out.find("ESCAPED"), std::string::npos) << run.cli.out;
  EXPECT_NE(run.cli.out.find("CONTAINED"), std::string::npos) << run.cli.out << run.cli.err;
  EXPECT_EQ(run.report["exit_status"], 0) << run.report.dump(2);
}

TEST(Run, TrueSucceedsAndReportsItsIsolation) {
  SKIP_WITHOUT_SANDBOX();
  TempDir scratch;
  const SandboxRun run = RunSandbox({"--", "/bin/true"}, scratch);
  EXPECT_EQ(run.cli.exit_code, 0) << run.cli.err;
  EXPECT_EQ(run.report["outcome"], "OK");
  EXPECT_EQ(run.report["executed"], "/bin/true");
  const auto& isolation = run.report["isolation"];
  const auto& layers = isolation["layers"];
  EXPECT_NE(std::find(layers.begin(), layers.end(), "seccomp"), layers.end());
  if (isolation["namespaces"] == true) {
    EXPECT_EQ(isolation["level"], "full");
  } else {
    EXPECT_EQ(isolation["level"], "landlock+seccomp");
    EXPECT_FALSE(isolation["fallback"].is_null());
  }
}

TEST(Run, CommandExitStatusAndOutputPassThrough) {
  SKIP_WITHOUT_SANDBOX();
  TempDir scratch;
  const SandboxRun run =
      RunSandbox({"--", "/bin/sh", "-c", "echo out; echo err >&2; exit 3"}, scratch);
  EXPECT_EQ(run.cli.exit_code, 3);
  EXPECT_EQ(run.cli.out, "out\n");
  EXPECT_EQ(run.cli.err, "err\n");
  EXPECT_EQ(run.report["outcome"], "OK");
  EXPECT_EQ(run.report["exit_status"], 3);
}

TEST(Run, TextReportGoesToStderr) {
  SKIP_WITHOUT_SANDBOX();
  std::vector<std::string> args = {"run", "--", "/bin/true"};
  if (SanitizerBuild()) args.insert(args.begin() + 1, {"--max-memory", "0"});
  const CliRun run = RunCli(args);
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_TRUE(run.out.empty()) << run.out;
  EXPECT_NE(run.err.find("modelgate run: OK"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("isolation:"), std::string::npos) << run.err;
}

TEST(Run, TimeoutKillsTheWholeSandbox) {
  SKIP_WITHOUT_SANDBOX();
  TempDir scratch;
  const SandboxRun run =
      // --observe: the shell's own children (sleep) are executed, not denied.
      RunSandbox({"--observe", "--timeout", "1", "--", "/bin/sh", "-c", "sleep 60 & sleep 60"},
                 scratch);
  EXPECT_EQ(run.cli.exit_code, 124);
  EXPECT_EQ(run.report["outcome"], "TIMEOUT");
  EXPECT_LT(run.cli.elapsed, std::chrono::seconds(20));
}

TEST(Run, SignalIsReported) {
  SKIP_WITHOUT_SANDBOX();
  TempDir scratch;
  const SandboxRun run = RunSandbox({"--", "/bin/sh", "-c", "kill -SEGV $$"}, scratch);
  EXPECT_EQ(run.cli.exit_code, 128 + 11);
  EXPECT_EQ(run.report["outcome"], "SIGNALED");
  EXPECT_EQ(run.report["signal"], "SIGSEGV");
}

TEST(Run, MissingModelIsASetupError) {
  TempDir scratch;
  const SandboxRun run =
      RunSandbox({"--model", (scratch.path() / "nope.pt").string(), "--", "/bin/true"}, scratch);
  EXPECT_EQ(run.cli.exit_code, 125);
  EXPECT_EQ(run.report["outcome"], "SETUP_ERROR");
  EXPECT_NE(run.report["message"].get<std::string>().find("nope.pt"), std::string::npos);
}

TEST(Run, UsageErrorsExitTwo) {
  EXPECT_EQ(RunCli({"run", "--setenv", "NOVALUE", "--", "/bin/true"}).exit_code, 2);
  EXPECT_EQ(RunCli({"run", "--env", "AWS_SECRET_ACCESS_KEY", "--", "/bin/true"}).exit_code, 2);
  EXPECT_EQ(RunCli({"run", "--timeout", "0", "--", "/bin/true"}).exit_code, 2);
  EXPECT_EQ(RunCli({"run", "--enforce", "--observe", "--", "/bin/true"}).exit_code, 2);
  EXPECT_EQ(RunCli({"run"}).exit_code, 2);
}

TEST(Run, ModelsAreReadOnlyAndOutputIsWritable) {
  SKIP_WITHOUT_SANDBOX();
  TempDir scratch;
  WriteFile(scratch.path() / "models" / "m.bin", "weights");
  const fs::path output = scratch.path() / "out";
  fs::create_directories(output);
  // As root the command runs as an unprivileged uid outside (docs/sandbox.md): open the folder.
  fs::permissions(output, fs::perms::all);
  const SandboxRun run =
      RunSandbox({"--observe", "--model", (scratch.path() / "models" / "m.bin").string(),
                  "--model-at", (scratch.path() / "models").string() + ":/data/all", "--output",
                  output.string(), "--", "/bin/sh", "-c",
                  "cat /model/m.bin /data/all/m.bin > /output/copy && ! echo x > /model/m.bin"},
                 scratch);
  EXPECT_EQ(run.cli.exit_code, 0) << run.cli.err;
  EXPECT_EQ(ReadFile(output / "copy"), "weightsweights");
  EXPECT_EQ(ReadFile(scratch.path() / "models" / "m.bin"), "weights");
}

TEST(Run, EnvironmentIsScrubbed) {
  SKIP_WITHOUT_SANDBOX();
  ::setenv("AWS_SECRET_ACCESS_KEY", "decoy-aws-secret", 1);
  ::setenv("MODELGATE_TEST_PLAIN", "plain-value", 1);
  TempDir scratch;
  const SandboxRun run = RunSandbox({"--setenv", "CHOSEN=yes", "--", "/usr/bin/env"}, scratch);
  ::unsetenv("AWS_SECRET_ACCESS_KEY");
  ::unsetenv("MODELGATE_TEST_PLAIN");
  EXPECT_EQ(run.cli.exit_code, 0) << run.cli.err;
  EXPECT_EQ(run.cli.out.find("decoy-aws-secret"), std::string::npos) << run.cli.out;
  EXPECT_EQ(run.cli.out.find("plain-value"), std::string::npos) << run.cli.out;
  EXPECT_NE(run.cli.out.find("CHOSEN=yes"), std::string::npos) << run.cli.out;
  EXPECT_NE(run.cli.out.find("HOME=/tmp"), std::string::npos) << run.cli.out;
}

TEST(Run, WorkingDirectoryIsThePrivateTmp) {
  SKIP_WITHOUT_SANDBOX();
  TempDir scratch;
  const SandboxRun run = RunSandbox({"--", "/bin/pwd"}, scratch);
  EXPECT_EQ(run.cli.out, "/tmp\n") << run.cli.err;
}

// Python's multiprocessing locks are POSIX named semaphores, created in /dev/shm.
TEST(Run, SharedMemoryForSemaphoresWorks) {
  SKIP_WITHOUT_SANDBOX();
  if (!fs::exists("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3";
  TempDir scratch;
  const SandboxRun run = RunSandbox(
      {"--", "/usr/bin/python3", "-c",
       "import multiprocessing; lock = multiprocessing.Lock(); lock.acquire(); print('locked')"},
      scratch);
  EXPECT_EQ(run.cli.out, "locked\n") << run.cli.err;
  EXPECT_EQ(run.report["outcome"], "OK") << run.report.dump(2);
}

// The CLI reports as soon as init has reaped every process of the sandbox (RunConfig::
// await_teardown): the usage must still cover a grandchild that ended before the command.
TEST(Run, ResourcesCoverEveryProcessOfTheSandbox) {
  SKIP_WITHOUT_SANDBOX();
  SKIP_IN_SANITIZER_BUILD();  // the memory figure would include ASan's shadow
  if (!fs::exists("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3";
  TempDir scratch;
  const SandboxRun run = RunSandbox(
      {"--observe", "--", "/bin/sh", "-c",
       "/usr/bin/python3 -c 'b = bytearray(96 << 20); sum(range(3000000))'; exit 0"},
      scratch);
  ASSERT_EQ(run.cli.exit_code, 0) << run.cli.err;
  EXPECT_GE(run.report["resources"]["max_rss_kib"].get<long>(), 96 * 1024);
  EXPECT_GT(run.report["resources"]["cpu_seconds"].get<double>(), 0.0);
}

// A process the command leaves behind ends with the sandbox, before the report: nothing of the
// sandbox writes to the output folder afterwards.
TEST(Run, LeftoverProcessEndsBeforeTheReport) {
  SKIP_WITHOUT_SANDBOX();
  TempDir scratch;
  const fs::path output = scratch.path() / "out";
  fs::create_directories(output);
  fs::permissions(output, fs::perms::all);  // the command's uid outside is not ours (root)
  const SandboxRun run = RunSandbox(
      {"--observe", "--output", output.string(), "--", "/bin/sh", "-c",
       "(sleep 0.3; echo late > /output/late) & echo early > /output/early; exit 0"},
      scratch);
  ASSERT_EQ(run.cli.exit_code, 0) << run.cli.err;
  EXPECT_EQ(ReadFile(output / "early"), "early\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  EXPECT_FALSE(fs::exists(output / "late"));
}

// --- Escape-attempt programs -------------------------------------------------------------

TEST(RunEscape, Ptrace) {
  SKIP_WITHOUT_SANDBOX();
  TempDir scratch;
  const SandboxRun run = RunSandbox({"--", Escape("ptrace").string()}, scratch);
  ExpectContained(run);
  EXPECT_TRUE(HasAttempt(run.report, "ptrace", "", false)) << run.report.dump(2);
  EXPECT_EQ(run.cli.exit_code, 123);  // blocked attempts make the run a VIOLATION
}

TEST(RunEscape, Mount) {
  SKIP_WITHOUT_SANDBOX();
  TempDir scratch;
  const SandboxRun run = RunSandbox({"--", Escape("mount").string()}, scratch);
  ExpectContained(run);
  EXPECT_TRUE(HasAttempt(run.report, "mount", "", false));
  EXPECT_TRUE(HasAttempt(run.report, "umount2", "", false));
}

TEST(RunEscape, Unshare) {
  SKIP_WITHOUT_SANDBOX();
  TempDir scratch;
  const SandboxRun run = RunSandbox({"--", Escape("unshare").string()}, scratch);
  ExpectContained(run);
  EXPECT_TRUE(HasAttempt(run.report, "unshare", "", false));
  EXPECT_TRUE(HasAttempt(run.report, "clone", "namespace", false));
}

TEST(RunEscape, IoUring) {
  SKIP_WITHOUT_SANDBOX();
  TempDir scratch;
  const SandboxRun run = RunSandbox({"--", Escape("io_uring").string()}, scratch);
  ExpectContained(run);
  EXPECT_TRUE(HasAttempt(run.report, "io_uring_setup", "", false));
}

TEST(RunEscape, ProcTricks) {
  SKIP_WITHOUT_SANDBOX();
  TempDir scratch;
  const SandboxRun run = RunSandbox({"--", Escape("proc_tricks").string()}, scratch);
  ExpectContained(run);
}

TEST(RunEscape, ExecShellIsDeniedInEnforceMode) {
  SKIP_WITHOUT_SANDBOX();
  TempDir scratch;
  const SandboxRun run = RunSandbox({"--", Escape("exec_shell").string()}, scratch);
  ExpectContained(run);
  EXPECT_EQ(run.cli.out.find("shell ran"), std::string::npos);
  EXPECT_TRUE(HasAttempt(run.report, "execve", "/bin/sh", false)) << run.report.dump(2);
}

TEST(RunEscape, ExecShellRunsInObserveModeAndIsRecorded) {
  SKIP_WITHOUT_SANDBOX();
  TempDir scratch;
  const SandboxRun run = RunSandbox({"--observe", "--", Escape("exec_shell").string()}, scratch);
  EXPECT_NE(run.cli.out.find("shell ran"), std::string::npos) << run.cli.out << run.cli.err;
  EXPECT_TRUE(HasAttempt(run.report, "execve", "/bin/sh", true)) << run.report.dump(2);
}

TEST(RunEscape, CredentialsAreOutOfReach) {
  SKIP_WITHOUT_SANDBOX();
  TempDir scratch;
  const fs::path key = scratch.path() / "home" / ".ssh" / "id_rsa";
  const fs::path aws = scratch.path() / "home" / ".aws" / "credentials";
  WriteFile(key, "DECOY-SSH-KEY");
  WriteFile(aws, "[default]\naws_secret_access_key = DECOY-AWS\n");
  const SandboxRun run =
      RunSandbox({"--", Escape("read_secret").string(), key.string(), aws.string()}, scratch);
  ExpectContained(run);
  EXPECT_TRUE(HasAttempt(run.report, "openat", key.string(), false)) << run.report.dump(2);
  EXPECT_TRUE(HasAttempt(run.report, "openat", aws.string(), false));
}

TEST(RunEscape, NoNetwork) {
  SKIP_WITHOUT_SANDBOX();
  Listener listener;
  ASSERT_NE(listener.port(), 0);
  TempDir scratch;
  const SandboxRun run =
      RunSandbox({"--", Escape("connect").string(), std::to_string(listener.port())}, scratch);
  ExpectContained(run);
  EXPECT_FALSE(listener.WasContacted());
  EXPECT_TRUE(HasAttempt(run.report, "socket", "AF_INET", false)) << run.report.dump(2);
}

TEST(RunEscape, WritesStayInTmp) {
  SKIP_WITHOUT_SANDBOX();
  TempDir scratch;
  const fs::path outside = scratch.path() / "outside.txt";
  const SandboxRun run =
      RunSandbox({"--", Escape("write_outside").string(), outside.string()}, scratch);
  ExpectContained(run);
  EXPECT_FALSE(fs::exists(outside));
}

TEST(RunEscape, ForkBombHitsTheProcessLimit) {
  SKIP_WITHOUT_SANDBOX();
  TempDir scratch;
  const SandboxRun run = RunSandbox(
      {"--max-processes", "32", "--timeout", "30", "--", Escape("fork_bomb").string(), "5000"},
      scratch);
  ExpectContained(run);
}

TEST(RunEscape, MemoryBombHitsTheMemoryLimit) {
  SKIP_IN_SANITIZER_BUILD();
  SKIP_WITHOUT_SANDBOX();
  TempDir scratch;
  const SandboxRun run =
      RunSandbox({"--max-memory", "256M", "--", Escape("memory_bomb").string(), "2048"}, scratch);
  ExpectContained(run);
  EXPECT_LT(run.report["resources"]["max_rss_kib"].get<long>(), 400 * 1024);
}

// --- The fallback: Landlock + seccomp without namespaces -----------------------------------

TEST(RunFallback, LandlockAndSeccompStillContain) {
  TempDir scratch;
  const SandboxRun probe = RunSandbox({"--no-namespaces", "--", "/bin/true"}, scratch);
  ASSERT_FALSE(probe.report.is_discarded()) << probe.cli.err;
  if (probe.report["outcome"] == "SETUP_ERROR") {
    GTEST_SKIP() << "no Landlock here: " << probe.report["message"].get<std::string>();
  }
  EXPECT_EQ(probe.report["isolation"]["level"], "landlock+seccomp");
  EXPECT_EQ(probe.report["isolation"]["fallback"], "disabled with --no-namespaces");

  const fs::path key = scratch.path() / "home" / ".ssh" / "id_rsa";
  WriteFile(key, "DECOY-SSH-KEY");
  for (const std::vector<std::string>& escape :
       {std::vector<std::string>{Escape("read_secret").string(), key.string()},
        {Escape("exec_shell").string()},
        {Escape("connect").string()},
        {Escape("ptrace").string()},
        {Escape("unshare").string()}}) {
    std::vector<std::string> args = {"--no-namespaces", "--"};
    args.insert(args.end(), escape.begin(), escape.end());
    ExpectContained(RunSandbox(args, scratch));
  }
}

// modelgate inside modelgate: the outer sandbox's seccomp refuses namespace creation, as a
// locked-down container would, so the inner run must fall back by itself and say why.
TEST(RunFallback, RefusedNamespacesFallBackAutomatically) {
  SKIP_IN_SANITIZER_BUILD();  // the instrumented CLI would be the sandboxed command
  SKIP_WITHOUT_SANDBOX();
  TempDir scratch;
  const SandboxRun outer =
      RunSandbox({"--observe", "--no-monitor", "--", CliBinary().string(), "run", "--no-monitor",
                  "--format", "json", "--", "/bin/echo", "nested"},
                 scratch);
  const auto inner = ParseJson(outer.cli.err);
  ASSERT_FALSE(inner.is_discarded()) << outer.cli.err;
  if (inner["outcome"] == "SETUP_ERROR") GTEST_SKIP() << "no Landlock: " << inner["message"];
  EXPECT_EQ(outer.cli.out, "nested\n");
  EXPECT_EQ(inner["outcome"], "OK");
  EXPECT_EQ(inner["isolation"]["level"], "landlock+seccomp");
  EXPECT_NE(inner["isolation"]["fallback"].get<std::string>().find("namespaces unusable"),
            std::string::npos);
}

TEST(RunFallback, RequiredNamespacesFailInsteadOfFallingBack) {
  SKIP_IN_SANITIZER_BUILD();  // the instrumented CLI would be the sandboxed command
  SKIP_WITHOUT_SANDBOX();
  TempDir scratch;
  const SandboxRun outer =
      RunSandbox({"--observe", "--no-monitor", "--", CliBinary().string(), "run", "--no-monitor",
                  "--require-namespaces", "--format", "json", "--", "/bin/echo", "nested"},
                 scratch);
  const auto inner = ParseJson(outer.cli.err);
  ASSERT_FALSE(inner.is_discarded()) << outer.cli.err;
  EXPECT_EQ(inner["outcome"], "SETUP_ERROR");
  EXPECT_EQ(outer.cli.out, "");
  EXPECT_EQ(outer.report["exit_status"], 125);
}

TEST(RunFallback, ModelStaysAtItsPathAndIsReadable) {
  TempDir scratch;
  const fs::path model = scratch.path() / "m.txt";
  WriteFile(model, "weights");
  const fs::path elsewhere = scratch.path() / "not-a-model.txt";
  WriteFile(elsewhere, "private");
  const SandboxRun run =
      RunSandbox({"--no-namespaces", "--model", model.string(), "--", "/usr/bin/head", "-c", "100",
                  model.string(), elsewhere.string()},
                 scratch);
  ASSERT_FALSE(run.report.is_discarded()) << run.cli.err;
  if (run.report["outcome"] == "SETUP_ERROR") {
    GTEST_SKIP() << "no Landlock here: " << run.report["message"].get<std::string>();
  }
  EXPECT_EQ(run.report["models"][0]["inside"], model.string());
  EXPECT_NE(run.cli.out.find("weights"), std::string::npos) << run.cli.out;
  EXPECT_EQ(run.cli.out.find("private"), std::string::npos) << run.cli.out;
}

}  // namespace
}  // namespace mg::test
