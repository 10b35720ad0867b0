#include "integrity/sigstore/crypto.h"

#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include <ctime>

namespace mg::integrity::sigstore {
namespace {

// DER inputs come from JSON strings that are already bounded; OpenSSL takes a long.
constexpr std::uint64_t kMaxDerBytes = 1 << 20;

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's civil algorithm).
std::int64_t DaysFromCivil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

bool ReadDigits(std::string_view text, std::size_t offset, std::size_t count, unsigned* out) {
  if (offset + count > text.size()) return false;
  unsigned value = 0;
  for (std::size_t i = offset; i < offset + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + static_cast<unsigned>(text[i] - '0');
  }
  *out = value;
  return true;
}

const EVP_MD* DigestForKey(EVP_PKEY* key) {
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) return nullptr;
  char curve[64] = {};
  std::size_t curve_length = 0;
  if (EVP_PKEY_get_utf8_string_param(key, "group", curve, sizeof(curve), &curve_length) != 1) {
    return nullptr;
  }
  const std::string_view name(curve, curve_length);
  if (name == "prime256v1" || name == "P-256") return EVP_sha256();
  if (name == "secp384r1" || name == "P-384") return EVP_sha384();
  if (name == "secp521r1" || name == "P-521") return EVP_sha512();
  return nullptr;
}

}  // namespace

PkeyPtr ParsePublicKeyDer(ByteView der) {
  if (der.empty() || der.size() > kMaxDerBytes) return nullptr;
  const unsigned char* cursor = der.data();
  PkeyPtr key(d2i_PUBKEY(nullptr, &cursor, static_cast<long>(der.size())));
  if (!key) {
    // Trusted roots list some RSA CT log keys as a bare PKCS#1 RSAPublicKey
    // ("PKCS1_RSA_PKCS1V5").
    cursor = der.data();
    key.reset(d2i_PublicKey(EVP_PKEY_RSA, nullptr, &cursor, static_cast<long>(der.size())));
  }
  if (key && cursor != der.data() + der.size()) return nullptr;
  return key;
}

X509Ptr ParseCertificateDer(ByteView der) {
  if (der.empty() || der.size() > kMaxDerBytes) return nullptr;
  const unsigned char* cursor = der.data();
  X509Ptr cert(d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
  if (cert && cursor != der.data() + der.size()) return nullptr;
  return cert;
}

bool VerifySignature(EVP_PKEY* key, ByteView message, ByteView signature) {
  if (key == nullptr || signature.empty()) return false;
  const EVP_MD* digest = nullptr;
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_ED25519) {
    digest = DigestForKey(key);
    if (digest == nullptr) return false;
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) return false;
  bool verified = EVP_DigestVerifyInit(ctx, nullptr, digest, nullptr, key) == 1 &&
                  EVP_DigestVerify(ctx, signature.data(), signature.size(), message.data(),
                                   message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return verified;
}

std::optional<std::int64_t> Asn1TimeToUnix(const ASN1_TIME* time) {
  if (time == nullptr) return std::nullopt;
  std::tm parts = {};
  if (ASN1_TIME_to_tm(time, &parts) != 1) return std::nullopt;
  const std::int64_t days =
      DaysFromCivil(parts.tm_year + 1900, static_cast<unsigned>(parts.tm_mon + 1),
                    static_cast<unsigned>(parts.tm_mday));
  return days * 86400 + parts.tm_hour * 3600 + parts.tm_min * 60 + parts.tm_sec;
}

std::optional<std::int64_t> ParseRfc3339(std::string_view text) {
  unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (text.size() < 20 || !ReadDigits(text, 0, 4, &year) || text[4] != '-' ||
      !ReadDigits(text, 5, 2, &month) || text[7] != '-' || !ReadDigits(text, 8, 2, &day) ||
      text[10] != 'T' || !ReadDigits(text, 11, 2, &hour) || text[13] != ':' ||
      !ReadDigits(text, 14, 2, &minute) || text[16] != ':' || !ReadDigits(text, 17, 2, &second)) {
    return std::nullopt;
  }
  std::size_t end = 19;
  if (text[end] == '.') {
    ++end;
    const std::size_t digits_start = end;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    if (end == digits_start || end - digits_start > 9) return std::nullopt;
  }
  if (end + 1 != text.size() || text[end] != 'Z') return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  return DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
}

std::string FormatUnixTime(std::int64_t seconds) {
  const std::time_t value = static_cast<std::time_t>(seconds);
  std::tm parts = {};
  if (gmtime_r(&value, &parts) == nullptr) return std::to_string(seconds);
  char text[64];
  const std::size_t length = std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &parts);
  return length == 0 ? std::to_string(seconds) : std::string(text, length);
}

}  // namespace mg::integrity::sigstore
