#include "policy/gather.h"

#include <array>
#include <memory>

#include "advisories/advisory.h"
#include "advisories/audit.h"
#include "advisories/environment.h"
#include "engine/engine.h"
#include "engine/name_lists.h"
#include "integrity/encoding.h"
#include "integrity/hash_model.h"
#include "integrity/manifest.h"
#include "integrity/sign.h"
#include "integrity/signature_verifier.h"
#include "integrity/sigstore/trusted_root.h"
#include "integrity/sigstore/verify_sigstore.h"
#include "integrity/verify.h"
#include "policy/trial_load.h"

namespace mg::policy {

namespace {

using integrity::SignatureVerifier;
using integrity::VerifyOutcome;

// One verifier per trusted key and one for the certificate roots, limited to accepted methods.
std::vector<std::unique_ptr<SignatureVerifier>> BuildVerifiers(const SignatureClause& clause,
                                                               std::vector<std::string>& errors) {
  std::vector<std::unique_ptr<SignatureVerifier>> verifiers;
  if (clause.AcceptsMethod("key")) {
    for (const auto& path : clause.trusted_keys) {
      auto key = integrity::LoadPublicKeyFile(path);
      if (!key) {
        errors.push_back("policy key " + path.string() + ": " + key.error().message);
        continue;
      }
      verifiers.push_back(std::make_unique<integrity::KeyVerifier>(std::move(*key)));
    }
  }
  if (clause.AcceptsMethod("certificate") && !clause.certificate_roots.empty()) {
    auto roots = integrity::LoadCertificateFiles(clause.certificate_roots);
    if (!roots) {
      errors.push_back("policy certificate roots: " + roots.error().message);
    } else {
      verifiers.push_back(std::make_unique<integrity::CertificateVerifier>(std::move(*roots)));
    }
  }
  // One keyless verifier per identity and issuer pair, all against the same pinned root.
  if (clause.AcceptsMethod("sigstore") && !clause.sigstore_identities.empty()) {
    auto root = integrity::sigstore::LoadTrustedRoot(clause.sigstore_trust_root);
    if (!root) {
      errors.push_back("policy sigstore trust root: " + root.error().message);
      return verifiers;
    }
    for (const SigstoreIdentity& identity : clause.sigstore_identities) {
      verifiers.push_back(std::make_unique<integrity::sigstore::SigstoreVerifier>(
          *root, integrity::sigstore::SigstorePolicy{identity.identity, identity.issuer}));
    }
  }
  return verifiers;
}

// Tries each verifier; the first that verifies wins. Otherwise the outcome that got furthest
// (a signature that checked out over a changed model says more than "wrong key").
VerifyOutcome VerifyWithPolicy(const Policy& policy, const std::string& model,
                               std::vector<std::string>& errors) {
  const auto verifiers = BuildVerifiers(policy.signatures, errors);
  VerifyOutcome best;
  best.status = integrity::VerifyStatus::kFailed;
  best.stage = integrity::VerifyStage::kSignature;
  best.message = "the policy gives no trust material usable by this build";
  bool have_best = false;
  integrity::VerifyOptions options;
  options.model = model;
  for (const auto& verifier : verifiers) {
    VerifyOutcome outcome = integrity::VerifyModel(options, *verifier);
    if (outcome.verified()) return outcome;
    if (!have_best || outcome.stage > best.stage) best = std::move(outcome);
    have_best = true;
  }
  return best;
}

// The policy's lists as the scan engine takes them (entries were validated by the parser).
std::shared_ptr<const OrgNameLists> ScanNameLists(const Policy& policy) {
  if (policy.allow.empty() && policy.deny.empty()) return nullptr;
  auto lists = std::make_shared<OrgNameLists>();
  const auto add = [](const NameLists& from, std::array<NamePatterns, kNameKindCount>& to) {
    const auto fill = [&to](NameKind kind, const std::vector<std::string>& entries) {
      for (const std::string& entry : entries) to[static_cast<std::size_t>(kind)].Add(entry);
    };
    fill(NameKind::kPickleGlobal, from.pickle_globals);
    fill(NameKind::kSparkMlClass, from.sparkml_classes);
    fill(NameKind::kPysparkModule, from.pyspark_modules);
    fill(NameKind::kKerasModule, from.keras_modules);
  };
  add(policy.allow, lists->allow);
  add(policy.deny, lists->deny);
  return lists;
}

DigestEvidence RootDigestOf(const std::string& model) {
  integrity::HashOptions options;
  // A signature beside the model's files is not part of what was approved: the pin stays
  // valid when the model is signed later (`modelgate hash --signature MODEL/model.sig`).
  options.signature_path = integrity::DefaultSignaturePath(model);
  auto manifest = integrity::HashModel(model, options);
  if (!manifest) return {"", manifest.error().message};
  return {"sha256:" + integrity::HexEncode(integrity::RootDigest(*manifest)), ""};
}

Report AuditEnvironment(const AuditEnvClause& clause, std::vector<std::string>& errors) {
  advisories::EnvironmentOptions options;
  options.python_paths = clause.python_paths;
  options.spark_home = clause.spark_home;
  const advisories::Environment environment = advisories::InspectEnvironment(options, errors);
  return advisories::AuditEnvironment(advisories::BundledAdvisories(), environment);
}

}  // namespace

Gathered GatherEvidence(const Policy& policy, const std::string& model) {
  Gathered gathered;
  Evidence& evidence = gathered.evidence;
  evidence.model_path = model;
  if (policy.NeedsVerification()) {
    evidence.verification = VerifyWithPolicy(policy, model, gathered.errors);
    if (evidence.verification->status == integrity::VerifyStatus::kError &&
        evidence.verification->stage != integrity::VerifyStage::kReadSignature) {
      gathered.errors.push_back(evidence.verification->message);
    }
  }
  if (!policy.pinned.pins.empty()) evidence.digest = RootDigestOf(model);
  ScanOptions options;
  options.limits = policy.limits;
  options.name_lists = ScanNameLists(policy);
  ScanOutcome scan = Scan({model}, options);
  evidence.scan = std::move(scan.report);
  for (std::string& error : scan.errors) gathered.errors.push_back(std::move(error));
  if (policy.audit_env.required) {
    evidence.audit_env = AuditEnvironment(policy.audit_env, gathered.errors);
  }
  // After the static checks, and whatever they found: the sandbox is the confinement, and a
  // model already blocked still gets its attempts on the record.
  if (policy.trial_load.required) {
    evidence.trial_load = RunTrialLoad(policy.trial_load, model);
  }
  return gathered;
}

}  // namespace mg::policy
