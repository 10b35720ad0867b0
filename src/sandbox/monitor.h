// The monitor: the supervisor's end of seccomp user notification. It records what the command
// tries (execs, network, opens outside the allowed set, calls on the deny list) and answers.
// It is an observer with a veto, never the enforcement: an answer of "continue" lets the
// kernel's own checks (namespaces, Landlock) decide, because the arguments it read may change
// before the kernel uses them (seccomp_unotify(2), "Caveats"). Denials are final: the deny list
// is answered EPERM, and if the monitor is gone the kernel answers ENOSYS.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "sandbox/config.h"
#include "sandbox/outcome.h"

struct seccomp_notif;
struct seccomp_notif_resp;

namespace mg::sandbox {

struct MonitorPolicy {
  Mode mode = Mode::kEnforce;
  // Path prefixes (as the command sees them) that opens may reach without being recorded.
  std::vector<std::string> open_allowed;
  std::size_t max_attempts = 1000;
};

class Monitor {
 public:
  explicit Monitor(MonitorPolicy policy);
  ~Monitor();
  Monitor(const Monitor&) = delete;
  Monitor& operator=(const Monitor&) = delete;

  // Asks the kernel to run each notification's hand-over, and the answer's, on the CPU that is
  // already running (SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP, Linux 6.6): the command waits for
  // every answer, so waking another CPU for each round trip only adds latency (an import-heavy
  // Python start opens hundreds of files). False where the kernel refuses it (older kernels:
  // EINVAL or ENOTTY); the monitor then works as before, only slower.
  static bool RequestSynchronousWakeUps(int listener_fd);

  // Receives and answers one notification. False when the listener is gone (the sandbox
  // ended) or broken.
  bool HandleOne(int listener_fd);

  const std::vector<Attempt>& attempts() const { return attempts_; }
  std::size_t dropped() const { return dropped_; }
  bool saw_blocked() const { return saw_blocked_; }

 private:
  struct Decision {
    bool allow = false;  // continue to the kernel
    int error = 0;       // errno answered when denied
    bool record = true;
  };
  Decision Decide(int listener_fd, const seccomp_notif& request, const std::string& name,
                  std::string& detail);
  Decision DecideExec(const seccomp_notif& request, std::string& detail, int path_arg);
  Decision DecideOpen(const seccomp_notif& request, std::string& detail, int dir_arg, int path_arg);
  Decision DecideAddress(const seccomp_notif& request, std::string& detail, int addr_arg,
                         int len_arg);
  void Record(std::string syscall, std::string detail, int pid, bool allowed);

  MonitorPolicy policy_;
  seccomp_notif* request_ = nullptr;
  seccomp_notif_resp* response_ = nullptr;
  bool first_exec_seen_ = false;
  bool saw_blocked_ = false;
  std::vector<Attempt> attempts_;
  std::set<std::string> seen_;
  std::size_t dropped_ = 0;
};

// True for paths that hold credentials wherever a home folder is (…/.ssh/…, …/.aws/…, …).
bool IsCredentialPath(const std::string& path);

}  // namespace mg::sandbox
