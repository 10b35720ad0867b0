// X.509 for the `certificate` method (OMS v1.0 §4.1, §8.2): the bundle carries the signing
// certificate and its intermediates (x509CertificateChain, leaf first); the verifier trusts
// only the anchors the user names (--cert-chain) and checks the chain with OpenSSL's
// X509_verify_cert, then the leaf's key usage, then the DSSE signature with the leaf's key.
#pragma once

#include <ctime>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "integrity/encoding.h"
#include "integrity/keys.h"

typedef struct x509_st X509;  // NOLINT: OpenSSL's own spelling

namespace mg::integrity {

struct X509Deleter {
  void operator()(X509* certificate) const;
};
using X509Ptr = std::unique_ptr<X509, X509Deleter>;

// Every CERTIFICATE block of a PEM text, in order; text around the blocks is skipped. At least
// one is required; at most `max_certificates`.
Result<std::vector<X509Ptr>> LoadCertificatesPem(std::string_view pem, std::string_view what,
                                                 std::size_t max_certificates = 64);
Result<std::vector<X509Ptr>> LoadCertificateFiles(const std::vector<std::filesystem::path>& paths);

Result<X509Ptr> ParseCertificateDer(const Bytes& der);
Bytes CertificateDer(const X509* certificate);
std::string CertificateSubject(const X509* certificate);  // one-line RFC 2253 form

// The time the chain is checked at. OMS v1.0 §8.2 says the leaf MUST be within its validity
// period, so the default is the current time. The reference tool checks at the leaf's
// notBefore (so an expired certificate still verifies there); kLeafNotBefore reproduces that
// for old signatures whose certificates have since expired, and must be asked for explicitly.
enum class CertificateTime { kNow, kLeafNotBefore };

struct ChainPolicy {
  CertificateTime time = CertificateTime::kNow;
};

struct VerifiedCertificate {
  EcKey leaf_key;
  std::string subject;
  std::string issuer;
};

// Verifies `chain_der` (leaf first, the rest untrusted intermediates) up to one of `anchors`,
// then that the leaf may sign code: KeyUsage, when present, has digitalSignature; ExtendedKeyUsage,
// when present, has codeSigning; and at least one of the two says so (the reference tool's rule,
// oms-format-notes §3.2). The leaf key must be EC P-256/P-384/P-521. No revocation checking.
Result<VerifiedCertificate> VerifyCertificateChain(const std::vector<Bytes>& chain_der,
                                                   const std::vector<X509Ptr>& anchors,
                                                   const ChainPolicy& policy = {});

// The leaf's public key as an EcKey (supported curves only).
Result<EcKey> CertificatePublicKey(const X509* certificate);

}  // namespace mg::integrity
