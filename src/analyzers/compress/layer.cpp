#include "analyzers/compress/layer.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>

#include "analyzers/compress/formats.h"
#include "analyzers/compress/rules.h"
#include "decompress/stream.h"
#include "engine/scan_context.h"

namespace mg::compress {

using decompress::Codec;
using decompress::DecodeStream;
using decompress::OutputBuffer;
using decompress::Stop;
using decompress::StreamResult;

namespace {

// The ratio limit applies beyond this much output, so that small, highly compressible files
// (a few zero-filled arrays) never trip it.
constexpr std::uint64_t kRatioFloor = 1 << 20;
constexpr std::uint64_t kGzipTrailerSize = 8;  // RFC 1952 2.3.1: CRC32, ISIZE

std::string Hex(std::uint64_t value) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(value));
  return buf;
}

Codec CodecFor(Kind kind) {
  switch (kind) {
    case Kind::kGzip:
      return Codec::kRawDeflate;
    case Kind::kZlib:
    case Kind::kJoblibZfile:
      return Codec::kZlib;
    case Kind::kBzip2:
      return Codec::kBzip2;
    case Kind::kXz:
      return Codec::kXz;
    case Kind::kLzma:
      return Codec::kLzmaAlone;
    case Kind::kZstd:
      return Codec::kZstd;
    default:
      return Codec::kLz4;
  }
}

// Zero bytes at the start of `bytes`: padding, which gzip (RFC 1952 readers such as Python's
// gzip module) and xz (stream padding) allow between and after streams.
std::uint64_t LeadingZeros(ByteView bytes) {
  const auto* end = bytes.data() + bytes.size();
  const auto* first = std::find_if(bytes.data(), end, [](std::uint8_t c) { return c != 0; });
  return static_cast<std::uint64_t>(first - bytes.data());
}

class Layer {
 public:
  Layer(ScanContext& ctx, ByteView data, Kind kind)
      : ctx_(ctx),
        data_(data),
        kind_(kind),
        max_output_(
            std::max(kRatioFloor, CheckedMul(data.size(), ctx.limits().max_compression_ratio)
                                      .value_or(~std::uint64_t{0}))) {}

  void Run();

 private:
  // Hands the output to the engine, then the trailing data when there is some.
  void Finish(bool end_known);
  // Decodes the stream at pos_; false when decoding cannot go on past it.
  bool DecodeOne();
  bool DecodeGzipMember();
  // Reports a stop other than a normal end; returns whether the stream's end is known.
  bool ReportStop(const StreamResult& result, std::uint64_t stream_start);
  bool SkipSkippableFrame();
  std::string StreamLabel(std::uint64_t start) const;

  ScanContext& ctx_;
  ByteView data_;
  Kind kind_;
  std::uint64_t max_output_;
  OutputBuffer out_;
  std::uint64_t pos_ = 0;
  std::uint64_t streams_ = 0;
  std::uint64_t skippable_frames_ = 0;
  std::string member_name_;
};

std::string Layer::StreamLabel(std::uint64_t start) const {
  const std::string name(KindName(kind_));
  if (kind_ == Kind::kGzip) {
    return name + " member " + std::to_string(streams_ + 1) + " (offset " + Hex(start) + ")";
  }
  return "the " + name + " stream at offset " + Hex(start);
}

void Layer::Run() {
  // (assembled with append: GCC 12 -Wrestrict misfires on "<" + std::string + ">")
  member_name_.assign(1, '<');
  member_name_.append(KindName(kind_)).push_back('>');
  bool end_known = true;
  for (;;) {
    ByteView rest = data_.Tail(pos_);
    if (streams_ > 0) {
      // Python's gzip module reads on past zero padding, xz -d past stream padding: a stream
      // after padding is read (for every format: analysing more is the safe side).
      const std::uint64_t padding = LeadingZeros(rest);
      if (padding > 0 && padding < rest.size() && StartsStream(kind_, rest.Tail(padding))) {
        pos_ += padding;
        rest = rest.Tail(padding);
      }
    }
    const bool skippable = (kind_ == Kind::kZstd || kind_ == Kind::kLz4) && IsSkippableFrame(rest);
    if (!skippable && (rest.empty() || (streams_ > 0 && !StartsStream(kind_, rest)))) break;
    if (streams_ + skippable_frames_ >= ctx_.limits().max_members) {
      ctx_.Incomplete(rule::kTooManyStreams,
                      "More than " + std::to_string(ctx_.limits().max_members) + " " +
                          std::string(KindName(kind_)) + " streams; the rest were not analysed.",
                      pos_);
      end_known = false;
      break;
    }
    if (skippable) {
      end_known = SkipSkippableFrame();
      if (!end_known) break;
      continue;
    }
    end_known = DecodeOne();
    ++streams_;
    // zlib.decompress and joblib's zlib reader stop after one stream.
    if (!end_known || kind_ == Kind::kZlib || kind_ == Kind::kJoblibZfile) break;
  }
  Finish(end_known);
}

void Layer::Finish(bool end_known) {
  // What follows the streams, after any zero padding.
  const std::uint64_t padding = LeadingZeros(data_.Tail(pos_));
  const ByteView trailing = data_.Tail(pos_).Tail(padding);
  const bool has_trailing = end_known && !trailing.empty();
  if (has_trailing) {
    ctx_.Report(rule::kTrailingData, Severity::kLow,
                std::to_string(data_.size() - pos_) + " bytes follow the " +
                    std::string(KindName(kind_)) + " data that ends at offset " + Hex(pos_) +
                    "; they were analysed on their own.",
                pos_);
  }
  if (streams_ > 1) {
    ctx_.Report(rule::kMultipleStreams, Severity::kInfo,
                std::to_string(streams_) + " " + std::string(KindName(kind_)) +
                    " streams were decompressed and analysed as one payload.",
                0);
  }
  ctx_.ScanEmbedded(member_name_, out_.view());
  out_.Release();  // analysed: free it before the trailing data is looked at
  if (has_trailing) ctx_.ScanEmbedded("<trailing data>", trailing);
}

bool Layer::SkipSkippableFrame() {
  const ByteView rest = data_.Tail(pos_);
  const std::uint32_t size = SkippableFrameSize(rest);
  const auto content = rest.Sub(kSkippableHeaderSize, size);
  if (!content) {
    ctx_.Incomplete(rule::kTruncated,
                    "The skippable frame at offset " + Hex(pos_) + " declares " +
                        std::to_string(size) + " bytes but the input ends first.",
                    pos_);
    return false;
  }
  ++skippable_frames_;
  if (size > 0 && LeadingZeros(*content) < size) {
    ctx_.Report(rule::kSkippableFrame, Severity::kLow,
                "Skippable frame at offset " + Hex(pos_) + " holds " + std::to_string(size) +
                    " bytes; they were analysed on their own.",
                pos_);
    ctx_.ScanEmbedded("<skippable frame " + std::to_string(skippable_frames_) + ">", *content);
  }
  pos_ += kSkippableHeaderSize + size;
  return true;
}

bool Layer::DecodeOne() {
  const std::uint64_t start = pos_;
  if (kind_ == Kind::kGzip) return DecodeGzipMember();
  if (kind_ == Kind::kLz4Legacy) {
    StreamResult unsupported;
    unsupported.stop = Stop::kUnsupported;
    unsupported.error = "the legacy LZ4 format (lz4 -l) is not decoded";
    return ReportStop(unsupported, start);
  }
  // A Z-file's header precedes its one zlib stream (Detect found where it starts).
  const std::uint64_t body =
      kind_ == Kind::kJoblibZfile ? start + JoblibZfileDataOffset(data_).value_or(0) : start;
  const StreamResult result =
      DecodeStream(ctx_, CodecFor(kind_), data_.Tail(body), out_, max_output_, start);
  pos_ = body + result.consumed;
  return ReportStop(result, start);
}

bool Layer::DecodeGzipMember() {
  const std::uint64_t start = pos_;
  const GzipHeader header = ParseGzipHeader(data_.Tail(start));
  const std::string label = StreamLabel(start);
  if (header.truncated) {
    ctx_.Incomplete(rule::kTruncated, "The input ends inside the header of " + label + ".", start);
    return false;
  }
  if (header.method != 8) {
    ctx_.Incomplete(rule::kUnsupported,
                    "The header of " + label + " names compression method " +
                        std::to_string(header.method) + "; RFC 1952 defines only 8 (deflate).",
                    start);
    return false;
  }
  if (header.reserved_flags != 0) {
    ctx_.Report(rule::kHeaderAnomaly, Severity::kLow,
                label + " sets reserved flag bits " + Hex(header.reserved_flags) + ".", start);
  }
  if (header.header_crc_mismatch) {
    ctx_.Report(rule::kHeaderAnomaly, Severity::kLow,
                "The header CRC (FHCRC) of " + label + " does not match its header.", start);
  }
  if (streams_ == 0 && !header.name.empty()) member_name_ = header.name;

  const std::uint64_t body = start + header.size;
  const std::uint64_t member_output = out_.size();
  const StreamResult result =
      DecodeStream(ctx_, Codec::kRawDeflate, data_.Tail(body), out_, max_output_, start);
  pos_ = body + result.consumed;
  if (!ReportStop(result, start)) return false;

  const auto trailer = data_.Sub(pos_, kGzipTrailerSize);
  if (!trailer) {
    ctx_.Incomplete(rule::kTruncated,
                    "The input ends inside the CRC-32 and size trailer of " + label + ".", pos_);
    return false;
  }
  const ByteView produced(out_.data() + member_output, out_.size() - member_output);
  const auto crc = static_cast<std::uint32_t>(crc32_z(0, produced.data(), produced.size()));
  std::uint32_t stored_crc = 0, stored_size = 0;
  for (int i = 3; i >= 0; --i) {
    stored_crc = stored_crc << 8 | (*trailer)[static_cast<std::uint64_t>(i)];
    stored_size = stored_size << 8 | (*trailer)[static_cast<std::uint64_t>(i) + 4];
  }
  // ISIZE is the uncompressed size modulo 2^32.
  const auto size_mod = static_cast<std::uint32_t>(produced.size());
  if (crc != stored_crc || size_mod != stored_size) {
    ctx_.Incomplete(rule::kChecksum,
                    label + ": CRC-32 of the data is " + Hex(crc) + " and its size " +
                        std::to_string(size_mod) + ", the trailer says " + Hex(stored_crc) +
                        " and " + std::to_string(stored_size) + ".",
                    pos_);
  }
  pos_ += kGzipTrailerSize;
  return true;
}

bool Layer::ReportStop(const StreamResult& result, std::uint64_t stream_start) {
  const std::string label = StreamLabel(stream_start);
  const std::string where = " near offset " + Hex(stream_start + result.consumed);
  const std::string analysed =
      "; the " + std::to_string(out_.size()) + " bytes decompressed before it were analysed.";
  switch (result.stop) {
    case Stop::kStreamEnd:
      return true;
    case Stop::kChecksum:
      ctx_.Incomplete(
          rule::kChecksum,
          "The checksum of " + label + " does not match (" + result.error + ")" + analysed,
          stream_start);
      return true;
    case Stop::kTruncated:
      ctx_.Incomplete(rule::kTruncated,
                      "The input ends before the end of " + label + where + analysed, stream_start);
      return false;
    case Stop::kCorrupt:
      ctx_.Incomplete(
          rule::kCorrupt,
          "The decompressor rejected " + label + where + " (" + result.error + ")" + analysed,
          stream_start);
      return false;
    case Stop::kUnsupported:
      ctx_.Incomplete(rule::kUnsupported, "Cannot decode " + label + ": " + result.error + ".",
                      stream_start);
      return false;
    case Stop::kRatio:
      ctx_.Incomplete(rule::kRatio,
                      "The " + std::string(KindName(kind_)) + " data decompresses beyond " +
                          std::to_string(ctx_.limits().max_compression_ratio) + " times its " +
                          std::to_string(data_.size()) + " compressed bytes (" + label +
                          "); the first " + std::to_string(out_.size()) + " bytes were analysed.",
                      stream_start, Severity::kHigh);
      return false;
    case Stop::kBudget:  // ScanContext::ConsumeDecompressed reported it
      return false;
    case Stop::kTime:
      ctx_.Incomplete("SCAN-LIMIT-TIME",
                      "The time limit ran out while decompressing " + label + analysed,
                      stream_start);
      return false;
  }
  return false;
}

}  // namespace

int SniffCompressed(ByteView data) {
  const auto detected = Detect(data);
  return detected ? detected->score : 0;
}

void AnalyzeCompressed(ScanContext& ctx, ByteView data) {
  const auto detected = Detect(data);
  if (!detected) {
    ctx.Incomplete(rule::kCorrupt, "No compressed stream format was recognised at offset 0.", 0);
    return;
  }
  Layer(ctx, data, detected->kind).Run();
}

}  // namespace mg::compress
