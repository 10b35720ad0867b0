#include "integrity/sigstore/tlog_body.h"

#include <gtest/gtest.h>

#include "integrity/bundle.h"
#include "integrity/dsse.h"
#include "integrity/sigstore/tests/keyless_fixture.h"

namespace mg::integrity::sigstore {
namespace {

TEST(SigstoreTlogBody, FixtureDsseEntriesMatchTheirBundles) {
  for (const std::string& version : test::KeylessVersions()) {
    const test::KeylessFixture f = test::LoadKeyless(version);
    const Bytes pae = PreAuthEncoding(kInTotoPayloadType, f.payload);
    const Status status =
        CheckTlogBody(f.body, "dsse", "0.0.1", {f.payload, pae, f.signature, f.leaf_der});
    EXPECT_TRUE(status.ok()) << version << ": " << (status ? "" : status.error().message);
  }
}

TEST(SigstoreTlogBody, EntryOfAnotherSignatureCertificateOrPayloadFails) {
  const test::KeylessFixture f = test::LoadKeyless("v1.1.0");
  const test::KeylessFixture other = test::LoadKeyless("v1.0.0");
  const Bytes pae = PreAuthEncoding(kInTotoPayloadType, f.payload);
  EXPECT_FALSE(
      CheckTlogBody(other.body, "dsse", "0.0.1", {f.payload, pae, f.signature, f.leaf_der}).ok());
  EXPECT_FALSE(
      CheckTlogBody(f.body, "dsse", "0.0.1", {f.payload, pae, other.signature, f.leaf_der}).ok());
  EXPECT_FALSE(
      CheckTlogBody(f.body, "dsse", "0.0.1", {f.payload, pae, f.signature, other.leaf_der}).ok());
  Bytes payload = f.payload;
  payload.push_back(' ');
  EXPECT_FALSE(
      CheckTlogBody(f.body, "dsse", "0.0.1", {payload, pae, f.signature, f.leaf_der}).ok());
  // kindVersion must agree with the body, and unknown kinds are not accepted silently.
  EXPECT_FALSE(
      CheckTlogBody(f.body, "dsse", "0.0.2", {f.payload, pae, f.signature, f.leaf_der}).ok());
  const std::string intoto = R"({"apiVersion":"0.0.1","kind":"intoto","spec":{}})";
  const Status unsupported = CheckTlogBody(Bytes(intoto.begin(), intoto.end()), "intoto", "0.0.1",
                                           {f.payload, pae, f.signature, f.leaf_der});
  ASSERT_FALSE(unsupported.ok());
  EXPECT_EQ(unsupported.error().code, ErrorCode::kUnsupported);
  const std::string not_json = "{\"kind\":";
  EXPECT_FALSE(CheckTlogBody(Bytes(not_json.begin(), not_json.end()), "dsse", "0.0.1",
                             {f.payload, pae, f.signature, f.leaf_der})
                   .ok());
}

// Rekor v2 records DSSE signatures as hashedrekord 0.0.2 over SHA-256(PAE).
std::string HashedRekordV002(const Bytes& digest, const Bytes& signature, const Bytes& leaf) {
  return R"({"apiVersion":"0.0.2","kind":"hashedrekord","spec":{"hashedRekordV002":{"data":)"
         R"({"algorithm":"SHA2_256","digest":")" +
         Base64Encode(digest) + R"("},"signature":{"content":")" + Base64Encode(signature) +
         R"(","verifier":{"x509Certificate":{"rawBytes":")" + Base64Encode(leaf) +
         R"("},"keyDetails":"PKIX_ECDSA_P256_SHA_256"}}}}})";
}

TEST(SigstoreTlogBody, HashedRekordV002) {
  const test::KeylessFixture f = test::LoadKeyless("v1.1.0");
  const Bytes pae = PreAuthEncoding(kInTotoPayloadType, f.payload);
  const SignedContent content{f.payload, pae, f.signature, f.leaf_der};
  const std::string good =
      HashedRekordV002(Sha256(pae.data(), pae.size()), f.signature, f.leaf_der);
  EXPECT_TRUE(
      CheckTlogBody(Bytes(good.begin(), good.end()), "hashedrekord", "0.0.2", content).ok());
  const std::string wrong_digest =
      HashedRekordV002(Sha256(f.payload.data(), f.payload.size()), f.signature, f.leaf_der);
  EXPECT_FALSE(CheckTlogBody(Bytes(wrong_digest.begin(), wrong_digest.end()), "hashedrekord",
                             "0.0.2", content)
                   .ok());
  const std::string wrong_leaf = HashedRekordV002(Sha256(pae.data(), pae.size()), f.signature,
                                                  test::LoadKeyless("v1.0.0").leaf_der);
  EXPECT_FALSE(
      CheckTlogBody(Bytes(wrong_leaf.begin(), wrong_leaf.end()), "hashedrekord", "0.0.2", content)
          .ok());
}

}  // namespace
}  // namespace mg::integrity::sigstore
