// Consistency between a Rekor entry's canonicalized body and the bundle: the log must have
// recorded this signature, by this certificate, over this payload. Otherwise a valid entry for
// another artifact could be attached to the bundle.
#pragma once

#include <string_view>

#include "core/result.h"
#include "integrity/sigstore/crypto.h"

namespace mg::integrity::sigstore {

struct SignedContent {
  const Bytes& payload;    // the decoded DSSE payload
  const Bytes& pae;        // DSSE PAE over it (what the signature covers)
  const Bytes& signature;  // raw DSSE signature bytes
  const Bytes& leaf_der;   // the Fulcio leaf certificate
};

// kind/version from the entry's kindVersion. Supported:
//  dsse/0.0.1 (Rekor v1): spec.payloadHash = sha256(payload) and spec.signatures ==
//    [{signature: base64(sig), verifier: base64(PEM leaf)}]. envelopeHash is not compared: the
//    envelope's JSON form is not canonical.
//  hashedrekord/0.0.2 (Rekor v2): spec.hashedRekordV002.data.digest = SHA-256(PAE),
//    signature.content = sig, signature.verifier.x509Certificate.rawBytes = leaf.
Status CheckTlogBody(const Bytes& canonicalized_body, std::string_view kind,
                     std::string_view version, const SignedContent& content);

}  // namespace mg::integrity::sigstore
