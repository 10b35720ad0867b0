// The policy's sandboxed trial load (docs/policy.md, "trial_load"): the loader command runs in
// `modelgate run`'s sandbox (enforce mode, monitor on, the model read-only) and passes only when it
// exits 0 with nothing blocked. The pure parts (argv, judging a report) are separate from the run
// so that they are unit-tested without a kernel that can build a sandbox.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "policy/decide.h"
#include "policy/policy.h"
#include "sandbox/config.h"
#include "sandbox/outcome.h"

namespace mg::policy {

// Written in a loader argument, replaced by the model's path inside the sandbox.
inline constexpr std::string_view kModelPlaceholder = "{model}";

// The loader's argv: every `{model}` in an argument becomes `model_inside`; when no argument has
// one, `model_inside` is appended as the last argument.
std::vector<std::string> TrialLoadArgv(const std::vector<std::string>& loader,
                                       const std::string& model_inside);

// A loader given as one string: split on spaces and tabs (no quoting; a YAML list is the way to
// pass an argument that contains a space).
std::vector<std::string> SplitLoader(std::string_view text);

// The sandbox configuration for `model` (a canonical host path): enforce mode, monitor on, the
// model read-only at `model_inside`, the clause's timeout as the wall-clock limit.
sandbox::RunConfig TrialLoadConfig(const TrialLoadClause& clause, const std::string& model,
                                   const std::string& model_inside,
                                   sandbox::IsolationRequest isolation);

// Judges a finished run: passed only when it ended OK, exited 0 and nothing was blocked. The detail
// names the outcome and the first blocked attempts.
TrialLoadEvidence JudgeTrialLoad(sandbox::RunReport run);

// Runs the trial load of `model` (a file or folder on the host). With namespaces the model is at
// /model/NAME; where they cannot be built, the Landlock + seccomp fallback runs the loader with the
// model at its own canonical path. A sandbox that cannot be built at all fails.
TrialLoadEvidence RunTrialLoad(const TrialLoadClause& clause, const std::string& model);

}  // namespace mg::policy
