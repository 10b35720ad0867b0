#include "sandbox/child.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "sandbox/capabilities.h"
#include "sandbox/namespaces.h"
#include "sandbox/rlimits.h"

namespace mg::sandbox {

namespace {

// The exit status of a sandbox process whose setup failed (the message says why).
constexpr int kSetupFailedExit = 125;

void Send(int fd, const ChildMessage& message) {
  while (::write(fd, &message, sizeof(message)) < 0 && errno == EINTR) {
  }
}

[[noreturn]] void FailSetup(const ChildPlan& plan, const StepError& step,
                            ChildMessage::Kind kind = ChildMessage::kSetupFailed) {
  ChildMessage message;
  message.kind = kind;
  message.value = step.error;
  std::snprintf(message.text, sizeof(message.text), "%s", step.Describe().c_str());
  Send(plan.report_fd, message);
  ::_exit(kSetupFailedExit);
}

// Passes the seccomp listener to the supervisor (SCM_RIGHTS), then closes our copy.
int SendListener(int socket_fd, int listener_fd) {
  char byte = 'L';
  iovec data{&byte, 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr header{};
  header.msg_iov = &data;
  header.msg_iovlen = 1;
  header.msg_control = control;
  header.msg_controllen = sizeof(control);
  cmsghdr* cmsg = CMSG_FIRSTHDR(&header);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(cmsg), &listener_fd, sizeof(int));
  const int rc = ::sendmsg(socket_fd, &header, MSG_NOSIGNAL) == 1 ? 0 : errno;
  ::close(listener_fd);
  ::close(socket_fd);
  return rc;
}

StepError ApplyLandlock(const ChildPlan& plan) {
  if (plan.landlock_abi <= 0) return StepOk();
  LandlockRuleset ruleset(plan.landlock_abi, /*deny_tcp=*/true);
  for (const LandlockRule& rule : plan.landlock_rules) {
    ruleset.AllowPath(rule.path.c_str(), rule.access, rule.optional);
  }
  if (const int error = ruleset.RestrictSelf(); error != 0) {
    const char* path = ruleset.first_error_path();
    return StepFailed(error, std::string("landlock") + (path ? std::string(" ") + path : ""));
  }
  return StepOk();
}

std::vector<char*> Pointers(const std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (const std::string& text : strings) pointers.push_back(const_cast<char*>(text.c_str()));
  pointers.push_back(nullptr);
  return pointers;
}

// The command's own confinement, in the order each step needs: setsid and rlimits first,
// capabilities while we still have CAP_SETPCAP, no_new_privs before Landlock and seccomp, and
// seccomp last, since its deny list forbids calls the earlier steps make.
[[noreturn]] void ConfineAndExec(const ChildPlan& plan) {
  ::signal(SIGPIPE, SIG_DFL);
  if (::setsid() < 0) FailSetup(plan, StepFailed(errno, "setsid"));
  if (!plan.workdir.empty() && ::chdir(plan.workdir.c_str()) != 0) {
    FailSetup(plan, StepFailed(errno, "chdir " + plan.workdir));
  }
  if (const int error = ApplyRlimits(plan.limits); error != 0) {
    FailSetup(plan, StepFailed(error, "setrlimit"));
  }
  if (const int error = DropBoundingSetAndLock(); error != 0) {
    FailSetup(plan, StepFailed(error, "drop the capability bounding set"));
  }
  // init may be uid 0 inside (a root caller); the command never is.
  if (plan.namespaces && (::setresgid(kSandboxGid, kSandboxGid, kSandboxGid) != 0 ||
                          ::setresuid(kSandboxUid, kSandboxUid, kSandboxUid) != 0)) {
    FailSetup(plan, StepFailed(errno, "switch to the sandbox user"));
  }
  if (const int error = ClearCapabilitySets(); error != 0) {
    FailSetup(plan, StepFailed(error, "drop capabilities"));
  }
  if (const int error = SetNoNewPrivs(); error != 0) {
    FailSetup(plan, StepFailed(error, "no_new_privs"));
  }
  if (StepError step = ApplyLandlock(plan); step.failed()) FailSetup(plan, step);
  // Every descriptor but stdin/out/err closes on exec (our pipes included).
  if (::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
    FailSetup(plan, StepFailed(errno, "close_range"));
  }
  // The supervisor compiles the filter while init builds the root; it is there by now, or soon.
  SeccompProgram program;
  if (const int error =
          ReceiveSeccompProgram(plan.filter_socket, SeccompLoadFlags(plan.seccomp), program);
      error != 0) {
    FailSetup(plan, StepFailed(error, "receive the seccomp filter"));
  }
  ::close(plan.filter_socket);
  int listener_fd = -1;
  if (const int rc = LoadSeccompProgram(program, &listener_fd); rc != 0) {
    FailSetup(plan, StepFailed(-rc, "seccomp"));
  }
  if (plan.seccomp.notify) {
    if (const int error = SendListener(plan.listener_socket, listener_fd); error != 0) {
      FailSetup(plan, StepFailed(error, "send seccomp listener"));
    }
  }
  std::vector<char*> argv = Pointers(plan.argv);
  std::vector<char*> env = Pointers(plan.env);
  ::execve(plan.exec_path.c_str(), argv.data(), env.data());
  FailSetup(plan, StepFailed(errno, "execve " + plan.exec_path));
}

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitizedBuild = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitizedBuild = true;
#else
constexpr bool kSanitizedBuild = false;
#endif
#else
constexpr bool kSanitizedBuild = false;
#endif

int CommandEntry(void* plan) {
  ConfineAndExec(*static_cast<const ChildPlan*>(plan));
}

// The command's process shares init's memory until it executes (CLONE_VM | CLONE_VFORK, as
// posix_spawn does), so starting it copies no page tables and its first writes take no
// copy-on-write faults. init, single-threaded, is suspended meanwhile, so nothing else touches
// that memory; the process has its own descriptors, signal handlers, limits and credentials.
pid_t StartCommand(const ChildPlan& plan) {
  // AddressSanitizer knows one stack per thread and would misjudge this one: sanitizer builds
  // fork as before.
  if (kSanitizedBuild) {
    const pid_t pid = ::fork();
    if (pid == 0) ConfineAndExec(plan);
    return pid;
  }
  // Its own stack, with a guard page below it: an overflow faults instead of writing over
  // init's memory.
  constexpr std::size_t kGuardSize = 64 * 1024;  // a whole number of pages on every target
  constexpr std::size_t kStackSize = 256 * 1024;
  void* mapping = ::mmap(nullptr, kGuardSize + kStackSize, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (mapping == MAP_FAILED) return -1;
  char* const bottom = static_cast<char*>(mapping);
  pid_t pid = -1;
  if (::mprotect(bottom, kGuardSize, PROT_NONE) == 0) {
    pid = ::clone(CommandEntry, bottom + kGuardSize + kStackSize,
                  CLONE_VM | CLONE_VFORK | SIGCHLD, const_cast<ChildPlan*>(&plan));
  }
  const int error = errno;
  ::munmap(mapping, kGuardSize + kStackSize);  // the process has executed or ended (VFORK)
  errno = error;
  return pid;
}

}  // namespace

namespace {

std::int64_t Microseconds(const timeval& value) {
  return static_cast<std::int64_t>(value.tv_sec) * 1'000'000 + value.tv_usec;
}

// After the command's end: reaps what has already ended. When init then has no child left, no
// process of the sandbox runs (every one descends from init, or was given to it when its
// parent ended), and RUSAGE_CHILDREN covers them all: the status is final, and the supervisor
// need not wait for init's own exit, whose namespace teardown (unmounting the root, an RCU
// grace period) takes about half a millisecond. Otherwise the kernel ends the rest when init
// exits, and the supervisor waits for that as before.
void ReportUsageIfEmpty(ChildMessage& message) {
  int status = 0;
  pid_t pid = 0;
  do {
    pid = ::waitpid(-1, &status, WNOHANG);
  } while (pid > 0 || (pid < 0 && errno == EINTR));
  if (pid == 0 || errno != ECHILD) return;  // a process still runs
  rusage usage{};
  if (::getrusage(RUSAGE_CHILDREN, &usage) != 0) return;
  message.sandbox_empty = 1;
  message.user_us = Microseconds(usage.ru_utime);
  message.system_us = Microseconds(usage.ru_stime);
  message.max_rss_kib = usage.ru_maxrss;
}

}  // namespace

[[noreturn]] void RunSandboxInit(const ChildPlan& plan) {
  // Die with the supervisor: a sandbox must not outlive the process that watches it.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  // The supervisor writes our uid/gid maps, then sends one byte (EOF: it gave up).
  char go = 0;
  while (::read(plan.go_fd, &go, 1) < 0 && errno == EINTR) {
  }
  if (go != 'G') ::_exit(kSetupFailedExit);
  ::close(plan.go_fd);
  // Until the command's process exists, a failure means "namespaces do not work here" (an
  // AppArmor restriction lets clone succeed and refuses mounts): the supervisor may fall back.
  if (::sethostname(kHostname, std::strlen(kHostname)) != 0) {
    FailSetup(plan, StepFailed(errno, "sethostname"), ChildMessage::kNamespaceFailed);
  }
  if (StepError step = BuildRoot(plan.root); step.failed()) {
    FailSetup(plan, step, ChildMessage::kNamespaceFailed);
  }
  const pid_t command = StartCommand(plan);
  if (command < 0) FailSetup(plan, StepFailed(errno, "fork"), ChildMessage::kNamespaceFailed);
  if (plan.listener_socket >= 0) ::close(plan.listener_socket);
  ::close(plan.filter_socket);
  // init keeps nothing it does not need, and cannot be inspected by the command.
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  (void)DropAllCapabilities();
  // Reap everything; when the command ends, so does the namespace (the kernel kills the rest
  // when its init exits).
  for (;;) {
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, 0);
    if (pid < 0 && errno == EINTR) continue;
    if (pid < 0) ::_exit(kSetupFailedExit);
    if (pid == command) {
      ChildMessage message;
      message.kind = ChildMessage::kCommandStatus;
      message.value = status;
      ReportUsageIfEmpty(message);
      Send(plan.report_fd, message);
      ::_exit(0);
    }
  }
}

[[noreturn]] void RunCommandProcess(const ChildPlan& plan) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  ConfineAndExec(plan);
}

}  // namespace mg::sandbox
