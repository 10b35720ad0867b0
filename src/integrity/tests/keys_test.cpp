#include "integrity/keys.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

#include "integrity/certificates.h"
#include "integrity/tests/integrity_test_paths.h"

namespace mg::integrity {
namespace {

std::filesystem::path Keys() { return test::TestData() / "keys"; }
const std::optional<std::string> kNoPassphrase;
const std::optional<std::string> kPassphrase = std::string("correct horse");

Bytes B(std::string_view text) { return Bytes(text.begin(), text.end()); }

TEST(Keys, EachSupportedCurveSignsWithItsDigestAndVerifies) {
  const struct {
    const char* name;
    EcCurve curve;
    std::string_view digest;
  } cases[] = {{"p256", EcCurve::kP256, "SHA256"},
               {"p384", EcCurve::kP384, "SHA384"},
               {"p521", EcCurve::kP521, "SHA512"}};
  for (const auto& c : cases) {
    Result<EcKey> private_key =
        LoadPrivateKeyFile(Keys() / (std::string(c.name) + ".pem"), kNoPassphrase);
    ASSERT_TRUE(private_key.ok()) << private_key.error().message;
    Result<EcKey> public_key = LoadPublicKeyFile(Keys() / (std::string(c.name) + ".pub.pem"));
    ASSERT_TRUE(public_key.ok()) << public_key.error().message;
    EXPECT_EQ(private_key->curve(), c.curve);
    EXPECT_EQ(CurveDigestName(c.curve), c.digest);
    EXPECT_TRUE(SamePublicKey(*private_key, *public_key));
    Result<Bytes> signature = SignMessage(*private_key, B("message"));
    ASSERT_TRUE(signature.ok());
    EXPECT_EQ((*signature)[0], 0x30);  // DER SEQUENCE{r, s}
    EXPECT_TRUE(VerifyMessage(*public_key, B("message"), *signature));
    EXPECT_FALSE(VerifyMessage(*public_key, B("messagE"), *signature));
    // The digest is tied to the curve: the same signature under another digest fails.
    if (c.curve != EcCurve::kP256) {
      EXPECT_FALSE(VerifyMessage(*public_key, B("message"), *signature, "SHA256"));
    }
  }
}

TEST(Keys, ReferenceKeyHintMatchesTheBundle) {
  // oms-format-notes §1.2: the v1.1.0 bundle's hint is SHA-256 of the PEM SPKI text.
  Result<EcKey> key = LoadPublicKeyFile(test::ReferenceKeys() / "signing-key-pub.pem");
  ASSERT_TRUE(key.ok()) << key.error().message;  // certtool text precedes the PEM block
  EXPECT_EQ(key->curve(), EcCurve::kP384);
  EXPECT_EQ(PublicKeyHint(*key),
            "e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e");
  EXPECT_EQ(PublicKeyPem(*key).rfind("-----BEGIN PUBLIC KEY-----\n", 0), 0u);
  Result<EcKey> private_key =
      LoadPrivateKeyFile(test::ReferenceKeys() / "signing-key.pem", kNoPassphrase);
  ASSERT_TRUE(private_key.ok()) << private_key.error().message;
  EXPECT_TRUE(SamePublicKey(*key, *private_key));
}

TEST(Keys, PemWithLeadingTextAndSec1Load) {
  Result<EcKey> key = LoadPrivateKeyFile(Keys() / "p384.sec1.leading-text.pem", kNoPassphrase);
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(key->curve(), EcCurve::kP384);
}

TEST(Keys, EncryptedKeysNeedTheirPassphrase) {
  for (const char* name : {"p256.encrypted.pem", "p256.sec1.encrypted.pem"}) {
    Result<EcKey> key = LoadPrivateKeyFile(Keys() / name, kPassphrase);
    ASSERT_TRUE(key.ok()) << name << ": " << key.error().message;
    Result<EcKey> missing = LoadPrivateKeyFile(Keys() / name, kNoPassphrase);
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.error().message.find("--private-key-passphrase-file"), std::string::npos);
    Result<EcKey> wrong = LoadPrivateKeyFile(Keys() / name, std::string("wrong"));
    ASSERT_FALSE(wrong.ok());
    EXPECT_NE(wrong.error().message.find("wrong passphrase"), std::string::npos);
  }
}

TEST(Keys, PassphraseComesFromAFileOrTheEnvironment) {
  const auto file = std::filesystem::temp_directory_path() / "modelgate_keys_test_passphrase";
  {
    std::ofstream out(file);
    out << "correct horse\n";
  }
  PassphraseSource from_file;
  from_file.file = file;
  Result<std::optional<std::string>> read = ReadPassphrase(from_file);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(**read, "correct horse");
  std::filesystem::remove(file);

  ::setenv("MODELGATE_KEYS_TEST_PASSPHRASE", "correct horse", 1);
  PassphraseSource from_env;
  from_env.env_name = "MODELGATE_KEYS_TEST_PASSPHRASE";
  read = ReadPassphrase(from_env);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(**read, "correct horse");
  ::unsetenv("MODELGATE_KEYS_TEST_PASSPHRASE");
  EXPECT_FALSE(ReadPassphrase(from_env).ok());
  EXPECT_FALSE(ReadPassphrase(PassphraseSource{}).value().has_value());
}

TEST(Keys, UnsupportedKeysAreRejectedClearly) {
  Result<EcKey> rsa = LoadPrivateKeyFile(Keys() / "rsa.pem", kNoPassphrase);
  ASSERT_FALSE(rsa.ok());
  EXPECT_NE(rsa.error().message.find("is a RSA key"), std::string::npos) << rsa.error().message;
  Result<EcKey> ed25519 = LoadPrivateKeyFile(Keys() / "ed25519.pem", kNoPassphrase);
  ASSERT_FALSE(ed25519.ok());
  EXPECT_NE(ed25519.error().message.find("ED25519"), std::string::npos);
  Result<EcKey> k1 = LoadPrivateKeyFile(Keys() / "secp256k1.pem", kNoPassphrase);
  ASSERT_FALSE(k1.ok());
  EXPECT_NE(k1.error().message.find("curve secp256k1"), std::string::npos);
  EXPECT_FALSE(LoadPublicKeyPem("not a key").ok());
  EXPECT_FALSE(LoadPrivateKeyPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
                                 kNoPassphrase)
                   .ok());
}

std::vector<Bytes> ChainDer(std::initializer_list<const char*> files) {
  std::vector<Bytes> chain;
  for (const char* file : files) {
    Result<std::vector<X509Ptr>> certificates =
        LoadCertificateFiles({test::TestData() / "keys" / file});
    EXPECT_TRUE(certificates.ok()) << file;
    if (certificates.ok()) chain.push_back(CertificateDer((*certificates)[0].get()));
  }
  return chain;
}

std::vector<X509Ptr> Anchors(const std::vector<std::filesystem::path>& files) {
  Result<std::vector<X509Ptr>> anchors = LoadCertificateFiles(files);
  EXPECT_TRUE(anchors.ok());
  return anchors.ok() ? std::move(*anchors) : std::vector<X509Ptr>{};
}

TEST(Certificates, ChainToTheRootVerifiesAndYieldsTheLeafKey) {
  Result<VerifiedCertificate> verified = VerifyCertificateChain(
      ChainDer({"signer-p256.pem", "int-ca.pem"}), Anchors({Keys() / "root-ca.pem"}));
  ASSERT_TRUE(verified.ok()) << verified.error().message;
  EXPECT_EQ(verified->subject, "CN=modelgate test signer");
  EXPECT_EQ(verified->leaf_key.curve(), EcCurve::kP256);
}

TEST(Certificates, FailuresSayWhy) {
  // Without the intermediate, the chain cannot be built.
  Result<VerifiedCertificate> missing =
      VerifyCertificateChain(ChainDer({"signer-p256.pem"}), Anchors({Keys() / "root-ca.pem"}));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("unable to get local issuer certificate"),
            std::string::npos)
      << missing.error().message;
  // Another root is not trusted.
  Result<VerifiedCertificate> other =
      VerifyCertificateChain(ChainDer({"signer-p256.pem", "int-ca.pem"}),
                             Anchors({test::ReferenceKeys() / "ca-cert.pem"}));
  EXPECT_FALSE(other.ok());
  Result<VerifiedCertificate> expired = VerifyCertificateChain(
      ChainDer({"expired-p256.pem", "int-ca.pem"}), Anchors({Keys() / "root-ca.pem"}));
  ASSERT_FALSE(expired.ok());
  EXPECT_NE(expired.error().message.find("certificate has expired"), std::string::npos)
      << expired.error().message;
  Result<VerifiedCertificate> tls = VerifyCertificateChain(ChainDer({"tls-p256.pem", "int-ca.pem"}),
                                                           Anchors({Keys() / "root-ca.pem"}));
  ASSERT_FALSE(tls.ok());
  EXPECT_EQ(tls.error().message, "signing certificate: ExtendedKeyUsage lacks codeSigning");
  Result<VerifiedCertificate> no_anchor =
      VerifyCertificateChain(ChainDer({"signer-p256.pem", "int-ca.pem"}), {});
  ASSERT_FALSE(no_anchor.ok());
  EXPECT_NE(no_anchor.error().message.find("--cert-chain"), std::string::npos);
}

TEST(Certificates, PemFilesWithSeveralCertificatesLoadInOrder) {
  const std::string both = mg::test::ReadFile(Keys() / "int-ca.pem") + "text between blocks\n" +
                           mg::test::ReadFile(Keys() / "root-ca.pem");
  Result<std::vector<X509Ptr>> certificates = LoadCertificatesPem(both, "bundle.pem");
  ASSERT_TRUE(certificates.ok()) << certificates.error().message;
  ASSERT_EQ(certificates->size(), 2u);
  EXPECT_EQ(CertificateSubject((*certificates)[1].get()), "CN=modelgate test root CA");
  EXPECT_FALSE(LoadCertificatesPem("nothing here", "empty.pem").ok());
  EXPECT_FALSE(ParseCertificateDer(Bytes{0x30, 0x03, 0x02, 0x01, 0x01}).ok());
}

}  // namespace
}  // namespace mg::integrity
