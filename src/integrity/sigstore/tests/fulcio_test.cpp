#include "integrity/sigstore/fulcio.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "integrity/sigstore/tests/keyless_fixture.h"

namespace mg::integrity::sigstore {
namespace {

constexpr const char* kIdentity = "stefanb@us.ibm.com";
constexpr const char* kIssuer = "https://sigstore.verify.ibm.com/oauth2";

TEST(SigstoreFulcio, FixtureChainsVerifyAtTheIntegrationTime) {
  const TrustedRoot root = test::PublicGoodRoot();
  for (const std::string& version : test::KeylessVersions()) {
    const test::KeylessFixture f = test::LoadKeyless(version);
    X509Ptr leaf = ParseCertificateDer(View(f.leaf_der));
    ASSERT_TRUE(leaf) << version;
    auto issuer = VerifyFulcioChain(leaf.get(), root, f.integrated_time);
    ASSERT_TRUE(issuer.ok()) << version << ": " << issuer.error().message;
    EXPECT_EQ(CertificateDer(issuer->get()), root.certificate_authorities[1].chain_der[0]);
    EXPECT_TRUE(CheckCodeSigningUsage(leaf.get()).ok()) << version;
  }
}

TEST(SigstoreFulcio, TimeOutsideTheTenMinuteLeafValidityFails) {
  const TrustedRoot root = test::PublicGoodRoot();
  const test::KeylessFixture f = test::LoadKeyless("v1.0.0");
  X509Ptr leaf = ParseCertificateDer(View(f.leaf_der));
  ASSERT_TRUE(leaf);
  const auto not_before = Asn1TimeToUnix(X509_get0_notBefore(leaf.get()));
  const auto not_after = Asn1TimeToUnix(X509_get0_notAfter(leaf.get()));
  ASSERT_TRUE(not_before && not_after);
  EXPECT_TRUE(VerifyFulcioChain(leaf.get(), root, *not_before).ok());
  const auto expired = VerifyFulcioChain(leaf.get(), root, *not_after + 1);
  ASSERT_FALSE(expired.ok());
  EXPECT_NE(expired.error().message.find("expired"), std::string::npos);
  EXPECT_FALSE(VerifyFulcioChain(leaf.get(), root, *not_before - 1).ok());
  // Before any Fulcio CA existed.
  EXPECT_FALSE(VerifyFulcioChain(leaf.get(), root, 0).ok());
}

TEST(SigstoreFulcio, StagingRootOrFlippedBitFails) {
  const test::KeylessFixture f = test::LoadKeyless("v1.1.0");
  X509Ptr leaf = ParseCertificateDer(View(f.leaf_der));
  ASSERT_TRUE(leaf);
  EXPECT_FALSE(VerifyFulcioChain(leaf.get(), test::StagingRoot(), f.integrated_time).ok());
  // The last byte is in the CA's signature value.
  Bytes der = f.leaf_der;
  der.back() ^= 0x01;
  X509Ptr tampered = ParseCertificateDer(View(der));
  ASSERT_TRUE(tampered);
  EXPECT_FALSE(VerifyFulcioChain(tampered.get(), test::PublicGoodRoot(), f.integrated_time).ok());
}

TEST(SigstoreFulcio, ReadsTheEmailAndTheOidcIssuer) {
  for (const std::string& version : test::KeylessVersions()) {
    X509Ptr leaf = ParseCertificateDer(View(test::LoadKeyless(version).leaf_der));
    auto identity = ReadCertificateIdentity(leaf.get());
    ASSERT_TRUE(identity.ok()) << version;
    EXPECT_NE(std::find(identity->names.begin(), identity->names.end(), kIdentity),
              identity->names.end())
        << version;
    EXPECT_EQ(identity->oidc_issuer, kIssuer) << version;
  }
}

TEST(SigstoreFulcio, CaCertificateIsNotACodeSigningLeaf) {
  X509Ptr intermediate = test::FulcioIntermediate(test::PublicGoodRoot());
  ASSERT_TRUE(intermediate);
  EXPECT_FALSE(CheckCodeSigningUsage(intermediate.get()).ok());
  auto identity = ReadCertificateIdentity(intermediate.get());
  ASSERT_TRUE(identity.ok());
  EXPECT_TRUE(identity->names.empty());
  EXPECT_TRUE(identity->oidc_issuer.empty());
}

}  // namespace
}  // namespace mg::integrity::sigstore
