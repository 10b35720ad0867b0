#include "integrity/certificates.h"

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace mg::integrity {

namespace {

struct StoreDeleter {
  void operator()(X509_STORE* store) const { X509_STORE_free(store); }
};
struct StoreCtxDeleter {
  void operator()(X509_STORE_CTX* ctx) const { X509_STORE_CTX_free(ctx); }
};
struct StackDeleter {
  void operator()(STACK_OF(X509) * stack) const { sk_X509_free(stack); }
};

std::string NameText(const X509_NAME* name) {
  BIO* bio = BIO_new(BIO_s_mem());
  if (bio == nullptr) return {};
  X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string text = size > 0 ? std::string(data, static_cast<std::size_t>(size)) : "";
  BIO_free(bio);
  return text;
}

// KeyUsage / ExtendedKeyUsage as the reference verifier reads them (oms-format-notes §3.2).
Status CheckSigningUsage(X509* leaf) {
  const bool has_key_usage = (X509_get_extension_flags(leaf) & EXFLAG_KUSAGE) != 0;
  const bool has_extended = (X509_get_extension_flags(leaf) & EXFLAG_XKUSAGE) != 0;
  const bool digital_signature = (X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE) != 0;
  const bool code_signing = (X509_get_extended_key_usage(leaf) & XKU_CODE_SIGN) != 0;
  if (has_key_usage && !digital_signature) {
    return Error::Malformed(0, "signing certificate: KeyUsage lacks digitalSignature");
  }
  if (has_extended && !code_signing) {
    return Error::Malformed(0, "signing certificate: ExtendedKeyUsage lacks codeSigning");
  }
  if (!has_key_usage && !has_extended) {
    return Error::Malformed(0,
                            "signing certificate: neither KeyUsage digitalSignature nor "
                            "ExtendedKeyUsage codeSigning");
  }
  return {};
}

}  // namespace

void X509Deleter::operator()(X509* certificate) const { X509_free(certificate); }

Result<std::vector<X509Ptr>> LoadCertificatesPem(std::string_view pem, std::string_view what,
                                                 std::size_t max_certificates) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return Error::Io("out of memory");
  std::vector<X509Ptr> certificates;
  // PEM_read_bio_X509 skips text before each block; it fails at the end of the input.
  while (X509* certificate = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
    certificates.emplace_back(certificate);
    if (certificates.size() > max_certificates) {
      BIO_free(bio);
      return Error::Limit(0, std::string(what) + ": more than " + std::to_string(max_certificates) +
                                 " certificates");
    }
  }
  const unsigned long last = ERR_peek_last_error();
  const bool clean_end = last == 0 || ERR_GET_REASON(last) == PEM_R_NO_START_LINE;
  const std::string detail = TakeOpenSslError();
  BIO_free(bio);
  if (!clean_end) return Error::Malformed(0, std::string(what) + ": bad certificate: " + detail);
  if (certificates.empty()) {
    return Error::Malformed(0, std::string(what) + ": no PEM CERTIFICATE block");
  }
  return certificates;
}

Result<std::vector<X509Ptr>> LoadCertificateFiles(const std::vector<std::filesystem::path>& paths) {
  std::vector<X509Ptr> all;
  for (const auto& path : paths) {
    Result<std::string> pem = ReadSmallFile(path);
    if (!pem.ok()) return pem.error();
    Result<std::vector<X509Ptr>> certificates = LoadCertificatesPem(*pem, path.string());
    if (!certificates.ok()) return certificates.error();
    for (X509Ptr& certificate : *certificates) all.push_back(std::move(certificate));
  }
  return all;
}

Result<X509Ptr> ParseCertificateDer(const Bytes& der) {
  const unsigned char* cursor = der.data();
  X509Ptr certificate(d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
  if (!certificate) {
    return Error::Malformed(0, "not a DER X.509 certificate: " + TakeOpenSslError());
  }
  if (cursor != der.data() + der.size()) {
    return Error::Malformed(0, "bytes after the DER X.509 certificate");
  }
  return certificate;
}

Bytes CertificateDer(const X509* certificate) {
  unsigned char* buffer = nullptr;
  const int size = i2d_X509(certificate, &buffer);
  if (size <= 0) return {};
  Bytes der(buffer, buffer + size);
  OPENSSL_free(buffer);
  return der;
}

std::string CertificateSubject(const X509* certificate) {
  return NameText(X509_get_subject_name(certificate));
}

Result<EcKey> CertificatePublicKey(const X509* certificate) {
  EVP_PKEY* key = X509_get_pubkey(const_cast<X509*>(certificate));
  if (key == nullptr) {
    return Error::Malformed(0, "certificate public key unreadable: " + TakeOpenSslError());
  }
  return WrapEcKey(PkeyPtr(key), "signing certificate key");
}

Result<VerifiedCertificate> VerifyCertificateChain(const std::vector<Bytes>& chain_der,
                                                   const std::vector<X509Ptr>& anchors,
                                                   const ChainPolicy& policy) {
  if (chain_der.empty()) return Error::Malformed(0, "no signing certificate in the bundle");
  if (anchors.empty()) {
    return Error{ErrorCode::kInvalidArgument, 0,
                 "no trust anchor: give the root (and intermediate) certificates with "
                 "--cert-chain"};
  }
  std::vector<X509Ptr> chain;
  for (std::size_t i = 0; i < chain_der.size(); ++i) {
    Result<X509Ptr> certificate = ParseCertificateDer(chain_der[i]);
    if (!certificate.ok()) {
      return Error::Malformed(0, "x509CertificateChain.certificates[" + std::to_string(i) +
                                     "]: " + certificate.error().message);
    }
    chain.push_back(std::move(*certificate));
  }
  std::unique_ptr<X509_STORE, StoreDeleter> store(X509_STORE_new());
  std::unique_ptr<STACK_OF(X509), StackDeleter> untrusted(sk_X509_new_null());
  std::unique_ptr<X509_STORE_CTX, StoreCtxDeleter> ctx(X509_STORE_CTX_new());
  if (!store || !untrusted || !ctx) return Error::Io("out of memory");
  for (const X509Ptr& anchor : anchors) X509_STORE_add_cert(store.get(), anchor.get());
  for (std::size_t i = 1; i < chain.size(); ++i) sk_X509_push(untrusted.get(), chain[i].get());
  X509* leaf = chain[0].get();
  if (X509_STORE_CTX_init(ctx.get(), store.get(), leaf, untrusted.get()) != 1) {
    return Error::Io("cannot set up certificate verification: " + TakeOpenSslError());
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_X509_STRICT);
  if (policy.time == CertificateTime::kLeafNotBefore) {
    time_t not_before = 0;
    struct tm tm {};
    if (ASN1_TIME_to_tm(X509_get0_notBefore(leaf), &tm) != 1) {
      return Error::Malformed(0, "signing certificate: unreadable notBefore");
    }
    not_before = timegm(&tm);
    X509_VERIFY_PARAM_set_time(param, not_before);
  }
  if (X509_verify_cert(ctx.get()) != 1) {
    const int code = X509_STORE_CTX_get_error(ctx.get());
    ERR_clear_error();
    return Error::Malformed(0,
                            std::string("certificate chain does not verify against the "
                                        "--cert-chain anchors: ") +
                                X509_verify_cert_error_string(code) + " (" +
                                CertificateSubject(X509_STORE_CTX_get_current_cert(ctx.get())
                                                       ? X509_STORE_CTX_get_current_cert(ctx.get())
                                                       : leaf) +
                                ")");
  }
  const Status usage = CheckSigningUsage(leaf);
  if (!usage.ok()) return usage.error();
  Result<EcKey> key = CertificatePublicKey(leaf);
  if (!key.ok()) return key.error();
  return VerifiedCertificate{std::move(*key), CertificateSubject(leaf),
                             NameText(X509_get_issuer_name(leaf))};
}

}  // namespace mg::integrity
