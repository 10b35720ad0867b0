// The sandbox's filesystem: a fresh root on a tmpfs holding read-only binds of the system
// folders (/usr and the merged-/usr symlinks /bin, /sbin, /lib*), the few files of /etc a
// dynamic loader and an interpreter read, generated passwd/group/hosts, the models read-only,
// a private /tmp, an optional writable output folder, a minimal /dev and the PID namespace's own
// /proc; then pivot_root into it. Runs in the sandbox's init, inside its new mount and PID
// namespaces, with the capabilities the user namespace gives.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sandbox/step_error.h"

namespace mg::sandbox {

struct BindMount {
  std::string source;  // absolute host path (file or folder)
  std::string target;  // absolute path inside the sandbox
  bool writable = false;
};

struct RootPlan {
  std::vector<BindMount> binds;  // models, the output folder, the command if not a system file
  std::uint64_t tmp_size = 256ULL << 20;  // bytes
};

// The files of /etc bound into the sandbox when the host has them (symlinks are recreated).
const std::vector<std::string>& EtcEntries();

// Builds the root and pivots into it; the working directory is "/" afterwards.
StepError BuildRoot(const RootPlan& plan);

}  // namespace mg::sandbox
