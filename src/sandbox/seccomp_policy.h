// The seccomp-bpf filter (through libseccomp): system calls a model loader has no business
// making fail with EPERM. Default allow: the filter is a deny list, since an interpreter's
// needs are wide and the namespaces and Landlock already bound what the allowed calls reach.
// Reusable by any process that confines itself (`run`'s command; `scan` itself).
#pragma once

#include <linux/filter.h>

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

// A policy compiled to the classic BPF program the kernel loads. Compiling (libseccomp's rule
// database and code generation) costs far more than loading, so a supervisor compiles before it
// forks and the child only loads: no allocation, no libseccomp in the child.
struct SeccompProgram {
  std::vector<sock_filter> instructions;
  unsigned flags = 0;  // SECCOMP_FILTER_FLAG_*: NEW_LISTENER with notify, TSYNC(_ESRCH) with all_threads
};

// How libseccomp orders the per-syscall checks: a binary search over the syscall numbers
// (libseccomp 2.5's SCMP_FLTATR_CTL_OPTIMIZE 2), or its default linear chain. The rules and
// their outcome are the same; the tree is shorter to evaluate and quicker for the kernel to
// load. The linear form is there for tests comparing the two.
enum class SeccompOrdering { kBinaryTree, kLinear };

// Compiles `policy` with libseccomp into `program`. Returns 0 or a negative errno.
int CompileSeccompFilter(const SeccompPolicy& policy, SeccompProgram& program,
                         SeccompOrdering ordering = SeccompOrdering::kBinaryTree);

// The load flags of `policy` (what CompileSeccompFilter puts in program.flags).
unsigned SeccompLoadFlags(const SeccompPolicy& policy);

// Hands a compiled program to another process over a SOCK_SEQPACKET socket, as one message of
// its instructions (no SIGPIPE when the peer is gone). Returns 0 or an errno.
int SendSeccompProgram(int socket_fd, const SeccompProgram& program);

// Receives the message SendSeccompProgram sent; `flags` come from the receiver's own copy of
// the policy (SeccompLoadFlags). Returns 0, EPIPE when the sender closed without sending, EINVAL
// for a message that is no program, or another errno.
int ReceiveSeccompProgram(int socket_fd, unsigned flags, SeccompProgram& program);

// Sets no_new_privs and loads a compiled program into the calling thread (every thread with
// TSYNC) with the raw seccomp(2) call. Async-signal-safe. Returns 0 or a negative errno. With
// SECCOMP_FILTER_FLAG_NEW_LISTENER, *listener_fd receives the notification descriptor.
int LoadSeccompProgram(const SeccompProgram& program, int* listener_fd = nullptr);

// CompileSeccompFilter then LoadSeccompProgram, for a process that confines itself.
int LoadSeccompFilter(const SeccompPolicy& policy, int* listener_fd = nullptr);

}  // namespace mg::sandbox
