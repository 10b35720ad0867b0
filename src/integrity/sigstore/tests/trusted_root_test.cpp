#include "integrity/sigstore/trusted_root.h"

#include <gtest/gtest.h>

#include "integrity/sigstore/tests/keyless_fixture.h"
#include "support/test_paths.h"

namespace mg::integrity::sigstore {
namespace {

Result<TrustedRoot> Parse(const std::string& text) { return ParseTrustedRoot(ByteView(text)); }

TEST(SigstoreTrustedRoot, ParsesThePublicGoodRoot) {
  const std::string text =
      mg::test::ReadFile(test::SigstoreTestData() / "sigstore-public-good-trusted_root.json");
  auto root = Parse(text);
  ASSERT_TRUE(root.ok()) << root.error().message;
  ASSERT_EQ(root->tlogs.size(), 2u);
  EXPECT_EQ(root->tlogs[0].base_url, "https://rekor.sigstore.dev");
  EXPECT_EQ(root->tlogs[0].key_details, "PKIX_ECDSA_P256_SHA_256");
  EXPECT_EQ(root->tlogs[0].valid_for.start, *ParseRfc3339("2021-01-12T11:53:27Z"));
  EXPECT_FALSE(root->tlogs[0].valid_for.end.has_value());
  EXPECT_EQ(root->tlogs[1].key_details, "PKIX_ED25519");
  // Rekor v1 log ids are SHA-256 of the DER key.
  EXPECT_EQ(root->tlogs[0].log_id,
            Sha256(root->tlogs[0].public_key_der.data(), root->tlogs[0].public_key_der.size()));
  ASSERT_EQ(root->certificate_authorities.size(), 2u);
  EXPECT_EQ(root->certificate_authorities[1].chain_der.size(), 2u);
  EXPECT_EQ(root->certificate_authorities[0].uri, "https://fulcio.sigstore.dev");
  EXPECT_EQ(root->certificate_authorities[0].common_name, "sigstore");
  EXPECT_EQ(root->certificate_authorities[0].valid_for.end,
            ParseRfc3339("2022-12-31T23:59:59.999Z"));
  EXPECT_EQ(root->ctlogs.size(), 2u);
  ASSERT_EQ(root->timestamp_authorities.size(), 1u);
  EXPECT_EQ(root->timestamp_authorities[0].chain_der.size(), 2u);
  EXPECT_NE(root->FindTlog(root->tlogs[1].log_id), nullptr);
  EXPECT_EQ(root->FindTlog(Bytes(32, 0)), nullptr);
  EXPECT_NE(root->FindCtlog(root->ctlogs[1].log_id), nullptr);
}

TEST(SigstoreTrustedRoot, EmbeddedDefaultIsTheShippedFile) {
  const std::string shipped =
      mg::test::ReadFile(mg::test::SourceDir() / "data" / "sigstore" / "trusted_root.json");
  ASSERT_FALSE(shipped.empty());
  EXPECT_EQ(DefaultTrustedRootJson(), shipped)
      << "the build embeds data/sigstore/trusted_root.json; rebuild";
  EXPECT_TRUE(ParseTrustedRoot(ByteView(DefaultTrustedRootJson())).ok());
}

TEST(SigstoreTrustedRoot, ParsesTheStagingRoot) {
  const std::string text =
      mg::test::ReadFile(test::SigstoreTestData() / "sigstore-staging-trusted_root.json");
  auto root = Parse(text);
  ASSERT_TRUE(root.ok()) << root.error().message;
  EXPECT_FALSE(root->tlogs.empty());
  EXPECT_FALSE(root->certificate_authorities.empty());
}

std::string Tlog(const std::string& key, const std::string& valid_for) {
  const std::string good_key =
      "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2G2Y+2tabdTV5BcGiBIx0a9fAFwrkBbmLSGtks4L3qX6"
      "yYY0zufBnhC8Ur/iy55GhWP/9A/bY2LhC30M9+RYtw==";
  return R"({"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1","tlogs":[)"
         R"({"baseUrl":"https://log.attacker.invalid","hashAlgorithm":"SHA2_256","publicKey":)"
         R"({"rawBytes":")" +
         (key.empty() ? good_key : key) +
         R"(","keyDetails":"PKIX_ECDSA_P256_SHA_256","validFor":)" + valid_for +
         R"(},"logId":{"keyId":"AAAA"}}]})";
}

TEST(SigstoreTrustedRoot, RejectsMalformedRoots) {
  const std::string window = R"({"start":"2021-01-12T11:53:27Z"})";
  ASSERT_TRUE(Parse(Tlog("", window)).ok());
  EXPECT_FALSE(Parse(Tlog("AAAA", window)).ok());  // not a key
  EXPECT_FALSE(Parse(Tlog("not base64!", window)).ok());
  EXPECT_FALSE(Parse(Tlog("", R"({"start":"2021-01-12"})")).ok());
  EXPECT_FALSE(Parse(Tlog("", R"({"start":"2021-01-12T11:53:27Z","end":7})")).ok());
  EXPECT_FALSE(Parse(Tlog("", R"({})")).ok());
  EXPECT_FALSE(Parse(R"({"mediaType":"application/json"})").ok());
  EXPECT_FALSE(
      Parse(R"({"mediaType":"application/vnd.dev.sigstore.trustedroot+json","tlogs":{}})").ok());
  EXPECT_FALSE(Parse(R"({"mediaType":"application/vnd.dev.sigstore.trustedroot+json",)"
                     R"("mediaType":"application/vnd.dev.sigstore.trustedroot+json"})")
                   .ok());
  EXPECT_FALSE(Parse("[]").ok());
  EXPECT_FALSE(Parse("{").ok());
  std::string many = R"({"mediaType":"application/vnd.dev.sigstore.trustedroot+json","ctlogs":[)";
  for (int i = 0; i < 33; ++i) many += std::string(i ? "," : "") + "{}";
  const auto too_many = Parse(many + "]}");
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().code, ErrorCode::kLimitExceeded);
  const std::string empty_chain =
      R"({"mediaType":"application/vnd.dev.sigstore.trustedroot+json","certificateAuthorities":)"
      R"([{"certChain":{"certificates":[]},"validFor":{"start":"2021-01-12T11:53:27Z"}}]})";
  EXPECT_FALSE(Parse(empty_chain).ok());
}

TEST(SigstoreTrustedRoot, Rfc3339Times) {
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseRfc3339("2025-10-10T02:12:20Z"), 1760062340);
  EXPECT_EQ(ParseRfc3339("2025-10-10T02:12:20.123456789Z"), 1760062340);
  EXPECT_EQ(ParseRfc3339("2000-02-29T00:00:00Z"), 951782400);
  EXPECT_FALSE(ParseRfc3339("2025-10-10T02:12:20"));
  EXPECT_FALSE(ParseRfc3339("2025-10-10T02:12:20+00:00"));
  EXPECT_FALSE(ParseRfc3339("2025-13-10T02:12:20Z"));
  EXPECT_FALSE(ParseRfc3339("2025-10-10T02:12:20.Z"));
  EXPECT_FALSE(ParseRfc3339("2025-10-10 02:12:20Z"));
  EXPECT_EQ(FormatUnixTime(1760062340), "2025-10-10T02:12:20Z");
}

}  // namespace
}  // namespace mg::integrity::sigstore
