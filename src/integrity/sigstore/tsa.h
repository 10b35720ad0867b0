// RFC 3161 timestamps (bundle timestampVerificationData.rfc3161Timestamps): a timestamp
// authority of the trusted root signed that the DSSE signature existed at genTime. The
// message imprint is SHA-256 of the raw signature bytes (sigstore-python, Sigstore TSA).
#pragma once

#include <cstdint>

#include "core/result.h"
#include "integrity/sigstore/crypto.h"
#include "integrity/sigstore/trusted_root.h"

namespace mg::integrity::sigstore {

// Tokens above this size are refused (the Sigstore TSA's are ~1.4 KB).
constexpr std::size_t kMaxTimestampTokenBytes = 64 << 10;

// Verifies one DER TimeStampResp over `signature` against the timestamp authorities of
// `trusted_root` (signer chain to the authority's root at genTime, authority validFor window,
// imprint, version, response status) and returns genTime in Unix seconds.
Result<std::int64_t> VerifyRfc3161Timestamp(const Bytes& response_der, const Bytes& signature,
                                            const TrustedRoot& trusted_root);

}  // namespace mg::integrity::sigstore
