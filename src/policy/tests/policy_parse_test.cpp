#include <gtest/gtest.h>

#include "policy/parse.h"

namespace mg::policy {
namespace {

PolicyLoad Parse(const std::string& text) { return ParsePolicy(text, "/etc/mg/policy.yaml"); }

// The one error expected, as "line key_path message".
void ExpectError(const std::string& text, int line, const std::string& key_path,
                 const std::string& message_part) {
  const PolicyLoad load = Parse(text);
  ASSERT_FALSE(load.policy.has_value()) << text;
  ASSERT_FALSE(load.errors.empty());
  const PolicyError& error = load.errors.front();
  EXPECT_EQ(error.file, "/etc/mg/policy.yaml");
  EXPECT_EQ(error.line, line) << error.ToString();
  EXPECT_EQ(error.key_path, key_path) << error.ToString();
  EXPECT_NE(error.message.find(message_part), std::string::npos) << error.ToString();
}

TEST(PolicyParse, FullPolicyReadsEveryClause) {
  const PolicyLoad load = Parse(R"(version: 1
signatures:
  required: true
  methods: [key, sigstore]
  keys: [keys/team.pub, /abs/other.pub]
  certificate_roots: [roots/ca.pem]
  sigstore:
    identities:
      - identity: ci@example.com
        issuer: https://accounts.example.com
    trust_root: trusted_root.json
pinned_digests:
  unlisted: allow
  models:
    - model: "bert-*"
      digest: sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
formats:
  forbidden: [java-serialization]
  require_signature: [pickle]
findings:
  block_at: medium
  incomplete_blocks: false
limits:
  max_file_size: 2G
  max_depth: 4
  max_time_per_file: 30
trial_load:
  required: true
  loader: python3 -c "import torch"
  timeout: 20
audit_env:
  required: true
  python_paths: [/opt/venv/lib/python3.11/site-packages]
  block_at: critical
exceptions:
  - path: "legacy/*"
    rules: [PICKLE-DANGEROUS-CALL]
    reason: migration ticket 42
    expires: 2027-01-31
audit_log: logs/decisions.jsonl
)");
  ASSERT_TRUE(load.policy.has_value()) << load.errors.front().ToString();
  const Policy& policy = *load.policy;
  EXPECT_TRUE(policy.signatures.required);
  ASSERT_EQ(policy.signatures.methods.size(), 2u);
  EXPECT_EQ(policy.signatures.trusted_keys.at(0), "/etc/mg/keys/team.pub");
  EXPECT_EQ(policy.signatures.trusted_keys.at(1), "/abs/other.pub");
  EXPECT_EQ(policy.signatures.certificate_roots.at(0), "/etc/mg/roots/ca.pem");
  EXPECT_EQ(policy.signatures.sigstore_identities.at(0).issuer, "https://accounts.example.com");
  EXPECT_EQ(policy.signatures.sigstore_trust_root, "/etc/mg/trusted_root.json");
  EXPECT_FALSE(policy.pinned.unlisted_blocks);
  EXPECT_EQ(policy.pinned.pins.at(0).model, "bert-*");
  EXPECT_EQ(policy.pinned.pins.at(0).line, 15);
  EXPECT_EQ(policy.formats.require_signature, std::vector<std::string>{"pickle"});
  EXPECT_EQ(policy.findings.block_at, Severity::kMedium);
  EXPECT_FALSE(policy.findings.incomplete_blocks);
  EXPECT_EQ(policy.limits.max_file_size, 2ULL << 30);
  EXPECT_EQ(policy.limits.max_depth, 4u);
  EXPECT_EQ(policy.limits.max_time_per_file, std::chrono::seconds(30));
  EXPECT_TRUE(policy.trial_load.required);
  EXPECT_EQ(policy.trial_load.timeout, std::chrono::seconds(20));
  EXPECT_EQ(policy.audit_env.block_at, Severity::kCritical);
  ASSERT_EQ(policy.exceptions.size(), 1u);
  EXPECT_EQ(policy.exceptions[0].expires, (Date{2027, 1, 31}));
  EXPECT_EQ(policy.exceptions[0].line, 36);
  EXPECT_EQ(policy.audit_log, "/etc/mg/logs/decisions.jsonl");
  EXPECT_EQ(policy.digest.rfind("sha256:", 0), 0u);
}

TEST(PolicyParse, DefaultsAreTheStrictOnes) {
  const PolicyLoad load = Parse("version: 1\n");
  ASSERT_TRUE(load.policy.has_value());
  EXPECT_EQ(load.policy->findings.block_at, Severity::kHigh);
  EXPECT_TRUE(load.policy->findings.incomplete_blocks);
  EXPECT_TRUE(load.policy->pinned.unlisted_blocks);
}

TEST(PolicyParse, VersionIsRequiredAndChecked) {
  ExpectError("findings:\n  block_at: high\n", 1, "version", "is required");
  ExpectError("version: 2\n", 1, "version", "unsupported");
  ExpectError("", 0, "", "empty");
  ExpectError("- 1\n", 1, "", "mapping");
}

TEST(PolicyParse, UnknownAndDuplicateKeysAreErrors) {
  ExpectError("version: 1\nfindings:\n  block_on: high\n", 3, "findings.block_on", "unknown key");
  ExpectError("version: 1\nversion: 1\n", 2, "version", "duplicate key");
  ExpectError("version: 1\nsignature:\n  required: true\n", 2, "signature", "unknown key");
}

TEST(PolicyParse, WrongTypesAndValuesAreErrors) {
  ExpectError("version: 1\nfindings:\n  incomplete_blocks: yes\n", 3, "findings.incomplete_blocks",
              "true or false");
  ExpectError("version: 1\nfindings:\n  block_at: severe\n", 3, "findings.block_at", "info, low");
  ExpectError("version: 1\nformats:\n  forbidden: [pickle, pikle]\n", 3, "formats.forbidden[1]",
              "unknown format");
  ExpectError("version: 1\nformats:\n  forbidden: pickle\n", 3, "formats.forbidden",
              "must be a list");
  ExpectError("version: 1\nsignatures:\n  methods: [gpg]\n", 3, "signatures.methods[0]",
              "key, certificate, sigstore");
  ExpectError("version: 1\nlimits:\n  max_depth: -1\n", 3, "limits.max_depth", "whole number");
  ExpectError("version: 1\nlimits:\n  max_file_size: 99999999T\n", 3, "limits.max_file_size",
              "whole number");
  ExpectError("version: 1\npinned_digests:\n  models:\n    - model: a\n      digest: sha256:AB\n",
              5, "pinned_digests.models[0].digest", "64 lowercase hex");
}

TEST(PolicyParse, ExceptionsNeedReasonAndValidExpiry) {
  ExpectError("version: 1\nexceptions:\n  - path: a\n    reason: r\n    expires: 2026-02-30\n", 5,
              "exceptions[0].expires", "calendar date");
  ExpectError("version: 1\nexceptions:\n  - path: a\n    expires: 2026-02-01\n", 3, "exceptions[0]",
              "a reason");
  ExpectError("version: 1\nexceptions:\n  - path: a\n    reason: r\n", 3, "exceptions[0]",
              "expires");
  ExpectError(
      "version: 1\nexceptions:\n  - path: a\n    signer: b\n    reason: r\n"
      "    expires: 2026-02-01\n",
      3, "exceptions[0]", "exactly one of path or signer");
}

TEST(PolicyParse, ClausesThatCannotBeHonouredAreRefused) {
  ExpectError("version: 1\nsignatures:\n  required: true\n", 3, "signatures", "no trusted key");
  ExpectError("version: 1\nformats:\n  require_signature: [pickle]\n", 1,
              "formats.require_signature", "trusted signers");
  ExpectError("version: 1\ntrial_load:\n  required: true\n", 3, "trial_load", "loader");
  // Empty lists say nothing and are accepted.
  EXPECT_TRUE(Parse("version: 1\nallow:\n  keras_modules: []\n").policy.has_value());
}

TEST(PolicyParse, NameListsAreReadPerKind) {
  const PolicyLoad load = Parse(R"(version: 1
allow:
  pickle_globals: [mylab.models.Net, "mylab.layers.*"]
  sparkml_classes: [com.acme.ml.Stage$Model]
  pyspark_modules: ["mylab."]
  keras_modules: [mylab, "mylab.*"]
deny:
  pickle_globals: [sklearn.svm.SVC]
  sparkml_classes: [org.apache.spark.ml.feature.SQLTransformer]
  keras_modules: [keras_hub.models]
)");
  ASSERT_TRUE(load.policy.has_value()) << (load.errors.empty() ? "" : load.errors[0].ToString());
  const Policy& policy = *load.policy;
  EXPECT_EQ(policy.allow.pickle_globals,
            (std::vector<std::string>{"mylab.models.Net", "mylab.layers.*"}));
  EXPECT_EQ(policy.allow.sparkml_classes, std::vector<std::string>{"com.acme.ml.Stage$Model"});
  EXPECT_EQ(policy.allow.pyspark_modules, std::vector<std::string>{"mylab."});
  EXPECT_EQ(policy.allow.keras_modules, (std::vector<std::string>{"mylab", "mylab.*"}));
  EXPECT_EQ(policy.deny.pickle_globals, std::vector<std::string>{"sklearn.svm.SVC"});
  EXPECT_EQ(policy.deny.sparkml_classes,
            std::vector<std::string>{"org.apache.spark.ml.feature.SQLTransformer"});
  EXPECT_TRUE(policy.deny.pyspark_modules.empty());
  EXPECT_EQ(policy.deny.keras_modules, std::vector<std::string>{"keras_hub.models"});
}

TEST(PolicyParse, NameListEntriesMustBeDottedNames) {
  // Each bad entry names its file, line and key path.
  ExpectError("version: 1\ndeny:\n  pickle_globals:\n    - os.system\n    - \"*\"\n", 5,
              "deny.pickle_globals[1]", "dotted name");
  ExpectError("version: 1\nallow:\n  keras_modules: [\"my pkg\"]\n", 3,
              "allow.keras_modules[0]", "'my pkg'");
  ExpectError("version: 1\nallow:\n  pyspark_modules: [a..b]\n", 3, "allow.pyspark_modules[0]",
              "dotted name");
  ExpectError("version: 1\nallow:\n  pickle_globals: [\".mylab\"]\n", 3,
              "allow.pickle_globals[0]", "dotted name");
  ExpectError("version: 1\nallow:\n  pickle_globals: [\"mylab.*.Net\"]\n", 3,
              "allow.pickle_globals[0]", "dotted name");
  ExpectError("version: 1\nallow:\n  pickle_globals: [1abc.Net]\n", 3,
              "allow.pickle_globals[0]", "dotted name");
  // '$' (a nested JVM class) only in Spark ML class names.
  ExpectError("version: 1\nallow:\n  keras_modules: [a$b]\n", 3, "allow.keras_modules[0]",
              "dotted name");
  ExpectError("version: 1\ndeny:\n  keras_modules: mylab\n", 3, "deny.keras_modules",
              "must be a list");
  ExpectError("version: 1\ndeny:\n  onnx_ops: [Foo]\n", 3, "deny.onnx_ops", "unknown key");
  ExpectError("version: 1\ndeny:\n  pickle_globals: [" + std::string(300, 'a') + "]\n", 3,
              "deny.pickle_globals[0]", "longer than 256");
  std::string many = "version: 1\ndeny:\n  keras_modules: [";
  for (int i = 0; i <= 1000; ++i) many += (i == 0 ? "m" : ", m") + std::to_string(i);
  ExpectError(many + "]\n", 3, "deny.keras_modules", "more than 1000 entries");
}

TEST(PolicyParse, InvalidYamlNamesItsLine) {
  ExpectError("version: 1\nfindings: [a\n", 3, "", "not valid YAML");
}

TEST(PolicyParse, EveryErrorIsReported) {
  const PolicyLoad load =
      Parse("version: 1\nfindings:\n  block_at: x\n  incomplete_blocks: 3\nzzz: 1\n");
  EXPECT_EQ(load.errors.size(), 3u);
}

TEST(PolicyParse, ModelMatchesPathsAndNames) {
  EXPECT_TRUE(ModelMatches("bert-*", "/srv/models/bert-base"));
  EXPECT_TRUE(ModelMatches("/srv/models/*", "/srv/models/team/bert"));
  EXPECT_TRUE(ModelMatches("bert", "models/bert/"));
  EXPECT_FALSE(ModelMatches("gpt-*", "/srv/models/bert-base"));
}

}  // namespace
}  // namespace mg::policy
