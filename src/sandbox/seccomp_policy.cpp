#include "sandbox/seccomp_policy.h"

#include <errno.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <string_view>

namespace mg::sandbox {

namespace {

// Each entry: why a loader never needs it.
constexpr std::string_view kDenied[] = {
    // Debugging and reading other processes' memory.
    "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "kcmp",
    // Namespaces and the mount table: the sandbox's own layout must stay as built.
    "unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree",
    "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
    // Kernel attack surface with a history of exploits.
    "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter",
    "io_uring_register", "keyctl", "add_key", "request_key", "lookup_dcookie",
    // Handles that bypass path checks.
    "open_by_handle_at", "name_to_handle_at",
    // The machine itself.
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot",
    "swapon", "swapoff", "acct", "quotactl", "quotactl_fd", "syslog", "settimeofday",
    "clock_settime", "clock_adjtime", "adjtimex", "iopl", "ioperm", "vhangup", "uselib",
    "nfsservctl", "fanotify_init", "modify_ldt", "sethostname", "setdomainname",
    // ABI games: another personality weakens ASLR or changes syscall meaning.
    "personality", "vm86", "vm86old",
    // glibc falls back to clone(2) on ENOSYS; clone3's flags sit in memory a filter cannot read.
    "clone3", "remap_file_pages", "process_madvise"};

// Namespace flags of clone(2)'s first argument.
constexpr std::array<unsigned long, 7> kCloneNamespaceFlags = {
    CLONE_NEWNS,   CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
    CLONE_NEWUSER, CLONE_NEWPID,    CLONE_NEWNET};

constexpr std::array<std::string_view, 7> kMonitored = {"execve", "execveat", "connect", "bind",
                                                        "sendto", "open",     "openat"};

// libseccomp's SCMP_A0..A5 macros are C compound literals; this is the C++ spelling.
scmp_arg_cmp Arg(unsigned index, scmp_compare op, std::uint64_t a, std::uint64_t b = 0) {
  return scmp_arg_cmp{index, op, a, b};
}

int AddRule(scmp_filter_ctx ctx, std::uint32_t action, std::string_view name,
            std::initializer_list<scmp_arg_cmp> args = {}) {
  const int nr = seccomp_syscall_resolve_name(std::string(name).c_str());
  if (nr == __NR_SCMP_ERROR) return 0;  // not on this architecture
  return seccomp_rule_add_array(ctx, action, nr, static_cast<unsigned>(args.size()), args.begin());
}

int AddPolicyRules(scmp_filter_ctx ctx, const SeccompPolicy& policy) {
  const std::uint32_t deny = policy.notify ? SCMP_ACT_NOTIFY : SCMP_ACT_ERRNO(EPERM);
  int rc = 0;
  for (std::string_view name : kDenied) {
    if ((rc = AddRule(ctx, name == "clone3" ? SCMP_ACT_ERRNO(ENOSYS) : deny, name)) != 0) {
      return rc;
    }
  }
  for (unsigned long flag : kCloneNamespaceFlags) {
    if ((rc = AddRule(ctx, deny, "clone", {Arg(0, SCMP_CMP_MASKED_EQ, flag, flag)})) != 0) {
      return rc;
    }
  }
  // Typing into the controlling terminal (TIOCSTI) or the console (TIOCLINUX).
  for (unsigned long request : {TIOCSTI, TIOCLINUX}) {
    if ((rc = AddRule(ctx, deny, "ioctl", {Arg(1, SCMP_CMP_MASKED_EQ, 0xffffffffUL, request)})) !=
        0) {
      return rc;
    }
  }
  if (policy.deny_inet_sockets &&
      (rc = AddRule(ctx, deny, "socket", {Arg(0, SCMP_CMP_NE, AF_UNIX)})) != 0) {
    return rc;
  }
  if (policy.deny_session_change) {
    for (std::string_view name : {"setsid", "setpgid"}) {
      if ((rc = AddRule(ctx, deny, name)) != 0) return rc;
    }
  }
  for (std::string_view name : kMonitored) {
    const bool is_exec = name == "execve" || name == "execveat";
    if (is_exec && policy.deny_exec) {
      rc = AddRule(ctx, deny, name);
    } else if (policy.notify) {
      rc = AddRule(ctx, SCMP_ACT_NOTIFY, name);
    }
    if (rc != 0) return rc;
  }
  return 0;
}

// libseccomp 2.5 writes the generated program only to a descriptor (seccomp_export_bpf); a
// memfd keeps it in memory. The kernel takes at most BPF_MAXINSNS instructions.
int ExportProgram(scmp_filter_ctx ctx, std::vector<sock_filter>& instructions) {
  const int fd = ::memfd_create("modelgate-seccomp", MFD_CLOEXEC);
  if (fd < 0) return -errno;
  int rc = seccomp_export_bpf(ctx, fd);
  struct stat info {};
  if (rc == 0 && ::fstat(fd, &info) != 0) rc = -errno;
  const auto size = static_cast<std::size_t>(info.st_size);
  if (rc == 0 && (size == 0 || size % sizeof(sock_filter) != 0 ||
                  size > BPF_MAXINSNS * sizeof(sock_filter))) {
    rc = -EINVAL;
  }
  if (rc == 0) {
    instructions.resize(size / sizeof(sock_filter));
    if (::pread(fd, instructions.data(), size, 0) != static_cast<ssize_t>(size)) rc = -EIO;
  }
  ::close(fd);
  return rc;
}

}  // namespace

std::vector<std::string> DeniedSyscallNames() {
  std::vector<std::string> names(std::begin(kDenied), std::end(kDenied));
  names.emplace_back("clone (namespace flags)");
  names.emplace_back("ioctl (TIOCSTI, TIOCLINUX)");
  return names;
}

int CompileSeccompFilter(const SeccompPolicy& policy, SeccompProgram& program,
                         SeccompOrdering ordering) {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (ctx == nullptr) return -ENOMEM;
  // Calls through another ABI (i386's int 0x80 on x86-64) are not covered by the rules above:
  // kill the process rather than let them through.
  int rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
  // Only a hint: the linear order is as correct, merely slower to load.
  if (rc == 0 && ordering == SeccompOrdering::kBinaryTree) {
    (void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
  }
  if (rc == 0) rc = AddPolicyRules(ctx, policy);
  if (rc == 0) rc = ExportProgram(ctx, program.instructions);
  seccomp_release(ctx);
  if (rc != 0) return rc;
  program.flags = SeccompLoadFlags(policy);
  return 0;
}

unsigned SeccompLoadFlags(const SeccompPolicy& policy) {
  // The flags libseccomp's own seccomp_load passes for this policy.
  unsigned flags = 0;
  if (policy.notify) flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
  // TSYNC reports a thread it could not synchronise by its id, which NEW_LISTENER's descriptor
  // would be confused with: ask for ESRCH instead (Linux 5.7; LoadSeccompProgram retries without
  // it on older kernels when there is no listener).
  if (policy.all_threads) flags |= SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
  return flags;
}

int SendSeccompProgram(int socket_fd, const SeccompProgram& program) {
  const std::size_t size = program.instructions.size() * sizeof(sock_filter);
  const ssize_t sent = ::send(socket_fd, program.instructions.data(), size, MSG_NOSIGNAL);
  if (sent < 0) return errno;
  return static_cast<std::size_t>(sent) == size ? 0 : EIO;
}

int ReceiveSeccompProgram(int socket_fd, unsigned flags, SeccompProgram& program) {
  // One instruction more than the kernel takes: a longer message is truncated to it and refused.
  program.instructions.resize(BPF_MAXINSNS + 1);
  const std::size_t capacity = program.instructions.size() * sizeof(sock_filter);
  ssize_t received = -1;
  do {
    received = ::recv(socket_fd, program.instructions.data(), capacity, 0);
  } while (received < 0 && errno == EINTR);
  if (received < 0) return errno;
  if (received == 0) return EPIPE;
  const auto size = static_cast<std::size_t>(received);
  if (size % sizeof(sock_filter) != 0 || size > BPF_MAXINSNS * sizeof(sock_filter)) {
    return EINVAL;
  }
  program.instructions.resize(size / sizeof(sock_filter));
  program.flags = flags;
  return 0;
}

int LoadSeccompProgram(const SeccompProgram& program, int* listener_fd) {
  const std::size_t count = program.instructions.size();
  if (count == 0 || count > BPF_MAXINSNS) return -EINVAL;
  // Unprivileged filters need no_new_privs (libseccomp's loader sets it too).
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -errno;
  sock_fprog fprog{};
  fprog.len = static_cast<unsigned short>(count);
  fprog.filter = const_cast<sock_filter*>(program.instructions.data());
  unsigned flags = program.flags;
  long rc = ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);
  const unsigned esrch = SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
  if (rc < 0 && errno == EINVAL && (flags & esrch) != 0 &&
      (flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) == 0) {
    flags &= ~esrch;
    rc = ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);
  }
  if (rc < 0) return -errno;
  if ((program.flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) != 0) {
    if (listener_fd != nullptr) {
      *listener_fd = static_cast<int>(rc);
    } else {
      ::close(static_cast<int>(rc));
    }
    return 0;
  }
  // seccomp(2): with TSYNC without TSYNC_ESRCH, a positive result is the id of a thread that
  // could not be synchronised (the filter was not loaded).
  return rc > 0 ? -ESRCH : 0;
}

int LoadSeccompFilter(const SeccompPolicy& policy, int* listener_fd) {
  SeccompProgram program;
  if (const int rc = CompileSeccompFilter(policy, program); rc != 0) return rc;
  return LoadSeccompProgram(program, listener_fd);
}

}  // namespace mg::sandbox
