#include "integrity/sigstore/verify_sigstore.h"

#include <algorithm>

#include "integrity/dsse.h"
#include "integrity/sigstore/checkpoint.h"
#include "integrity/sigstore/fulcio.h"
#include "integrity/sigstore/merkle.h"
#include "integrity/sigstore/sct.h"
#include "integrity/sigstore/set.h"
#include "integrity/sigstore/tlog_body.h"
#include "integrity/sigstore/tsa.h"

namespace mg::integrity::sigstore {
namespace {

SigstoreVerdict Fail(SigstoreCheck check, const std::string& message) {
  SigstoreVerdict verdict;
  verdict.failed = check;
  verdict.message = "sigstore " + std::string(SigstoreCheckName(check)) + ": " + message;
  return verdict;
}

// A trusted time and where it came from.
struct TrustedTime {
  std::int64_t seconds;
  const char* source;
};

std::string JoinNames(const std::vector<std::string>& names) {
  std::string joined;
  for (const std::string& name : names) joined += (joined.empty() ? "" : ", ") + name;
  return joined.empty() ? "none" : joined;
}

// Step 0 (sigstore-python, bundle v0.2+): one certificate, exactly one tlog entry with an
// inclusion proof and checkpoint, and a SET or an RFC 3161 timestamp to get a trusted time.
std::optional<SigstoreVerdict> CheckShape(const Bundle& bundle) {
  const VerificationMaterial& material = bundle.verification_material;
  if (material.kind != MaterialKind::kCertificate) {
    return Fail(SigstoreCheck::kBundleShape, "the bundle carries " +
                                                 std::string(MaterialKindName(material.kind)) +
                                                 ", not a keyless `certificate`");
  }
  if (material.tlog_entries.size() != 1) {
    return Fail(SigstoreCheck::kBundleShape, "expected exactly one transparency log entry, found " +
                                                 std::to_string(material.tlog_entries.size()));
  }
  const TransparencyLogEntry& entry = material.tlog_entries[0];
  if (!entry.inclusion_proof || !entry.inclusion_proof->checkpoint_envelope) {
    return Fail(SigstoreCheck::kBundleShape, "the log entry has no inclusion proof checkpoint");
  }
  if (!entry.signed_entry_timestamp && material.rfc3161_timestamps.empty()) {
    return Fail(SigstoreCheck::kBundleShape,
                "neither a signed entry timestamp nor an RFC 3161 timestamp");
  }
  if (bundle.dsse_envelope.signatures.empty()) {
    return Fail(SigstoreCheck::kBundleShape, "the DSSE envelope has no signature");
  }
  return std::nullopt;
}

// Inclusion proof, checkpoint and SET of the entry; appends integratedTime to `times` when a
// verified SET vouches for it.
std::optional<SigstoreVerdict> CheckLogEntry(const TransparencyLogEntry& entry, const LogKey& log,
                                             std::vector<TrustedTime>* times) {
  const InclusionProof& proof = *entry.inclusion_proof;
  if (proof.log_index < 0 || proof.tree_size < 0) {
    return Fail(SigstoreCheck::kTlogInclusion, "negative index or tree size");
  }
  const Status included = VerifyInclusion(
      static_cast<std::uint64_t>(proof.log_index), static_cast<std::uint64_t>(proof.tree_size),
      MerkleLeafHash(View(entry.canonicalized_body)), proof.hashes, proof.root_hash);
  if (!included) return Fail(SigstoreCheck::kTlogInclusion, included.error().message);

  auto checkpoint = ParseCheckpoint(*proof.checkpoint_envelope);
  if (!checkpoint) return Fail(SigstoreCheck::kCheckpoint, checkpoint.error().message);
  const Status signed_note = VerifyCheckpointSignature(*checkpoint, log);
  if (!signed_note) return Fail(SigstoreCheck::kCheckpoint, signed_note.error().message);
  if (checkpoint->tree_size != static_cast<std::uint64_t>(proof.tree_size) ||
      checkpoint->root_hash != proof.root_hash) {
    return Fail(SigstoreCheck::kCheckpoint,
                "the signed tree size and root differ from the inclusion proof's");
  }

  if (entry.signed_entry_timestamp) {
    if (!log.valid_for.Contains(entry.integrated_time)) {
      return Fail(SigstoreCheck::kSignedEntryTimestamp,
                  "integratedTime is outside the validity of the key of " + log.base_url);
    }
    const Status promise = VerifySignedEntryTimestamp(
        entry.canonicalized_body_base64, entry.integrated_time, entry.log_id, entry.log_index,
        *entry.signed_entry_timestamp, log);
    if (!promise) return Fail(SigstoreCheck::kSignedEntryTimestamp, promise.error().message);
    times->push_back({entry.integrated_time, "transparency log"});
  }
  return std::nullopt;
}

// Chain at every trusted time, SCT, key usage, identity and issuer.
std::optional<SigstoreVerdict> CheckCertificate(X509* leaf, const TrustedRoot& trusted_root,
                                                const std::vector<TrustedTime>& times,
                                                const SigstorePolicy& policy) {
  X509Ptr issuer;
  for (const TrustedTime& time : times) {
    auto verified = VerifyFulcioChain(leaf, trusted_root, time.seconds);
    if (!verified) {
      return Fail(SigstoreCheck::kCertificateChain,
                  verified.error().message + " (" + time.source + " time)");
    }
    issuer = std::move(*verified);
  }
  const Status sct = VerifyEmbeddedScts(leaf, issuer.get(), trusted_root);
  if (!sct) return Fail(SigstoreCheck::kSct, sct.error().message);
  const Status usage = CheckCodeSigningUsage(leaf);
  if (!usage) return Fail(SigstoreCheck::kKeyUsage, usage.error().message);
  auto identity = ReadCertificateIdentity(leaf);
  if (!identity) return Fail(SigstoreCheck::kIdentity, identity.error().message);
  if (std::find(identity->names.begin(), identity->names.end(), policy.identity) ==
      identity->names.end()) {
    return Fail(SigstoreCheck::kIdentity, "the certificate is for " + JoinNames(identity->names) +
                                              ", not " + policy.identity);
  }
  if (identity->oidc_issuer != policy.identity_provider) {
    return Fail(SigstoreCheck::kIssuer,
                "the certificate's OIDC issuer is " +
                    (identity->oidc_issuer.empty() ? "absent" : identity->oidc_issuer) + ", not " +
                    policy.identity_provider);
  }
  return std::nullopt;
}

}  // namespace

std::string_view SigstoreCheckName(SigstoreCheck check) {
  switch (check) {
    case SigstoreCheck::kBundleShape:
      return "bundle shape";
    case SigstoreCheck::kTimestamp:
      return "RFC 3161 timestamp";
    case SigstoreCheck::kTlogInclusion:
      return "tlog inclusion";
    case SigstoreCheck::kCheckpoint:
      return "checkpoint";
    case SigstoreCheck::kSignedEntryTimestamp:
      return "SET";
    case SigstoreCheck::kCertificateChain:
      return "certificate chain";
    case SigstoreCheck::kSct:
      return "SCT";
    case SigstoreCheck::kKeyUsage:
      return "key usage";
    case SigstoreCheck::kIdentity:
      return "identity";
    case SigstoreCheck::kIssuer:
      return "issuer";
    case SigstoreCheck::kSignature:
      return "signature";
    case SigstoreCheck::kBodyConsistency:
      return "body consistency";
  }
  return "unknown";
}

SigstoreVerdict VerifySigstoreBundle(const Bundle& bundle, const TrustedRoot& trusted_root,
                                     const SigstorePolicy& policy) {
  if (auto shape = CheckShape(bundle)) return *shape;
  const VerificationMaterial& material = bundle.verification_material;
  const TransparencyLogEntry& entry = material.tlog_entries[0];
  const Bytes& signature = bundle.dsse_envelope.signatures[0].sig;
  X509Ptr leaf = ParseCertificateDer(View(material.certificate));
  if (!leaf) return Fail(SigstoreCheck::kCertificateChain, "the certificate does not parse");

  std::vector<TrustedTime> times;
  for (const Bytes& token : material.rfc3161_timestamps) {
    auto time = VerifyRfc3161Timestamp(token, signature, trusted_root);
    if (!time) return Fail(SigstoreCheck::kTimestamp, time.error().message);
    times.push_back({*time, "RFC 3161 timestamp"});
  }
  const LogKey* log = trusted_root.FindTlog(entry.log_id);
  if (log == nullptr) {
    return Fail(SigstoreCheck::kTlogInclusion, "the entry's log is not in the trusted root");
  }
  if (auto failed = CheckLogEntry(entry, *log, &times)) return *failed;
  if (times.empty()) {
    return Fail(SigstoreCheck::kBundleShape, "no verified time to check the certificate at");
  }
  for (const TrustedTime& time : times) {
    if (!log->valid_for.Contains(time.seconds)) {
      return Fail(SigstoreCheck::kTlogInclusion,
                  "the key of " + log->base_url + " is not valid at the signing time");
    }
  }
  if (auto failed = CheckCertificate(leaf.get(), trusted_root, times, policy)) return *failed;

  const Bytes pae =
      PreAuthEncoding(bundle.dsse_envelope.payload_type, bundle.dsse_envelope.payload);
  if (!VerifySignature(X509_get0_pubkey(leaf.get()), View(pae), View(signature))) {
    return Fail(SigstoreCheck::kSignature,
                "the DSSE signature does not verify with the certificate's key");
  }
  const Status body =
      CheckTlogBody(entry.canonicalized_body, entry.kind, entry.kind_version,
                    {bundle.dsse_envelope.payload, pae, signature, material.certificate});
  if (!body) return Fail(SigstoreCheck::kBodyConsistency, body.error().message);

  SigstoreVerdict verdict;
  const auto earliest = std::min_element(
      times.begin(), times.end(),
      [](const TrustedTime& a, const TrustedTime& b) { return a.seconds < b.seconds; });
  verdict.signer = {policy.identity,
                    policy.identity_provider,
                    earliest->seconds,
                    earliest->source,
                    static_cast<std::uint64_t>(entry.log_index),
                    log->base_url};
  verdict.message = "signed by " + policy.identity + " (" + policy.identity_provider + ") at " +
                    FormatUnixTime(earliest->seconds) + " per " + earliest->source;
  return verdict;
}

Result<VerifiedSigner> SigstoreVerifier::VerifySignature(const Bundle& bundle) const {
  const SigstoreVerdict verdict = VerifySigstoreBundle(bundle, trusted_root_, policy_);
  if (!verdict.ok()) return Error::Malformed(0, verdict.message);
  VerifiedSigner signer;
  signer.method = "sigstore";
  signer.identity = verdict.signer.identity;
  signer.issuer = verdict.signer.identity_provider;
  signer.signed_at = FormatUnixTime(verdict.signer.signing_time) + " (" +
                     verdict.signer.time_source + ", " + verdict.signer.log_url + " entry " +
                     std::to_string(verdict.signer.log_index) + ")";
  return signer;
}

}  // namespace mg::integrity::sigstore
