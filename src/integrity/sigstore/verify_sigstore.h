// Offline verification of a Sigstore keyless (Fulcio + Rekor) signature in an OMS bundle,
// against a pinned trusted root: sigstore-python's Verifier.verify_dsse with an Identity
// policy, step by step (oms-format-notes §3.4), with no network access.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "integrity/bundle.h"
#include "integrity/signature_verifier.h"
#include "integrity/sigstore/trusted_root.h"

namespace mg::integrity::sigstore {

// Each check a keyless signature must pass; a failure names exactly one.
enum class SigstoreCheck {
  kBundleShape,    // one certificate, one tlog entry with proof + checkpoint, SET or TSA
  kTimestamp,      // RFC 3161 timestamp
  kTlogInclusion,  // Merkle inclusion proof of the entry
  kCheckpoint,     // signed checkpoint: log signature, tree size and root
  kSignedEntryTimestamp,
  kCertificateChain,  // Fulcio chain at every trusted time, validity periods included
  kSct,               // embedded signed certificate timestamp
  kKeyUsage,          // digitalSignature + codeSigning
  kIdentity,          // SAN == expected identity
  kIssuer,            // OIDC issuer extension == expected provider
  kSignature,         // DSSE signature with the leaf key
  kBodyConsistency,   // the log entry records this signature, certificate and payload
};

std::string_view SigstoreCheckName(SigstoreCheck check);

struct SigstorePolicy {
  std::string identity;           // exact SAN: e-mail, URI or Fulcio username
  std::string identity_provider;  // exact OIDC issuer URL
};

struct SigstoreSigner {
  std::string identity;
  std::string identity_provider;
  std::int64_t signing_time = 0;  // the earliest trusted time (TSA genTime or integratedTime)
  std::string time_source;        // "RFC 3161 timestamp" or "transparency log"
  std::uint64_t log_index = 0;    // the entry's global Rekor index
  std::string log_url;
};

struct SigstoreVerdict {
  std::optional<SigstoreCheck> failed;  // nullopt: verified
  std::string message;                  // why it failed (names the check)
  SigstoreSigner signer;                // filled when verified
  bool ok() const { return !failed; }
};

// Verifies the keyless signature of `bundle` (signatures[0] over the DSSE PAE). The caller then
// verifies the statement and the model; this establishes who signed it and when.
//
// Order: bundle shape, RFC 3161 timestamps, inclusion proof, checkpoint, SET (each verified
// time is one at which the certificate must be valid), Fulcio chain at every trusted time, SCT,
// key usage, identity, issuer, DSSE signature, log body consistency.
SigstoreVerdict VerifySigstoreBundle(const Bundle& bundle, const TrustedRoot& trusted_root,
                                     const SigstorePolicy& policy);

// The `verify sigstore` plug-in for VerifyModel (signature_verifier.h). Errors read
// "sigstore <check>: <why>".
class SigstoreVerifier : public SignatureVerifier {
 public:
  SigstoreVerifier(TrustedRoot trusted_root, SigstorePolicy policy)
      : trusted_root_(std::move(trusted_root)), policy_(std::move(policy)) {}
  std::string_view Method() const override { return "sigstore"; }
  Result<VerifiedSigner> VerifySignature(const Bundle& bundle) const override;

 private:
  TrustedRoot trusted_root_;
  SigstorePolicy policy_;
};

}  // namespace mg::integrity::sigstore
