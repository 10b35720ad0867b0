// `modelgate check` end to end on real signed models (docs/policy.md): exit 0 allow, 1 block,
// 2 policy or I/O error; every reason and exception is in the output and the audit record.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "e2e/check_support.h"
#include "e2e/cli_runner.h"
#include "support/test_paths.h"

namespace mg::test {
namespace {

namespace fs = std::filesystem;

fs::path KeyPath(const std::string& name) {
  return SourceDir() / "src" / "integrity" / "testdata" / "keys" / name;
}

// A small model folder: safetensors weights, a config, and a pickle (a clean one unless a
// malicious fixture is named).
fs::path MakeModel(const fs::path& root, const std::string& pickle_fixture = "") {
  const fs::path model = root / "bert";
  fs::create_directories(model);
  fs::copy_file(FixturesDir() / "clean" / "hf_model" / "model-00001-of-00002.safetensors",
                model / "model.safetensors");
  WriteFile(model / "config.json", "{\"hidden_size\": 8}");
  const fs::path pickle = pickle_fixture.empty() ? FixturesDir() / "clean" / "python_dict_p4.pkl"
                                                 : FixturesDir() / "malicious" / pickle_fixture;
  fs::copy_file(pickle, model / "extra.pkl");
  return model;
}

void Sign(const fs::path& model, const std::string& key) {
  const CliRun run =
      RunCli({"sign", "key", "--private-key", KeyPath(key).string(), model.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
}

// The policy trusts p256.pub.pem, copied beside it and named relative to the policy file.
fs::path WritePolicy(const fs::path& root, const std::string& extra) {
  fs::copy_file(KeyPath("p256.pub.pem"), root / "team.pub.pem",
                fs::copy_options::overwrite_existing);
  const fs::path policy = root / "policy.yaml";
  WriteFile(policy,
            "version: 1\n"
            "signatures:\n  required: true\n  methods: [key]\n  keys: [team.pub.pem]\n"
            "formats:\n  require_signature: [pickle]\n" +
                extra);
  return policy;
}

CliRun Check(const fs::path& policy, const fs::path& model, const std::string& format = "json") {
  return RunCli({"check", "--policy", policy.string(), "--format", format, model.string()});
}

// The reference tool's keyless signature (src/integrity/testdata/sigstore, README there) verified
// offline against the pinned public-good root; another identity does not count.
TEST(CheckCli, SigstoreSignerFromThePolicyIsAllowed) {
  TempDir dir;
  const fs::path testdata = SourceDir() / "src" / "integrity" / "testdata" / "sigstore";
  const fs::path model = dir.path() / "model";
  fs::copy(testdata / "v1.1.0-sigstore", model, fs::copy_options::recursive);
  fs::copy_file(testdata / "sigstore-public-good-trusted_root.json", dir.path() / "root.json");
  const auto policy_with = [&](const std::string& identity) {
    const fs::path policy = dir.path() / "policy.yaml";
    WriteFile(policy, "version: 1\nsignatures:\n  required: true\n  methods: [sigstore]\n"
                      "  sigstore:\n    trust_root: root.json\n    identities:\n"
                      "      - identity: " + identity + "\n"
                      "        issuer: https://sigstore.verify.ibm.com/oauth2\n");
    return policy;
  };
  const CliRun allowed = Check(policy_with("stefanb@us.ibm.com"), model);
  ASSERT_EQ(allowed.exit_code, 0) << allowed.out << allowed.err;
  const auto json = ParseJson(allowed.out);
  EXPECT_EQ(json["models"][0]["verification"]["signer"]["method"], "sigstore");
  const CliRun other = Check(policy_with("someone@attacker.invalid"), model);
  EXPECT_EQ(other.exit_code, 1) << other.out << other.err;
  EXPECT_TRUE(HasReason(ParseJson(other.out), "signatures", ""));
}

TEST(CheckCli, SignedCleanModelIsAllowed) {
  TempDir dir;
  const fs::path model = MakeModel(dir.path());
  Sign(model, "p256.pem");
  const CliRun run = Check(WritePolicy(dir.path(), ""), model);
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  const auto json = ParseJson(run.out);
  EXPECT_EQ(json["decision"], "allow");
  EXPECT_EQ(json["models"][0]["verification"]["signer"]["method"], "key");
  EXPECT_TRUE(json["models"][0]["reasons"].empty());
  EXPECT_GE(json["models"][0]["report"]["targets"].size(), 3u);
}

TEST(CheckCli, TamperedUnsignedAndUntrustedModelsAreBlocked) {
  TempDir dir;
  const fs::path model = MakeModel(dir.path());
  const fs::path policy = WritePolicy(dir.path(), "");
  CliRun run = Check(policy, model);
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  auto json = ParseJson(run.out);
  EXPECT_TRUE(HasReason(json, "signatures", "not verified")) << run.out;
  EXPECT_TRUE(HasReason(json, "formats", "pickle requires a signature")) << run.out;

  Sign(model, "other_p256.pem");
  run = Check(policy, model);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(HasReason(ParseJson(run.out), "signatures", "(signature)")) << run.out;

  Sign(model, "p256.pem");
  EXPECT_EQ(Check(policy, model).exit_code, 0);
  WriteFile(model / "config.json", "{\"hidden_size\": 9}");
  run = Check(policy, model, "text");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("BLOCK"), std::string::npos);
  EXPECT_NE(run.out.find("[signatures]"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("config.json"), std::string::npos) << run.out;
}

TEST(CheckCli, DangerousFindingBlocksEvenWhenSigned) {
  TempDir dir;
  const fs::path model = MakeModel(dir.path(), "os_system_p2.pkl");
  Sign(model, "p256.pem");
  const CliRun run = Check(WritePolicy(dir.path(), ""), model);
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  const auto json = ParseJson(run.out);
  bool dangerous = false;
  for (const auto& reason : json["models"][0]["reasons"]) {
    dangerous |= reason["clause"] == "findings" && reason.contains("rule") &&
                 reason["rule"].get<std::string>().rfind("PICKLE-DANGEROUS", 0) == 0;
  }
  EXPECT_TRUE(dangerous) << run.out;
}

TEST(CheckCli, ExceptionsApplyUntilTheyExpireAndTheReportSaysSo) {
  TempDir dir;
  const fs::path model = MakeModel(dir.path(), "os_system_p2.pkl");
  Sign(model, "p256.pem");
  const std::string exception =
      "exceptions:\n  - path: \"bert\"\n    reason: reviewed by security, ticket 7\n"
      "    expires: ";
  CliRun run = Check(WritePolicy(dir.path(), exception + "2999-12-31\n"), model);
  EXPECT_EQ(run.exit_code, 0) << run.out;
  auto json = ParseJson(run.out);
  ASSERT_EQ(json["models"][0]["exceptions_applied"].size(), 1u);
  EXPECT_EQ(json["models"][0]["exceptions_applied"][0]["line"], 9);

  run = Check(WritePolicy(dir.path(), exception + "2020-01-31\n"), model, "text");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("expired on 2020-01-31 and no longer applies"), std::string::npos)
      << run.out;
}

TEST(CheckCli, MalformedPoliciesAreRejectedWithTheirLine) {
  TempDir dir;
  const fs::path model = MakeModel(dir.path());
  const fs::path policy = dir.path() / "bad.yaml";
  WriteFile(policy, "version: 1\nfindings:\n  block_on: high\n");
  CliRun run = Check(policy, model);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("bad.yaml:3: findings.block_on: unknown key"), std::string::npos)
      << run.err;
  WriteFile(policy, "findings:\n  block_at: high\n");
  run = Check(policy, model);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("version: is required"), std::string::npos) << run.err;
  EXPECT_EQ(Check(dir.path() / "missing.yaml", model).exit_code, 2);
  // A policy whose trusted key cannot be read cannot decide anything.
  WriteFile(policy, "version: 1\nsignatures:\n  required: true\n  keys: [nope.pem]\n");
  EXPECT_EQ(Check(policy, model).exit_code, 2);
}

TEST(CheckCli, AuditLogMarkdownAndSarif) {
  TempDir dir;
  const fs::path model = MakeModel(dir.path());
  Sign(model, "p256.pem");
  const fs::path policy = WritePolicy(dir.path(), "audit_log: logs/decisions.jsonl\n");
  fs::create_directories(dir.path() / "logs");
  ASSERT_EQ(Check(policy, model, "markdown").exit_code, 0);
  const CliRun sarif_run = Check(policy, model, "sarif");
  ASSERT_EQ(sarif_run.exit_code, 0);
  const std::string log = ReadFile(dir.path() / "logs" / "decisions.jsonl");
  const auto first = ParseJson(log.substr(0, log.find('\n')));
  ASSERT_FALSE(first.is_discarded()) << log;
  EXPECT_EQ(first["decision"]["decision"], "allow");
  EXPECT_EQ(first["model"], model.string());
  EXPECT_EQ(first["signer"]["method"], "key");
  EXPECT_EQ(first["policy_digest"].get<std::string>().size(), 7u + 64u);
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 2);

  const CliRun md = Check(policy, model, "markdown");
  EXPECT_NE(md.out.find("# Model risk assessment"), std::string::npos);
  EXPECT_NE(md.out.find("Signed (key) by public key sha256:"), std::string::npos) << md.out;
  EXPECT_NE(md.out.find("Decision: **ALLOW**"), std::string::npos);

  const auto sarif = ParseJson(sarif_run.out);
  ASSERT_FALSE(sarif.is_discarded());
  bool decision = false;
  for (const auto& result : sarif["runs"][0]["results"]) {
    decision |= result["ruleId"] == "POLICY-DECISION";
  }
  EXPECT_TRUE(decision) << sarif_run.out;
}

TEST(CheckCli, PinnedDigestsAllowTheApprovedBytesOnly) {
  TempDir dir;
  const fs::path model = MakeModel(dir.path());
  const CliRun hash = RunCli({"hash", "--format", "json", model.string()});
  ASSERT_EQ(hash.exit_code, 0) << hash.err;
  const std::string digest = ParseJson(hash.out)["root_digest"].get<std::string>();
  const fs::path policy = dir.path() / "pins.yaml";
  WriteFile(policy, "version: 1\npinned_digests:\n  models:\n    - model: bert\n      digest: " +
                        (digest.rfind("sha256:", 0) == 0 ? digest : "sha256:" + digest) + "\n");
  CliRun run = Check(policy, model);
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(ParseJson(run.out)["models"][0]["root_digest"].get<std::string>().substr(7),
            digest.substr(digest.size() - 64));
  WriteFile(model / "config.json", "{\"hidden_size\": 9}");
  run = Check(policy, model);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(HasReason(ParseJson(run.out), "pinned_digests", "differs")) << run.out;
}

TEST(PolicyCli, InitWritesAPolicyThatLoadsAndTestDecidesPerEntry) {
  TempDir dir;
  const fs::path policy = dir.path() / "policy.yaml";
  ASSERT_EQ(RunCli({"policy", "init", "--output", policy.string()}).exit_code, 0);
  EXPECT_EQ(RunCli({"policy", "init", "--output", policy.string()}).exit_code, 2);  // exists
  const fs::path models = dir.path() / "models";
  MakeModel(models);  // models/bert: clean
  fs::copy_file(FixturesDir() / "malicious" / "os_system_p2.pkl", models / "evil.pkl");
  EXPECT_EQ(Check(policy, models / "bert").exit_code, 0);
  const CliRun run = RunCli({"policy", "test", "--policy", policy.string(), models.string()});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("ALLOW " + (models / "bert").string()), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("BLOCK " + (models / "evil.pkl").string()), std::string::npos);
  EXPECT_NE(run.out.find("1 allowed, 1 blocked"), std::string::npos) << run.out;
}

}  // namespace
}  // namespace mg::test
