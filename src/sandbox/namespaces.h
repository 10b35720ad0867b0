// User, mount, PID, network, IPC and UTS namespaces: the flags, the uid/gid maps and a probe
// that tries them in a throwaway child first (user namespaces can be disabled by sysctl, by
// seccomp in a container, or restricted by AppArmor so that unshare works but mounts fail).
#pragma once

#include <string>

#include "sandbox/step_error.h"

namespace mg::sandbox {

// The namespaces the sandbox's init is created in.
int SandboxCloneFlags();

struct NamespaceProbe {
  bool usable = false;
  std::string reason;  // why not, for the report
};

// Forks a child that enters every namespace, maps its ids, makes the mounts private and mounts
// a tmpfs; reports whether all of that worked. Costs about a millisecond.
NamespaceProbe ProbeNamespaces();

// The outer uid/gid the command runs as when the caller is root: the kernel exempts root's
// processes from RLIMIT_NPROC (copy_process checks INIT_USER), so a fork bomb would not stop.
inline constexpr unsigned kUnprivilegedOuterId = 65534;

// Writes the maps of `pid` (a child just cloned into a new user namespace) from the parent.
// A root caller maps 0 to 0 (the sandbox's init can then reach root-owned bind sources) and
// kSandboxUid/Gid to kUnprivilegedOuterId; any other caller maps its own ids to
// kSandboxUid/Gid and denies setgroups, as user_namespaces(7) requires.
StepError WriteIdMaps(int pid, unsigned outer_uid, unsigned outer_gid);

// Writes the calling process's own maps after it entered a new user namespace: the outer uid
// and gid become kSandboxUid/kSandboxGid inside, setgroups is denied.
StepError MapOwnIds(unsigned outer_uid, unsigned outer_gid);

}  // namespace mg::sandbox
