// Bounded raw-deflate decoding (APPNOTE 4.4.5 method 8 is RFC 1951 without a zlib header).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/byte_view.h"

namespace mg {
class ScanContext;
}

namespace mg::zip {

enum class InflateStop : std::uint8_t {
  kStreamEnd,    // the deflate stream ended (the normal case)
  kOutputLimit,  // `max_output` bytes were produced and the stream went on
  kBudget,       // the scan's decompression budget ran out (ctx reported it)
  kTime,         // the time limit ran out
  kInputEnd,     // the input ended before the stream did (truncated)
  kError,        // zlib reported corrupt data; `error` says what
};

struct Inflated {
  std::vector<std::uint8_t> bytes;
  InflateStop stop = InflateStop::kStreamEnd;
  std::uint64_t consumed = 0;  // input bytes used, up to the end of the stream
  std::string error;
};

// Inflates `input` into at most `max_output` bytes, charging every chunk produced to
// ctx.ConsumeDecompressed so the per-file budget holds across members. Memory grows with the
// output actually produced, never with a size declared in the file.
Inflated InflateRaw(ScanContext& ctx, ByteView input, std::uint64_t max_output,
                    std::uint64_t report_offset);

}  // namespace mg::zip
