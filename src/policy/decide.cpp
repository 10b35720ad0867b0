#include "policy/decide.h"

#include <algorithm>
#include <map>
#include <set>

namespace mg::policy {

namespace {

bool Contains(const std::vector<std::string>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

// A verified signature from a signer the policy trusts, by an accepted method. The verifiers
// were built from the policy's keys and roots, so a verified outcome means a trusted signer;
// the method and Sigstore identity are checked again here so that Decide stands on its own.
bool TrustedSignature(const Policy& policy, const Evidence& evidence) {
  const auto& outcome = evidence.verification;
  if (!outcome || !outcome->verified() || !outcome->signer) return false;
  const integrity::VerifiedSigner& signer = *outcome->signer;
  if (!policy.signatures.AcceptsMethod(signer.method)) return false;
  if (signer.method != "sigstore") return true;
  const auto& identities = policy.signatures.sigstore_identities;
  return std::any_of(identities.begin(), identities.end(), [&signer](const SigstoreIdentity& id) {
    return id.identity == signer.identity && id.issuer == signer.issuer;
  });
}

std::string WhyUnsigned(const Policy& policy, const Evidence& evidence) {
  const auto& outcome = evidence.verification;
  if (!outcome) return "no signature was verified";
  if (!outcome->verified()) {
    return "signature not verified (" + std::string(integrity::VerifyStageName(outcome->stage)) +
           "): " + outcome->message;
  }
  if (!outcome->signer) return "the verification named no signer";
  if (!policy.signatures.AcceptsMethod(outcome->signer->method)) {
    return "signed with method '" + outcome->signer->method + "', which the policy does not accept";
  }
  return "signer " + outcome->signer->identity + " (issuer " + outcome->signer->issuer +
         ") is not a trusted Sigstore identity";
}

// Exceptions in force for this model, and the ones that would match but have expired.
class ExceptionSet {
 public:
  ExceptionSet(const Policy& policy, const Evidence& evidence, bool signed_ok, Date today,
               Decision& decision) {
    const std::string signer = signed_ok ? evidence.verification->signer->identity : "";
    for (const PolicyException& exception : policy.exceptions) {
      const bool matches = exception.path.empty()
                               ? (!signer.empty() && exception.signer == signer)
                               : ModelMatches(exception.path, evidence.model_path);
      if (!matches) continue;
      if (exception.expires < today) {
        decision.exceptions_expired.push_back({exception.line, exception.reason,
                                               exception.expires.ToString(),
                                               "expired; it no longer applies"});
      } else {
        active_.push_back(&exception);
      }
    }
  }

  // The exception that waives `rule` (empty rule: a waiver of every finding is needed).
  const PolicyException* Waiver(std::string_view rule) const {
    for (const PolicyException* exception : active_) {
      if (exception->rules.empty() || (!rule.empty() && Contains(exception->rules, rule))) {
        return exception;
      }
    }
    return nullptr;
  }

  void Record(const PolicyException* exception, std::string waived) {
    auto& list = waived_[exception];
    if (std::find(list.begin(), list.end(), waived) == list.end()) list.push_back(waived);
  }

  void Finish(Decision& decision) const {
    for (const PolicyException* exception : active_) {
      const auto found = waived_.find(exception);
      if (found == waived_.end()) continue;
      std::string waived;
      for (const std::string& item : found->second) waived += (waived.empty() ? "" : "; ") + item;
      decision.exceptions_applied.push_back(
          {exception->line, exception->reason, exception->expires.ToString(), waived});
    }
  }

 private:
  std::vector<const PolicyException*> active_;
  std::map<const PolicyException*, std::vector<std::string>> waived_;
};

void CheckPins(const Policy& policy, const Evidence& evidence, Decision& decision) {
  const auto& pins = policy.pinned.pins;
  if (pins.empty()) return;
  std::vector<const DigestPin*> matching;
  for (const DigestPin& pin : pins) {
    if (ModelMatches(pin.model, evidence.model_path)) matching.push_back(&pin);
  }
  if (matching.empty()) {
    if (policy.pinned.unlisted_blocks) {
      decision.reasons.push_back({"pinned_digests", "the model is not on the pinned list", ""});
    }
    return;
  }
  if (!evidence.digest || evidence.digest->root_digest.empty()) {
    const std::string why = evidence.digest ? evidence.digest->error : "it was not computed";
    decision.reasons.push_back(
        {"pinned_digests", "the model's root digest is unknown: " + why, ""});
    return;
  }
  const std::string& actual = evidence.digest->root_digest;
  if (std::none_of(matching.begin(), matching.end(),
                   [&actual](const DigestPin* pin) { return pin->digest == actual; })) {
    decision.reasons.push_back({"pinned_digests",
                                "root digest " + actual + " differs from the pinned " +
                                    matching.front()->digest + " (policy line " +
                                    std::to_string(matching.front()->line) + ")",
                                ""});
  }
}

void CheckFormats(const Policy& policy, const Target& target, bool signed_ok, Decision& decision) {
  std::vector<std::string> formats = target.embedded_formats;
  formats.insert(formats.begin(), target.format);
  const FormatClause& clause = policy.formats;
  for (const std::string& format : formats) {
    const std::string where = format == target.format ? "" : " (inside)";
    if (Contains(clause.forbidden, format)) {
      decision.reasons.push_back(
          {"formats", target.path + ": format " + format + where + " is forbidden", ""});
    } else if (!clause.allowed.empty() && !Contains(clause.allowed, format)) {
      decision.reasons.push_back(
          {"formats", target.path + ": format " + format + where + " is not allowed", ""});
    }
    if (!signed_ok && Contains(clause.require_signature, format)) {
      decision.reasons.push_back({"formats",
                                  target.path + ": format " + format + where +
                                      " requires a signature from a trusted signer",
                                  ""});
    }
  }
}

void CheckFindings(const Policy& policy, const Target& target, ExceptionSet& exceptions,
                   Decision& decision) {
  for (const Finding& finding : target.findings) {
    if (finding.severity < policy.findings.block_at) continue;
    const std::string where = finding.location.Display();
    if (const PolicyException* waiver = exceptions.Waiver(finding.rule)) {
      exceptions.Record(waiver, finding.rule + " at " + where);
      continue;
    }
    decision.reasons.push_back({"findings",
                                std::string(SeverityName(finding.severity)) + " " + finding.rule +
                                    " at " + where + ": " + finding.message,
                                finding.rule});
  }
  if (target.status == TargetStatus::kError) {
    decision.reasons.push_back({"findings", target.path + ": could not be analysed", ""});
  } else if (target.status == TargetStatus::kIncomplete && policy.findings.incomplete_blocks) {
    if (const PolicyException* waiver = exceptions.Waiver("")) {
      exceptions.Record(waiver, "incomplete analysis of " + target.path);
    } else {
      decision.reasons.push_back(
          {"findings", target.path + ": analysis incomplete (the policy blocks it)", ""});
    }
  }
}

void CheckAuditEnv(const Policy& policy, const Evidence& evidence, Decision& decision) {
  if (!policy.audit_env.required) return;
  if (!evidence.audit_env) {
    decision.reasons.push_back({"audit_env", "the environment audit did not run", ""});
    return;
  }
  for (const Target& target : evidence.audit_env->targets) {
    for (const Finding& finding : target.findings) {
      if (finding.severity < policy.audit_env.block_at) continue;
      decision.reasons.push_back(
          {"audit_env", finding.rule + ": " + finding.message, finding.rule});
    }
  }
}

void CheckTrialLoad(const Policy& policy, const Evidence& evidence, Decision& decision) {
  if (!policy.trial_load.required) return;
  if (!evidence.trial_load) {
    decision.reasons.push_back(
        {"trial_load", "a sandboxed trial load is required but none ran", ""});
  } else if (!evidence.trial_load->passed) {
    decision.reasons.push_back(
        {"trial_load", "the sandboxed trial load failed: " + evidence.trial_load->detail, ""});
  }
}

}  // namespace

std::string_view VerdictName(Verdict verdict) {
  return verdict == Verdict::kAllow ? "allow" : "block";
}

Decision Decide(const Policy& policy, const Evidence& evidence,
                std::chrono::system_clock::time_point now) {
  Decision decision;
  const bool signed_ok = TrustedSignature(policy, evidence);
  ExceptionSet exceptions(policy, evidence, signed_ok, DateOf(now), decision);
  if (policy.signatures.required && !signed_ok) {
    decision.reasons.push_back({"signatures", WhyUnsigned(policy, evidence), ""});
  }
  CheckPins(policy, evidence, decision);
  if (evidence.scan.targets.empty()) {
    decision.reasons.push_back({"findings", "no file of the model was analysed", ""});
  }
  for (const Target& target : evidence.scan.targets) {
    CheckFormats(policy, target, signed_ok, decision);
    CheckFindings(policy, target, exceptions, decision);
  }
  CheckAuditEnv(policy, evidence, decision);
  CheckTrialLoad(policy, evidence, decision);
  exceptions.Finish(decision);
  decision.verdict = decision.reasons.empty() ? Verdict::kAllow : Verdict::kBlock;
  return decision;
}

}  // namespace mg::policy
