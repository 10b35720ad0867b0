// One decoder per compression library, behind a common step interface, so that the bounded
// streaming loop (stream.cpp) is written once. Each decoder decodes exactly one stream (one
// gzip member's deflate data, one zstd frame...) and stops at its end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace mg::decompress {

enum class Codec : std::uint8_t {
  kRawDeflate,  // RFC 1951 (ZIP method 8, the body of a gzip member)
  kZlib,        // RFC 1950: zlib header and Adler-32
  kGzip,        // one RFC 1952 member, header parsed by zlib
  kZlibOrGzip,  // either header, detected by zlib (what lenient readers accept)
  kBzip2,
  kXz,          // one .xz stream
  kLzmaAlone,   // the legacy .lzma format
  kXzOrLzma,    // either, detected by liblzma (Python's lzma.decompress, FORMAT_AUTO)
  kZstd,        // one zstd frame
  kLz4,         // one LZ4 frame
};

// Largest decoder state (an LZMA dictionary, a zstd window) allowed: xz -9 and zstd -19 need
// 64 MiB, zstd's default window limit is 128 MiB. A stream that needs more is reported as not
// decodable rather than allowed to allocate what its header asks for.
inline constexpr std::uint64_t kMaxDecoderMemory = 256ULL << 20;

enum class StepStatus : std::uint8_t {
  kOk,           // progress (or none yet); call again
  kStreamEnd,    // the stream ended; `in_used` stops right after it
  kError,        // corrupt data; `error` says what the library said
  kChecksum,     // the data decoded but its recorded checksum does not match
  kUnsupported,  // a feature this build does not decode (dictionary, memory limit)
};

struct Step {
  std::size_t in_used = 0;
  std::size_t out_made = 0;
  StepStatus status = StepStatus::kOk;
  std::string error;
};

class Decoder {
 public:
  virtual ~Decoder() = default;
  // Decodes from in[0, in_size) into out[0, out_size). Sizes fit in 32 bits (the caller
  // splits larger ones), as zlib and bzip2 count in unsigned int.
  virtual Step Run(const std::uint8_t* in, std::size_t in_size, std::uint8_t* out,
                   std::size_t out_size) = 0;
};

// A fresh decoder, or nullptr (and `error`) when the library cannot be initialised.
std::unique_ptr<Decoder> MakeDecoder(Codec codec, std::string& error);

}  // namespace mg::decompress
