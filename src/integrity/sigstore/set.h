// Rekor v1 signed entry timestamp (inclusionPromise.signedEntryTimestamp): the log's ECDSA
// signature over the RFC 8785 canonical JSON of the entry's body, integration time, log id and
// global log index. It is what makes integratedTime a trusted time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "integrity/sigstore/crypto.h"
#include "integrity/sigstore/trusted_root.h"

namespace mg::integrity::sigstore {

// {"body":"<base64 body>","integratedTime":<n>,"logID":"<hex log id>","logIndex":<n>}: keys
// sorted, no whitespace; the values need no escaping (base64, digits and hex only).
std::string SignedEntryTimestampPayload(std::string_view body_base64, std::int64_t integrated_time,
                                        const Bytes& log_id, std::int64_t log_index);

Status VerifySignedEntryTimestamp(std::string_view body_base64, std::int64_t integrated_time,
                                  const Bytes& log_id, std::int64_t log_index,
                                  const Bytes& signature, const LogKey& log);

}  // namespace mg::integrity::sigstore
