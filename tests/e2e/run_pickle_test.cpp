// Debian's python3 loading crafted pickles inside `modelgate run`. The payloads are written here
// as protocol-0 opcodes (pickletools: GLOBAL 'c' module\nname\n, MARK '(', STRING 'S', TUPLE
// 't', REDUCE 'R', STOP '.'), into a temp folder, and loaded only inside the sandbox.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "e2e/cli_runner.h"
#include "e2e/run_support.h"

namespace mg::test {
namespace {

constexpr char kLoader[] =
    "import pickle, sys\n"
    "obj = pickle.load(open(sys.argv[1], 'rb'))\n"
    "print('LOADED', repr(obj))\n";

class RunPickle : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const auto& reason = SandboxUnavailable()) GTEST_SKIP() << *reason;
    if (!fs::exists("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3";
  }

  // Writes `opcodes` as payload.pkl and loads it with python3 in the sandbox.
  SandboxRun Load(const std::string& opcodes, std::vector<std::string> options = {}) {
    const fs::path pickle = scratch_.path() / "payload.pkl";
    WriteFile(pickle, opcodes);
    options.insert(options.end(), {"--model", pickle.string(), "--", "/usr/bin/python3", "-c",
                                   kLoader, "/model/payload.pkl"});
    return RunSandbox(options, scratch_, std::chrono::seconds(120));
  }

  TempDir scratch_;
};

// A call `module.name(args...)` as protocol 0; each argument already encoded.
std::string Call(const std::string& module, const std::string& name,
                 const std::vector<std::string>& args) {
  // Appends only: GCC 12 reports a false -Wrestrict on "literal" + std::string chains.
  std::string text = "c";
  text.append(module).append("\n").append(name).append("\n(");
  for (const std::string& arg : args) text += arg;
  return text.append("tR");
}

// STRING: a Python string literal in single quotes (backslash escapes allowed).
std::string Str(const std::string& value) {
  std::string text = "S'";
  return text.append(value).append("'\n");
}

TEST_F(RunPickle, BenignLoadSucceedsWithOutputIntact) {
  const SandboxRun run = Load("(dp0\nS'weights'\np1\n(lp2\nI1\naI2\naI3\nas.");
  EXPECT_EQ(run.cli.exit_code, 0) << run.cli.err;
  EXPECT_EQ(run.cli.out, "LOADED {'weights': [1, 2, 3]}\n");
  EXPECT_EQ(run.report["outcome"], "OK") << run.report.dump(2);
}

TEST_F(RunPickle, ShellIsNotExecuted) {
  const SandboxRun run = Load(Call("os", "system", {Str("echo PWNED-BY-PICKLE")}) + ".");
  EXPECT_EQ(run.cli.out.find("PWNED-BY-PICKLE"), std::string::npos) << run.cli.out;
  EXPECT_EQ(run.report["outcome"], "VIOLATION") << run.report.dump(2);
  EXPECT_TRUE(HasAttempt(run.report, "execve", "/bin/sh", false)) << run.report.dump(2);
  EXPECT_EQ(run.cli.exit_code, 123);
}

TEST_F(RunPickle, SubprocessIsNotExecuted) {
  const std::string argv = std::string("(")
                               .append(Str("/bin/sh"))
                               .append(Str("-c"))
                               .append(Str("echo PWNED-BY-PICKLE"))
                               .append("l");
  const SandboxRun run = Load(Call("subprocess", "check_output", {argv}) + ".");
  EXPECT_EQ(run.cli.out.find("PWNED-BY-PICKLE"), std::string::npos) << run.cli.out;
  EXPECT_NE(run.cli.err.find("PermissionError"), std::string::npos) << run.cli.err;
  EXPECT_TRUE(HasAttempt(run.report, "execve", "/bin/sh", false)) << run.report.dump(2);
}

TEST_F(RunPickle, ConnectionsToLoopbackAndPublicAddressesFail) {
  Listener listener;
  ASSERT_NE(listener.port(), 0);
  for (const std::string& host : {std::string("127.0.0.1"), std::string("192.0.2.1")}) {
    const int port = host == "127.0.0.1" ? listener.port() : 443;
    const std::string address =
        std::string("(").append(Str(host)).append("I").append(std::to_string(port)).append("\nt");
    const SandboxRun run = Load(Call("socket", "create_connection", {address}) + ".");
    EXPECT_NE(run.cli.exit_code, 0) << host;
    EXPECT_EQ(run.cli.out.find("LOADED"), std::string::npos) << run.cli.out;
    EXPECT_TRUE(HasAttempt(run.report, "socket", "AF_INET", false)) << run.report.dump(2);
  }
  EXPECT_FALSE(listener.WasContacted());
}

TEST_F(RunPickle, DecoyCredentialsAreNotRead) {
  const fs::path home = scratch_.path() / "home";
  WriteFile(home / ".ssh" / "id_rsa", "DECOY-SSH-PRIVATE-KEY");
  WriteFile(home / ".aws" / "credentials", "[default]\naws_secret_access_key = DECOY-AWS\n");
  for (const fs::path& secret : {home / ".ssh" / "id_rsa", home / ".aws" / "credentials"}) {
    // getattr(open(path), 'read')()
    const std::string opened = Call("builtins", "open", {Str(secret.string())});
    const std::string read =
        std::string("cbuiltins\ngetattr\n(").append(opened).append(Str("read")).append("tR(tR.");
    const SandboxRun run = Load(read);
    EXPECT_EQ(run.cli.out.find("DECOY"), std::string::npos) << run.cli.out;
    EXPECT_NE(run.cli.exit_code, 0);
    EXPECT_TRUE(HasAttempt(run.report, "openat", secret.string(), false)) << run.report.dump(2);
  }
  // Through "~": HOME inside is the private /tmp, where no key exists; still recorded.
  const std::string expanded = Call("os.path", "expanduser", {Str("~/.ssh/id_rsa")});
  const SandboxRun run = Load(Call("builtins", "open", {expanded}) + ".");
  EXPECT_NE(run.cli.exit_code, 0);
  EXPECT_TRUE(HasAttempt(run.report, "openat", "/.ssh/id_rsa", false)) << run.report.dump(2);
}

TEST_F(RunPickle, WritesOutsideTmpFail) {
  const fs::path outside = scratch_.path() / "written-by-pickle.txt";
  for (const std::string& target : {outside.string(), std::string("/etc/pwned")}) {
    const SandboxRun run = Load(Call("builtins", "open", {Str(target), Str("w")}) + ".");
    EXPECT_NE(run.cli.exit_code, 0) << target;
    EXPECT_EQ(run.cli.out.find("LOADED"), std::string::npos) << run.cli.out;
  }
  EXPECT_FALSE(fs::exists(outside));
}

TEST_F(RunPickle, EnvironmentSecretsAreAbsent) {
  ::setenv("AWS_SECRET_ACCESS_KEY", "decoy-secret-from-env", 1);
  const SandboxRun run = Load(Call("os", "getenv", {Str("AWS_SECRET_ACCESS_KEY")}) + ".");
  ::unsetenv("AWS_SECRET_ACCESS_KEY");
  EXPECT_EQ(run.cli.out, "LOADED None\n") << run.cli.err;
}

TEST_F(RunPickle, ForkBombIsContained) {
  const std::string bomb = Call("builtins", "exec", {Str("import os\\nwhile True: os.fork()")});
  const SandboxRun run = Load(bomb + ".", {"--max-processes", "32", "--timeout", "30"});
  ASSERT_FALSE(run.cli.timed_out);
  ASSERT_FALSE(run.report.is_discarded()) << run.cli.err;
  EXPECT_NE(run.cli.err.find("BlockingIOError"), std::string::npos) << run.cli.err;
  EXPECT_EQ(run.cli.out.find("LOADED"), std::string::npos);
}

TEST_F(RunPickle, UnboundedAllocationIsContained) {
  SKIP_IN_SANITIZER_BUILD();
  const std::string hog =
      Call("builtins", "exec", {Str("x = []\\nwhile True: x.append(bytearray(1 << 24))")});
  const SandboxRun run = Load(hog + ".", {"--max-memory", "256M", "--timeout", "60"});
  ASSERT_FALSE(run.report.is_discarded()) << run.cli.err;
  EXPECT_NE(run.cli.err.find("MemoryError"), std::string::npos) << run.cli.err;
  EXPECT_LT(run.report["resources"]["max_rss_kib"].get<long>(), 400 * 1024);
}

// A real, import-heavy loader: torch.load of a benign checkpoint (made by torch.save here; it
// is ours and benign, so creating it outside the sandbox is fine).
TEST_F(RunPickle, TorchLoadsABenignCheckpoint) {
  const fs::path checkpoint = scratch_.path() / "weights.pt";
  const CliRun made =
      RunProgram("/usr/bin/python3",
                 {"-c", "import sys, torch; torch.save({'w': torch.arange(4)}, sys.argv[1])",
                  checkpoint.string()});
  if (made.exit_code != 0) GTEST_SKIP() << "python3 cannot import torch here: " << made.err;
  const SandboxRun run =
      RunSandbox({"--model", checkpoint.string(), "--", "/usr/bin/python3", "-c",
                  "import torch; print(torch.load('/model/weights.pt')['w'].tolist())"},
                 scratch_, std::chrono::seconds(180));
  EXPECT_EQ(run.cli.exit_code, 0) << run.cli.err;
  EXPECT_EQ(run.cli.out, "[0, 1, 2, 3]\n");
  EXPECT_EQ(run.report["outcome"], "OK") << run.report.dump(2);
}

}  // namespace
}  // namespace mg::test
