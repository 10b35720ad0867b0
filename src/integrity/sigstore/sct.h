// Signed certificate timestamps embedded in a Fulcio leaf (RFC 6962 §3.3, extension
// 1.3.6.1.4.1.11129.2.4.2): proof that the certificate was submitted to a CT log that the
// trusted root lists. OpenSSL parses the SCT list; the signature is checked here over the
// RFC 6962 §3.2 precert entry because OpenSSL 3.0 cannot load a CTLOG_STORE from memory.
#pragma once

#include <openssl/x509.h>

#include "core/result.h"
#include "integrity/sigstore/trusted_root.h"

namespace mg::integrity::sigstore {

// At most this many SCTs are examined (Fulcio embeds one).
constexpr int kMaxEmbeddedScts = 16;

// Succeeds when at least one embedded SCT is signed by a CT log of `trusted_root` whose
// validFor window contains the SCT's timestamp. `issuer` is the certificate that issued `leaf`
// (its key hash is part of the signed precert entry).
Status VerifyEmbeddedScts(X509* leaf, X509* issuer, const TrustedRoot& trusted_root);

}  // namespace mg::integrity::sigstore
