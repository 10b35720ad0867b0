// A process confining itself with the sandbox's Landlock and seccomp files, without namespaces:
// for `modelgate scan`, so that a memory-safety bug in a parser cannot become code execution
// with the user's rights; `scan` uses it through scan_confinement.h (docs/sandbox.md).
#pragma once

#include <string>
#include <vector>

namespace mg::sandbox {

struct SelfConfinement {
  std::vector<std::string> read_paths;   // inputs: files or folders, read-only
  std::vector<std::string> write_paths;  // outputs: files or folders, writable
};

struct SelfConfinementResult {
  int landlock_abi = 0;
  bool landlock = false;  // filesystem (and TCP, ABI >= 4) rules enforced
  bool seccomp = false;   // no exec, no sockets but AF_UNIX, the deny list
  std::string error;      // the first failure; empty when both applied
};

// Sets no_new_privs, then Landlock: read on `read_paths` and on what a running program may
// still load (/usr, /etc's loader files, /proc/self), write on `write_paths`, nothing else; then
// seccomp on every thread: exec denied, network sockets denied, the deny list. Call it after
// opening what must be opened anyway and, for Landlock, before starting threads (Landlock
// applies to the calling thread and to threads it creates later).
SelfConfinementResult ConfineSelf(const SelfConfinement& confinement);

}  // namespace mg::sandbox
