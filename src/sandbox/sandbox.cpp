#include "sandbox/sandbox.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>

#include "sandbox/namespaces.h"
#include "sandbox/plan.h"

namespace mg::sandbox {

namespace {

using Clock = std::chrono::steady_clock;

// Descriptors closed at scope exit.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { Reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void Reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_;
};

// Receives the seccomp listener sent by the command's process (SCM_RIGHTS); -1 on failure.
int ReceiveListener(int socket_fd) {
  char byte = 0;
  iovec data{&byte, 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr header{};
  header.msg_iov = &data;
  header.msg_iovlen = 1;
  header.msg_control = control;
  header.msg_controllen = sizeof(control);
  if (::recvmsg(socket_fd, &header, MSG_CMSG_CLOEXEC) != 1) return -1;
  const cmsghdr* cmsg = CMSG_FIRSTHDR(&header);
  if (cmsg == nullptr || cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS ||
      cmsg->cmsg_len != CMSG_LEN(sizeof(int))) {
    return -1;
  }
  int fd = -1;
  std::memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
  return fd;
}

// Compiles the filter and sends it to the command's process, then shuts the socket for
// writing: the sandbox's processes hold copies of this descriptor (inherited at clone or fork),
// so only the shutdown lets the receiver see the end when nothing was sent. Returns an error
// message, empty when the program was sent or the sandbox is already gone (its own message says
// why).
std::string SendFilter(const SeccompPolicy& policy, int socket_fd) {
  SeccompProgram program;
  int error = 0;
  const int rc = CompileSeccompFilter(policy, program);
  if (rc == 0) error = SendSeccompProgram(socket_fd, program);
  ::shutdown(socket_fd, SHUT_WR);
  if (rc != 0) return std::string("seccomp: cannot compile the filter: ") + std::strerror(-rc);
  if (error == 0 || error == EPIPE || error == ECONNRESET) return "";
  return std::string("seccomp: cannot send the filter: ") + std::strerror(error);
}

// The running sandbox as the supervisor sees it.
struct Supervision {
  pid_t child = -1;
  bool namespaces = true;
  Fd pidfd;
  Fd reports;          // read end of the ChildMessage pipe
  Fd listener_socket;  // until the listener arrives
  Fd listener;
  bool timed_out = false;
  bool exited = false;
  int wait_status = 0;
  rusage usage{};
  std::optional<int> command_status;  // namespaces: sent by init
  // init reported the command's status with no other process of the sandbox left (and the
  // usage of them all): with RunConfig::await_teardown off, the run ends there.
  bool sandbox_empty = false;
  bool await_teardown = true;
  std::string setup_error;
  bool namespace_failure = false;  // the namespaces could not be built; nothing ran
};

void ReadMessages(Supervision& run) {
  ChildMessage message;
  while (::read(run.reports.get(), &message, sizeof(message)) ==
         static_cast<ssize_t>(sizeof(message))) {
    const bool failed = message.kind == ChildMessage::kSetupFailed ||
                        message.kind == ChildMessage::kNamespaceFailed;
    if (failed && run.setup_error.empty()) {
      message.text[sizeof(message.text) - 1] = '\0';
      run.setup_error = message.text;
      run.namespace_failure = message.kind == ChildMessage::kNamespaceFailed;
    } else if (message.kind == ChildMessage::kCommandStatus) {
      run.command_status = message.value;
      if (message.sandbox_empty != 0) {
        run.sandbox_empty = true;
        run.usage.ru_utime = {message.user_us / 1'000'000, message.user_us % 1'000'000};
        run.usage.ru_stime = {message.system_us / 1'000'000, message.system_us % 1'000'000};
        run.usage.ru_maxrss = message.max_rss_kib;
      }
    }
  }
}

void KillSandbox(const Supervision& run) {
  // Namespaces: killing init kills every process of its PID namespace. Fallback: the command
  // leads its own session and process group (and seccomp keeps it from leaving them).
  if (!run.namespaces) ::kill(-run.child, SIGKILL);
  ::kill(run.child, SIGKILL);
}

void Supervise(Supervision& run, Monitor& monitor, std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  // Without a pidfd (kernels before 5.3) the child is polled for every 20 ms.
  const bool have_pidfd = run.pidfd.get() >= 0;
  while (!run.exited && (run.await_teardown || !run.sandbox_empty)) {
    pollfd fds[4] = {{run.pidfd.get(), POLLIN, 0},
                     {run.reports.get(), POLLIN, 0},
                     {run.listener_socket.get(), POLLIN, 0},
                     {run.listener.get(), POLLIN, 0}};
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    long wait_ms = run.timed_out ? 1000 : std::max<long>(0, left.count());
    if (!have_pidfd) wait_ms = std::min<long>(wait_ms, 20);
    const int ready = ::poll(fds, 4, static_cast<int>(wait_ms));
    if (ready < 0 && errno != EINTR) break;
    if (!run.timed_out && Clock::now() >= deadline) {
      run.timed_out = true;
      KillSandbox(run);
    }
    if (ready <= 0 && have_pidfd) continue;
    if (fds[1].revents & POLLIN) ReadMessages(run);
    // Every writer gone (the command executed, or init ended): stop polling the pipe, which
    // would otherwise report POLLHUP at once on every turn.
    if ((fds[1].revents & (POLLHUP | POLLERR)) && !(fds[1].revents & POLLIN)) {
      run.reports.Reset();
    }
    if (fds[2].revents & (POLLIN | POLLHUP)) {
      const int fd = ReceiveListener(run.listener_socket.get());
      run.listener_socket.Reset();
      if (fd >= 0) {
        run.listener.Reset(fd);
        Monitor::RequestSynchronousWakeUps(fd);  // best effort: a latency gain, nothing more
      }
    }
    if (fds[3].revents & POLLIN) {
      if (!monitor.HandleOne(run.listener.get())) run.listener.Reset();
    } else if (fds[3].revents & (POLLHUP | POLLERR | POLLNVAL)) {
      run.listener.Reset();
    }
    if ((fds[0].revents & POLLIN) || !have_pidfd) {
      const int flags = have_pidfd ? 0 : WNOHANG;
      if (::wait4(run.child, &run.wait_status, flags, &run.usage) == run.child) {
        run.exited = true;
      }
    }
  }
  ReadMessages(run);
}

double Seconds(const timeval& value) {
  return static_cast<double>(value.tv_sec) + static_cast<double>(value.tv_usec) / 1e6;
}

void Conclude(const Supervision& run, const Monitor& monitor, RunReport& report) {
  report.attempts = monitor.attempts();
  report.attempts_dropped = monitor.dropped();
  report.cpu_seconds = Seconds(run.usage.ru_utime) + Seconds(run.usage.ru_stime);
  report.max_rss_kib = run.usage.ru_maxrss;
  if (run.timed_out) {
    report.outcome = Outcome::kTimeout;
    report.signal = SIGKILL;
    report.message = "the wall-clock timeout expired; every process of the sandbox was killed";
    return;
  }
  if (!run.setup_error.empty()) {
    report.outcome = Outcome::kSetupError;
    report.message = run.setup_error;
    return;
  }
  const int status =
      run.namespaces ? run.command_status.value_or(run.wait_status) : run.wait_status;
  if (run.namespaces && !run.command_status) {
    report.outcome = Outcome::kSetupError;
    report.message = "the sandbox's init ended before the command";
    return;
  }
  if (WIFSIGNALED(status)) {
    report.signal = WTERMSIG(status);
    const bool limit = report.signal == SIGXCPU || report.signal == SIGXFSZ;
    report.outcome = limit ? Outcome::kLimit : Outcome::kSignaled;
    if (limit) report.message = "an rlimit was exceeded (CPU time or file size)";
    return;
  }
  report.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
  report.outcome = monitor.saw_blocked() ? Outcome::kViolation : Outcome::kOk;
  if (monitor.saw_blocked()) report.message = "the command tried things the sandbox blocked";
}

// Starts the sandbox's first process: clone into new namespaces, or fork for the fallback.
pid_t Start(ChildPlan& plan, std::string& error) {
  if (!plan.namespaces) {
    const pid_t pid = ::fork();
    if (pid == 0) RunCommandProcess(plan);
    return pid;
  }
  // A raw clone behaves like fork (the child continues on a copy of our stack) and enters
  // every namespace at once, so the child is PID 1 of its namespace.
  int go[2];
  if (::pipe2(go, O_CLOEXEC) != 0) return -1;
  Fd go_reader(go[0]);
  Fd go_writer(go[1]);
  plan.go_fd = go[0];
  const long pid =
      ::syscall(SYS_clone, SandboxCloneFlags() | SIGCHLD, nullptr, nullptr, nullptr, nullptr);
  if (pid == 0) {
    go_writer.Reset();
    RunSandboxInit(plan);
  }
  if (pid < 0) return -1;
  const StepError maps = WriteIdMaps(static_cast<int>(pid), plan.outer_uid, plan.outer_gid);
  if (maps.failed()) {
    error = maps.Describe();
    ::kill(static_cast<pid_t>(pid), SIGKILL);
    ::waitpid(static_cast<pid_t>(pid), nullptr, 0);
    return -1;
  }
  if (::write(go_writer.get(), "G", 1) != 1) error = "cannot start the sandbox's init";
  return static_cast<pid_t>(pid);
}

}  // namespace

namespace {

RunReport SetupFailure(const RunConfig& config, std::string message) {
  RunReport report;
  report.command = config.command;
  report.mode = config.mode;
  report.limits = config.limits;
  report.outcome = Outcome::kSetupError;
  report.message = std::move(message);
  return report;
}

// One attempt with one plan. `namespace_failure` is set when the namespaces could not be built
// (clone, the id maps or the root failed) and the command never started.
RunReport RunPlan(const RunConfig& config, Plan& plan, bool& namespace_failure) {
  RunReport& report = plan.report;
  Supervision run;
  run.namespaces = plan.child.namespaces;
  run.await_teardown = config.await_teardown;
  int pipe_fds[2];
  int socket_fds[2] = {-1, -1};
  int filter_fds[2] = {-1, -1};
  if (::pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0 ||
      ::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, filter_fds) != 0 ||
      (config.monitor &&
       ::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, socket_fds) != 0)) {
    report.outcome = Outcome::kSetupError;
    report.message = std::string("pipe: ") + std::strerror(errno);
    return report;
  }
  run.reports.Reset(pipe_fds[0]);
  Fd report_writer(pipe_fds[1]);
  Fd listener_sender(socket_fds[1]);
  Fd filter_sender(filter_fds[0]);
  Fd filter_receiver(filter_fds[1]);
  run.listener_socket.Reset(socket_fds[0]);
  plan.child.report_fd = pipe_fds[1];
  plan.child.listener_socket = socket_fds[1];
  plan.child.filter_socket = filter_fds[1];
  Monitor monitor(plan.monitor);

  const Clock::time_point started = Clock::now();
  std::string start_error;
  run.child = Start(plan.child, start_error);
  if (run.child < 0) {
    namespace_failure = plan.child.namespaces;
    report.outcome = Outcome::kSetupError;
    report.message = "cannot start the sandbox: " +
                     (start_error.empty() ? std::string(std::strerror(errno)) : start_error);
    return report;
  }
  report_writer.Reset();
  listener_sender.Reset();
  filter_receiver.Reset();
  // libseccomp's compilation is the costliest step of the command's confinement: done here, it
  // overlaps with init building the root (or the fallback's Landlock setup). The command's
  // process receives the program just before loading it; if none comes it fails setup.
  run.setup_error = SendFilter(plan.child.seccomp, filter_sender.get());
  filter_sender.Reset();
  run.pidfd.Reset(static_cast<int>(::syscall(SYS_pidfd_open, run.child, 0)));
  Supervise(run, monitor, config.limits.wall_timeout);
  report.wall_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  namespace_failure = run.namespace_failure;

  Isolation& iso = report.isolation;
  const bool started_ok = run.setup_error.empty();
  iso.namespaces = iso.namespaces && started_ok;
  iso.landlock = started_ok && plan.child.landlock_abi > 0;
  iso.landlock_tcp = iso.landlock && iso.landlock_abi >= 4;
  iso.landlock_scoped = iso.landlock && iso.landlock_abi >= 6;
  iso.seccomp = iso.no_new_privs = iso.capabilities_dropped = iso.rlimits = started_ok;
  iso.monitor = started_ok && config.monitor;
  Conclude(run, monitor, report);
  return report;
}

// Removes the fallback's private temp folder whatever happens.
struct TempDirCleanup {
  std::string path;
  ~TempDirCleanup() {
    if (path.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

}  // namespace

RunReport RunSandboxed(const RunConfig& config) {
  auto planned = MakePlan(config);
  if (!planned) return SetupFailure(config, planned.error().message);
  bool namespace_failure = false;
  {
    TempDirCleanup cleanup{planned->temp_dir};
    RunReport report = RunPlan(config, *planned, namespace_failure);
    report.namespaces_unusable = namespace_failure;
    if (!namespace_failure || config.isolation != IsolationRequest::kAuto) return report;
    // The namespaces could not be built and nothing ran: the throwaway attempt was the probe.
    RunConfig fallback = config;
    fallback.isolation = IsolationRequest::kNoNamespaces;
    planned = MakePlan(fallback, "namespaces unusable: " + report.message);
  }
  if (!planned) return SetupFailure(config, planned.error().message);
  TempDirCleanup cleanup{planned->temp_dir};
  return RunPlan(config, *planned, namespace_failure);
}

}  // namespace mg::sandbox
