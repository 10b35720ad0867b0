// Recognising compressed streams by their magic numbers and headers, before any decoding.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/byte_view.h"

namespace mg::compress {

enum class Kind : std::uint8_t {
  kGzip,
  kZlib,
  kBzip2,
  kXz,
  kLzma,
  kZstd,
  kLz4,
  kLz4Legacy,
  kJoblibZfile
};

// "gzip", "zlib", ... as used in messages and member names.
std::string_view KindName(Kind kind);

struct Detected {
  Kind kind;
  int score;  // Analyzer::Sniff scale: 100 for a strong magic with a valid header, less below
};

// The compressed format `data` starts with (a zstd or LZ4 file may open with skippable frames),
// or nullopt. zlib has a weak 2-byte header, so it is confirmed by inflating the first bytes and
// scored below every other analyzer.
std::optional<Detected> Detect(ByteView data);

// joblib's pre-0.10 "Z-file" (numpy_pickle_compat.write_zfile): "ZF", the data length in hex
// padded to 19 characters, an optional space (joblib <= 0.8.4), then one zlib stream.
// joblib.load still reads it (numpy_pickle_utils._detect_compressor: 'compat'). The offset of
// the zlib stream, or nullopt.
std::optional<std::uint64_t> JoblibZfileDataOffset(ByteView data);

// Whether a further stream of `kind` starts at `data` (concatenated streams).
bool StartsStream(Kind kind, ByteView data);

// zstd format, "Skippable frames": magic 0x184D2A50..0x184D2A5F, then a 4-byte size. LZ4 frames
// use the same magic numbers for the same purpose.
inline constexpr std::uint64_t kSkippableHeaderSize = 8;
bool IsSkippableFrame(ByteView data);
// Content size of the skippable frame at the start of `data` (IsSkippableFrame holds).
std::uint32_t SkippableFrameSize(ByteView data);

// RFC 1952 2.3.1: the member header before the deflate data.
struct GzipHeader {
  std::uint64_t size = 0;  // bytes before the deflate data
  std::string name;        // FNAME as printable ASCII (others as '?'), at most 200 characters
  std::uint8_t method = 8;
  std::uint8_t reserved_flags = 0;
  bool header_crc_mismatch = false;
  bool truncated = false;  // the input ends inside the header
};
GzipHeader ParseGzipHeader(ByteView data);

}  // namespace mg::compress
