// The bounded decompression loop shared by every format: output grows with what is actually
// produced (never with a size declared in the file), in chunks charged to the scan's budget,
// and stops at the compression ratio limit, the budget or the time limit.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>

#include "decompress/codec.h"
#include "core/byte_view.h"

namespace mg {
class ScanContext;
}

namespace mg::decompress {

// Decompressed bytes of one payload (all concatenated streams). Grows with realloc, which
// doubles capacity (and for large blocks lets glibc move pages instead of copying).
class OutputBuffer {
 public:
  OutputBuffer() = default;
  OutputBuffer(const OutputBuffer&) = delete;
  OutputBuffer& operator=(const OutputBuffer&) = delete;
  OutputBuffer(OutputBuffer&& other) noexcept
      : bytes_(std::move(other.bytes_)), size_(other.size_), capacity_(other.capacity_) {
    other.size_ = 0;
    other.capacity_ = 0;
  }
  OutputBuffer& operator=(OutputBuffer&& other) noexcept {
    bytes_ = std::move(other.bytes_);
    size_ = std::exchange(other.size_, 0);
    capacity_ = std::exchange(other.capacity_, 0);
    return *this;
  }

  std::uint8_t* data() { return bytes_.get(); }
  std::uint64_t size() const { return size_; }
  ByteView view() const { return ByteView(bytes_.get(), size_); }
  // Room for at least `extra` bytes after size(), doubling capacity but not past `ceiling`
  // (the most the caller will ever store); false when memory ran out.
  bool Reserve(std::uint64_t extra, std::uint64_t ceiling);
  void Grow(std::uint64_t made) { size_ += made; }
  void Truncate(std::uint64_t size) { size_ = size < size_ ? size : size_; }
  void Release();

 private:
  struct Free {
    void operator()(std::uint8_t* bytes) const { std::free(bytes); }
  };
  std::unique_ptr<std::uint8_t, Free> bytes_;
  std::uint64_t size_ = 0;
  std::uint64_t capacity_ = 0;
};

enum class Stop : std::uint8_t {
  kStreamEnd,    // the stream ended normally
  kChecksum,     // it ended, but its checksum does not match (`error`)
  kTruncated,    // the input ended first
  kCorrupt,      // the decoder rejected the data (`error`)
  kUnsupported,  // a feature this build does not decode (`error`)
  kRatio,        // output reached the ratio cap and the stream went on
  kBudget,       // the scan's decompression budget ran out (ctx reported it)
  kTime,         // the time limit ran out
};

struct StreamResult {
  Stop stop = Stop::kStreamEnd;
  std::uint64_t consumed = 0;  // input bytes up to the end of the stream (or the stop)
  std::string error;
};

// Decodes one stream of `codec` from `input` and appends its output to `out`, which must not
// grow beyond `max_output` bytes in total. Output chunks are charged to
// ctx.ConsumeDecompressed (reported at `report_offset`).
StreamResult DecodeStream(ScanContext& ctx, Codec codec, ByteView input, OutputBuffer& out,
                          std::uint64_t max_output, std::uint64_t report_offset);

}  // namespace mg::decompress
