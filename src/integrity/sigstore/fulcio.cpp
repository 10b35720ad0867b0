#include "integrity/sigstore/fulcio.h"

#include <openssl/x509v3.h>

#include <algorithm>
#include <memory>

namespace mg::integrity::sigstore {
namespace {

constexpr const char* kOidcIssuerV2Oid = "1.3.6.1.4.1.57264.1.8";      // DER UTF8String
constexpr const char* kOidcIssuerLegacyOid = "1.3.6.1.4.1.57264.1.1";  // raw string bytes
constexpr const char* kOtherNameUsernameOid = "1.3.6.1.4.1.57264.1.7";
constexpr int kMaxSubjectAltNames = 16;

struct StoreFree {
  void operator()(X509_STORE* store) const { X509_STORE_free(store); }
};
struct StoreCtxFree {
  void operator()(X509_STORE_CTX* ctx) const { X509_STORE_CTX_free(ctx); }
};
struct CertStackFree {
  void operator()(STACK_OF(X509) * stack) const { sk_X509_pop_free(stack, X509_free); }
};
struct GeneralNamesFree {
  void operator()(GENERAL_NAMES* names) const { GENERAL_NAMES_free(names); }
};
struct ObjectFree {
  void operator()(ASN1_OBJECT* object) const { ASN1_OBJECT_free(object); }
};

std::string StringOf(const ASN1_STRING* value) {
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                     static_cast<std::size_t>(ASN1_STRING_length(value)));
}

// Verifies `leaf` against one authority; the issuer on success, else the OpenSSL reason.
Result<X509Ptr> VerifyAgainst(X509* leaf, const CertificateAuthority& authority,
                              std::int64_t time) {
  std::unique_ptr<X509_STORE, StoreFree> store(X509_STORE_new());
  std::unique_ptr<STACK_OF(X509), CertStackFree> untrusted(sk_X509_new_null());
  std::unique_ptr<X509_STORE_CTX, StoreCtxFree> ctx(X509_STORE_CTX_new());
  if (!store || !untrusted || !ctx) return Error::Io("out of memory");
  for (std::size_t i = 0; i < authority.chain_der.size(); ++i) {
    X509Ptr cert = ParseCertificateDer(View(authority.chain_der[i]));
    if (!cert) return Error::Malformed(0, "a trusted root certificate does not parse");
    const bool is_root = i + 1 == authority.chain_der.size();
    if (is_root ? X509_STORE_add_cert(store.get(), cert.get()) != 1
                : sk_X509_push(untrusted.get(), cert.release()) <= 0) {
      return Error::Io("out of memory");
    }
  }
  if (X509_STORE_CTX_init(ctx.get(), store.get(), leaf, untrusted.get()) != 1) {
    return Error::Io("out of memory");
  }
  X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx.get()), static_cast<time_t>(time));
  if (X509_verify_cert(ctx.get()) != 1) {
    return Error::Malformed(0, X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get())));
  }
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx.get());
  if (chain == nullptr || sk_X509_num(chain) < 2) {
    return Error::Malformed(0, "the leaf is itself a trust anchor");
  }
  X509* issuer = sk_X509_value(chain, 1);
  X509_up_ref(issuer);
  return X509Ptr(issuer);
}

// The value of the extension `oid` (dotted), or nullopt when absent.
std::optional<std::string> ExtensionBytes(X509* leaf, const char* oid) {
  std::unique_ptr<ASN1_OBJECT, ObjectFree> object(OBJ_txt2obj(oid, 1));
  if (!object) return std::nullopt;
  const int index = X509_get_ext_by_OBJ(leaf, object.get(), -1);
  if (index < 0) return std::nullopt;
  return StringOf(X509_EXTENSION_get_data(X509_get_ext(leaf, index)));
}

Result<std::string> ReadOidcIssuer(X509* leaf) {
  if (const auto der = ExtensionBytes(leaf, kOidcIssuerV2Oid)) {
    const unsigned char* cursor = reinterpret_cast<const unsigned char*>(der->data());
    ASN1_UTF8STRING* value = d2i_ASN1_UTF8STRING(nullptr, &cursor, static_cast<long>(der->size()));
    const bool whole = value != nullptr &&
                       cursor == reinterpret_cast<const unsigned char*>(der->data()) + der->size();
    std::string issuer = value != nullptr ? StringOf(value) : "";
    ASN1_UTF8STRING_free(value);
    if (!whole) return Error::Malformed(0, "the OIDC issuer extension is not a UTF8String");
    return issuer;
  }
  return ExtensionBytes(leaf, kOidcIssuerLegacyOid).value_or("");
}

}  // namespace

Result<X509Ptr> VerifyFulcioChain(X509* leaf, const TrustedRoot& trusted_root, std::int64_t time) {
  std::string reason =
      "no certificate authority of the trusted root is valid at " + FormatUnixTime(time);
  for (const CertificateAuthority& authority : trusted_root.certificate_authorities) {
    if (!authority.valid_for.Contains(time)) continue;
    auto issuer = VerifyAgainst(leaf, authority, time);
    if (issuer) return issuer;
    reason = issuer.error().message + " (at " + FormatUnixTime(time) + ")";
  }
  return Error::Malformed(0, "certificate chain: " + reason);
}

Status CheckCodeSigningUsage(X509* leaf) {
  if ((X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE) == 0) {
    return Error::Malformed(0, "the certificate's key usage lacks digitalSignature");
  }
  if ((X509_get_extension_flags(leaf) & EXFLAG_XKUSAGE) == 0 ||
      (X509_get_extended_key_usage(leaf) & XKU_CODE_SIGN) == 0) {
    return Error::Malformed(0, "the certificate's extended key usage lacks codeSigning");
  }
  return {};
}

Result<CertificateIdentity> ReadCertificateIdentity(X509* leaf) {
  CertificateIdentity identity;
  int critical = 0;
  std::unique_ptr<GENERAL_NAMES, GeneralNamesFree> names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(leaf, NID_subject_alt_name, &critical, nullptr)));
  if (!names && critical != -1) return Error::Malformed(0, "the SAN extension is malformed");
  std::unique_ptr<ASN1_OBJECT, ObjectFree> username_oid(OBJ_txt2obj(kOtherNameUsernameOid, 1));
  const int count = names ? std::min(sk_GENERAL_NAME_num(names.get()), kMaxSubjectAltNames) : 0;
  for (int i = 0; i < count; ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type == GEN_EMAIL || name->type == GEN_URI) {
      identity.names.push_back(StringOf(name->d.ia5));
    } else if (name->type == GEN_OTHERNAME && username_oid &&
               OBJ_cmp(name->d.otherName->type_id, username_oid.get()) == 0 &&
               name->d.otherName->value->type == V_ASN1_UTF8STRING) {
      identity.names.push_back(StringOf(name->d.otherName->value->value.utf8string));
    }
  }
  auto issuer = ReadOidcIssuer(leaf);
  if (!issuer) return issuer.error();
  identity.oidc_issuer = std::move(*issuer);
  return identity;
}

}  // namespace mg::integrity::sigstore
