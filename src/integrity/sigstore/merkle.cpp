#include "integrity/sigstore/merkle.h"

#include <openssl/sha.h>

#include <bit>

namespace mg::integrity::sigstore {
namespace {

Bytes Sha256Of(std::uint8_t prefix, ByteView first, ByteView second) {
  Bytes digest(SHA256_DIGEST_LENGTH);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1 &&
                  EVP_DigestUpdate(ctx, &prefix, 1) == 1 &&
                  EVP_DigestUpdate(ctx, first.data(), first.size()) == 1 &&
                  EVP_DigestUpdate(ctx, second.data(), second.size()) == 1 &&
                  EVP_DigestFinal_ex(ctx, digest.data(), nullptr) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) digest.clear();
  return digest;
}

}  // namespace

Bytes MerkleLeafHash(ByteView entry) { return Sha256Of(0x00, entry, ByteView()); }

Bytes MerkleNodeHash(const Bytes& left, const Bytes& right) {
  return Sha256Of(0x01, View(left), View(right));
}

Status VerifyInclusion(std::uint64_t index, std::uint64_t tree_size, const Bytes& leaf_hash,
                       const std::vector<Bytes>& proof, const Bytes& expected_root) {
  if (index >= tree_size) {
    return Error::Malformed(0, "leaf index " + std::to_string(index) +
                                   " is not below the tree size " + std::to_string(tree_size));
  }
  if (proof.size() > kMaxInclusionProofHashes) {
    return Error::Limit(0, "inclusion proof has more than 64 hashes");
  }
  // The path splits into `inner` levels where the leaf's subtree has a sibling on either side,
  // then `border` levels along the right edge where the sibling is always on the left.
  const unsigned inner = static_cast<unsigned>(std::bit_width(index ^ (tree_size - 1)));
  const unsigned border = static_cast<unsigned>(std::popcount(inner >= 64 ? 0 : index >> inner));
  if (proof.size() != static_cast<std::size_t>(inner) + border) {
    return Error::Malformed(0, "inclusion proof has " + std::to_string(proof.size()) +
                                   " hashes, a tree of this size needs " +
                                   std::to_string(inner + border));
  }
  for (const Bytes& hash : proof) {
    if (hash.size() != SHA256_DIGEST_LENGTH) {
      return Error::Malformed(0, "inclusion proof hash is not 32 bytes");
    }
  }
  Bytes hash = leaf_hash;
  for (unsigned level = 0; level < inner; ++level) {
    hash = ((index >> level) & 1) == 0 ? MerkleNodeHash(hash, proof[level])
                                       : MerkleNodeHash(proof[level], hash);
  }
  for (std::size_t level = inner; level < proof.size(); ++level) {
    hash = MerkleNodeHash(proof[level], hash);
  }
  if (hash.empty() || hash != expected_root) {
    return Error::Malformed(0, "inclusion proof does not lead to the root hash");
  }
  return {};
}

}  // namespace mg::integrity::sigstore
