// The pickle VM's fixed limits, in one place. Each bounds memory or time whatever the input;
// exceeding one is reported as PICKLE-LIMIT (incomplete) and analysis continues where it is
// still sound: every callable a pickle can invoke comes from GLOBAL, INST, STACK_GLOBAL or EXT,
// and those opcodes are always decoded. docs/pickle-vm.md lists these defaults.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mg::pickle {

// Values on the stack at once (8 bytes each: 8 MiB). The pickler batches 1000 items per
// APPENDS/SETITEMS and nests one level per container, so real pickles stay far below.
inline constexpr std::size_t kMaxStackDepth = std::size_t{1} << 20;
// Open MARKs at once (nesting of protocol 0/1 containers and calls).
inline constexpr std::size_t kMaxMarkDepth = std::size_t{1} << 16;
// Memo indexes below this live in a dense array (8 bytes each, grown on demand: 16 MiB at most).
inline constexpr std::uint64_t kMaxMemoDenseIndex = std::uint64_t{1} << 21;
// Memo indexes above kMaxMemoDenseIndex (LONG_BINPUT takes any 32-bit index) go to a map.
inline constexpr std::size_t kMaxMemoSparseEntries = std::size_t{1} << 16;
// Container and call nodes alive at once (120 bytes each: 30 MiB). Unreachable nodes are
// collected; when the pool is still full a container becomes opaque (count only).
inline constexpr std::size_t kMaxNodes = std::size_t{1} << 18;
// Children kept per container for evidence and argument evaluation (joblib's wrapper state dict
// has 6 pairs); the rest are only counted.
inline constexpr std::size_t kNodeSample = 12;
// Distinct (module, name) pairs resolved in one pickle.
inline constexpr std::size_t kMaxGlobals = std::size_t{1} << 16;
// Longest module or name judged; CPython has no limit, but no importable module is this long.
inline constexpr std::size_t kMaxGlobalNameLength = 4096;
// Evidence: total characters, characters of one string or bytes literal, nesting depth.
inline constexpr std::size_t kMaxEvidenceChars = 400;
inline constexpr std::size_t kMaxEvidenceLiteral = 80;
inline constexpr int kMaxEvidenceDepth = 6;
// Distinct findings kept per pickle; further ones are counted in one summary finding per rule.
inline constexpr std::size_t kMaxFindingsPerPickle = 1000;
// A nested payload (decoded argument of pickle.loads and friends) larger than this is not
// decoded. Decoding also draws on the scan's --max-decompressed budget and ratio limit.
inline constexpr std::uint64_t kMaxNestedPayloadBytes = std::uint64_t{256} << 20;
// Decoder calls stacked on one argument (b64decode(decompress(unhexlify(...)))).
inline constexpr int kMaxDecodeDepth = 8;
// Pickles analysed one after the other in one payload.
inline constexpr std::size_t kMaxPicklesPerPayload = 4096;
// Bytes after the last pickle searched for a further (hidden) pickle, and probes tried there.
inline constexpr std::uint64_t kMaxTrailingSearchBytes = std::uint64_t{16} << 20;
inline constexpr std::size_t kMaxTrailingProbes = 64;
// Opcodes between two polls of the time limit.
inline constexpr std::uint64_t kPollInterval = 4096;
// Input bytes decoded between two ScanContext::ReleaseInput calls (pages of a mapped file
// the VM has passed are dropped, so a 200 MB pickle does not stay resident).
inline constexpr std::uint64_t kReleaseInputEvery = 16ULL << 20;

}  // namespace mg::pickle
