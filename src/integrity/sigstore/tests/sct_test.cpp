#include "integrity/sigstore/sct.h"

#include <gtest/gtest.h>
#include <openssl/x509v3.h>

#include <algorithm>

#include "integrity/sigstore/tests/keyless_fixture.h"

namespace mg::integrity::sigstore {
namespace {

TEST(SigstoreSct, FixtureLeavesCarryAValidSct) {
  const TrustedRoot root = test::PublicGoodRoot();
  X509Ptr issuer = test::FulcioIntermediate(root);
  ASSERT_TRUE(issuer);
  for (const std::string& version : test::KeylessVersions()) {
    X509Ptr leaf = ParseCertificateDer(View(test::LoadKeyless(version).leaf_der));
    ASSERT_TRUE(leaf) << version;
    const Status status = VerifyEmbeddedScts(leaf.get(), issuer.get(), root);
    EXPECT_TRUE(status.ok()) << version << ": " << (status ? "" : status.error().message);
  }
}

TEST(SigstoreSct, FlippedSctSignatureFails) {
  const TrustedRoot root = test::PublicGoodRoot();
  X509Ptr issuer = test::FulcioIntermediate(root);
  Bytes der = test::LoadKeyless("v1.1.0").leaf_der;
  X509Ptr leaf = ParseCertificateDer(View(der));
  ASSERT_TRUE(leaf);
  // The SCT list is the extension's value; its last byte belongs to the SCT's signature.
  const int index = X509_get_ext_by_NID(leaf.get(), NID_ct_precert_scts, -1);
  ASSERT_GE(index, 0);
  const ASN1_OCTET_STRING* value = X509_EXTENSION_get_data(X509_get_ext(leaf.get(), index));
  const std::uint8_t* begin = ASN1_STRING_get0_data(value);
  const auto found = std::search(der.begin(), der.end(), begin, begin + ASN1_STRING_length(value));
  ASSERT_NE(found, der.end());
  *(found + ASN1_STRING_length(value) - 1) ^= 0x01;
  X509Ptr tampered = ParseCertificateDer(View(der));
  ASSERT_TRUE(tampered);
  const Status status = VerifyEmbeddedScts(tampered.get(), issuer.get(), root);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("does not verify"), std::string::npos);
}

TEST(SigstoreSct, UnknownLogOrWrongIssuerFails) {
  TrustedRoot root = test::PublicGoodRoot();
  X509Ptr issuer = test::FulcioIntermediate(root);
  X509Ptr leaf = ParseCertificateDer(View(test::LoadKeyless("v1.0.1").leaf_der));
  ASSERT_TRUE(leaf && issuer);
  // The issuer key hash is signed: the root CA is not the issuer.
  X509Ptr fulcio_root =
      ParseCertificateDer(View(root.certificate_authorities.back().chain_der.back()));
  EXPECT_FALSE(VerifyEmbeddedScts(leaf.get(), fulcio_root.get(), root).ok());
  root.ctlogs.clear();
  const Status status = VerifyEmbeddedScts(leaf.get(), issuer.get(), root);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("does not list"), std::string::npos);
  // A certificate without SCTs: the Fulcio intermediate itself.
  EXPECT_FALSE(VerifyEmbeddedScts(issuer.get(), fulcio_root.get(), root).ok());
}

}  // namespace
}  // namespace mg::integrity::sigstore
