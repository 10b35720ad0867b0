// Thin OpenSSL 3 helpers shared by the Sigstore checks: owning pointers, DER parsing of keys and
// certificates, signature verification and ASN.1 time conversion. Nothing here decides trust.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/byte_view.h"
#include "integrity/certificates.h"
#include "integrity/encoding.h"
#include "integrity/keys.h"

namespace mg::integrity::sigstore {

// Owning pointers, Bytes and CertificateDer come from the shared integrity helpers.
using mg::integrity::Bytes;
using mg::integrity::PkeyPtr;
using mg::integrity::X509Ptr;

inline ByteView View(const Bytes& bytes) { return ByteView(bytes.data(), bytes.size()); }
inline std::string_view AsText(const Bytes& bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// A DER SubjectPublicKeyInfo (or a PKCS#1 RSAPublicKey); null when it does not parse or has
// trailing bytes.
PkeyPtr ParsePublicKeyDer(ByteView der);
// A DER certificate; null when it does not parse or has trailing bytes.
X509Ptr ParseCertificateDer(ByteView der);

// Verifies `signature` over `message` with `key`. EC keys use the digest their curve implies
// (P-256 -> SHA-256, P-384 -> SHA-384, P-521 -> SHA-512) and DER ECDSA signatures; Ed25519
// signs the message itself. Other key types are refused.
bool VerifySignature(EVP_PKEY* key, ByteView message, ByteView signature);

// Seconds since the Unix epoch of an ASN.1 UTCTime/GeneralizedTime.
std::optional<std::int64_t> Asn1TimeToUnix(const ASN1_TIME* time);

// RFC 3339 "YYYY-MM-DDTHH:MM:SS[.frac]Z" (as protobuf-JSON writes Timestamps), fraction dropped.
std::optional<std::int64_t> ParseRfc3339(std::string_view text);
// "2025-10-10T02:12:20Z".
std::string FormatUnixTime(std::int64_t seconds);

}  // namespace mg::integrity::sigstore
