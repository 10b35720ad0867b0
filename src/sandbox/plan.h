// Turning a RunConfig into what the sandbox's processes do: which isolation, where
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

// Validates paths and builds the plan: with namespaces unless config.isolation is
// kNoNamespaces, in which case `fallback_reason` (empty: the user asked for it) goes into the
// report. Errors are setup errors.
Result<Plan> MakePlan(const RunConfig& config, const std::string& fallback_reason = "");

}  // namespace mg::sandbox
