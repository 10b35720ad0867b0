// User, mount, PID, network, IPC and UTS namespaces: the flags and the uid/gid maps. Whether
// they work is learnt by trying (user namespaces can be disabled by sysctl, by seccomp in a
// container, or restricted by AppArmor so that clone works but mounts fail): the sandbox's init
// builds the root before the command's process exists, so a failure there costs nothing and
// the supervisor falls back (sandbox.cpp).
#pragma once

#include <string>

#include "sandbox/step_error.h"

namespace mg::sandbox {

// The namespaces the sandbox's init is created in.
int SandboxCloneFlags();

// The outer uid/gid the command runs as when the caller is root: the kernel exempts root's
// processes from RLIMIT_NPROC (copy_process checks INIT_USER), so a fork bomb would not stop.
inline constexpr unsigned kUnprivilegedOuterId = 65534;

// Writes the maps of `pid` (a child just cloned into a new user namespace) from the parent.
// A root caller maps 0 to 0 (the sandbox's init can then reach root-owned bind sources) and
// kSandboxUid/Gid to kUnprivilegedOuterId; any other caller maps its own ids to
// kSandboxUid/Gid and denies setgroups, as user_namespaces(7) requires.
StepError WriteIdMaps(int pid, unsigned outer_uid, unsigned outer_gid);

}  // namespace mg::sandbox
