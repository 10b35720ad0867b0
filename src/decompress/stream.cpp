#include "decompress/stream.h"

#include <algorithm>

#include "engine/scan_context.h"

namespace mg::decompress {

namespace {

constexpr std::uint64_t kOutputChunk = 1 << 20;      // output produced between limit checks
constexpr std::uint64_t kMaxInputPerCall = 1 << 30;  // zlib and bzip2 count in unsigned int
constexpr std::uint64_t kInitialCapacity = 64 << 10;

Stop StopFor(StepStatus status) {
  switch (status) {
    case StepStatus::kStreamEnd:
      return Stop::kStreamEnd;
    case StepStatus::kChecksum:
      return Stop::kChecksum;
    case StepStatus::kUnsupported:
      return Stop::kUnsupported;
    default:
      return Stop::kCorrupt;
  }
}

}  // namespace

bool OutputBuffer::Reserve(std::uint64_t extra, std::uint64_t ceiling) {
  const auto needed = CheckedAdd(size_, extra);
  if (!needed) return false;
  if (*needed <= capacity_) return true;
  const std::uint64_t doubled = capacity_ > (~std::uint64_t{0} >> 1) ? *needed : capacity_ * 2;
  const std::uint64_t bounded = std::min(std::max(doubled, kInitialCapacity), ceiling);
  const std::uint64_t capacity = std::max(*needed, bounded);
  void* grown = std::realloc(bytes_.get(), capacity);
  if (grown == nullptr) return false;
  (void)bytes_.release();  // realloc took ownership of the old block
  bytes_.reset(static_cast<std::uint8_t*>(grown));
  capacity_ = capacity;
  return true;
}

void OutputBuffer::Release() {
  bytes_.reset();
  size_ = 0;
  capacity_ = 0;
}

StreamResult DecodeStream(ScanContext& ctx, Codec codec, ByteView input, OutputBuffer& out,
                          std::uint64_t max_output, std::uint64_t report_offset) {
  StreamResult result;
  auto decoder = MakeDecoder(codec, result.error);
  if (decoder == nullptr) {
    result.stop = Stop::kCorrupt;
    return result;
  }
  // The buffer never needs more than the cap, the budget, and one chunk of slack.
  const std::uint64_t ceiling =
      CheckedAdd(std::min(max_output, ctx.limits().max_decompressed_bytes), kOutputChunk)
          .value_or(~std::uint64_t{0});
  std::uint64_t used = 0;
  for (;;) {
    if (ctx.TimeUp()) {
      result.stop = Stop::kTime;
      break;
    }
    // One byte of room past the cap tells whether the stream goes on beyond it.
    const std::uint64_t allowed = max_output > out.size() ? max_output - out.size() : 0;
    const std::uint64_t room = std::min(kOutputChunk, allowed + 1);
    if (!out.Reserve(room, ceiling)) {
      result.stop = Stop::kCorrupt;
      result.error = "out of memory for the decompressed data";
      break;
    }
    const std::uint64_t piece = std::min(kMaxInputPerCall, input.size() - used);
    const Step step = decoder->Run(input.data() + used, piece, out.data() + out.size(), room);
    used += step.in_used;
    out.Grow(step.out_made);
    if (step.out_made > 0 && !ctx.ConsumeDecompressed(step.out_made, report_offset)) {
      result.stop = Stop::kBudget;
      break;
    }
    if (out.size() > max_output) {
      out.Truncate(max_output);
      result.stop = Stop::kRatio;
      break;
    }
    if (step.status != StepStatus::kOk) {
      result.stop = StopFor(step.status);
      result.error = step.error;
      break;
    }
    if (step.in_used == 0 && step.out_made == 0) {
      // No progress with output room available: the decoder waits for input.
      result.stop = used == input.size() ? Stop::kTruncated : Stop::kCorrupt;
      if (result.stop == Stop::kCorrupt) result.error = "the decoder made no progress";
      break;
    }
  }
  result.consumed = used;
  return result;
}

}  // namespace mg::decompress
