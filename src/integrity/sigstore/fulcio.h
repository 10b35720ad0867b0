// The Fulcio leaf certificate of a keyless signature: its chain to a certificate authority of
// the trusted root at the signing time, its key usage, and the identity it binds (Fulcio
// certificate specification: SAN = the OIDC subject, extension 1.3.6.1.4.1.57264.1.8 (or the
// legacy .1.1) = the OIDC issuer).
#pragma once

#include <openssl/x509.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "integrity/sigstore/crypto.h"
#include "integrity/sigstore/trusted_root.h"

namespace mg::integrity::sigstore {

// Verifies `leaf` up to the root (trust anchor) of a certificate authority of `trusted_root`
// whose validFor contains `time`; the other certificates of that CA's chain are untrusted
// intermediates. Certificate validity periods are checked at `time`. Returns the certificate
// that issued the leaf (needed for the SCT check).
Result<X509Ptr> VerifyFulcioChain(X509* leaf, const TrustedRoot& trusted_root, std::int64_t time);

// KeyUsage digitalSignature and ExtendedKeyUsage codeSigning.
Status CheckCodeSigningUsage(X509* leaf);

struct CertificateIdentity {
  // Subject alternative names: rfc822Name, URI and the Fulcio otherName
  // 1.3.6.1.4.1.57264.1.7 (a UTF8String username).
  std::vector<std::string> names;
  std::string oidc_issuer;  // empty when neither issuer extension is present
};

// Reads the identity; malformed extensions are errors, not empty values.
Result<CertificateIdentity> ReadCertificateIdentity(X509* leaf);

}  // namespace mg::integrity::sigstore
