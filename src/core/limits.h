// Scan limits, in one place (ClamAV keeps its budgets in one header too). Every value read
// from a file that sizes an allocation, a loop or a recursion is checked against one of these.
// The defaults are documented in docs/cli.md ("Limits"); the CLI can change each of them.
#pragma once

#include <chrono>
#include <cstdint>

namespace mg {

struct Limits {
  // Largest file analysed; a larger file gets status `incomplete` and a medium finding.
  std::uint64_t max_file_size = 64ULL << 30;  // 64 GiB (files are mapped, not read)
  // Containers within containers (archive in archive, pickle in pickle) before giving up.
  std::uint32_t max_depth = 8;
  // Total bytes produced by decompression or decoding for one scanned file.
  std::uint64_t max_decompressed_bytes = 4ULL << 30;  // 4 GiB
  // Largest acceptable ratio of decompressed to compressed size for a single stream.
  std::uint32_t max_compression_ratio = 200;
  // Members taken from one archive.
  std::uint32_t max_members = 100000;
  // Opcodes executed in one pickle stream (a pickle of 200 MB of small ints has ~60M).
  std::uint64_t max_pickle_opcodes = 500'000'000;
  // Wall-clock time spent on one file, its members included.
  std::chrono::milliseconds max_time_per_file{std::chrono::minutes(5)};
};

}  // namespace mg
