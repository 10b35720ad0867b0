#include "sandbox/seccomp_policy.h"

#include <gtest/gtest.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "sandbox/capabilities.h"
#include "sandbox/tests/child_runner.h"

namespace mg::sandbox {
namespace {

// Loads the default policy in a child and runs `probe` there.
int UnderPolicy(const SeccompPolicy& policy, const std::function<int()>& probe) {
  return test::InChild([&] {
    if (SetNoNewPrivs() != 0) return 100;
    if (LoadSeccompFilter(policy) != 0) return 101;
    return probe();
  });
}

TEST(SeccompPolicy, DenyListFailsWithEperm) {
  EXPECT_EQ(UnderPolicy({},
                        [] {
                          if (::ptrace(PTRACE_TRACEME, 0, nullptr, nullptr) == 0 || errno != EPERM)
                            return 1;
                          if (::unshare(CLONE_NEWUSER) == 0 || errno != EPERM) return 2;
                          if (::mount("none", "/tmp", "tmpfs", 0, nullptr) == 0 || errno != EPERM)
                            return 3;
                          if (::syscall(SYS_io_uring_setup, 1, nullptr) != -1 || errno != EPERM)
                            return 4;
                          if (::syscall(SYS_bpf, 0, nullptr, 0) != -1 || errno != EPERM) return 5;
                          if (::syscall(SYS_keyctl, 0, 0, 0, 0, 0) != -1 || errno != EPERM)
                            return 6;
                          return 0;
                        }),
            0);
}

TEST(SeccompPolicy, NetworkSocketsAreDeniedAndUnixSocketsAllowed) {
  EXPECT_EQ(UnderPolicy({},
                        [] {
                          if (::socket(AF_INET, SOCK_STREAM, 0) >= 0 || errno != EPERM) return 1;
                          if (::socket(AF_INET6, SOCK_DGRAM, 0) >= 0 || errno != EPERM) return 2;
                          if (::socket(AF_NETLINK, SOCK_RAW, 0) >= 0 || errno != EPERM) return 3;
                          int pair[2];
                          if (::socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0) return 4;
                          return 0;
                        }),
            0);
}

TEST(SeccompPolicy, OrdinaryWorkStillRuns) {
  EXPECT_EQ(
      UnderPolicy({},
                  [] {
                    const pid_t pid = ::fork();  // clone without namespace flags
                    if (pid == 0) ::_exit(7);
                    int status = 0;
                    if (pid < 0 || ::waitpid(pid, &status, 0) != pid || WEXITSTATUS(status) != 7) {
                      return 1;
                    }
                    return ::getpid() > 0 ? 0 : 2;
                  }),
      0);
}

TEST(SeccompPolicy, OptionalDenials) {
  SeccompPolicy policy;
  policy.deny_exec = true;
  policy.deny_session_change = true;
  EXPECT_EQ(UnderPolicy(policy,
                        [] {
                          if (::setsid() >= 0 || errno != EPERM) return 1;
                          char* argv[] = {const_cast<char*>("true"), nullptr};
                          ::execv("/bin/true", argv);
                          return errno == EPERM ? 0 : 2;
                        }),
            0);
}

TEST(SeccompPolicy, CompiledProgramLoadsWithoutLibseccomp) {
  SeccompProgram program;
  ASSERT_EQ(CompileSeccompFilter({}, program), 0);
  ASSERT_FALSE(program.instructions.empty());
  EXPECT_LE(program.instructions.size(), static_cast<std::size_t>(BPF_MAXINSNS));
  EXPECT_EQ(program.flags, 0U);
  // The first instruction loads the architecture (seccomp_data.arch at offset 4) to kill calls
  // through another ABI; the last one returns an action.
  EXPECT_EQ(program.instructions.front().code, BPF_LD | BPF_W | BPF_ABS);
  EXPECT_EQ(program.instructions.front().k, 4U);
  EXPECT_EQ(BPF_CLASS(program.instructions.back().code), BPF_RET);
  EXPECT_EQ(test::InChild([&] {
              if (LoadSeccompProgram(program) != 0) return 1;
              if (::ptrace(PTRACE_TRACEME, 0, nullptr, nullptr) == 0 || errno != EPERM) return 2;
              if (::socket(AF_INET, SOCK_STREAM, 0) >= 0 || errno != EPERM) return 3;
              return ::getpid() > 0 ? 0 : 4;
            }),
            0);
}

TEST(SeccompPolicy, CompiledNotifyProgramHandsOutAListener) {
  SeccompPolicy policy;
  policy.notify = true;
  SeccompProgram program;
  ASSERT_EQ(CompileSeccompFilter(policy, program), 0);
  EXPECT_EQ(program.flags, static_cast<unsigned>(SECCOMP_FILTER_FLAG_NEW_LISTENER));
  EXPECT_EQ(test::InChild([&] {
              int listener = -1;
              if (LoadSeccompProgram(program, &listener) != 0) return 1;
              return listener >= 0 ? 0 : 2;
            }),
            0);
}

TEST(SeccompPolicy, AllThreadsProgramSynchronisesThreads) {
  SeccompPolicy policy;
  policy.all_threads = true;
  SeccompProgram program;
  ASSERT_EQ(CompileSeccompFilter(policy, program), 0);
  EXPECT_NE(program.flags & SECCOMP_FILTER_FLAG_TSYNC, 0U);
  EXPECT_EQ(program.flags & SECCOMP_FILTER_FLAG_NEW_LISTENER, 0U);
  EXPECT_EQ(test::InChild([&] { return LoadSeccompProgram(program) == 0 ? 0 : 1; }), 0);
}

TEST(SeccompPolicy, ProgramCrossesASocketIntact) {
  SeccompPolicy policy;
  policy.notify = true;
  SeccompProgram sent;
  ASSERT_EQ(CompileSeccompFilter(policy, sent), 0);
  int pair[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair), 0);
  ASSERT_EQ(SendSeccompProgram(pair[0], sent), 0);
  SeccompProgram received;
  ASSERT_EQ(ReceiveSeccompProgram(pair[1], SeccompLoadFlags(policy), received), 0);
  EXPECT_EQ(received.flags, sent.flags);
  ASSERT_EQ(received.instructions.size(), sent.instructions.size());
  for (std::size_t i = 0; i < sent.instructions.size(); ++i) {
    EXPECT_EQ(received.instructions[i].code, sent.instructions[i].code) << i;
    EXPECT_EQ(received.instructions[i].jt, sent.instructions[i].jt) << i;
    EXPECT_EQ(received.instructions[i].jf, sent.instructions[i].jf) << i;
    EXPECT_EQ(received.instructions[i].k, sent.instructions[i].k) << i;
  }
  // A message that is not a whole number of instructions is refused; so is no message at all.
  ASSERT_EQ(::send(pair[0], "abc", 3, 0), 3);
  EXPECT_EQ(ReceiveSeccompProgram(pair[1], 0, received), EINVAL);
  ::close(pair[0]);
  EXPECT_EQ(ReceiveSeccompProgram(pair[1], 0, received), EPIPE);
  ::close(pair[1]);
}

TEST(SeccompPolicy, ShutdownEndsTheWaitWhileCopiesOfTheSenderLive) {
  // The sandbox's processes inherit the supervisor's end; its shutdown still ends the wait.
  int pair[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair), 0);
  const int inherited_copy = ::dup(pair[0]);
  ASSERT_GE(inherited_copy, 0);
  ASSERT_EQ(::shutdown(pair[0], SHUT_WR), 0);
  SeccompProgram received;
  EXPECT_EQ(ReceiveSeccompProgram(pair[1], 0, received), EPIPE);
  ::close(inherited_copy);
  ::close(pair[0]);
  ::close(pair[1]);
}

TEST(SeccompPolicy, EmptyProgramIsRefused) {
  EXPECT_EQ(LoadSeccompProgram(SeccompProgram{}), -EINVAL);
}

TEST(SeccompPolicy, DeniedNamesAreListed) {
  const auto names = DeniedSyscallNames();
  for (const char* name : {"ptrace", "mount", "bpf", "io_uring_setup", "keyctl", "unshare"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
}

}  // namespace
}  // namespace mg::sandbox
