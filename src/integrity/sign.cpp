#include "integrity/sign.h"

#include <unistd.h>

#include <fstream>

#include "integrity/dsse.h"
#include "integrity/statement.h"

namespace mg::integrity {

namespace {

// Written next to the target and renamed over it, so that a crash never leaves half a bundle.
Status WriteFileAtomically(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::path temporary = path;
  temporary += ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      return Error::Io("cannot write " + temporary.string());
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    return Error::Io("cannot write " + path.string() + ": " + ec.message());
  }
  return {};
}

}  // namespace

VerificationMaterial KeySigner::Material() const {
  VerificationMaterial material;
  material.kind = MaterialKind::kPublicKey;
  material.public_key.hint = PublicKeyHint(key_);
  material.has_tlog_entries = true;  // `"tlogEntries":[]`, as the reference tool writes
  return material;
}

Result<Bytes> KeySigner::Sign(const Bytes& message) const { return SignMessage(key_, message); }

Result<CertificateSigner> CertificateSigner::Create(EcKey private_key, X509Ptr signing_certificate,
                                                    const std::vector<X509Ptr>& chain) {
  Result<EcKey> certificate_key = CertificatePublicKey(signing_certificate.get());
  if (!certificate_key.ok()) return certificate_key.error();
  if (!SamePublicKey(private_key, *certificate_key)) {
    return Error{ErrorCode::kInvalidArgument, 0,
                 "the signing certificate (" + CertificateSubject(signing_certificate.get()) +
                     ") is not for this private key"};
  }
  std::vector<Bytes> chain_der = {CertificateDer(signing_certificate.get())};
  for (const X509Ptr& certificate : chain) chain_der.push_back(CertificateDer(certificate.get()));
  return CertificateSigner(std::move(private_key), std::move(chain_der));
}

VerificationMaterial CertificateSigner::Material() const {
  VerificationMaterial material;
  material.kind = MaterialKind::kCertificateChain;
  material.certificate_chain = chain_der_;
  material.has_tlog_entries = true;
  return material;
}

Result<Bytes> CertificateSigner::Sign(const Bytes& message) const {
  return SignMessage(key_, message);
}

std::filesystem::path DefaultSignaturePath(const std::filesystem::path& model) {
  std::error_code ec;
  if (std::filesystem::is_directory(model, ec)) return model / "model.sig";
  std::filesystem::path signature = model;
  signature += ".sig";
  return signature;
}

Result<std::string> SignManifest(const Manifest& manifest, const Signer& signer,
                                 std::string* statement_out) {
  const std::string statement = BuildStatement(manifest);
  Bundle bundle;
  bundle.media_type = std::string(kBundleMediaTypeV03);
  bundle.verification_material = signer.Material();
  bundle.dsse_envelope.payload = Bytes(statement.begin(), statement.end());
  bundle.dsse_envelope.payload_type = std::string(kInTotoPayloadType);
  Result<Bytes> signature =
      signer.Sign(PreAuthEncoding(bundle.dsse_envelope.payload_type, bundle.dsse_envelope.payload));
  if (!signature.ok()) return signature.error();
  DsseSignature entry;
  entry.sig = std::move(*signature);
  entry.keyid_form = KeyIdForm::kString;  // "keyid":"" as the reference tool writes
  bundle.dsse_envelope.signatures.push_back(std::move(entry));
  if (statement_out != nullptr) *statement_out = statement;
  return SerializeBundle(bundle);
}

Result<SignResult> SignModel(const SignOptions& options, const Signer& signer,
                             const ProgressFn& progress) {
  SignResult result;
  result.signature =
      options.signature.empty() ? DefaultSignaturePath(options.model) : options.signature;
  HashOptions hash = options.hash;
  hash.signature_path = result.signature;
  hash.allow_empty = false;  // OMS §6.1: an empty model must be rejected
  Result<Manifest> manifest = HashModel(options.model, hash, progress);
  if (!manifest.ok()) return manifest.error();
  result.manifest = std::move(*manifest);
  Result<std::string> bundle = SignManifest(result.manifest, signer, &result.statement);
  if (!bundle.ok()) return bundle.error();
  result.bundle = std::move(*bundle);
  const Status written = WriteFileAtomically(result.signature, result.bundle);
  if (!written.ok()) return written.error();
  return result;
}

}  // namespace mg::integrity
