#include "sandbox/monitor.h"

#include <gtest/gtest.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>

#include "sandbox/seccomp_policy.h"
#include "sandbox/tests/child_runner.h"

namespace mg::sandbox {
namespace {

TEST(SandboxMonitor, CredentialPathsAnywhere) {
  for (const char* path :
       {"/root/.ssh/id_rsa", "/home/u/.ssh", "/tmp/.ssh/known_hosts", "/home/u/.aws/credentials",
        "/home/u/.config/gcloud/credentials.db", "/home/u/.kube/config",
        "/home/u/.docker/config.json", "/home/u/.netrc", "/home/u/.git-credentials",
        "/home/u/.cache/huggingface/token", "/home/u/.gnupg/private-keys"}) {
    EXPECT_TRUE(IsCredentialPath(path)) << path;
  }
}

TEST(SandboxMonitor, OrdinaryPathsAreNotCredentials) {
  for (const char* path : {"/usr/lib/python3/dist-packages/torch/__init__.py", "/model/m.pt",
                           "/tmp/x.ssh", "/etc/ssh_config", "/home/u/sshkeys.txt"}) {
    EXPECT_FALSE(IsCredentialPath(path)) << path;
  }
}

// Linux 6.6 added SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP; older kernels refuse the request, and a
// descriptor that is no listener is refused everywhere.
TEST(SandboxMonitor, SynchronousWakeUpsOnTheListener) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  EXPECT_FALSE(Monitor::RequestSynchronousWakeUps(pipe_fds[0]));
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);

  utsname name{};
  ASSERT_EQ(::uname(&name), 0);
  int major = 0;
  int minor = 0;
  ASSERT_EQ(std::sscanf(name.release, "%d.%d", &major, &minor), 2) << name.release;
  const bool supported = major > 6 || (major == 6 && minor >= 6);
  SeccompPolicy policy;
  policy.notify = true;
  SeccompProgram program;
  ASSERT_EQ(CompileSeccompFilter(policy, program), 0);
  // The child holds the listener of its own filter; it only needs the descriptor, not to be
  // notified, so nothing waits on an answer.
  const int status = test::InChild([&] {
    int listener = -1;
    if (LoadSeccompProgram(program, &listener) != 0 || listener < 0) return 2;
    return Monitor::RequestSynchronousWakeUps(listener) ? 0 : 1;
  });
  EXPECT_EQ(status, supported ? 0 : 1) << name.release;
}

}  // namespace
}  // namespace mg::sandbox
