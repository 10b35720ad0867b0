// Gathering the evidence a policy needs about one model (the I/O half of `modelgate check`):
// verify when signatures matter, hash when digests are pinned, scan with the policy's limits,
// audit the environment and run the sandboxed trial load when required. Decide() (decide.h)
// then judges it without I/O.
#pragma once

#include <string>
#include <vector>

#include "policy/decide.h"
#include "policy/policy.h"

namespace mg::policy {

struct Gathered {
  Evidence evidence;
  // Problems that stop a decision from being trustworthy (unreadable model, unusable trust
  // material in the policy): the CLI exits 2.
  std::vector<std::string> errors;
};

Gathered GatherEvidence(const Policy& policy, const std::string& model);

}  // namespace mg::policy
