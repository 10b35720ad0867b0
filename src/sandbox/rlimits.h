// Resource limits (setrlimit) for the sandboxed command. Runs in the child before exec.
#pragma once

#include "sandbox/config.h"

namespace mg::sandbox {

// Applies every non-zero limit of `limits` (soft = hard, so the command cannot raise them) and
// RLIMIT_CORE = 0. Returns 0 or the errno of the first failure. Async-signal-safe.
int ApplyRlimits(const RunLimits& limits);

}  // namespace mg::sandbox
