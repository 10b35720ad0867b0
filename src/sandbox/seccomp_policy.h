// The seccomp-bpf filter (through libseccomp): system calls a model loader has no business
// making fail with EPERM. Default allow: the filter is a deny list, since an interpreter's
// needs are wide and the namespaces and Landlock already bound what the allowed calls reach.
// Reusable by any process that confines itself (`run`'s command; `scan` itself).
#pragma once

#include <string>
#include <vector>

namespace mg::sandbox {

struct SeccompPolicy {
  // socket() for any family but AF_UNIX (all network, UDP and raw included).
  bool deny_inet_sockets = true;
  // setsid/setpgid: without a PID namespace the timeout kills the process group, which a
  // command could otherwise leave.
  bool deny_session_change = false;
  // execve/execveat (for processes that never need to exec, like the scanner).
  bool deny_exec = false;
  // Hand every denied call, and execve/execveat/connect/bind/sendto/open/openat, to a
  // supervisor through seccomp user notification (SECCOMP_FILTER_FLAG_NEW_LISTENER). The
  // supervisor only records denied calls and answers EPERM; without it the kernel answers
  // ENOSYS, so the deny list never depends on the supervisor.
  bool notify = false;
  // Apply to every thread of the process (SECCOMP_FILTER_FLAG_TSYNC), for a process that
  // confines itself after starting threads.
  bool all_threads = false;
};

// The names of the system calls the deny list covers (for docs and the report).
std::vector<std::string> DeniedSyscallNames();

// Loads the filter into the calling process. Returns 0 or a negative errno. With
// policy.notify, *listener_fd receives the notification descriptor.
int LoadSeccompFilter(const SeccompPolicy& policy, int* listener_fd = nullptr);

}  // namespace mg::sandbox
