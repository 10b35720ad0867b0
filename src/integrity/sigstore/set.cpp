#include "integrity/sigstore/set.h"

#include "integrity/encoding.h"

namespace mg::integrity::sigstore {

std::string SignedEntryTimestampPayload(std::string_view body_base64, std::int64_t integrated_time,
                                        const Bytes& log_id, std::int64_t log_index) {
  return "{\"body\":\"" + std::string(body_base64) +
         "\",\"integratedTime\":" + std::to_string(integrated_time) + ",\"logID\":\"" +
         HexEncode(log_id) + "\",\"logIndex\":" + std::to_string(log_index) + "}";
}

Status VerifySignedEntryTimestamp(std::string_view body_base64, std::int64_t integrated_time,
                                  const Bytes& log_id, std::int64_t log_index,
                                  const Bytes& signature, const LogKey& log) {
  // The canonical JSON would escape nothing in base64 text; anything else is not a bundle's.
  for (char c : body_base64) {
    const bool base64_char = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                             (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
    if (!base64_char) return Error::Malformed(0, "signed entry timestamp: body is not base64");
  }
  PkeyPtr key = ParsePublicKeyDer(View(log.public_key_der));
  if (!key) return Error::Malformed(0, "signed entry timestamp: the log key does not parse");
  const std::string payload =
      SignedEntryTimestampPayload(body_base64, integrated_time, log_id, log_index);
  if (!VerifySignature(key.get(), ByteView(payload), View(signature))) {
    return Error::Malformed(
        0, "signed entry timestamp does not verify with the key of " + log.base_url);
  }
  return {};
}

}  // namespace mg::integrity::sigstore
