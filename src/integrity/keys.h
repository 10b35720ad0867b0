// EC keys for the `key` and `certificate` methods (OMS algorithm registry: ECDSA P-256, P-384,
// P-521), loaded from PEM with OpenSSL 3. The hash is tied to the curve as the reference tool
// does (P-256→SHA-256, P-384→SHA-384, P-521→SHA-512); signatures are DER SEQUENCE{r, s}.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "integrity/encoding.h"

typedef struct evp_pkey_st EVP_PKEY;  // NOLINT: OpenSSL's own spelling, avoids <openssl/evp.h>

namespace mg::integrity {

enum class EcCurve { kP256, kP384, kP521 };

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const;
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

// An EC key of a supported curve; holds the private part when loaded from a private key.
class EcKey {
 public:
  EcKey(PkeyPtr key, EcCurve curve) : key_(std::move(key)), curve_(curve) {}
  EVP_PKEY* get() const { return key_.get(); }
  EcCurve curve() const { return curve_; }

 private:
  std::shared_ptr<EVP_PKEY> key_;
  EcCurve curve_;
};

// "SHA256" / "SHA384" / "SHA512": the digest the curve signs with.
std::string_view CurveDigestName(EcCurve curve);
std::string_view CurveName(EcCurve curve);  // "P-256" ...

// Where a private key's passphrase comes from. Never a command-line argument: arguments are
// visible to every user through /proc.
struct PassphraseSource {
  std::optional<std::filesystem::path> file;  // --private-key-passphrase-file
  std::optional<std::string> env_name;        // --private-key-passphrase-env NAME
};

// Reads the passphrase (a file's content without one trailing newline, or the variable's
// value). nullopt inside the Result when no source is set.
Result<std::optional<std::string>> ReadPassphrase(const PassphraseSource& source);

// Wraps an EVP_PKEY after checking it is EC on a supported curve.
Result<EcKey> WrapEcKey(PkeyPtr key, std::string_view what);

// PEM text may carry other text before the PEM block (certtool writes a description first).
// Private keys: PKCS#8 ("PRIVATE KEY", "ENCRYPTED PRIVATE KEY") or SEC1 ("EC PRIVATE KEY",
// also with legacy PEM encryption).
Result<EcKey> LoadPrivateKeyPem(std::string_view pem, const std::optional<std::string>& passphrase);
Result<EcKey> LoadPublicKeyPem(std::string_view pem);
Result<EcKey> LoadPrivateKeyFile(const std::filesystem::path& path,
                                 const std::optional<std::string>& passphrase);
Result<EcKey> LoadPublicKeyFile(const std::filesystem::path& path);

// The SubjectPublicKeyInfo as PEM text, as PEM_write_bio_PUBKEY writes it (64-column lines).
std::string PublicKeyPem(const EcKey& key);

// OMS publicKey.hint: lowercase hex SHA-256 of PublicKeyPem (oms-format-notes §1.2).
std::string PublicKeyHint(const EcKey& key);

// True when both hold the same public key.
bool SamePublicKey(const EcKey& a, const EcKey& b);

// ECDSA over `message` with the curve's digest (or `digest_name` when given), DER encoded.
Result<Bytes> SignMessage(const EcKey& key, const Bytes& message);
bool VerifyMessage(const EcKey& key, const Bytes& message, const Bytes& der_signature,
                   std::optional<std::string_view> digest_name = std::nullopt);

// Reads a file that must be small (keys, certificates, passphrases): at most `max_bytes`.
Result<std::string> ReadSmallFile(const std::filesystem::path& path,
                                  std::uint64_t max_bytes = 1 << 20);

// The last OpenSSL error queue entry as text (and clears the queue), for messages.
std::string TakeOpenSslError();

}  // namespace mg::integrity
