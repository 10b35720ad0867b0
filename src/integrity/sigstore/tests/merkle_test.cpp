#include "integrity/sigstore/merkle.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "integrity/sigstore/tests/keyless_fixture.h"

namespace mg::integrity::sigstore {
namespace {

// Reference tree from the recursive definitions of RFC 6962 §2.1 (MTH) and §2.1.1 (PATH), kept
// independent of the iterative verifier under test.
std::uint64_t LargestPowerOfTwoBelow(std::uint64_t n) {
  std::uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

Bytes TreeHash(const std::vector<Bytes>& leaves, std::size_t begin, std::size_t end) {
  if (end - begin == 1) return MerkleLeafHash(View(leaves[begin]));
  const std::size_t split = begin + LargestPowerOfTwoBelow(end - begin);
  return MerkleNodeHash(TreeHash(leaves, begin, split), TreeHash(leaves, split, end));
}

std::vector<Bytes> AuditPath(const std::vector<Bytes>& leaves, std::size_t index, std::size_t begin,
                             std::size_t end) {
  if (end - begin == 1) return {};
  const std::size_t split = begin + LargestPowerOfTwoBelow(end - begin);
  std::vector<Bytes> path;
  if (index < split) {
    path = AuditPath(leaves, index, begin, split);
    path.push_back(TreeHash(leaves, split, end));
  } else {
    path = AuditPath(leaves, index, split, end);
    path.push_back(TreeHash(leaves, begin, split));
  }
  return path;
}

std::vector<Bytes> MakeLeaves(std::size_t count) {
  std::vector<Bytes> leaves;
  for (std::size_t i = 0; i < count; ++i) {
    const std::string text = "entry " + std::to_string(i);
    leaves.emplace_back(text.begin(), text.end());
  }
  return leaves;
}

TEST(SigstoreMerkle, EveryLeafOfTreesUpTo33LeavesVerifies) {
  for (std::size_t size = 1; size <= 33; ++size) {
    const std::vector<Bytes> leaves = MakeLeaves(size);
    const Bytes root = TreeHash(leaves, 0, size);
    for (std::size_t index = 0; index < size; ++index) {
      const Status status = VerifyInclusion(index, size, MerkleLeafHash(View(leaves[index])),
                                            AuditPath(leaves, index, 0, size), root);
      EXPECT_TRUE(status.ok()) << "size " << size << " index " << index;
    }
  }
}

TEST(SigstoreMerkle, SizeOneTreeHasAnEmptyProofAndTheLeafAsRoot) {
  const Bytes leaf = MerkleLeafHash(ByteView(std::string_view("only")));
  EXPECT_TRUE(VerifyInclusion(0, 1, leaf, {}, leaf).ok());
  EXPECT_FALSE(VerifyInclusion(0, 1, leaf, {leaf}, leaf).ok());
}

TEST(SigstoreMerkle, FirstAndLastIndexOfAnUnbalancedTree) {
  const std::vector<Bytes> leaves = MakeLeaves(7);
  const Bytes root = TreeHash(leaves, 0, 7);
  EXPECT_TRUE(
      VerifyInclusion(0, 7, MerkleLeafHash(View(leaves[0])), AuditPath(leaves, 0, 0, 7), root)
          .ok());
  // The last leaf of 7 sits on the right border: its path is shorter (2 hashes, not 3).
  const std::vector<Bytes> last_path = AuditPath(leaves, 6, 0, 7);
  EXPECT_EQ(last_path.size(), 2u);
  EXPECT_TRUE(VerifyInclusion(6, 7, MerkleLeafHash(View(leaves[6])), last_path, root).ok());
  // The same path for another index is rejected.
  EXPECT_FALSE(VerifyInclusion(5, 7, MerkleLeafHash(View(leaves[6])), last_path, root).ok());
}

TEST(SigstoreMerkle, RejectsIndexAtOrBeyondTreeSizeAndEmptyTree) {
  const Bytes leaf = MerkleLeafHash(ByteView(std::string_view("x")));
  EXPECT_FALSE(VerifyInclusion(1, 1, leaf, {}, leaf).ok());
  EXPECT_FALSE(VerifyInclusion(5, 3, leaf, {leaf, leaf}, leaf).ok());
  EXPECT_FALSE(VerifyInclusion(0, 0, leaf, {}, leaf).ok());
}

TEST(SigstoreMerkle, RejectsWrongProofLengthAndOversizedProofs) {
  const std::vector<Bytes> leaves = MakeLeaves(8);
  const Bytes root = TreeHash(leaves, 0, 8);
  std::vector<Bytes> path = AuditPath(leaves, 3, 0, 8);
  path.pop_back();
  const Status short_proof = VerifyInclusion(3, 8, MerkleLeafHash(View(leaves[3])), path, root);
  ASSERT_FALSE(short_proof.ok());
  EXPECT_NE(short_proof.error().message.find("needs 3"), std::string::npos);
  const std::vector<Bytes> huge(65, root);
  const Status oversized = VerifyInclusion(3, UINT64_MAX, root, huge, root);
  ASSERT_FALSE(oversized.ok());
  EXPECT_EQ(oversized.error().code, ErrorCode::kLimitExceeded);
}

TEST(SigstoreMerkle, MaximalTreeSizeNeedsAtMost64Hashes) {
  // Index 0 of 2^64 - 1 leaves has 64 inner levels; the border count must not shift by 64.
  const Bytes leaf = MerkleLeafHash(ByteView(std::string_view("x")));
  const Status status = VerifyInclusion(0, UINT64_MAX, leaf, {}, leaf);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("needs 64"), std::string::npos);
}

TEST(SigstoreMerkle, RejectsShortHashesAndWrongRoot) {
  const std::vector<Bytes> leaves = MakeLeaves(4);
  const Bytes root = TreeHash(leaves, 0, 4);
  std::vector<Bytes> path = AuditPath(leaves, 1, 0, 4);
  Bytes wrong_root = root;
  wrong_root[0] ^= 1;
  EXPECT_FALSE(VerifyInclusion(1, 4, MerkleLeafHash(View(leaves[1])), path, wrong_root).ok());
  path[0].pop_back();
  EXPECT_FALSE(VerifyInclusion(1, 4, MerkleLeafHash(View(leaves[1])), path, root).ok());
}

TEST(SigstoreMerkle, FixtureProofsVerifyAndAFlippedBitFails) {
  for (const std::string& version : test::KeylessVersions()) {
    const test::KeylessFixture fixture = test::LoadKeyless(version);
    const Bytes leaf = MerkleLeafHash(View(fixture.body));
    const auto index = static_cast<std::uint64_t>(fixture.proof_index);
    const auto size = static_cast<std::uint64_t>(fixture.tree_size);
    EXPECT_TRUE(VerifyInclusion(index, size, leaf, fixture.proof, fixture.root_hash).ok())
        << version;
    std::vector<Bytes> tampered = fixture.proof;
    tampered[tampered.size() / 2][7] ^= 0x10;
    EXPECT_FALSE(VerifyInclusion(index, size, leaf, tampered, fixture.root_hash).ok()) << version;
  }
}

}  // namespace
}  // namespace mg::integrity::sigstore
