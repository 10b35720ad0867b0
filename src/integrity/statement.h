// The in-toto Statement v1 that an OMS signature covers (OMS v1.0 §5, §6.5, §6.6): one subject
// (model name + SHA-256 root digest) and the predicate `https://model_signing/signature/v1.0`
// with the manifest (`resources`) and how it was made (`serialization`).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/byte_view.h"
#include "core/result.h"
#include "integrity/manifest.h"

namespace mg::integrity {

inline constexpr std::string_view kStatementType = "https://in-toto.io/Statement/v1";
inline constexpr std::string_view kPredicateType = "https://model_signing/signature/v1.0";
// model_signing v0.2.0: one subject per file, no serialization (OMS §5.1, verify only).
inline constexpr std::string_view kLegacyPredicateType = "https://model_signing/Digests/v0.1";
inline constexpr std::string_view kLegacyModelName = "compat-undefined-not-present";

struct StatementLimits {
  std::uint64_t max_payload_bytes = 512ULL << 20;  // a manifest of ~2 M resources
  std::uint64_t max_resources = 2'000'000;
  std::uint64_t max_name_bytes = 4096;  // PATH_MAX; longer names cannot exist on disk
  std::uint64_t max_ignore_paths = 10'000;
};

// The resource `algorithm` the reference tools write for a shard: "<hash>-sharded-<size>".
std::string ShardAlgorithmName(HashAlgorithm hash, std::uint64_t shard_size);

// The statement as 2-space indented JSON with a fixed key order, resources in the manifest's
// order (the signer's manifest is byte-wise sorted), ignore_paths sorted: the same manifest
// always gives the same bytes. shard_size is written as an integer (oms-format-notes §2.2).
std::string BuildStatement(const Manifest& manifest);

struct ParsedStatement {
  Manifest manifest;
  bool legacy = false;  // the v0.1 predicate (then only the v0.2 signature encoding is expected)
  // Resources strictly increasing byte-wise by name (OMS §5.2.1); Python-signed bundles may not
  // be, and are still accepted (the root digest is computed in the given order).
  bool canonical_order = true;
};

// Parses a decoded DSSE payload and checks it as oms-format-notes §1.5 lists: statement type,
// predicate type, exactly one subject whose sha256 equals the root digest of the resources in
// the given order, a known serialization, well-formed resource names and digests, no
// duplicates. Shard resources accept "<hash>" and "<hash>-sharded-<N>" and are normalized to the
// latter; shard_size may be an integral double (1000000000.0).
Result<ParsedStatement> ParseStatement(ByteView payload, const StatementLimits& limits = {});

// Splits "path:start:end" at its last two colons (OMS §6.3.2). False when malformed.
bool ParseShardName(std::string_view name, std::string_view& path, std::uint64_t& start,
                    std::uint64_t& end);

}  // namespace mg::integrity
