#include "integrity/sigstore/sct.h"

#include <openssl/ct.h>

#include <algorithm>
#include <memory>

#include "integrity/encoding.h"

namespace mg::integrity::sigstore {
namespace {

struct SctListFree {
  void operator()(STACK_OF(SCT) * list) const { SCT_LIST_free(list); }
};

void AppendBigEndian(std::uint64_t value, int bytes, Bytes* out) {
  for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
    out->push_back(static_cast<std::uint8_t>(value >> shift));
  }
}

// The leaf's TBSCertificate without the SCT extension, re-encoded: what the log signed.
Bytes PrecertificateTbs(X509* leaf) {
  X509Ptr copy(X509_dup(leaf));
  if (!copy) return {};
  const int index = X509_get_ext_by_NID(copy.get(), NID_ct_precert_scts, -1);
  if (index < 0) return {};
  X509_EXTENSION_free(X509_delete_ext(copy.get(), index));
  const int length = i2d_re_X509_tbs(copy.get(), nullptr);
  if (length <= 0) return {};
  Bytes tbs(static_cast<std::size_t>(length));
  unsigned char* cursor = tbs.data();
  if (i2d_re_X509_tbs(copy.get(), &cursor) != length) return {};
  return tbs;
}

Bytes IssuerKeyHash(X509* issuer) {
  unsigned char* der = nullptr;
  const int length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(issuer), &der);
  if (length <= 0) return {};
  Bytes hash = Sha256(der, static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return hash;
}

// RFC 6962 §3.2 digitally-signed struct for a precert_entry.
Bytes SignedPrecertEntry(const SCT* sct, const Bytes& issuer_key_hash, const Bytes& tbs) {
  Bytes data = {0x00 /* v1 */, 0x00 /* certificate_timestamp */};
  AppendBigEndian(SCT_get_timestamp(sct), 8, &data);
  AppendBigEndian(1 /* precert_entry */, 2, &data);
  data.insert(data.end(), issuer_key_hash.begin(), issuer_key_hash.end());
  AppendBigEndian(tbs.size(), 3, &data);
  data.insert(data.end(), tbs.begin(), tbs.end());
  unsigned char* extensions = nullptr;
  const std::size_t extensions_length = SCT_get0_extensions(sct, &extensions);
  AppendBigEndian(extensions_length, 2, &data);
  if (extensions_length > 0) data.insert(data.end(), extensions, extensions + extensions_length);
  return data;
}

// Empty when `sct` verifies, else why not.
std::string CheckOneSct(const SCT* sct, const Bytes& issuer_key_hash, const Bytes& tbs,
                        const TrustedRoot& trusted_root) {
  if (SCT_get_version(sct) != SCT_VERSION_V1) return "an SCT is not version 1";
  unsigned char* log_id = nullptr;
  const std::size_t log_id_length = SCT_get0_log_id(sct, &log_id);
  const LogKey* log = trusted_root.FindCtlog(Bytes(log_id, log_id + log_id_length));
  if (log == nullptr) return "an SCT is from a CT log the trusted root does not list";
  const auto seconds = static_cast<std::int64_t>(SCT_get_timestamp(sct) / 1000);
  if (!log->valid_for.Contains(seconds)) return "an SCT is outside its CT log's validity";
  if (SCT_get_signature_nid(sct) != NID_ecdsa_with_SHA256) {
    return "an SCT is not signed with ECDSA/SHA-256";
  }
  unsigned char* signature = nullptr;
  const std::size_t signature_length = SCT_get0_signature(sct, &signature);
  PkeyPtr key = ParsePublicKeyDer(View(log->public_key_der));
  const Bytes signed_data = SignedPrecertEntry(sct, issuer_key_hash, tbs);
  if (!VerifySignature(key.get(), View(signed_data), ByteView(signature, signature_length))) {
    return "the SCT signature of " + log->base_url + " does not verify";
  }
  return {};
}

}  // namespace

Status VerifyEmbeddedScts(X509* leaf, X509* issuer, const TrustedRoot& trusted_root) {
  std::unique_ptr<STACK_OF(SCT), SctListFree> scts(
      static_cast<STACK_OF(SCT)*>(X509_get_ext_d2i(leaf, NID_ct_precert_scts, nullptr, nullptr)));
  if (!scts || sk_SCT_num(scts.get()) == 0) {
    return Error::Malformed(0, "the certificate has no embedded SCT");
  }
  const Bytes tbs = PrecertificateTbs(leaf);
  const Bytes issuer_key_hash = IssuerKeyHash(issuer);
  if (tbs.empty() || issuer_key_hash.empty()) {
    return Error::Malformed(0, "the precertificate entry cannot be rebuilt");
  }
  std::string last_problem;
  const int count = std::min(sk_SCT_num(scts.get()), kMaxEmbeddedScts);
  for (int i = 0; i < count; ++i) {
    last_problem = CheckOneSct(sk_SCT_value(scts.get(), i), issuer_key_hash, tbs, trusted_root);
    if (last_problem.empty()) return {};
  }
  return Error::Malformed(0, last_problem);
}

}  // namespace mg::integrity::sigstore
