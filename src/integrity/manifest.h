// The manifest of a model: one digest per file (or per shard of a file), as OpenSSF Model Signing
// (OMS v1.0 §5.2) records it in the signed predicate. Hashing produces one; verification parses
// one from the bundle and compares it with a fresh one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mg::integrity {

enum class HashAlgorithm { kSha256, kBlake2b };

enum class SerializationMethod { kFiles, kShards };

// How the model was serialized; recorded verbatim in `predicate.serialization`.
struct Serialization {
  SerializationMethod method = SerializationMethod::kFiles;
  HashAlgorithm hash = HashAlgorithm::kSha256;
  // OMS §6.3.2: positive integer, present only for shards. Default 1 GB (decimal), as the
  // reference tool uses.
  std::uint64_t shard_size = 1'000'000'000;
  bool allow_symlinks = false;
  // Relative POSIX paths excluded from the manifest (recorded in the predicate since v1.1).
  std::vector<std::string> ignore_paths;
};

// One entry of `predicate.resources`: a file ("dir/f.bin") or a shard ("dir/f.bin:0:1000").
struct Resource {
  std::string name;
  // As written in the bundle: "sha256", "blake2b", or "sha256-sharded-<N>" for shards.
  std::string algorithm;
  std::vector<std::uint8_t> digest;  // raw bytes (32 for sha256, 64 for blake2b)
};

struct Manifest {
  Serialization serialization;
  std::string model_name;  // the subject name: informational, never verified (OMS §6.6)
  // Signing emits these in byte-wise order of `name` (OMS §5.2.1); a parsed manifest keeps the
  // bundle's order, because the root digest is computed over the order given.
  std::vector<Resource> resources;
};

// OMS §6.5.1: SHA-256 over the concatenated raw resource digests, in the manifest's order.
// Always SHA-256, whatever the per-file hash.
std::vector<std::uint8_t> RootDigest(const Manifest& manifest);

// What differs between the signed manifest and the model on disk, by resource name.
struct ManifestDiff {
  std::vector<std::string> modified;  // same name, different digest or algorithm
  std::vector<std::string> added;     // on disk, not signed
  std::vector<std::string> removed;   // signed, not on disk
  bool empty() const { return modified.empty() && added.empty() && removed.empty(); }
};

// Compares by name (order-insensitive); each list is sorted byte-wise.
ManifestDiff CompareManifests(const Manifest& signed_manifest, const Manifest& on_disk);

// "sha256" / "blake2b", the names used in `serialization.hash_type`.
std::string HashAlgorithmName(HashAlgorithm algorithm);
std::optional<HashAlgorithm> ParseHashAlgorithmName(std::string_view name);

}  // namespace mg::integrity
