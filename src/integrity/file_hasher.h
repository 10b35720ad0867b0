// Digests of byte ranges of open files through OpenSSL 3 EVP (OMS algorithm registry: sha256,
// blake2b = BLAKE2b-512, unkeyed, 64-byte digest). Files are read with pread into a caller-owned
// buffer, never held in memory whole.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "integrity/manifest.h"

namespace mg::integrity {

// Bytes per pread: small enough to stay in the L2 cache between the copy and the hash
// (docs/performance.md, "Hashing a model").
inline constexpr std::size_t kHashReadBufferSize = 1 << 20;

std::size_t DigestSize(HashAlgorithm algorithm);

// One-shot digest of a buffer (tests, small inputs).
std::vector<std::uint8_t> HashBytes(HashAlgorithm algorithm, const void* data, std::size_t size);

struct RangeHashJob {
  int fd = -1;
  std::uint64_t start = 0;
  std::uint64_t end = 0;                      // exclusive
  bool expect_eof_at_end = false;             // the whole file: bytes beyond `end` mean it grew
  const std::string* display_name = nullptr;  // for error messages
};

// Digest of [start, end) of job.fd. `done_bytes` (may be null) grows as bytes are hashed;
// `stop` (may be null) aborts early with an error. A short read (the file shrank) or, with
// expect_eof_at_end, extra bytes (it grew) are errors naming the file.
Result<std::vector<std::uint8_t>> HashFileRange(HashAlgorithm algorithm, const RangeHashJob& job,
                                                std::vector<std::uint8_t>& buffer,
                                                std::atomic<std::uint64_t>* done_bytes,
                                                const std::atomic<bool>* stop);

}  // namespace mg::integrity
