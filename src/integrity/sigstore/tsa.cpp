#include "integrity/sigstore/tsa.h"

#include <openssl/err.h>
#include <openssl/ts.h>

#include <memory>

#include "integrity/encoding.h"

namespace mg::integrity::sigstore {
namespace {

struct TsRespFree {
  void operator()(TS_RESP* response) const { TS_RESP_free(response); }
};
struct TsVerifyCtxFree {
  void operator()(TS_VERIFY_CTX* ctx) const { TS_VERIFY_CTX_free(ctx); }
};

// One authority; empty when the response verifies with it, else OpenSSL's reason.
std::string VerifyWithAuthority(TS_RESP* response, const Bytes& imprint,
                                const CertificateAuthority& authority, std::int64_t gen_time) {
  std::unique_ptr<TS_VERIFY_CTX, TsVerifyCtxFree> ctx(TS_VERIFY_CTX_new());
  X509_STORE* store = X509_STORE_new();
  STACK_OF(X509)* untrusted = sk_X509_new_null();
  auto* imprint_copy = static_cast<unsigned char*>(OPENSSL_memdup(imprint.data(), imprint.size()));
  if (!ctx || store == nullptr || untrusted == nullptr || imprint_copy == nullptr) {
    X509_STORE_free(store);
    sk_X509_free(untrusted);
    OPENSSL_free(imprint_copy);
    return "out of memory";
  }
  // The context owns the store, the certificate stack and the imprint from here on.
  TS_VERIFY_CTX_set_store(ctx.get(), store);
  TS_VERIFY_CTX_set_certs(ctx.get(), untrusted);
  TS_VERIFY_CTX_set_imprint(ctx.get(), imprint_copy, static_cast<long>(imprint.size()));
  TS_VERIFY_CTX_set_flags(ctx.get(),
                          TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_IMPRINT | TS_VFY_SIGNER);
  for (std::size_t i = 0; i < authority.chain_der.size(); ++i) {
    X509Ptr cert = ParseCertificateDer(View(authority.chain_der[i]));
    if (!cert) return "a trusted root TSA certificate does not parse";
    const bool is_root = i + 1 == authority.chain_der.size();
    if (is_root ? X509_STORE_add_cert(store, cert.get()) != 1
                : sk_X509_push(untrusted, cert.release()) <= 0) {
      return "out of memory";
    }
  }
  // The signer chain is checked at genTime, not now: TSA certificates outlive no signature.
  X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store), static_cast<time_t>(gen_time));
  ERR_clear_error();
  if (TS_RESP_verify_response(ctx.get(), response) != 1) {
    char reason[256] = "the timestamp does not verify";
    if (const unsigned long code = ERR_peek_last_error(); code != 0) {
      ERR_error_string_n(code, reason, sizeof(reason));
    }
    ERR_clear_error();
    return reason;
  }
  return {};
}

}  // namespace

Result<std::int64_t> VerifyRfc3161Timestamp(const Bytes& response_der, const Bytes& signature,
                                            const TrustedRoot& trusted_root) {
  if (response_der.empty() || response_der.size() > kMaxTimestampTokenBytes) {
    return Error::Malformed(0, "timestamp: empty or larger than 64 KiB");
  }
  const unsigned char* cursor = response_der.data();
  std::unique_ptr<TS_RESP, TsRespFree> response(
      d2i_TS_RESP(nullptr, &cursor, static_cast<long>(response_der.size())));
  if (!response || cursor != response_der.data() + response_der.size()) {
    return Error::Malformed(0, "timestamp: not a DER TimeStampResp");
  }
  TS_TST_INFO* info = TS_RESP_get_tst_info(response.get());
  const auto gen_time = info != nullptr ? Asn1TimeToUnix(TS_TST_INFO_get_time(info)) : std::nullopt;
  if (!gen_time) return Error::Malformed(0, "timestamp: no genTime");
  if (trusted_root.timestamp_authorities.empty()) {
    return Error::Malformed(0, "timestamp: the trusted root lists no timestamp authority");
  }
  const Bytes imprint = Sha256(signature.data(), signature.size());
  std::string reason =
      "no timestamp authority of the trusted root is valid at " + FormatUnixTime(*gen_time);
  for (const CertificateAuthority& authority : trusted_root.timestamp_authorities) {
    if (!authority.valid_for.Contains(*gen_time)) continue;
    reason = VerifyWithAuthority(response.get(), imprint, authority, *gen_time);
    if (reason.empty()) return *gen_time;
  }
  return Error::Malformed(0, "timestamp: " + reason);
}

}  // namespace mg::integrity::sigstore
