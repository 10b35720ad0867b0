// `modelgate run`'s engine: plan the sandbox, start it, supervise it (monitor, timeout), and
// report. The one entry point the CLI uses.
#pragma once

#include "sandbox/config.h"
#include "sandbox/outcome.h"

namespace mg::sandbox {

// Runs config.command in the sandbox and waits for it. Never runs it unconfined: when neither
// namespaces nor Landlock can be applied, or seccomp cannot, the report says SETUP_ERROR and
// the command was not started.
RunReport RunSandboxed(const RunConfig& config);

}  // namespace mg::sandbox
