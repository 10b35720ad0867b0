#include "integrity/keys.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace mg::integrity {

namespace {

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

BioPtr MemoryBio(std::string_view text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

struct PassphraseRequest {
  const std::optional<std::string>* passphrase;
  bool asked = false;
};

// OpenSSL asks for the passphrase only when the PEM block is encrypted.
int PassphraseCallback(char* buffer, int size, int /*rwflag*/, void* user_data) {
  auto* request = static_cast<PassphraseRequest*>(user_data);
  request->asked = true;
  if (!request->passphrase->has_value()) return -1;
  const std::string& passphrase = **request->passphrase;
  if (passphrase.size() > static_cast<std::size_t>(size)) return -1;
  std::memcpy(buffer, passphrase.data(), passphrase.size());
  return static_cast<int>(passphrase.size());
}

bool ContainsPemBlock(std::string_view text) { return text.find("-----BEGIN ") != text.npos; }

}  // namespace

void PkeyDeleter::operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }

std::string TakeOpenSslError() {
  const unsigned long code = ERR_peek_last_error();
  std::string text = "no detail";
  if (code != 0) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof(buffer));
    text = buffer;
  }
  ERR_clear_error();
  return text;
}

std::string_view CurveDigestName(EcCurve curve) {
  switch (curve) {
    case EcCurve::kP256:
      return "SHA256";
    case EcCurve::kP384:
      return "SHA384";
    case EcCurve::kP521:
      return "SHA512";
  }
  return "SHA256";
}

std::string_view CurveName(EcCurve curve) {
  switch (curve) {
    case EcCurve::kP256:
      return "P-256";
    case EcCurve::kP384:
      return "P-384";
    case EcCurve::kP521:
      return "P-521";
  }
  return "?";
}

Result<std::string> ReadSmallFile(const std::filesystem::path& path, std::uint64_t max_bytes) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return Error::Io("cannot read " + path.string() + ": " + ec.message());
  if (size > max_bytes) {
    return Error::Limit(0,
                        path.string() + " is larger than " + std::to_string(max_bytes) + " bytes");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  if (!in && !in.eof()) return Error::Io("cannot read " + path.string());
  return content.str();
}

Result<std::optional<std::string>> ReadPassphrase(const PassphraseSource& source) {
  if (source.file && source.env_name) {
    return Error{ErrorCode::kInvalidArgument, 0,
                 "give the passphrase through a file or an environment variable, not both"};
  }
  if (source.env_name) {
    const char* value = std::getenv(source.env_name->c_str());
    if (value == nullptr) {
      return Error{ErrorCode::kInvalidArgument, 0,
                   "environment variable " + *source.env_name + " is not set"};
    }
    return std::optional<std::string>(value);
  }
  if (!source.file) return std::optional<std::string>();
  Result<std::string> content = ReadSmallFile(*source.file, 64 * 1024);
  if (!content.ok()) return content.error();
  std::string passphrase = std::move(*content);
  // `echo secret > file` adds a newline that is not part of the passphrase.
  if (!passphrase.empty() && passphrase.back() == '\n') passphrase.pop_back();
  if (!passphrase.empty() && passphrase.back() == '\r') passphrase.pop_back();
  return std::optional<std::string>(std::move(passphrase));
}

Result<EcKey> WrapEcKey(PkeyPtr key, std::string_view what) {
  if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_EC) {
    return Error::Unsupported(0, std::string(what) + " is a " + EVP_PKEY_get0_type_name(key.get()) +
                                     " key; OMS key and certificate signatures use EC keys "
                                     "(P-256, P-384, P-521)");
  }
  char group[64] = {};
  std::size_t group_size = 0;
  if (EVP_PKEY_get_group_name(key.get(), group, sizeof(group), &group_size) != 1) {
    return Error::Unsupported(0, std::string(what) + ": EC key without a named curve");
  }
  const std::string_view name(group, group_size);
  if (name == "prime256v1" || name == "P-256") return EcKey(std::move(key), EcCurve::kP256);
  if (name == "secp384r1" || name == "P-384") return EcKey(std::move(key), EcCurve::kP384);
  if (name == "secp521r1" || name == "P-521") return EcKey(std::move(key), EcCurve::kP521);
  return Error::Unsupported(0, std::string(what) + " uses curve " + std::string(name) +
                                   "; supported: P-256, P-384, P-521");
}

Result<EcKey> LoadPrivateKeyPem(std::string_view pem,
                                const std::optional<std::string>& passphrase) {
  if (!ContainsPemBlock(pem)) return Error::Malformed(0, "private key: no PEM block found");
  BioPtr bio = MemoryBio(pem);
  PassphraseRequest request{&passphrase};
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, PassphraseCallback, &request));
  if (!key) {
    const std::string detail = TakeOpenSslError();
    if (request.asked && !passphrase) {
      return Error{ErrorCode::kInvalidArgument, 0,
                   "private key is encrypted: give its passphrase with "
                   "--private-key-passphrase-file or --private-key-passphrase-env"};
    }
    if (request.asked) {
      return Error::Malformed(0, "private key: cannot decrypt it (wrong passphrase?): " + detail);
    }
    return Error::Malformed(0, "private key: not a PEM private key: " + detail);
  }
  return WrapEcKey(std::move(key), "private key");
}

Result<EcKey> LoadPublicKeyPem(std::string_view pem) {
  if (!ContainsPemBlock(pem)) return Error::Malformed(0, "public key: no PEM block found");
  BioPtr bio = MemoryBio(pem);
  PkeyPtr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key) {
    return Error::Malformed(0, "public key: not a PEM \"PUBLIC KEY\" block: " + TakeOpenSslError());
  }
  return WrapEcKey(std::move(key), "public key");
}

Result<EcKey> LoadPrivateKeyFile(const std::filesystem::path& path,
                                 const std::optional<std::string>& passphrase) {
  Result<std::string> pem = ReadSmallFile(path);
  if (!pem.ok()) return pem.error();
  Result<EcKey> key = LoadPrivateKeyPem(*pem, passphrase);
  OPENSSL_cleanse(pem->data(), pem->size());
  if (!key.ok()) {
    Error error = key.error();
    error.message = path.string() + ": " + error.message;
    return error;
  }
  return key;
}

Result<EcKey> LoadPublicKeyFile(const std::filesystem::path& path) {
  Result<std::string> pem = ReadSmallFile(path);
  if (!pem.ok()) return pem.error();
  Result<EcKey> key = LoadPublicKeyPem(*pem);
  if (!key.ok()) {
    Error error = key.error();
    error.message = path.string() + ": " + error.message;
    return error;
  }
  return key;
}

std::string PublicKeyPem(const EcKey& key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key.get()) != 1) return {};
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

std::string PublicKeyHint(const EcKey& key) { return HexEncode(Sha256(PublicKeyPem(key))); }

bool SamePublicKey(const EcKey& a, const EcKey& b) { return EVP_PKEY_eq(a.get(), b.get()) == 1; }

Result<Bytes> SignMessage(const EcKey& key, const Bytes& message) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  const std::string digest(CurveDigestName(key.curve()));
  std::size_t size = 0;
  if (!ctx ||
      EVP_DigestSignInit_ex(ctx.get(), nullptr, digest.c_str(), nullptr, nullptr, key.get(),
                            nullptr) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, message.data(), message.size()) != 1) {
    return Error::Unsupported(0, "cannot sign with this key: " + TakeOpenSslError());
  }
  Bytes signature(size);
  if (EVP_DigestSign(ctx.get(), signature.data(), &size, message.data(), message.size()) != 1) {
    return Error::Unsupported(0, "signing failed: " + TakeOpenSslError());
  }
  signature.resize(size);
  return signature;
}

bool VerifyMessage(const EcKey& key, const Bytes& message, const Bytes& der_signature,
                   std::optional<std::string_view> digest_name) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  const std::string digest(digest_name ? *digest_name : CurveDigestName(key.curve()));
  const bool ok = ctx &&
                  EVP_DigestVerifyInit_ex(ctx.get(), nullptr, digest.c_str(), nullptr, nullptr,
                                          key.get(), nullptr) == 1 &&
                  EVP_DigestVerify(ctx.get(), der_signature.data(), der_signature.size(),
                                   message.data(), message.size()) == 1;
  ERR_clear_error();
  return ok;
}

}  // namespace mg::integrity
