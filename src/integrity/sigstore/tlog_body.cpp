#include "integrity/sigstore/tlog_body.h"

#include <openssl/pem.h>

#include "core/json.h"
#include "integrity/encoding.h"

namespace mg::integrity::sigstore {
namespace {

Error Mismatch(const std::string& what) {
  return Error::Malformed(0, "transparency log body: " + what);
}

// `object[key]` when `object` is an object holding it, else a null json.
const Json& Field(const Json& object, const char* key) {
  static const Json kNull;
  if (!object.is_object()) return kNull;
  const auto found = object.find(key);
  return found == object.end() ? kNull : *found;
}

std::optional<Bytes> Base64Of(const Json& value) {
  if (!value.is_string()) return std::nullopt;
  return Base64Decode(value.get<std::string>());
}

// DER of the first certificate of a PEM text.
Bytes PemCertificateDer(const Bytes& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return {};
  X509Ptr cert(PEM_read_bio_X509(bio, nullptr, nullptr, nullptr));
  BIO_free(bio);
  return cert ? CertificateDer(cert.get()) : Bytes();
}

Status CheckDsseV001(const Json& spec, const SignedContent& content) {
  const Json& payload_hash = Field(spec, "payloadHash");
  const Json& algorithm = Field(payload_hash, "algorithm");
  const Json& value = Field(payload_hash, "value");
  if (!algorithm.is_string() || algorithm.get<std::string>() != "sha256" || !value.is_string() ||
      value.get<std::string>() !=
          HexEncode(Sha256(content.payload.data(), content.payload.size()))) {
    return Mismatch("spec.payloadHash is not the SHA-256 of the DSSE payload");
  }
  const Json& signatures = Field(spec, "signatures");
  if (!signatures.is_array() || signatures.size() != 1) {
    return Mismatch("spec.signatures does not hold exactly one signature");
  }
  const auto signature = Base64Of(Field(signatures[0], "signature"));
  if (!signature || *signature != content.signature) {
    return Mismatch("the logged signature is not the bundle's DSSE signature");
  }
  const auto verifier = Base64Of(Field(signatures[0], "verifier"));
  if (!verifier || PemCertificateDer(*verifier) != content.leaf_der) {
    return Mismatch("the logged verifier is not the bundle's certificate");
  }
  return {};
}

Status CheckHashedRekordV002(const Json& spec, const SignedContent& content) {
  const Json& entry = Field(spec, "hashedRekordV002");
  const Json& data = Field(entry, "data");
  const auto digest = Base64Of(Field(data, "digest"));
  const Json& algorithm = Field(data, "algorithm");
  if (!algorithm.is_string() || algorithm.get<std::string>() != "SHA2_256" || !digest ||
      *digest != Sha256(content.pae.data(), content.pae.size())) {
    return Mismatch("data.digest is not the SHA-256 of the DSSE PAE");
  }
  const Json& signature = Field(entry, "signature");
  const auto signature_bytes = Base64Of(Field(signature, "content"));
  if (!signature_bytes || *signature_bytes != content.signature) {
    return Mismatch("the logged signature is not the bundle's DSSE signature");
  }
  const auto certificate =
      Base64Of(Field(Field(Field(signature, "verifier"), "x509Certificate"), "rawBytes"));
  if (!certificate || *certificate != content.leaf_der) {
    return Mismatch("the logged verifier is not the bundle's certificate");
  }
  return {};
}

}  // namespace

Status CheckTlogBody(const Bytes& canonicalized_body, std::string_view kind,
                     std::string_view version, const SignedContent& content) {
  JsonLimits limits;
  limits.max_depth = 16;
  limits.max_values = 10'000;
  limits.max_string_bytes = 1 << 20;
  auto document = ParseJson(View(canonicalized_body), limits);
  if (!document) return Mismatch("not JSON: " + document.error().message);
  if (!document->duplicate_keys.empty()) return Mismatch("duplicate keys");
  const Json& body = document->value;
  const Json& body_kind = Field(body, "kind");
  const Json& api_version = Field(body, "apiVersion");
  if (!body_kind.is_string() || body_kind.get<std::string>() != kind || !api_version.is_string() ||
      api_version.get<std::string>() != version) {
    return Mismatch("kind and apiVersion differ from the entry's kindVersion");
  }
  if (kind == "dsse" && version == "0.0.1") return CheckDsseV001(Field(body, "spec"), content);
  if (kind == "hashedrekord" && version == "0.0.2") {
    return CheckHashedRekordV002(Field(body, "spec"), content);
  }
  return Error::Unsupported(0, "transparency log entries of kind " + std::string(kind) + "/" +
                                   std::string(version) + " are not supported");
}

}  // namespace mg::integrity::sigstore
