#include "analyzers/zip/inflate.h"

#include <zlib.h>

#include <algorithm>

#include "engine/scan_context.h"

namespace mg::zip {

namespace {

constexpr std::uint64_t kChunk = 1 << 20;            // output produced between budget checks
constexpr std::uint64_t kMaxInputPerCall = 1 << 30;  // zlib's avail_in is 32-bit

}  // namespace

Inflated InflateRaw(ScanContext& ctx, ByteView input, std::uint64_t max_output,
                    std::uint64_t report_offset) {
  Inflated result;
  z_stream stream{};
  // Negative window bits: raw deflate, no zlib header (APPNOTE 4.4.5, RFC 1951).
  if (inflateInit2(&stream, -MAX_WBITS) != Z_OK) {
    result.stop = InflateStop::kError;
    result.error = "zlib could not be initialised";
    return result;
  }
  std::uint64_t fed = 0;
  std::uint64_t produced = 0;
  for (;;) {
    if (produced >= max_output) {
      result.stop = InflateStop::kOutputLimit;
      break;
    }
    if (ctx.TimeUp()) {
      result.stop = InflateStop::kTime;
      break;
    }
    if (stream.avail_in == 0 && fed < input.size()) {
      const std::uint64_t piece = std::min(kMaxInputPerCall, input.size() - fed);
      // zlib's API takes a non-const pointer but never writes through next_in.
      stream.next_in = const_cast<Bytef*>(input.data() + fed);
      stream.avail_in = static_cast<uInt>(piece);
      fed += piece;
    }
    const std::uint64_t room = std::min(kChunk, max_output - produced);
    result.bytes.resize(produced + room);
    stream.next_out = result.bytes.data() + produced;
    stream.avail_out = static_cast<uInt>(room);
    const int status = inflate(&stream, Z_NO_FLUSH);
    const std::uint64_t made = room - stream.avail_out;
    produced += made;
    result.bytes.resize(produced);
    if (made > 0 && !ctx.ConsumeDecompressed(made, report_offset)) {
      result.stop = InflateStop::kBudget;
      break;
    }
    if (status == Z_STREAM_END) {
      result.stop = InflateStop::kStreamEnd;
      break;
    }
    if (status == Z_BUF_ERROR && stream.avail_in == 0 && fed == input.size()) {
      result.stop = InflateStop::kInputEnd;
      break;
    }
    if (status != Z_OK && status != Z_BUF_ERROR) {
      result.stop = InflateStop::kError;
      result.error = stream.msg != nullptr ? stream.msg : "corrupt deflate stream";
      break;
    }
    if (made == 0 && stream.avail_in == 0 && fed == input.size()) {
      result.stop = InflateStop::kInputEnd;
      break;
    }
  }
  result.consumed = fed - stream.avail_in;
  inflateEnd(&stream);
  return result;
}

}  // namespace mg::zip
