#include "integrity/bundle.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "integrity/tests/integrity_test_paths.h"

namespace mg::integrity {
namespace {

using test::ReferenceFixtures;
using test::TestData;

Result<Bundle> ParseText(const std::string& text) { return ParseBundle(ByteView(text)); }

std::string ErrorOf(const std::string& text) {
  Result<Bundle> bundle = ParseText(text);
  return bundle.ok() ? std::string("(accepted)") : bundle.error().message;
}

TEST(Bundle, KeyBundleOfTheReferenceToolParsesAndSerializesByteForByte) {
  const std::string text =
      mg::test::ReadFile(ReferenceFixtures() / "v1.1.0-elliptic-key" / "model.sig");
  Result<Bundle> bundle = ParseText(text);
  ASSERT_TRUE(bundle.ok()) << bundle.error().message;
  EXPECT_EQ(bundle->media_type, kBundleMediaTypeV03);
  const VerificationMaterial& material = bundle->verification_material;
  EXPECT_EQ(material.kind, MaterialKind::kPublicKey);
  EXPECT_EQ(material.public_key.hint,
            "e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e");
  EXPECT_TRUE(material.has_tlog_entries);
  EXPECT_TRUE(material.tlog_entries.empty());
  ASSERT_EQ(bundle->dsse_envelope.signatures.size(), 1u);
  EXPECT_EQ(bundle->dsse_envelope.signatures[0].keyid_form, KeyIdForm::kString);
  EXPECT_EQ(bundle->dsse_envelope.payload_type, kInTotoPayloadType);
  EXPECT_EQ(bundle->dsse_envelope.payload.size(), 926u);  // oms-format-notes §1.4
  EXPECT_EQ(SerializeBundle(*bundle), text);
}

TEST(Bundle, CertificateBundleKeepsTheChainLeafFirst) {
  const std::string text =
      mg::test::ReadFile(ReferenceFixtures() / "v1.1.0-certificate" / "model.sig");
  Result<Bundle> bundle = ParseText(text);
  ASSERT_TRUE(bundle.ok()) << bundle.error().message;
  ASSERT_EQ(bundle->verification_material.kind, MaterialKind::kCertificateChain);
  EXPECT_EQ(bundle->verification_material.certificate_chain.size(), 2u);
  EXPECT_EQ(SerializeBundle(*bundle), text);
}

TEST(Bundle, LegacyRawBytesKeyAndNullKeyIdAreAccepted) {
  const std::string text =
      mg::test::ReadFile(ReferenceFixtures() / "v1.0.0-elliptic-key" / "model.sig");
  Result<Bundle> bundle = ParseText(text);
  ASSERT_TRUE(bundle.ok()) << bundle.error().message;
  const PublicKeyIdentifier& key = bundle->verification_material.public_key;
  EXPECT_FALSE(key.hint.has_value());
  ASSERT_TRUE(key.raw_bytes.has_value());
  // Pre-1.1 tools stored the PEM text itself, base64-encoded (oms-format-notes §1.2).
  EXPECT_EQ(std::string(key.raw_bytes->begin(), key.raw_bytes->begin() + 26),
            "-----BEGIN PUBLIC KEY-----");
  EXPECT_EQ(bundle->dsse_envelope.signatures[0].keyid_form, KeyIdForm::kNull);
  EXPECT_FALSE(bundle->verification_material.has_tlog_entries);
  // v1.0 wrote spaces after separators; the content is the same.
  EXPECT_EQ(nlohmann::json::parse(SerializeBundle(*bundle)), nlohmann::json::parse(text));
}

TEST(Bundle, KeylessBundlesParseEveryTlogField) {
  const auto path = test::SharedOms() / "model-transparency" / "v1.1.0-sigstore" / "model.sig";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no " << path;
  const std::string text = mg::test::ReadFile(path);
  Result<Bundle> bundle = ParseText(text);
  ASSERT_TRUE(bundle.ok()) << bundle.error().message;
  const VerificationMaterial& material = bundle->verification_material;
  ASSERT_EQ(material.kind, MaterialKind::kCertificate);
  ASSERT_EQ(material.tlog_entries.size(), 1u);
  const TransparencyLogEntry& entry = material.tlog_entries[0];
  EXPECT_EQ(entry.log_index, 598151086);
  EXPECT_EQ(entry.integrated_time, 1760062340);
  EXPECT_EQ(entry.kind, "dsse");
  EXPECT_EQ(entry.kind_version, "0.0.1");
  EXPECT_EQ(entry.log_id.size(), 32u);
  ASSERT_TRUE(entry.signed_entry_timestamp.has_value());
  ASSERT_TRUE(entry.inclusion_proof.has_value());
  EXPECT_EQ(entry.inclusion_proof->log_index, 476246824);
  EXPECT_EQ(entry.inclusion_proof->tree_size, 476246825);
  EXPECT_EQ(entry.inclusion_proof->root_hash.size(), 32u);
  EXPECT_FALSE(entry.inclusion_proof->hashes.empty());
  ASSERT_TRUE(entry.inclusion_proof->checkpoint_envelope.has_value());
  EXPECT_EQ(entry.inclusion_proof->checkpoint_envelope->rfind("rekor.sigstore.dev", 0), 0u);
  EXPECT_EQ(Base64Encode(entry.canonicalized_body), entry.canonicalized_body_base64);
  EXPECT_EQ(material.rfc3161_timestamps.size(), 1u);
  EXPECT_EQ(bundle->dsse_envelope.signatures[0].keyid_form, KeyIdForm::kAbsent);
  EXPECT_EQ(SerializeBundle(*bundle), text);
}

TEST(Bundle, EveryReferenceFixtureParses) {
  const auto root = test::SharedOms() / "model-transparency";
  if (!std::filesystem::exists(root)) GTEST_SKIP() << "no " << root;
  int parsed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    const auto signature = entry.path() / "model.sig";
    if (!std::filesystem::exists(signature)) continue;
    Result<Bundle> bundle = ParseText(mg::test::ReadFile(signature));
    EXPECT_TRUE(bundle.ok()) << signature << ": " << bundle.error().message;
    ++parsed;
  }
  EXPECT_EQ(parsed, 13);
}

TEST(Bundle, SpecVectorsValidAreAcceptedInvalidAreRejected) {
  const auto vectors = TestData() / "spec-vectors";
  for (const char* name : {"key", "certificate", "sigstore"}) {
    const auto path = vectors / "valid" / (std::string(name) + ".bundle.json");
    Result<Bundle> bundle = ParseText(mg::test::ReadFile(path));
    EXPECT_TRUE(bundle.ok()) << path << ": " << bundle.error().message;
  }
  EXPECT_EQ(ErrorOf(mg::test::ReadFile(vectors / "invalid" / "empty.bundle.json"))
                .find("bundle is not valid JSON"),
            0u);
  EXPECT_EQ(ErrorOf(mg::test::ReadFile(vectors / "invalid" / "missing-envelope.bundle.json")),
            "dsseEnvelope: missing");
  EXPECT_EQ(ErrorOf(mg::test::ReadFile(vectors / "invalid" /
                                       "missing-verification-material.bundle.json")),
            "verificationMaterial: missing");
  EXPECT_EQ(
      ErrorOf(mg::test::ReadFile(vectors / "invalid" / "missing-tlog-entries.bundle.json")),
      "verificationMaterial.tlogEntries: a Sigstore keyless bundle (certificate) needs at least "
      "one tlog entry");
}

std::string MinimalKeyBundle(const std::string& material, const std::string& envelope_extra = "",
                             const std::string& sig = "\"MEUC\"") {
  return R"({"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":)" +
         material +
         R"(,"dsseEnvelope":{"payload":"e30=","payloadType":"application/vnd.in-toto+json")" +
         envelope_extra + R"(,"signatures":[{"sig":)" + sig + "}]}}";
}

TEST(Bundle, StrictFieldChecksNameTheField) {
  const std::string key = R"({"publicKey":{"hint":"ab"}})";
  EXPECT_EQ(ErrorOf(MinimalKeyBundle(key)), "(accepted)");
  EXPECT_EQ(ErrorOf(MinimalKeyBundle(key, "", "\"MEU\"")),
            "dsseEnvelope.signatures[0].sig: not canonical base64 (RFC 4648 §4, with padding)");
  EXPECT_EQ(ErrorOf(MinimalKeyBundle(key, "", "\"MEUD\"")), "(accepted)");
  EXPECT_EQ(ErrorOf(MinimalKeyBundle(key, "", "\"ME==\"")),
            "dsseEnvelope.signatures[0].sig: not canonical base64 (RFC 4648 §4, with padding)");
  EXPECT_EQ(ErrorOf(MinimalKeyBundle(key, ",\"extra\":1")), "dsseEnvelope.extra: unknown field");
  EXPECT_EQ(
      ErrorOf(MinimalKeyBundle(R"({"publicKey":{"hint":"ab"},"certificate":{"rawBytes":"AA=="}})")),
      "verificationMaterial: more than one of publicKey, x509CertificateChain and "
      "certificate");
  EXPECT_EQ(ErrorOf(MinimalKeyBundle(R"({"x509CertificateChain":{"certificates":[]}})")),
            "verificationMaterial.x509CertificateChain.certificates: empty");
  EXPECT_EQ(
      ErrorOf(MinimalKeyBundle(
          R"({"publicKey":{},"tlogEntries":[{"logIndex":"01","logId":{"keyId":""},"kindVersion":{"kind":"dsse","version":"0.0.1"},"integratedTime":"1","canonicalizedBody":""}]})")),
      "verificationMaterial.tlogEntries[0].logIndex: not a non-negative decimal int64: "
      "\"01\"");
  EXPECT_EQ(ErrorOf(R"({"mediaType":"application/json"})"),
            "mediaType: not a Sigstore bundle media type: \"application/json\"");
  const std::string duplicate = R"({"mediaType":"a","mediaType":"b"})";
  EXPECT_EQ(ErrorOf(duplicate), "bundle has a duplicate key at /mediaType");
}

TEST(Bundle, LegacyMediaTypesAreKnown) {
  EXPECT_TRUE(IsKnownBundleMediaType("application/vnd.dev.sigstore.bundle+json;version=0.1"));
  EXPECT_TRUE(IsKnownBundleMediaType("application/vnd.dev.sigstore.bundle+json;version=0.2"));
  EXPECT_TRUE(IsKnownBundleMediaType("application/vnd.dev.sigstore.bundle+json;version=0.3"));
  EXPECT_FALSE(IsKnownBundleMediaType("application/vnd.dev.sigstore.bundle.v0.4+json"));
}

TEST(Bundle, LimitsAreEnforced) {
  BundleLimits limits;
  limits.max_signatures = 1;
  const std::string two =
      R"({"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{}},"dsseEnvelope":{"payload":"","payloadType":"x","signatures":[{"sig":"AA=="},{"sig":"AA=="}]}})";
  Result<Bundle> bundle = ParseBundle(ByteView(two), limits);
  ASSERT_FALSE(bundle.ok());
  EXPECT_EQ(bundle.error().code, ErrorCode::kLimitExceeded);
  limits.max_bundle_bytes = 10;
  EXPECT_EQ(ParseBundle(ByteView(two), limits).error().code, ErrorCode::kLimitExceeded);
}

TEST(Encoding, Base64RoundTripsAndRejectsNonCanonicalText) {
  for (const std::string text : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    const std::string encoded = Base64Encode(text);
    const auto decoded = Base64Decode(encoded);
    ASSERT_TRUE(decoded.has_value()) << encoded;
    EXPECT_EQ(std::string(decoded->begin(), decoded->end()), text);
  }
  EXPECT_EQ(Base64Encode(std::string("foobar")), "Zm9vYmFy");
  EXPECT_FALSE(Base64Decode("Zg").has_value());        // padding required
  EXPECT_FALSE(Base64Decode("Zh==").has_value());      // non-zero unused bits
  EXPECT_FALSE(Base64Decode("Zg==Zg==").has_value());  // padding in the middle
  EXPECT_FALSE(Base64Decode("Zm9v\n").has_value());
  EXPECT_FALSE(Base64Decode("Zm-_").has_value());  // URL-safe alphabet
  EXPECT_EQ(HexEncode(*HexDecode("00ff10AB")), "00ff10ab");
  EXPECT_FALSE(HexDecode("abc").has_value());
}

}  // namespace
}  // namespace mg::integrity
