// The sandbox's side of a run, as one readable sequence of steps (nsjail's containProc shape):
// the init process (PID 1 of the new namespaces) builds the root and reaps; the command's
// process drops everything it can and executes the loader. Every step that fails is sent to the
// supervisor as a ChildMessage and ends the run as SETUP_ERROR.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sandbox/config.h"
#include "sandbox/landlock.h"
#include "sandbox/mounts.h"
#include "sandbox/seccomp_policy.h"

namespace mg::sandbox {

// Sent over a pipe; one write each (smaller than PIPE_BUF, so never interleaved).
struct ChildMessage {
  // kNamespaceFailed: a step of building the namespaces' root failed before the command's
  // process existed, so the supervisor may retry with the fallback.
  enum Kind : std::uint32_t { kSetupFailed = 1, kCommandStatus = 2, kNamespaceFailed = 3 };
  std::uint32_t kind = 0;
  std::int32_t value = 0;  // errno for kSetupFailed, wait status for kCommandStatus
  // kCommandStatus: 1 when init had reaped every other process of the sandbox, so that no
  // process of it runs any more and the usage below is complete (RUSAGE_CHILDREN of init).
  std::uint32_t sandbox_empty = 0;
  std::int64_t user_us = 0;
  std::int64_t system_us = 0;
  std::int64_t max_rss_kib = 0;
  char text[240] = {};
};

struct LandlockRule {
  std::string path;  // inside the sandbox
  std::uint64_t access = 0;
  bool optional = false;
};

// Everything the child needs, computed by the supervisor before the fork.
struct ChildPlan {
  bool namespaces = true;
  unsigned outer_uid = 0;
  unsigned outer_gid = 0;
  RootPlan root;
  std::string exec_path;  // inside the sandbox
  std::string workdir;    // the command's working directory (the private /tmp)
  std::vector<std::string> argv;
  std::vector<std::string> env;  // NAME=VALUE
  RunLimits limits;
  int landlock_abi = 0;  // 0: skip Landlock
  std::vector<LandlockRule> landlock_rules;
  SeccompPolicy seccomp;
  int report_fd = -1;        // write end of the message pipe
  int go_fd = -1;            // namespaces: read end; one byte once the maps exist
  int listener_socket = -1;  // monitor: where the seccomp listener fd is sent
  int filter_socket = -1;    // where the supervisor sends `seccomp` compiled (SeccompProgram)
};

// The first process inside new namespaces (created with clone(SandboxCloneFlags())).
[[noreturn]] void RunSandboxInit(const ChildPlan& plan);

// Without namespaces (fallback): the command's process itself.
[[noreturn]] void RunCommandProcess(const ChildPlan& plan);

}  // namespace mg::sandbox
