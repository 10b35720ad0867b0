#include "integrity/signature_verifier.h"

#include "integrity/dsse.h"

namespace mg::integrity {

namespace {

Error SignatureError(const std::string& message) { return Error::Malformed(0, message); }

// The reference key and certificate verifiers accept only the v0.3 media type (notes §1.2).
Status CheckMaterial(const Bundle& bundle, MaterialKind expected, std::string_view method) {
  if (bundle.media_type != kBundleMediaTypeV03) {
    return SignatureError("mediaType \"" + bundle.media_type + "\" is not " +
                          std::string(kBundleMediaTypeV03) + ", the only one for " +
                          std::string(method) + " signatures");
  }
  const MaterialKind actual = bundle.verification_material.kind;
  if (actual != expected) {
    return SignatureError("the bundle carries verificationMaterial." +
                          std::string(MaterialKindName(actual)) + ", not " +
                          std::string(MaterialKindName(expected)) + ": it was not signed with " +
                          "the " + std::string(method) + " method");
  }
  return {};
}

}  // namespace

std::string_view MaterialKindName(MaterialKind kind) {
  switch (kind) {
    case MaterialKind::kPublicKey:
      return "publicKey";
    case MaterialKind::kCertificateChain:
      return "x509CertificateChain";
    case MaterialKind::kCertificate:
      return "certificate";
  }
  return "?";
}

Result<bool> VerifyEnvelopeSignature(const EcKey& key, const DsseEnvelope& envelope,
                                     const EnvelopeSignatureOptions& options) {
  if (envelope.signatures.empty()) return SignatureError("the DSSE envelope has no signature");
  const Bytes& signature = envelope.signatures[0].sig;
  if (VerifyMessage(key, PreAuthEncoding(envelope.payload_type, envelope.payload), signature)) {
    return false;
  }
  if (options.allow_legacy_v02 &&
      VerifyMessage(key, LegacyPreAuthEncodingV02(envelope.payload_type, envelope.payload),
                    signature, options.legacy_digest)) {
    return true;
  }
  return SignatureError("the DSSE signature does not verify with the " +
                        std::string(CurveName(key.curve())) +
                        " key: the payload was changed or another key signed it");
}

Result<VerifiedSigner> KeyVerifier::VerifySignature(const Bundle& bundle) const {
  const Status material = CheckMaterial(bundle, MaterialKind::kPublicKey, "key");
  if (!material.ok()) return material.error();
  VerifiedSigner signer;
  signer.method = "key";
  const std::string hint = PublicKeyHint(public_key_);
  signer.identity = "public key sha256:" + hint;
  const PublicKeyIdentifier& identifier = bundle.verification_material.public_key;
  if (identifier.hint && *identifier.hint != hint) {
    return SignatureError("key mismatch: the bundle names key " + identifier.hint->substr(0, 64) +
                          ", the --public-key is " + hint);
  }
  if (!identifier.hint) {
    signer.warnings.push_back(
        "the bundle does not name its key (pre-1.1 rawBytes form); checked against "
        "--public-key only");
  }
  EnvelopeSignatureOptions options;
  Result<bool> legacy = VerifyEnvelopeSignature(public_key_, bundle.dsse_envelope, options);
  if (!legacy.ok()) return legacy.error();
  signer.legacy_encoding = *legacy;
  return signer;
}

Result<VerifiedSigner> CertificateVerifier::VerifySignature(const Bundle& bundle) const {
  const Status material = CheckMaterial(bundle, MaterialKind::kCertificateChain, "certificate");
  if (!material.ok()) return material.error();
  Result<VerifiedCertificate> certificate =
      VerifyCertificateChain(bundle.verification_material.certificate_chain, anchors_, policy_);
  if (!certificate.ok()) return certificate.error();
  VerifiedSigner signer;
  signer.method = "certificate";
  signer.identity = certificate->subject;
  signer.issuer = certificate->issuer;
  if (policy_.time == CertificateTime::kLeafNotBefore) {
    signer.warnings.push_back("certificate validity checked at the leaf's notBefore, not now");
  }
  EnvelopeSignatureOptions options;
  options.legacy_digest = "SHA256";  // v0.2 certificate signatures (oms-format-notes §1.3)
  Result<bool> legacy =
      VerifyEnvelopeSignature(certificate->leaf_key, bundle.dsse_envelope, options);
  if (!legacy.ok()) return legacy.error();
  signer.legacy_encoding = *legacy;
  return signer;
}

}  // namespace mg::integrity
