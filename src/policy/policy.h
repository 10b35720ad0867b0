// The policy model: what an organisation states a model must satisfy before it is loaded.
// Parsed strictly from YAML (parse.h); judged by the pure Decide() (decide.h). Every key is
// documented in docs/policy.md with its type and default.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/limits.h"
#include "report/severity.h"

namespace mg::policy {

inline constexpr int kPolicySchemaVersion = 1;

enum class SignatureMethod : std::uint8_t { kKey, kCertificate, kSigstore };
std::string_view SignatureMethodName(SignatureMethod method);  // "key", "certificate", ...

// A calendar date (UTC); an exception applies through its `expires` day inclusive.
struct Date {
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  std::string ToString() const;  // "2026-12-31"
  auto operator<=>(const Date&) const = default;
};
Date DateOf(std::chrono::system_clock::time_point when);  // the UTC day

struct SigstoreIdentity {
  std::string identity;  // certificate SAN (e-mail or URI), matched exactly
  std::string issuer;    // OIDC issuer URL, matched exactly
};

struct SignatureClause {
  bool required = false;                 // every model must carry a signature from a trusted signer
  std::vector<SignatureMethod> methods;  // accepted methods; empty = every configured one
  // Resolved against the policy file's folder when the policy is loaded.
  std::vector<std::filesystem::path> trusted_keys;
  std::vector<std::filesystem::path> certificate_roots;
  std::vector<SigstoreIdentity> sigstore_identities;
  std::filesystem::path sigstore_trust_root;  // empty: the public-good instance
  bool AcceptsMethod(std::string_view method) const;
  bool HasTrustMaterial() const {
    return !trusted_keys.empty() || !certificate_roots.empty() || !sigstore_identities.empty();
  }
};

struct DigestPin {
  std::string model;   // a model name (last path component) or a glob over the path given
  std::string digest;  // "sha256:<64 lowercase hex>", the OMS root digest (modelgate hash)
  int line = 0;
};

struct PinClause {
  std::vector<DigestPin> pins;
  bool unlisted_blocks = true;  // with pins present: a model matching no pin is blocked
};

struct FormatClause {
  std::vector<std::string> allowed;  // empty: every format
  std::vector<std::string> forbidden;
  std::vector<std::string> require_signature;  // e.g. "pickle": any pickle-based content
};

struct FindingClause {
  Severity block_at = Severity::kHigh;  // a finding at or above blocks
  bool incomplete_blocks = true;        // a target whose analysis is incomplete blocks
};

// Extra allowed or denied names for the analyzers' lists (docs/policy.md, "Name lists"): each
// entry passed engine/name_lists.h's ValidateNameEntry. GatherEvidence hands them to the scan
// (OrgNameLists); an allow entry never overrides the analyzers' built-in dangerous lists.
struct NameLists {
  std::vector<std::string> pickle_globals;
  std::vector<std::string> sparkml_classes;
  std::vector<std::string> pyspark_modules;
  std::vector<std::string> keras_modules;
  bool empty() const {
    return pickle_globals.empty() && sparkml_classes.empty() && pyspark_modules.empty() &&
           keras_modules.empty();
  }
};

struct TrialLoadClause {
  bool required = false;
  // The loader's argv, run in the sandbox (policy/trial_load.h): the model's path replaces
  // "{model}" in its arguments, or is appended when none has it.
  std::vector<std::string> loader;
  std::chrono::seconds timeout{60};  // wall-clock limit, 1 to 86400
};

struct AuditEnvClause {
  bool required = false;
  std::vector<std::string> python_paths;  // site-packages folders; empty: auto-detect
  std::string spark_home;                 // empty: $SPARK_HOME
  Severity block_at = Severity::kHigh;
};

struct PolicyException {
  std::string path;    // glob over the model path (or its name); empty when `signer` is set
  std::string signer;  // verified signer identity, matched exactly
  std::vector<std::string> rules;  // finding rule IDs waived; empty = every finding
  std::string reason;
  Date expires;
  int line = 0;
};

struct Policy {
  std::filesystem::path file;  // where it was loaded from
  std::string digest;          // "sha256:<hex>" of the file's bytes, for the audit record
  int version = kPolicySchemaVersion;
  SignatureClause signatures;
  PinClause pinned;
  FormatClause formats;
  FindingClause findings;
  NameLists allow;
  NameLists deny;
  Limits limits;
  TrialLoadClause trial_load;
  AuditEnvClause audit_env;
  std::vector<PolicyException> exceptions;
  std::filesystem::path audit_log;  // empty: no audit record

  // Whether Decide() needs a verification outcome: signatures required, or a format requires
  // one.
  bool NeedsVerification() const {
    return signatures.required || !formats.require_signature.empty();
  }
};

// Glob matching used for pins and exceptions: fnmatch(3) without FNM_PATHNAME ("*" crosses
// "/"), against the path as given and against its last component.
bool ModelMatches(std::string_view pattern, std::string_view model_path);

}  // namespace mg::policy
