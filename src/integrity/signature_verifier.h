// The plug-in point of verification: one SignatureVerifier per signing method checks a parsed
// bundle's verification material and DSSE signature and says who signed. The rest of the flow
// (verify.h: payload type, statement, re-hashing, manifest comparison) is shared by all methods.
//
// A new method (Sigstore keyless, in src/integrity/sigstore/) implements the interface and is
// passed to VerifyModel; nothing else changes:
//
//   class SigstoreVerifier : public SignatureVerifier {
//    public:
//     std::string_view Method() const override { return "sigstore"; }
//     Result<VerifiedSigner> VerifySignature(const Bundle& bundle) const override;
//   };
//   VerifyOutcome outcome = VerifyModel(options, SigstoreVerifier(trusted_root, identity));
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "integrity/bundle.h"
#include "integrity/certificates.h"
#include "integrity/keys.h"

namespace mg::integrity {

// What a successful signature check established.
struct VerifiedSigner {
  std::string method;    // "key", "certificate", "sigstore"
  std::string identity;  // "sha256:<key hint>", a certificate subject, a SAN identity
  std::string issuer;    // certificate issuer or OIDC issuer; empty for bare keys
  // A trusted signing time, when the method establishes one (sigstore: RFC 3161 or Rekor).
  std::string signed_at;
  // The signature covers the model_signing v0.2 encoding (dsse.h); VerifyModel then requires
  // the legacy v0.1 predicate, the only payload that encoding was ever used with.
  bool legacy_encoding = false;
  std::vector<std::string> warnings;  // accepted, but worth telling the user
};

class SignatureVerifier {
 public:
  virtual ~SignatureVerifier() = default;
  virtual std::string_view Method() const = 0;
  // Must check that the bundle's material fits the method and that dsse_envelope.signatures
  // verifies over PAE(payloadType, payload) (VerifyEnvelopeSignature does the latter). The
  // payload is untrusted until this returns a signer. Errors say which check failed.
  virtual Result<VerifiedSigner> VerifySignature(const Bundle& bundle) const = 0;
};

// Which encodings VerifyEnvelopeSignature tries.
struct EnvelopeSignatureOptions {
  bool allow_legacy_v02 = true;  // fall back to the v0.2 encoding, as the reference tool does
  // The digest for the legacy encoding; the v0.2 certificate signer always used SHA-256.
  std::optional<std::string_view> legacy_digest;
};

// Verifies signatures[0] (the only one the reference verifiers read) with `key` over the DSSE
// PAE; returns true in the Result when only the legacy v0.2 encoding matched.
Result<bool> VerifyEnvelopeSignature(const EcKey& key, const DsseEnvelope& envelope,
                                     const EnvelopeSignatureOptions& options = {});

// `verify key`: the bundle must carry publicKey; a hint must match the given key.
class KeyVerifier : public SignatureVerifier {
 public:
  explicit KeyVerifier(EcKey public_key) : public_key_(std::move(public_key)) {}
  std::string_view Method() const override { return "key"; }
  Result<VerifiedSigner> VerifySignature(const Bundle& bundle) const override;

 private:
  EcKey public_key_;
};

// `verify certificate`: the bundle's chain must lead to one of `anchors` (--cert-chain).
class CertificateVerifier : public SignatureVerifier {
 public:
  CertificateVerifier(std::vector<X509Ptr> anchors, ChainPolicy policy = {})
      : anchors_(std::move(anchors)), policy_(policy) {}
  std::string_view Method() const override { return "certificate"; }
  Result<VerifiedSigner> VerifySignature(const Bundle& bundle) const override;

 private:
  std::vector<X509Ptr> anchors_;
  ChainPolicy policy_;
};

// "publicKey" / "x509CertificateChain" / "certificate", for messages.
std::string_view MaterialKindName(MaterialKind kind);

}  // namespace mg::integrity
