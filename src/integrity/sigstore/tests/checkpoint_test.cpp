#include "integrity/sigstore/checkpoint.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "integrity/sigstore/tests/keyless_fixture.h"

namespace mg::integrity::sigstore {
namespace {

TEST(SigstoreCheckpoint, ParsesTheFixtureNote) {
  const test::KeylessFixture fixture = test::LoadKeyless("v1.1.0");
  auto checkpoint = ParseCheckpoint(fixture.checkpoint);
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.error().message;
  EXPECT_EQ(checkpoint->origin, "rekor.sigstore.dev - 1193050959916656506");
  EXPECT_EQ(checkpoint->tree_size, static_cast<std::uint64_t>(fixture.tree_size));
  EXPECT_EQ(checkpoint->root_hash, fixture.root_hash);
  EXPECT_TRUE(checkpoint->extensions.empty());
  ASSERT_EQ(checkpoint->signatures.size(), 1u);
  EXPECT_EQ(checkpoint->signatures[0].name, "rekor.sigstore.dev");
  EXPECT_EQ(checkpoint->signatures[0].key_hint,
            Bytes(fixture.log_id.begin(), fixture.log_id.begin() + 4));
  EXPECT_EQ(checkpoint->note_text,
            fixture.checkpoint.substr(0, fixture.checkpoint.find("\n\n") + 1));
}

TEST(SigstoreCheckpoint, FixtureSignaturesVerifyWithTheRekorKey) {
  const TrustedRoot root = test::PublicGoodRoot();
  for (const std::string& version : test::KeylessVersions()) {
    const test::KeylessFixture fixture = test::LoadKeyless(version);
    const LogKey* log = root.FindTlog(fixture.log_id);
    ASSERT_NE(log, nullptr) << version;
    auto checkpoint = ParseCheckpoint(fixture.checkpoint);
    ASSERT_TRUE(checkpoint.ok()) << version;
    EXPECT_TRUE(VerifyCheckpointSignature(*checkpoint, *log).ok()) << version;
  }
}

TEST(SigstoreCheckpoint, FlippedSignatureOrEditedNoteFails) {
  const TrustedRoot root = test::PublicGoodRoot();
  const test::KeylessFixture fixture = test::LoadKeyless("v1.0.0");
  const LogKey* log = root.FindTlog(fixture.log_id);
  ASSERT_NE(log, nullptr);
  auto checkpoint = ParseCheckpoint(fixture.checkpoint);
  ASSERT_TRUE(checkpoint.ok());
  Checkpoint flipped = *checkpoint;
  flipped.signatures[0].signature[10] ^= 0x01;
  EXPECT_FALSE(VerifyCheckpointSignature(flipped, *log).ok());
  Checkpoint edited = *checkpoint;
  edited.note_text[edited.note_text.size() - 3] ^= 0x01;
  EXPECT_FALSE(VerifyCheckpointSignature(edited, *log).ok());
  Checkpoint other_hint = *checkpoint;
  other_hint.signatures[0].key_hint[0] ^= 0xff;
  const Status no_signer = VerifyCheckpointSignature(other_hint, *log);
  ASSERT_FALSE(no_signer.ok());
  EXPECT_NE(no_signer.error().message.find("key hint"), std::string::npos);
}

TEST(SigstoreCheckpoint, RejectsMalformedNotes) {
  const std::string sig_line = "\xE2\x80\x94 log AAAAAAAA\n";
  const std::string root = "V0NA1ekHc4sMtyOk9+rSfb50+v1kFb/0QXYbxrm43gk=";
  EXPECT_TRUE(ParseCheckpoint("origin\n12\n" + root + "\n\n" + sig_line).ok());
  EXPECT_FALSE(ParseCheckpoint("origin\n12\n" + root + "\n" + sig_line).ok());  // no blank line
  EXPECT_FALSE(ParseCheckpoint("origin\n12x\n" + root + "\n\n" + sig_line).ok());
  EXPECT_FALSE(ParseCheckpoint("origin\n012\n" + root + "\n\n" + sig_line).ok());
  EXPECT_FALSE(ParseCheckpoint("origin\n99999999999999999999\n" + root + "\n\n" + sig_line).ok());
  EXPECT_FALSE(ParseCheckpoint("origin\n12\nAAAA\n\n" + sig_line).ok());  // root not 32 bytes
  EXPECT_FALSE(ParseCheckpoint("\n12\n" + root + "\n\n" + sig_line).ok());
  EXPECT_FALSE(ParseCheckpoint("origin\n12\n" + root + "\n\n- log AAAAAAAA\n").ok());
  EXPECT_FALSE(ParseCheckpoint("origin\n12\n" + root + "\n\n\xE2\x80\x94 log AAAA\n").ok());
  EXPECT_FALSE(ParseCheckpoint("origin\n12\n" + root + "\n\n\xE2\x80\x94 log AAAAAAAA").ok());
  std::string many;
  for (int i = 0; i < 17; ++i) many += sig_line;
  EXPECT_FALSE(ParseCheckpoint("origin\n12\n" + root + "\n\n" + many).ok());
  EXPECT_FALSE(ParseCheckpoint(std::string(70'000, 'a')).ok());
}

// Rekor v2 logs sign checkpoints with Ed25519 and the C2SP key id as the hint.
TEST(SigstoreCheckpoint, Ed25519NoteVerifies) {
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  ASSERT_TRUE(key);
  unsigned char* spki = nullptr;
  const int spki_length = i2d_PUBKEY(key.get(), &spki);
  ASSERT_GT(spki_length, 0);
  LogKey log;
  log.base_url = "https://log.attacker.invalid";
  log.public_key_der.assign(spki, spki + spki_length);
  OPENSSL_free(spki);
  log.key_details = "PKIX_ED25519";
  log.log_id = Bytes(32, 0xaa);

  const std::string name = "log.attacker.invalid";
  std::uint8_t raw[32];
  std::size_t raw_length = sizeof(raw);
  ASSERT_EQ(EVP_PKEY_get_raw_public_key(key.get(), raw, &raw_length), 1);
  std::string key_id_input = name + "\n\x01";
  key_id_input.append(reinterpret_cast<const char*>(raw), raw_length);
  Bytes hint = Sha256(key_id_input);
  hint.resize(4);

  const std::string note = name + "\n5\nV0NA1ekHc4sMtyOk9+rSfb50+v1kFb/0QXYbxrm43gk=\n";
  Bytes signature(64);
  std::size_t signature_length = signature.size();
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ASSERT_EQ(EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, key.get()), 1);
  ASSERT_EQ(EVP_DigestSign(ctx, signature.data(), &signature_length,
                           reinterpret_cast<const unsigned char*>(note.data()), note.size()),
            1);
  EVP_MD_CTX_free(ctx);
  Bytes hinted = hint;
  hinted.insert(hinted.end(), signature.begin(), signature.end());
  const std::string envelope = note + "\n\xE2\x80\x94 " + name + " " + Base64Encode(hinted) + "\n";

  auto checkpoint = ParseCheckpoint(envelope);
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.error().message;
  EXPECT_EQ(checkpoint->tree_size, 5u);
  EXPECT_TRUE(VerifyCheckpointSignature(*checkpoint, log).ok());
  checkpoint->signatures[0].signature[0] ^= 0x80;
  EXPECT_FALSE(VerifyCheckpointSignature(*checkpoint, log).ok());
}

}  // namespace
}  // namespace mg::integrity::sigstore
