// The Sigstore trusted root (protobuf-specs dev.sigstore.trustroot.v1.TrustedRoot, JSON form):
// the keys and certificate authorities an offline verifier trusts. modelgate never fetches one:
// the public-good root is compiled in (DefaultTrustedRootJson) and a user pins another with
// `--trust-root FILE`.
#pragma once

#include <filesystem>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/byte_view.h"
#include "core/result.h"
#include "integrity/sigstore/crypto.h"

namespace mg::integrity::sigstore {

// Limits for a trusted root read from a file (the public one is 7 KB).
struct TrustedRootLimits {
  static constexpr std::uint64_t kMaxFileBytes = 1 << 20;
  static constexpr std::size_t kMaxEntries = 32;           // per list (tlogs, CAs, ...)
  static constexpr std::size_t kMaxChainCertificates = 8;  // per certChain
};

// TimeRange: `start` inclusive, `end` inclusive and optional (open-ended).
struct ValidityWindow {
  std::int64_t start = 0;
  std::optional<std::int64_t> end;
  bool Contains(std::int64_t time) const { return time >= start && (!end || time <= *end); }
};

// A transparency log (Rekor) or certificate transparency log (CT) key.
struct LogKey {
  std::string base_url;
  std::string hash_algorithm;  // "SHA2_256"
  Bytes public_key_der;        // DER SubjectPublicKeyInfo
  std::string key_details;     // "PKIX_ECDSA_P256_SHA_256", "PKIX_ED25519", ...
  ValidityWindow valid_for;
  Bytes log_id;  // logId.keyId: SHA-256 of the DER key for Rekor v1 and CT logs
};

// A Fulcio CA or an RFC 3161 timestamp authority.
struct CertificateAuthority {
  std::string organization;
  std::string common_name;
  std::string uri;
  std::vector<Bytes> chain_der;  // as listed: issuing certificate first, root last
  ValidityWindow valid_for;
};

struct TrustedRoot {
  std::string media_type;
  std::vector<LogKey> tlogs;
  std::vector<CertificateAuthority> certificate_authorities;
  std::vector<LogKey> ctlogs;
  std::vector<CertificateAuthority> timestamp_authorities;

  const LogKey* FindTlog(const Bytes& log_id) const;
  const LogKey* FindCtlog(const Bytes& log_id) const;
};

// Parses and checks a trusted root: every key and certificate must decode, every time must be
// RFC 3339. Unknown fields are ignored (the schema grows); duplicate keys are refused.
Result<TrustedRoot> ParseTrustedRoot(ByteView json);

// The public-good Sigstore trusted root shipped with modelgate (data/sigstore/trusted_root.json,
// compiled in by CMake through cmake/embed_text.cmake).
std::string_view DefaultTrustedRootJson();

// The trusted root in `path` (read with the TrustedRootLimits file cap), or the compiled-in
// public-good one when `path` is empty. Errors name the file.
Result<TrustedRoot> LoadTrustedRoot(const std::filesystem::path& path);

}  // namespace mg::integrity::sigstore
