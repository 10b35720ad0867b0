#include "integrity/signature_verifier.h"

#include <gtest/gtest.h>

#include "integrity/tests/integrity_test_paths.h"

namespace mg::integrity {
namespace {

Bundle ReadBundle(const std::filesystem::path& path) {
  const std::string text = mg::test::ReadFile(path);
  Result<Bundle> bundle = ParseBundle(ByteView(text));
  EXPECT_TRUE(bundle.ok()) << path;
  return bundle.ok() ? std::move(*bundle) : Bundle{};
}

KeyVerifier ReferenceKeyVerifier() {
  Result<EcKey> key = LoadPublicKeyFile(test::ReferenceKeys() / "signing-key-pub.pem");
  EXPECT_TRUE(key.ok());
  return KeyVerifier(std::move(*key));
}

CertificateVerifier ReferenceCertificateVerifier(ChainPolicy policy = {}) {
  Result<std::vector<X509Ptr>> anchors =
      LoadCertificateFiles({test::ReferenceKeys() / "ca-cert.pem"});
  EXPECT_TRUE(anchors.ok());
  return CertificateVerifier(std::move(*anchors), policy);
}

TEST(SignatureVerifier, ReferenceKeyBundlesVerify) {
  const KeyVerifier verifier = ReferenceKeyVerifier();
  Result<VerifiedSigner> signer = verifier.VerifySignature(
      ReadBundle(test::ReferenceFixtures() / "v1.1.0-elliptic-key" / "model.sig"));
  ASSERT_TRUE(signer.ok()) << signer.error().message;
  EXPECT_EQ(signer->method, "key");
  EXPECT_EQ(signer->identity,
            "public key sha256:e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e");
  EXPECT_FALSE(signer->legacy_encoding);
  EXPECT_TRUE(signer->warnings.empty());

  signer = verifier.VerifySignature(
      ReadBundle(test::ReferenceFixtures() / "v1.0.0-elliptic-key" / "model.sig"));
  ASSERT_TRUE(signer.ok()) << signer.error().message;
  EXPECT_EQ(signer->warnings.size(), 1u);  // rawBytes, no hint
}

TEST(SignatureVerifier, ReferenceCertificateBundlesVerifyIncludingTheV02Encoding) {
  const CertificateVerifier verifier = ReferenceCertificateVerifier();
  Result<VerifiedSigner> signer = verifier.VerifySignature(
      ReadBundle(test::ReferenceFixtures() / "v1.1.0-certificate" / "model.sig"));
  ASSERT_TRUE(signer.ok()) << signer.error().message;
  EXPECT_EQ(signer->identity, "CN=intermediate-ca");
  EXPECT_FALSE(signer->legacy_encoding);
  signer = verifier.VerifySignature(
      ReadBundle(test::ReferenceFixtures() / "v0.2.0-certificate" / "model.sig"));
  ASSERT_TRUE(signer.ok()) << signer.error().message;
  EXPECT_TRUE(signer->legacy_encoding);
  // The compatibility time policy accepts the same bundles and says so.
  signer = ReferenceCertificateVerifier({CertificateTime::kLeafNotBefore})
               .VerifySignature(
                   ReadBundle(test::ReferenceFixtures() / "v1.1.0-certificate" / "model.sig"));
  ASSERT_TRUE(signer.ok()) << signer.error().message;
  EXPECT_EQ(signer->warnings.size(), 1u);
}

TEST(SignatureVerifier, EverySharedKeyAndCertificateFixtureVerifies) {
  const auto root = test::SharedOms() / "model-transparency";
  if (!std::filesystem::exists(root)) GTEST_SKIP() << "no " << root;
  const KeyVerifier key_verifier = ReferenceKeyVerifier();
  const CertificateVerifier certificate_verifier = ReferenceCertificateVerifier();
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    const std::string name = entry.path().filename().string();
    const SignatureVerifier* verifier = nullptr;
    if (name.ends_with("-elliptic-key")) verifier = &key_verifier;
    if (name.ends_with("-certificate")) verifier = &certificate_verifier;
    if (verifier == nullptr) continue;
    Result<VerifiedSigner> signer =
        verifier->VerifySignature(ReadBundle(entry.path() / "model.sig"));
    EXPECT_TRUE(signer.ok()) << name << ": " << signer.error().message;
    ++checked;
  }
  EXPECT_EQ(checked, 9);
}

TEST(SignatureVerifier, WrongKeyTamperedPayloadAndWrongMethodFail) {
  Bundle bundle = ReadBundle(test::ReferenceFixtures() / "v1.1.0-elliptic-key" / "model.sig");
  Result<EcKey> other = LoadPublicKeyFile(test::TestData() / "keys" / "p384.pub.pem");
  ASSERT_TRUE(other.ok());
  Result<VerifiedSigner> signer = KeyVerifier(*other).VerifySignature(bundle);
  ASSERT_FALSE(signer.ok());
  EXPECT_EQ(signer.error().message.rfind("key mismatch: the bundle names key e8450dec", 0), 0u);
  // Without a hint, the signature itself fails.
  bundle.verification_material.public_key.hint.reset();
  signer = KeyVerifier(*other).VerifySignature(bundle);
  ASSERT_FALSE(signer.ok());
  EXPECT_NE(signer.error().message.find("does not verify"), std::string::npos);

  Bundle tampered = ReadBundle(test::ReferenceFixtures() / "v1.1.0-elliptic-key" / "model.sig");
  tampered.dsse_envelope.payload.back() ^= 1;
  signer = ReferenceKeyVerifier().VerifySignature(tampered);
  ASSERT_FALSE(signer.ok());
  EXPECT_NE(signer.error().message.find("does not verify"), std::string::npos);

  signer = ReferenceCertificateVerifier().VerifySignature(
      ReadBundle(test::ReferenceFixtures() / "v1.1.0-elliptic-key" / "model.sig"));
  ASSERT_FALSE(signer.ok());
  EXPECT_EQ(signer.error().message,
            "the bundle carries verificationMaterial.publicKey, not x509CertificateChain: it was "
            "not signed with the certificate method");
  Bundle legacy_media = ReadBundle(test::ReferenceFixtures() / "v1.1.0-elliptic-key" / "model.sig");
  legacy_media.media_type = std::string(kBundleMediaTypeLegacy03);
  EXPECT_FALSE(ReferenceKeyVerifier().VerifySignature(legacy_media).ok());
}

TEST(SignatureVerifier, CertificateFromAnotherRootIsRejected) {
  Result<std::vector<X509Ptr>> anchors =
      LoadCertificateFiles({test::TestData() / "keys" / "root-ca.pem"});
  ASSERT_TRUE(anchors.ok());
  Result<VerifiedSigner> signer =
      CertificateVerifier(std::move(*anchors))
          .VerifySignature(
              ReadBundle(test::ReferenceFixtures() / "v1.1.0-certificate" / "model.sig"));
  ASSERT_FALSE(signer.ok());
  EXPECT_NE(signer.error().message.find("does not verify against the --cert-chain anchors"),
            std::string::npos);
}

TEST(SignatureVerifier, SpecVectorsVerifyWithTheReferenceKeyAndCa) {
  const auto valid = test::TestData() / "spec-vectors" / "valid";
  Result<VerifiedSigner> signer =
      ReferenceKeyVerifier().VerifySignature(ReadBundle(valid / "key.bundle.json"));
  EXPECT_TRUE(signer.ok()) << signer.error().message;
  signer =
      ReferenceCertificateVerifier().VerifySignature(ReadBundle(valid / "certificate.bundle.json"));
  EXPECT_TRUE(signer.ok()) << signer.error().message;
  // A keyless bundle is for `verify sigstore`, not for these methods.
  signer = ReferenceKeyVerifier().VerifySignature(ReadBundle(valid / "sigstore.bundle.json"));
  ASSERT_FALSE(signer.ok());
  EXPECT_NE(signer.error().message.find("verificationMaterial.certificate"), std::string::npos);
}

}  // namespace
}  // namespace mg::integrity
