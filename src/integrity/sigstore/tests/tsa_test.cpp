#include "integrity/sigstore/tsa.h"

#include <gtest/gtest.h>

#include "integrity/sigstore/tests/keyless_fixture.h"

namespace mg::integrity::sigstore {
namespace {

TEST(SigstoreTsa, FixtureTimestampVerifiesAndGivesTheSigningTime) {
  const test::KeylessFixture f = test::LoadKeyless("v1.1.0");
  ASSERT_EQ(f.timestamps.size(), 1u);
  auto time = VerifyRfc3161Timestamp(f.timestamps[0], f.signature, test::PublicGoodRoot());
  ASSERT_TRUE(time.ok()) << time.error().message;
  // The TSA stamped the signature within seconds of the log integrating it.
  EXPECT_LE(*time, f.integrated_time);
  EXPECT_GE(*time, f.integrated_time - 60);
}

TEST(SigstoreTsa, OtherSignatureFailsTheImprint) {
  const test::KeylessFixture f = test::LoadKeyless("v1.1.0");
  Bytes other = f.signature;
  other[5] ^= 0x01;
  auto time = VerifyRfc3161Timestamp(f.timestamps[0], other, test::PublicGoodRoot());
  ASSERT_FALSE(time.ok());
  EXPECT_NE(time.error().message.find("timestamp"), std::string::npos);
}

TEST(SigstoreTsa, FlippedTokenBitFails) {
  const test::KeylessFixture f = test::LoadKeyless("v1.1.0");
  Bytes token = f.timestamps[0];
  token[token.size() - 5] ^= 0x01;  // inside the CMS signature value
  EXPECT_FALSE(VerifyRfc3161Timestamp(token, f.signature, test::PublicGoodRoot()).ok());
  EXPECT_FALSE(VerifyRfc3161Timestamp(Bytes(token.begin(), token.begin() + 40), f.signature,
                                      test::PublicGoodRoot())
                   .ok());
  Bytes trailing = f.timestamps[0];
  trailing.push_back(0);
  EXPECT_FALSE(VerifyRfc3161Timestamp(trailing, f.signature, test::PublicGoodRoot()).ok());
}

TEST(SigstoreTsa, UntrustedOrMissingAuthorityFails) {
  const test::KeylessFixture f = test::LoadKeyless("v1.1.0");
  EXPECT_FALSE(VerifyRfc3161Timestamp(f.timestamps[0], f.signature, test::StagingRoot()).ok());
  TrustedRoot root = test::PublicGoodRoot();
  root.timestamp_authorities.clear();
  EXPECT_FALSE(VerifyRfc3161Timestamp(f.timestamps[0], f.signature, root).ok());
  // The authority's validFor must cover genTime.
  root = test::PublicGoodRoot();
  root.timestamp_authorities[0].valid_for.start = f.integrated_time + 3600;
  EXPECT_FALSE(VerifyRfc3161Timestamp(f.timestamps[0], f.signature, root).ok());
}

}  // namespace
}  // namespace mg::integrity::sigstore
