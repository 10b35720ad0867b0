// The decision: a pure function of the policy, the evidence gathered about one model and the
// current time. No I/O: the CLI (src/cli/check_command.cpp) gathers the evidence.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "integrity/verify.h"
#include "policy/policy.h"
#include "report/report.h"
#include "sandbox/outcome.h"

namespace mg::policy {

// The model's OMS root digest (modelgate hash), computed when the policy pins digests.
struct DigestEvidence {
  std::string root_digest;  // "sha256:<hex>"; empty when it could not be computed
  std::string error;        // why it could not be computed
};

// A sandboxed trial load (modelgate run with the policy's loader command).
struct TrialLoadEvidence {
  bool passed = false;
  std::string detail;  // why it failed, or a one-line summary when it passed
  // The sandbox's report (command, outcome, every attempt, isolation level) when the loader
  // was started; absent when the trial could not be set up at all.
  std::optional<sandbox::RunReport> run;
};

struct Evidence {
  std::string model_path;
  Report scan;  // the scan of the model, with the policy's limits
  std::optional<integrity::VerifyOutcome> verification;  // when the policy needs it
  std::optional<DigestEvidence> digest;                  // when the policy pins digests
  std::optional<Report> audit_env;                       // when the policy requires it
  std::optional<TrialLoadEvidence> trial_load;           // when the policy requires it
};

struct Reason {
  std::string clause;  // "signatures", "pinned_digests", "formats", "findings", ...
  std::string detail;  // one sentence
  std::string rule;    // the finding's rule ID, for finding reasons
};

struct AppliedException {
  int line = 0;  // of the exception in the policy file
  std::string reason;
  std::string expires;
  std::string waived;  // what it waived ("PICKLE-... at model.pt!data.pkl") or why it did not
};

enum class Verdict { kAllow, kBlock };
std::string_view VerdictName(Verdict verdict);  // "allow", "block"

struct Decision {
  Verdict verdict = Verdict::kBlock;
  std::vector<Reason> reasons;  // empty when allowed
  std::vector<AppliedException> exceptions_applied;
  std::vector<AppliedException> exceptions_expired;  // matched the model but have expired
  bool allowed() const { return verdict == Verdict::kAllow; }
};

Decision Decide(const Policy& policy, const Evidence& evidence,
                std::chrono::system_clock::time_point now);

}  // namespace mg::policy
