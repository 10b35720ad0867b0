// Turning a RunConfig into what the sandbox's processes do: which isolation (probed), where
// each model goes, which paths Landlock opens, what the environment is, which paths the monitor
// lets opens reach without recording them.
#pragma once

#include <string>

#include "core/result.h"
#include "sandbox/child.h"
#include "sandbox/monitor.h"
#include "sandbox/outcome.h"

namespace mg::sandbox {

struct Plan {
  ChildPlan child;
  MonitorPolicy monitor;
  RunReport report;      // filled in with what is known before the start
  std::string temp_dir;  // fallback only: the private temp folder, removed afterwards
};

// Probes the kernel, validates paths and builds the plan. Errors are setup errors.
Result<Plan> MakePlan(const RunConfig& config);

}  // namespace mg::sandbox
