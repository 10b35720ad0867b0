// RFC 6962 §2.1 / RFC 9162 §2.1.3 Merkle tree hashing and inclusion proof verification, as
// Rekor uses it: leaf = SHA-256(0x00 || entry), node = SHA-256(0x01 || left || right).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/byte_view.h"
#include "core/result.h"
#include "integrity/sigstore/crypto.h"

namespace mg::integrity::sigstore {

// A tree of up to 2^64 leaves needs at most 64 proof hashes.
constexpr std::size_t kMaxInclusionProofHashes = 64;

Bytes MerkleLeafHash(ByteView entry);
Bytes MerkleNodeHash(const Bytes& left, const Bytes& right);

// Recomputes the root from `leaf_hash` at `index` in a tree of `tree_size` leaves with the
// audit path `proof` (RFC 9162 §2.1.3.2) and compares it with `expected_root`. Fails with a
// sentence naming the problem: index out of range, wrong proof length, or root mismatch.
Status VerifyInclusion(std::uint64_t index, std::uint64_t tree_size, const Bytes& leaf_hash,
                       const std::vector<Bytes>& proof, const Bytes& expected_root);

}  // namespace mg::integrity::sigstore
