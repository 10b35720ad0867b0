// Signing a model (OMS v1.0 §6): hash it, build the in-toto statement, sign the DSSE PAE with
// the method's Signer, wrap it in a Sigstore bundle and write the bundle as the signature file.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"
#include "integrity/bundle.h"
#include "integrity/certificates.h"
#include "integrity/hash_model.h"
#include "integrity/keys.h"

namespace mg::integrity {

// A signing method: the verification material it puts in the bundle, and the signature over
// the PAE bytes (DER ECDSA for the key and certificate methods).
class Signer {
 public:
  virtual ~Signer() = default;
  virtual VerificationMaterial Material() const = 0;
  virtual Result<Bytes> Sign(const Bytes& message) const = 0;
};

// `sign key`: publicKey.hint = SHA-256 of the public key's PEM (OMS ≥ v1.1 form).
class KeySigner : public Signer {
 public:
  explicit KeySigner(EcKey private_key) : key_(std::move(private_key)) {}
  VerificationMaterial Material() const override;
  Result<Bytes> Sign(const Bytes& message) const override;

 private:
  EcKey key_;
};

// `sign certificate`: x509CertificateChain = [signing certificate, chain...] (DER).
class CertificateSigner : public Signer {
 public:
  // Fails when the certificate's public key is not the private key's.
  static Result<CertificateSigner> Create(EcKey private_key, X509Ptr signing_certificate,
                                          const std::vector<X509Ptr>& chain);
  VerificationMaterial Material() const override;
  Result<Bytes> Sign(const Bytes& message) const override;

 private:
  CertificateSigner(EcKey key, std::vector<Bytes> chain_der)
      : key_(std::move(key)), chain_der_(std::move(chain_der)) {}
  EcKey key_;
  std::vector<Bytes> chain_der_;
};

// MODEL/model.sig for a folder, MODEL.sig for a single file (OMS §9: a detached `.sig` file
// beside the model).
std::filesystem::path DefaultSignaturePath(const std::filesystem::path& model);

struct SignOptions {
  std::filesystem::path model;
  std::filesystem::path signature;  // empty: DefaultSignaturePath(model)
  // Serialization, user ignore paths, threads... `signature_path` is set from `signature`.
  HashOptions hash;
};

struct SignResult {
  std::filesystem::path signature;
  Manifest manifest;
  std::string statement;  // the signed payload
  std::string bundle;     // what was written
};

// The bundle bytes for `manifest`, without touching the disk (SignModel's second half).
Result<std::string> SignManifest(const Manifest& manifest, const Signer& signer,
                                 std::string* statement_out = nullptr);

Result<SignResult> SignModel(const SignOptions& options, const Signer& signer,
                             const ProgressFn& progress = {});

}  // namespace mg::integrity
