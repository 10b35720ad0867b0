#include "integrity/manifest.h"

#include <gtest/gtest.h>

#include <string>

namespace mg::integrity {
namespace {

std::vector<std::uint8_t> FromHex(const std::string& hex) {
  std::vector<std::uint8_t> bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return bytes;
}

// The v1.1.0-elliptic-key fixture of the reference tool: two files, and the subject digest its
// bundle records (../shared/fixtures/oms/README.md).
Manifest ReferenceManifest() {
  Manifest manifest;
  manifest.resources = {
      {"signme-1", "sha256",
       FromHex("bc9a717db6064a32cbe9eae6fc40651dd6d36ef1757183f590eff2b1765d7ebc")},
      {"signme-2", "sha256",
       FromHex("32dcb1f8e1ae52d5963e56a6ba06ab58b424c15ed2a6b70d2feca1d089370028")},
  };
  return manifest;
}

TEST(Manifest, RootDigestIsSha256OfConcatenatedRawDigests) {
  EXPECT_EQ(RootDigest(ReferenceManifest()),
            FromHex("92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4"));
}

TEST(Manifest, RootDigestFollowsTheGivenOrder) {
  Manifest reversed = ReferenceManifest();
  std::swap(reversed.resources[0], reversed.resources[1]);
  EXPECT_NE(RootDigest(reversed), RootDigest(ReferenceManifest()));
}

TEST(Manifest, RootDigestOfNoResourcesIsSha256OfNothing) {
  EXPECT_EQ(RootDigest(Manifest{}),
            FromHex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
}

TEST(Manifest, CompareNamesModifiedAddedAndRemovedFiles) {
  Manifest on_disk = ReferenceManifest();
  on_disk.resources[0].digest[0] ^= 1;                       // signme-1 changed
  on_disk.resources.erase(on_disk.resources.begin() + 1);   // signme-2 gone
  on_disk.resources.push_back({"extra.bin", "sha256", std::vector<std::uint8_t>(32, 7)});
  const ManifestDiff diff = CompareManifests(ReferenceManifest(), on_disk);
  EXPECT_EQ(diff.modified, std::vector<std::string>{"signme-1"});
  EXPECT_EQ(diff.removed, std::vector<std::string>{"signme-2"});
  EXPECT_EQ(diff.added, std::vector<std::string>{"extra.bin"});
  EXPECT_FALSE(diff.empty());
}

TEST(Manifest, CompareIgnoresOrderButNotAlgorithm) {
  Manifest reordered = ReferenceManifest();
  std::swap(reordered.resources[0], reordered.resources[1]);
  EXPECT_TRUE(CompareManifests(ReferenceManifest(), reordered).empty());
  reordered.resources[0].algorithm = "sha256-sharded-8";
  EXPECT_EQ(CompareManifests(ReferenceManifest(), reordered).modified,
            std::vector<std::string>{"signme-2"});
}

TEST(Manifest, HashAlgorithmNamesRoundTrip) {
  for (HashAlgorithm algorithm : {HashAlgorithm::kSha256, HashAlgorithm::kBlake2b}) {
    EXPECT_EQ(ParseHashAlgorithmName(HashAlgorithmName(algorithm)), algorithm);
  }
  EXPECT_FALSE(ParseHashAlgorithmName("blake3").has_value());
  EXPECT_FALSE(ParseHashAlgorithmName("SHA256").has_value());
}

}  // namespace
}  // namespace mg::integrity
