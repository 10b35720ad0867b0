#include "integrity/sigstore/verify_sigstore.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "integrity/sigstore/tests/keyless_fixture.h"
#include "integrity/verify.h"

namespace mg::integrity::sigstore {
namespace {

namespace fs = std::filesystem;

const SigstorePolicy kPolicy = {"stefanb@us.ibm.com", "https://sigstore.verify.ibm.com/oauth2"};

Json FixtureJson(const std::string& version) { return test::LoadKeyless(version).bundle; }

Bundle ParseOrDie(const Json& json) {
  const std::string text = json.dump();
  auto bundle = ParseBundle(ByteView(text));
  EXPECT_TRUE(bundle.ok()) << (bundle ? "" : bundle.error().message);
  return bundle ? std::move(*bundle) : Bundle{};
}

SigstoreVerdict Verify(const Json& json, const TrustedRoot& root = test::PublicGoodRoot(),
                       const SigstorePolicy& policy = kPolicy) {
  return VerifySigstoreBundle(ParseOrDie(json), root, policy);
}

// Flips one bit of the base64-encoded bytes at `field`, `from_end` bytes before their end.
void FlipBase64(Json& field, std::size_t from_end, std::uint8_t mask = 0x01) {
  Bytes bytes = test::B64(field);
  ASSERT_GT(bytes.size(), from_end);
  bytes[bytes.size() - 1 - from_end] ^= mask;
  field = Base64Encode(bytes);
}

Json& Entry(Json& bundle) { return bundle["verificationMaterial"]["tlogEntries"][0]; }

void ExpectFailure(const SigstoreVerdict& verdict, SigstoreCheck check) {
  ASSERT_FALSE(verdict.ok()) << "verified although " << SigstoreCheckName(check) << " was broken";
  EXPECT_EQ(*verdict.failed, check)
      << "expected " << SigstoreCheckName(check) << ", got: " << verdict.message;
  EXPECT_EQ(verdict.message.rfind("sigstore " + std::string(SigstoreCheckName(check)) + ": ", 0),
            0u)
      << verdict.message;
}

TEST(SigstoreVerify, AllFourReferenceBundlesVerify) {
  for (const std::string& version : test::KeylessVersions()) {
    const test::KeylessFixture fixture = test::LoadKeyless(version);
    const SigstoreVerdict verdict = Verify(fixture.bundle);
    ASSERT_TRUE(verdict.ok()) << version << ": " << verdict.message;
    EXPECT_EQ(verdict.signer.identity, kPolicy.identity);
    EXPECT_EQ(verdict.signer.identity_provider, kPolicy.identity_provider);
    EXPECT_EQ(verdict.signer.log_index, static_cast<std::uint64_t>(fixture.log_index));
    EXPECT_EQ(verdict.signer.log_url, "https://rekor.sigstore.dev");
    if (fixture.timestamps.empty()) {
      EXPECT_EQ(verdict.signer.signing_time, fixture.integrated_time) << version;
      EXPECT_EQ(verdict.signer.time_source, "transparency log");
    } else {
      EXPECT_LE(verdict.signer.signing_time, fixture.integrated_time) << version;
      EXPECT_EQ(verdict.signer.time_source, "RFC 3161 timestamp");
    }
  }
}

TEST(SigstoreVerify, SharedFixturesVerifyToo) {
  const fs::path shared = mg::test::SharedDir() / "fixtures" / "oms";
  if (!fs::exists(shared)) GTEST_SKIP() << "no " << shared;
  const std::string root_text =
      mg::test::ReadFile(shared / "sigstore-public-good-trusted_root.json");
  auto root = ParseTrustedRoot(ByteView(root_text));
  ASSERT_TRUE(root.ok());
  for (const std::string& version : test::KeylessVersions()) {
    const std::string text =
        mg::test::ReadFile(shared / "model-transparency" / (version + "-sigstore") / "model.sig");
    auto bundle = ParseBundle(ByteView(text));
    ASSERT_TRUE(bundle.ok()) << version;
    EXPECT_TRUE(VerifySigstoreBundle(*bundle, *root, kPolicy).ok()) << version;
  }
}

TEST(SigstoreVerify, WrongIdentityOrIssuerFails) {
  const Json bundle = FixtureJson("v1.1.0");
  ExpectFailure(Verify(bundle, test::PublicGoodRoot(),
                       {"attacker@attacker.invalid", kPolicy.identity_provider}),
                SigstoreCheck::kIdentity);
  // Identities compare exactly: no case folding, no prefix match.
  ExpectFailure(
      Verify(bundle, test::PublicGoodRoot(), {"Stefanb@us.ibm.com", kPolicy.identity_provider}),
      SigstoreCheck::kIdentity);
  ExpectFailure(Verify(bundle, test::PublicGoodRoot(),
                       {kPolicy.identity, "https://accounts.attacker.invalid"}),
                SigstoreCheck::kIssuer);
  ExpectFailure(
      Verify(bundle, test::PublicGoodRoot(), {kPolicy.identity, kPolicy.identity_provider + "/"}),
      SigstoreCheck::kIssuer);
}

TEST(SigstoreVerify, FlippedBitInTheLeafCertificateFails) {
  Json bundle = FixtureJson("v1.0.1");
  FlipBase64(bundle["verificationMaterial"]["certificate"]["rawBytes"], 3);
  ExpectFailure(Verify(bundle), SigstoreCheck::kCertificateChain);
}

TEST(SigstoreVerify, FlippedBitInTheSetFails) {
  Json bundle = FixtureJson("v1.0.0");
  FlipBase64(Entry(bundle)["inclusionPromise"]["signedEntryTimestamp"], 2);
  ExpectFailure(Verify(bundle), SigstoreCheck::kSignedEntryTimestamp);
  // Changing what the SET covers fails it too.
  Json later = FixtureJson("v1.0.0");
  Entry(later)["integratedTime"] = std::to_string(test::LoadKeyless("v1.0.0").integrated_time + 60);
  ExpectFailure(Verify(later), SigstoreCheck::kSignedEntryTimestamp);
}

TEST(SigstoreVerify, FlippedBitInAProofHashFails) {
  Json bundle = FixtureJson("v1.1.0");
  FlipBase64(Entry(bundle)["inclusionProof"]["hashes"][4], 0, 0x80);
  ExpectFailure(Verify(bundle), SigstoreCheck::kTlogInclusion);
  Json dropped = FixtureJson("v1.1.0");
  Entry(dropped)["inclusionProof"]["hashes"].erase(0);
  ExpectFailure(Verify(dropped), SigstoreCheck::kTlogInclusion);
}

TEST(SigstoreVerify, FlippedBitInTheCheckpointSignatureFails) {
  Json bundle = FixtureJson("v1.0.1");
  Json& envelope = Entry(bundle)["inclusionProof"]["checkpoint"]["envelope"];
  std::string note = envelope.get<std::string>();
  const std::size_t signature = note.rfind(' ') + 1;
  Bytes hinted = Base64Decode(note.substr(signature, note.size() - signature - 1)).value();
  hinted[12] ^= 0x01;
  envelope = note.substr(0, signature) + Base64Encode(hinted) + "\n";
  ExpectFailure(Verify(bundle), SigstoreCheck::kCheckpoint);
}

TEST(SigstoreVerify, CheckpointOfAnotherTreeFails) {
  // A genuine checkpoint (v1.0.0's) that does not sign this proof's tree.
  Json bundle = FixtureJson("v1.1.0");
  Json other = FixtureJson("v1.0.0");
  Entry(bundle)["inclusionProof"]["checkpoint"] = Entry(other)["inclusionProof"]["checkpoint"];
  ExpectFailure(Verify(bundle), SigstoreCheck::kCheckpoint);
}

TEST(SigstoreVerify, SctFromAnUnknownLogFails) {
  TrustedRoot root = test::PublicGoodRoot();
  root.ctlogs.clear();
  ExpectFailure(Verify(FixtureJson("v1.0.0"), root), SigstoreCheck::kSct);
}

TEST(SigstoreVerify, FlippedBitInTheTimestampTokenFails) {
  Json bundle = FixtureJson("v1.1.0");
  FlipBase64(bundle["verificationMaterial"]["timestampVerificationData"]["rfc3161Timestamps"][0]
                   ["signedTimestamp"],
             4);
  ExpectFailure(Verify(bundle), SigstoreCheck::kTimestamp);
}

TEST(SigstoreVerify, FlippedBitInTheCanonicalizedBodyFails) {
  // The body is a Merkle leaf: any change breaks the inclusion proof before anything else.
  Json bundle = FixtureJson("v1.0.1");
  FlipBase64(Entry(bundle)["canonicalizedBody"], 40);
  ExpectFailure(Verify(bundle), SigstoreCheck::kTlogInclusion);
}

TEST(SigstoreVerify, FlippedBitInTheDsseSignatureFails) {
  Json bundle = FixtureJson("v1.0.0");
  FlipBase64(bundle["dsseEnvelope"]["signatures"][0]["sig"], 1);
  ExpectFailure(Verify(bundle), SigstoreCheck::kSignature);
  // With an RFC 3161 timestamp, the timestamp's imprint catches it first.
  Json stamped = FixtureJson("v1.1.0");
  FlipBase64(stamped["dsseEnvelope"]["signatures"][0]["sig"], 1);
  ExpectFailure(Verify(stamped), SigstoreCheck::kTimestamp);
  // The payload is signed as well.
  Json payload = FixtureJson("v1.0.0");
  FlipBase64(payload["dsseEnvelope"]["payload"], 30, 0x20);
  ExpectFailure(Verify(payload), SigstoreCheck::kSignature);
}

TEST(SigstoreVerify, StagingTrustedRootFails) {
  for (const std::string& version : test::KeylessVersions()) {
    EXPECT_FALSE(Verify(FixtureJson(version), test::StagingRoot()).ok()) << version;
  }
  ExpectFailure(Verify(FixtureJson("v1.0.0"), test::StagingRoot()), SigstoreCheck::kTlogInclusion);
}

TEST(SigstoreVerify, CertificateAuthorityOutsideItsValidityFails) {
  TrustedRoot root = test::PublicGoodRoot();
  root.certificate_authorities.back().valid_for.end =
      test::LoadKeyless("v1.0.0").integrated_time - 1;
  ExpectFailure(Verify(FixtureJson("v1.0.0"), root), SigstoreCheck::kCertificateChain);
}

TEST(SigstoreVerify, BundleShapeIsEnforced) {
  Json no_time = FixtureJson("v1.0.0");
  Entry(no_time).erase("inclusionPromise");
  ExpectFailure(Verify(no_time), SigstoreCheck::kBundleShape);
  Json no_checkpoint = FixtureJson("v1.0.0");
  Entry(no_checkpoint)["inclusionProof"].erase("checkpoint");
  ExpectFailure(Verify(no_checkpoint), SigstoreCheck::kBundleShape);
  Json two_entries = FixtureJson("v1.0.0");
  two_entries["verificationMaterial"]["tlogEntries"].push_back(Entry(two_entries));
  ExpectFailure(Verify(two_entries), SigstoreCheck::kBundleShape);
  // Rekor's integratedTime without a SET is not trusted; the TSA time alone suffices.
  Json tsa_only = FixtureJson("v1.1.0");
  Entry(tsa_only).erase("inclusionPromise");
  EXPECT_TRUE(Verify(tsa_only).ok());
}

TEST(SigstoreVerify, KeyBundlesAreNotKeyless) {
  const fs::path key_bundle = test::SigstoreTestData().parent_path() / "model-transparency" /
                              "v1.1.0-elliptic-key" / "model.sig";
  const std::string text = mg::test::ReadFile(key_bundle);
  auto bundle = ParseBundle(ByteView(text));
  ASSERT_TRUE(bundle.ok());
  ExpectFailure(VerifySigstoreBundle(*bundle, test::PublicGoodRoot(), kPolicy),
                SigstoreCheck::kBundleShape);
}

// The whole flow (VerifyModel) with the Sigstore plug-in.
class ScratchCopy {
 public:
  explicit ScratchCopy(const std::string& version) {
    path_ = fs::temp_directory_path() /
            ("modelgate_sigstore_test_" + std::to_string(::getpid()) + "_" + version);
    fs::remove_all(path_);
    fs::copy(test::KeylessModelDir(version), path_, fs::copy_options::recursive);
  }
  ~ScratchCopy() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

VerifyOutcome VerifyDir(const fs::path& model, const std::string& version) {
  VerifyOptions options;
  options.model = model;
  if (version == "v1.0.1") options.ignore_paths = {"ignore-me"};
  return VerifyModel(options, SigstoreVerifier(test::PublicGoodRoot(), kPolicy));
}

TEST(SigstoreVerifyModel, ReferenceModelsVerify) {
  for (const std::string& version : test::KeylessVersions()) {
    const VerifyOutcome outcome = VerifyDir(test::KeylessModelDir(version), version);
    EXPECT_TRUE(outcome.verified()) << version << ": " << outcome.message;
    ASSERT_TRUE(outcome.signer.has_value());
    EXPECT_EQ(outcome.signer->method, "sigstore");
    EXPECT_EQ(outcome.signer->identity, kPolicy.identity);
    EXPECT_EQ(outcome.signer->issuer, kPolicy.identity_provider);
    EXPECT_NE(outcome.signer->signed_at.find("https://rekor.sigstore.dev"), std::string::npos);
  }
}

TEST(SigstoreVerifyModel, TamperedModelsFailNamingTheFile) {
  {
    ScratchCopy copy("v1.1.0");
    std::ofstream(copy.path() / "signme-1", std::ios::binary) << "signme-X";
    const VerifyOutcome outcome = VerifyDir(copy.path(), "v1.1.0");
    EXPECT_EQ(outcome.stage, VerifyStage::kManifest) << outcome.message;
    EXPECT_EQ(outcome.diff.modified, std::vector<std::string>{"signme-1"});
  }
  {
    ScratchCopy copy("v1.0.0");
    std::ofstream(copy.path() / "extra.py", std::ios::binary) << "print('attacker.invalid')";
    const VerifyOutcome outcome = VerifyDir(copy.path(), "v1.0.0");
    EXPECT_EQ(outcome.stage, VerifyStage::kManifest) << outcome.message;
    EXPECT_EQ(outcome.diff.added, std::vector<std::string>{"extra.py"});
  }
  {
    ScratchCopy copy("v0.3.1");
    fs::remove(copy.path() / "signme-2");
    const VerifyOutcome outcome = VerifyDir(copy.path(), "v0.3.1");
    EXPECT_EQ(outcome.stage, VerifyStage::kManifest) << outcome.message;
    EXPECT_EQ(outcome.diff.removed, std::vector<std::string>{"signme-2"});
  }
}

TEST(SigstoreVerifyModel, UntrustedSignerStopsAtTheSignatureStage) {
  VerifyOptions options;
  options.model = test::KeylessModelDir("v1.1.0");
  const VerifyOutcome outcome = VerifyModel(
      options,
      SigstoreVerifier(test::PublicGoodRoot(), {"x@attacker.invalid", kPolicy.identity_provider}));
  EXPECT_EQ(outcome.status, VerifyStatus::kFailed);
  EXPECT_EQ(outcome.stage, VerifyStage::kSignature);
  EXPECT_NE(outcome.message.find("sigstore identity"), std::string::npos) << outcome.message;
}

}  // namespace
}  // namespace mg::integrity::sigstore
