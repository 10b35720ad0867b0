// The Sigstore bundle (v0.3 JSON, protobuf-specs sigstore_bundle.proto) that carries an OMS
// signature: verification material plus a DSSE envelope (OMS v1.0 §4). ParseBundle reads one
// strictly and within limits; SerializeBundle writes one as the reference tool does (compact
// JSON, fixed key order, no trailing newline; oms-format-notes §1.2).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/byte_view.h"
#include "core/result.h"
#include "integrity/encoding.h"

namespace mg::integrity {

// The media type every OMS producer writes; the only one the key and certificate methods accept.
inline constexpr std::string_view kBundleMediaTypeV03 =
    "application/vnd.dev.sigstore.bundle.v0.3+json";
// Older spellings that sigstore-python still accepts for keyless bundles.
inline constexpr std::string_view kBundleMediaTypeLegacy01 =
    "application/vnd.dev.sigstore.bundle+json;version=0.1";
inline constexpr std::string_view kBundleMediaTypeLegacy02 =
    "application/vnd.dev.sigstore.bundle+json;version=0.2";
inline constexpr std::string_view kBundleMediaTypeLegacy03 =
    "application/vnd.dev.sigstore.bundle+json;version=0.3";

inline constexpr std::string_view kInTotoPayloadType = "application/vnd.in-toto+json";

// Limits on what one bundle may hold. Real bundles are a few KiB with one tlog entry, one or
// two certificates and one signature; the caps are far above that and keep memory bounded.
struct BundleLimits {
  std::uint64_t max_bundle_bytes = 64ULL << 20;  // the whole JSON file
  std::uint32_t max_depth = 16;                  // JSON nesting (a bundle needs 7)
  std::uint32_t max_certificates = 16;           // x509CertificateChain.certificates
  std::uint32_t max_tlog_entries = 32;           // verificationMaterial.tlogEntries
  std::uint32_t max_timestamps = 32;             // rfc3161Timestamps (sigstore-python's cap)
  std::uint32_t max_signatures = 16;             // dsseEnvelope.signatures
  std::uint32_t max_proof_hashes = 64;           // a Merkle path for a tree of 2^64 leaves
};

// Which `verificationMaterial.content` the bundle carries (sigstore_bundle.proto oneof).
enum class MaterialKind { kPublicKey, kCertificateChain, kCertificate };

// sigstore_common.proto PublicKeyIdentifier. OMS ≥ v1.1 writes `hint`; v0.3.1–v1.0.x wrote
// `rawBytes` (the PEM text, base64) and `keyDetails` instead (OMS §11.2).
struct PublicKeyIdentifier {
  std::optional<std::string> hint;
  std::optional<Bytes> raw_bytes;
  std::optional<std::string> key_details;
};

struct InclusionProof {
  std::int64_t log_index = 0;  // the index in the tree the proof is for (not the global index)
  Bytes root_hash;
  std::int64_t tree_size = 0;
  std::vector<Bytes> hashes;
  std::optional<std::string> checkpoint_envelope;  // signed note text, verbatim
};

// sigstore_rekor.proto TransparencyLogEntry; int64 fields are JSON strings in the bundle.
struct TransparencyLogEntry {
  std::int64_t log_index = 0;
  Bytes log_id;  // logId.keyId
  std::string kind;
  std::string kind_version;
  std::int64_t integrated_time = 0;
  std::optional<Bytes> signed_entry_timestamp;  // inclusionPromise.signedEntryTimestamp
  std::optional<InclusionProof> inclusion_proof;
  Bytes canonicalized_body;
  // The base64 text as it appeared in the bundle: the SET signs exactly this text.
  std::string canonicalized_body_base64;
};

struct VerificationMaterial {
  MaterialKind kind = MaterialKind::kPublicKey;
  PublicKeyIdentifier public_key;        // kPublicKey
  std::vector<Bytes> certificate_chain;  // kCertificateChain: DER, leaf first
  Bytes certificate;                     // kCertificate: DER (keyless)
  bool has_tlog_entries = false;         // `tlogEntries` present (possibly empty)
  std::vector<TransparencyLogEntry> tlog_entries;
  bool has_timestamp_verification_data = false;
  std::vector<Bytes> rfc3161_timestamps;  // DER TimeStampResp each
};

// DSSE allows `keyid` to be absent, null or a string; OMS verifiers accept all three (§4.1).
enum class KeyIdForm { kAbsent, kNull, kString };

struct DsseSignature {
  Bytes sig;
  KeyIdForm keyid_form = KeyIdForm::kString;
  std::string keyid;
};

struct DsseEnvelope {
  Bytes payload;  // decoded
  std::string payload_type;
  std::vector<DsseSignature> signatures;
};

struct Bundle {
  std::string media_type;
  VerificationMaterial verification_material;
  DsseEnvelope dsse_envelope;
};

// True for kBundleMediaTypeV03 and the legacy spellings above.
bool IsKnownBundleMediaType(std::string_view media_type);

// Parses and validates a bundle: a known media type, exactly one verification material, a DSSE
// envelope with at least one signature, strict base64, no unknown or duplicate keys, a keyless
// `certificate` only together with tlog entries. Errors name the JSON field
// ("verificationMaterial.tlogEntries[0].logIndex: ...").
Result<Bundle> ParseBundle(ByteView json, const BundleLimits& limits = {});

// Compact JSON in the reference tool's key order (mediaType, verificationMaterial, dsseEnvelope),
// no trailing newline. A parsed bundle serializes back to an equivalent document.
std::string SerializeBundle(const Bundle& bundle);

}  // namespace mg::integrity
