// Byte encodings used by OMS bundles: standard base64 with padding (RFC 4648 §4), which
// protobuf-JSON writes for every `bytes` field, and lowercase hex for digests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mg::integrity {

using Bytes = std::vector<std::uint8_t>;

std::string Base64Encode(const std::uint8_t* data, std::size_t size);
inline std::string Base64Encode(const Bytes& bytes) {
  return Base64Encode(bytes.data(), bytes.size());
}
inline std::string Base64Encode(std::string_view text) {
  return Base64Encode(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

// Strict RFC 4648 §4: the standard alphabet, length a multiple of 4, '=' padding only at the
// end, no whitespace, and unused trailing bits zero (so that one text maps to one byte string).
std::optional<Bytes> Base64Decode(std::string_view text);

std::string HexEncode(const std::uint8_t* data, std::size_t size);
inline std::string HexEncode(const Bytes& bytes) { return HexEncode(bytes.data(), bytes.size()); }

// Accepts lower- and upper-case digits; an odd length or another character fails.
std::optional<Bytes> HexDecode(std::string_view text);

// SHA-256 of `data` as raw bytes (OpenSSL EVP; empty only on allocation failure).
Bytes Sha256(const std::uint8_t* data, std::size_t size);
inline Bytes Sha256(std::string_view text) {
  return Sha256(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

}  // namespace mg::integrity
