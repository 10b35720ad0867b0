#include <gtest/gtest.h>

#include "policy/decide.h"
#include "policy/parse.h"

namespace mg::policy {
namespace {

using std::chrono::sys_days;
constexpr std::string_view kDigestA =
    "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
constexpr std::string_view kDigestB =
    "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

const auto kNow = sys_days(std::chrono::year(2026) / 6 / 15);

Policy Load(const std::string& text) {
  PolicyLoad load = ParsePolicy("version: 1\n" + text, "/p/policy.yaml");
  EXPECT_TRUE(load.policy.has_value()) << load.errors.front().ToString();
  return load.policy.value_or(Policy{});
}

Target CleanTarget(std::string path, std::string format = "safetensors") {
  Target target;
  target.path = std::move(path);
  target.format = std::move(format);
  return target;
}

Finding MakeFinding(std::string rule, Severity severity, std::string path) {
  Finding finding;
  finding.rule = std::move(rule);
  finding.severity = severity;
  finding.message = "test finding";
  finding.location.path = std::move(path);
  return finding;
}

Evidence CleanEvidence(std::string model = "/models/bert") {
  Evidence evidence;
  evidence.model_path = model;
  evidence.scan.targets.push_back(CleanTarget(model + "/model.safetensors"));
  return evidence;
}

integrity::VerifyOutcome Verified(std::string method, std::string identity,
                                  std::string issuer = "") {
  integrity::VerifyOutcome outcome;
  outcome.status = integrity::VerifyStatus::kVerified;
  outcome.stage = integrity::VerifyStage::kDone;
  integrity::VerifiedSigner signer;
  signer.method = std::move(method);
  signer.identity = std::move(identity);
  signer.issuer = std::move(issuer);
  outcome.signer = std::move(signer);
  return outcome;
}

integrity::VerifyOutcome Failed(std::string message) {
  integrity::VerifyOutcome outcome;
  outcome.status = integrity::VerifyStatus::kFailed;
  outcome.stage = integrity::VerifyStage::kManifest;
  outcome.message = std::move(message);
  return outcome;
}

bool HasReason(const Decision& decision, std::string_view clause, std::string_view part = "") {
  for (const Reason& reason : decision.reasons) {
    if (reason.clause == clause && reason.detail.find(part) != std::string::npos) return true;
  }
  return false;
}

constexpr std::string_view kSigned =
    "signatures:\n  required: true\n  methods: [key]\n  keys: [team.pub]\n";

TEST(PolicyDecide, EmptyPolicyAllowsACleanModel) {
  const Decision decision = Decide(Load(""), CleanEvidence(), kNow);
  EXPECT_TRUE(decision.allowed());
  EXPECT_TRUE(decision.reasons.empty());
}

TEST(PolicyDecide, RequiredSignatureAllowsVerifiedAndBlocksFailedOrMissing) {
  const Policy policy = Load(std::string(kSigned));
  Evidence evidence = CleanEvidence();
  evidence.verification = Verified("key", "sha256:hint");
  EXPECT_TRUE(Decide(policy, evidence, kNow).allowed());

  evidence.verification = Failed("model.safetensors was modified");
  Decision decision = Decide(policy, evidence, kNow);
  EXPECT_FALSE(decision.allowed());
  EXPECT_TRUE(HasReason(decision, "signatures", "model.safetensors was modified"));

  evidence.verification.reset();
  EXPECT_TRUE(HasReason(Decide(policy, evidence, kNow), "signatures", "no signature"));

  evidence.verification = Verified("certificate", "CN=someone");
  EXPECT_TRUE(HasReason(Decide(policy, evidence, kNow), "signatures", "does not accept"));
}

TEST(PolicyDecide, SigstoreSignerMustBeAListedIdentity) {
  const Policy policy = Load(
      "signatures:\n  required: true\n  sigstore:\n    identities:\n"
      "      - {identity: ci@example.com, issuer: https://issuer.example}\n");
  Evidence evidence = CleanEvidence();
  evidence.verification = Verified("sigstore", "ci@example.com", "https://issuer.example");
  EXPECT_TRUE(Decide(policy, evidence, kNow).allowed());
  evidence.verification = Verified("sigstore", "ci@example.com", "https://other.example");
  EXPECT_TRUE(HasReason(Decide(policy, evidence, kNow), "signatures", "not a trusted"));
}

TEST(PolicyDecide, PinnedDigests) {
  const Policy policy =
      Load("pinned_digests:\n  models:\n    - model: bert\n      digest: " + std::string(kDigestA) +
           "\n");
  Evidence evidence = CleanEvidence("/models/bert");
  evidence.digest = DigestEvidence{std::string(kDigestA), ""};
  EXPECT_TRUE(Decide(policy, evidence, kNow).allowed());

  evidence.digest = DigestEvidence{std::string(kDigestB), ""};
  EXPECT_TRUE(HasReason(Decide(policy, evidence, kNow), "pinned_digests", "differs"));

  evidence.digest = DigestEvidence{"", "unreadable"};
  EXPECT_TRUE(HasReason(Decide(policy, evidence, kNow), "pinned_digests", "unreadable"));

  Evidence other = CleanEvidence("/models/gpt");
  other.digest = DigestEvidence{std::string(kDigestA), ""};
  EXPECT_TRUE(HasReason(Decide(policy, other, kNow), "pinned_digests", "not on the pinned"));
  const Policy lenient = Load(
      "pinned_digests:\n  unlisted: allow\n  models:\n    - model: bert"
      "\n      digest: " +
      std::string(kDigestA) + "\n");
  EXPECT_TRUE(Decide(lenient, other, kNow).allowed());
}

TEST(PolicyDecide, ForbiddenAndAllowedFormatsIncludeEmbeddedOnes) {
  Evidence evidence = CleanEvidence();
  Target torch = CleanTarget("/models/bert/model.pt", "zip");
  torch.embedded_formats = {"pickle"};
  evidence.scan.targets.push_back(torch);

  EXPECT_TRUE(Decide(Load("formats:\n  forbidden: [gguf]\n"), evidence, kNow).allowed());
  Decision decision = Decide(Load("formats:\n  forbidden: [pickle]\n"), evidence, kNow);
  EXPECT_TRUE(HasReason(decision, "formats", "pickle (inside) is forbidden"));

  EXPECT_TRUE(
      Decide(Load("formats:\n  allowed: [safetensors, zip, pickle]\n"), evidence, kNow).allowed());
  decision = Decide(Load("formats:\n  allowed: [safetensors, zip]\n"), evidence, kNow);
  EXPECT_TRUE(HasReason(decision, "formats", "pickle (inside) is not allowed"));
}

TEST(PolicyDecide, PickleRequiresSignature) {
  const Policy policy =
      Load("signatures:\n  keys: [team.pub]\nformats:\n  require_signature: [pickle]\n");
  Evidence evidence = CleanEvidence();
  EXPECT_TRUE(Decide(policy, evidence, kNow).allowed());  // no pickle: no signature needed
  Target torch = CleanTarget("/models/bert/model.pt", "zip");
  torch.embedded_formats = {"pickle"};
  evidence.scan.targets.push_back(torch);
  EXPECT_TRUE(HasReason(Decide(policy, evidence, kNow), "formats", "requires a signature"));
  evidence.verification = Verified("key", "sha256:hint");
  EXPECT_TRUE(Decide(policy, evidence, kNow).allowed());
}

TEST(PolicyDecide, FindingsAtOrAboveTheBlockingSeverityBlock) {
  Evidence evidence = CleanEvidence();
  evidence.scan.targets[0].findings.push_back(
      MakeFinding("PICKLE-UNKNOWN-GLOBAL", Severity::kMedium, "/models/bert/a.pkl"));
  EXPECT_TRUE(Decide(Load(""), evidence, kNow).allowed());  // default blocks at high
  const Decision decision = Decide(Load("findings:\n  block_at: medium\n"), evidence, kNow);
  EXPECT_TRUE(HasReason(decision, "findings", "PICKLE-UNKNOWN-GLOBAL"));
  EXPECT_EQ(decision.reasons.at(0).rule, "PICKLE-UNKNOWN-GLOBAL");
}

TEST(PolicyDecide, IncompleteAnalysisBlocksUnlessThePolicySaysOtherwise) {
  Evidence evidence = CleanEvidence();
  evidence.scan.targets[0].status = TargetStatus::kIncomplete;
  EXPECT_TRUE(HasReason(Decide(Load(""), evidence, kNow), "findings", "incomplete"));
  EXPECT_TRUE(Decide(Load("findings:\n  incomplete_blocks: false\n"), evidence, kNow).allowed());
  evidence.scan.targets[0].status = TargetStatus::kError;
  EXPECT_FALSE(Decide(Load("findings:\n  incomplete_blocks: false\n"), evidence, kNow).allowed());
  evidence.scan.targets.clear();
  EXPECT_TRUE(HasReason(Decide(Load(""), evidence, kNow), "findings", "no file"));
}

TEST(PolicyDecide, ExceptionsWaiveTheirRulesUntilTheyExpire) {
  const Policy policy = Load(
      "exceptions:\n  - path: \"/models/*\"\n    rules: [PICKLE-DANGEROUS-CALL]\n"
      "    reason: reviewed\n    expires: 2026-06-15\n");
  Evidence evidence = CleanEvidence();
  evidence.scan.targets[0].findings.push_back(
      MakeFinding("PICKLE-DANGEROUS-CALL", Severity::kCritical, "/models/bert/a.pkl"));
  Decision decision = Decide(policy, evidence, kNow);  // the expiry day itself still applies
  EXPECT_TRUE(decision.allowed());
  ASSERT_EQ(decision.exceptions_applied.size(), 1u);
  EXPECT_EQ(decision.exceptions_applied[0].line, 3);
  EXPECT_NE(decision.exceptions_applied[0].waived.find("PICKLE-DANGEROUS-CALL"), std::string::npos);

  const auto tomorrow = kNow + std::chrono::days(1);
  decision = Decide(policy, evidence, tomorrow);
  EXPECT_FALSE(decision.allowed());
  ASSERT_EQ(decision.exceptions_expired.size(), 1u);
  EXPECT_EQ(decision.exceptions_expired[0].expires, "2026-06-15");
  EXPECT_TRUE(decision.exceptions_applied.empty());

  // Another rule is not waived.
  evidence.scan.targets[0].findings[0].rule = "PICKLE-OTHER";
  EXPECT_FALSE(Decide(policy, evidence, kNow).allowed());
}

TEST(PolicyDecide, SignerExceptionNeedsThatVerifiedSigner) {
  const Policy policy = Load(
      "signatures:\n  keys: [research.pub]\nexceptions:\n  - signer: sha256:research\n"
      "    reason: own models\n    expires: 2027-01-01\n");
  Evidence evidence = CleanEvidence();
  evidence.scan.targets[0].findings.push_back(
      MakeFinding("PICKLE-UNKNOWN-GLOBAL", Severity::kHigh, "/models/bert/a.pkl"));
  EXPECT_FALSE(Decide(policy, evidence, kNow).allowed());
  evidence.verification = Verified("key", "sha256:someone-else");
  EXPECT_FALSE(Decide(policy, evidence, kNow).allowed());
  evidence.verification = Verified("key", "sha256:research");
  EXPECT_TRUE(Decide(policy, evidence, kNow).allowed());
}

TEST(PolicyDecide, AuditEnvAndTrialLoad) {
  const Policy audit = Load("audit_env:\n  required: true\n");
  Evidence evidence = CleanEvidence();
  EXPECT_TRUE(HasReason(Decide(audit, evidence, kNow), "audit_env", "did not run"));
  evidence.audit_env = Report{};
  EXPECT_TRUE(Decide(audit, evidence, kNow).allowed());
  Target env;
  env.findings.push_back(MakeFinding("AUDIT-VULNERABLE-PACKAGE", Severity::kHigh, "torch"));
  evidence.audit_env->targets.push_back(env);
  EXPECT_TRUE(HasReason(Decide(audit, evidence, kNow), "audit_env", "AUDIT-VULNERABLE"));

  const Policy trial = Load("trial_load:\n  required: true\n  loader: python3 load.py\n");
  Evidence model = CleanEvidence();
  EXPECT_TRUE(HasReason(Decide(trial, model, kNow), "trial_load", "none ran"));
  model.trial_load = TrialLoadEvidence{false, "blocked connect()", std::nullopt};
  EXPECT_TRUE(HasReason(Decide(trial, model, kNow), "trial_load", "blocked connect()"));
  model.trial_load = TrialLoadEvidence{true, "", std::nullopt};
  EXPECT_TRUE(Decide(trial, model, kNow).allowed());
}

}  // namespace
}  // namespace mg::policy
