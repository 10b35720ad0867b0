#include "analyzers/compress/formats.h"

#include <lzma.h>
#include <zlib.h>

#include <array>

#include "decompress/codec.h"
#include "core/reader.h"

namespace mg::compress {

namespace {

using namespace std::string_view_literals;

constexpr std::string_view kGzipMagic = "\x1f\x8b"sv;
constexpr std::string_view kXzMagic = "\xfd\x37\x7a\x58\x5a\x00"sv;  // xz file format 2.1.1.1
constexpr std::string_view kZstdMagic = "\x28\xb5\x2f\xfd"sv;        // RFC 8878 3.1.1
constexpr std::string_view kLz4Magic = "\x04\x22\x4d\x18"sv;         // LZ4 frame format
constexpr std::string_view kLz4LegacyMagic = "\x02\x21\x4c\x18"sv;
// bzip2: "BZh" + block size '1'..'9', then a block (pi) or the end of stream (sqrt(pi)).
constexpr std::string_view kBzip2BlockMagic = "\x31\x41\x59\x26\x53\x59"sv;
constexpr std::string_view kBzip2EndMagic = "\x17\x72\x45\x38\x50\x90"sv;

// Skippable frames walked before deciding what a zstd or LZ4 file holds.
constexpr int kMaxSkippableFramesSniffed = 64;
// Weak headers (zlib, .lzma) are confirmed by decoding at most this much input into this much
// output.
constexpr std::uint64_t kTrialInput = 4096;
constexpr std::uint64_t kTrialOutput = 16384;
constexpr std::size_t kMaxGzipNameChars = 200;

std::uint32_t U32Le(ByteView data, std::uint64_t at) {
  return static_cast<std::uint32_t>(data[at]) | static_cast<std::uint32_t>(data[at + 1]) << 8 |
         static_cast<std::uint32_t>(data[at + 2]) << 16 |
         static_cast<std::uint32_t>(data[at + 3]) << 24;
}

// RFC 1950 2.2: CM = 8 (deflate), CINFO <= 7 (window <= 32 KiB), FCHECK makes CMF*256+FLG a
// multiple of 31. A preset dictionary (FDICT) cannot be loaded without it: not taken as zlib.
bool ZlibHeaderValid(ByteView data) {
  if (data.size() < 2) return false;
  const unsigned cmf = data[0];
  const unsigned flg = data[1];
  return (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && (cmf * 256 + flg) % 31 == 0 && (flg & 0x20) == 0;
}

// Two bytes pass the zlib header check by chance once in ~250 (a pickle's "(S" does): the
// first bytes must also inflate without error, producing output or ending the stream.
bool ZlibTrialInflates(ByteView data) {
  z_stream stream{};
  if (inflateInit2(&stream, MAX_WBITS) != Z_OK) return false;
  std::array<std::uint8_t, kTrialOutput> out;
  const ByteView input = data.Prefix(kTrialInput);
  // zlib's API takes a non-const pointer but never writes through next_in.
  stream.next_in = const_cast<Bytef*>(input.data());
  stream.avail_in = static_cast<uInt>(input.size());
  stream.next_out = out.data();
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = inflate(&stream, Z_NO_FLUSH);
  const bool produced = stream.avail_out < out.size();
  // A wrong Adler-32 means the deflate data itself was valid: still zlib (and reported).
  const bool bad_check = status == Z_DATA_ERROR && stream.msg != nullptr &&
                         std::string_view(stream.msg) == "incorrect data check";
  inflateEnd(&stream);
  return status == Z_STREAM_END || bad_check ||
         ((status == Z_OK || status == Z_BUF_ERROR) && produced);
}

// xz's "picky" dictionary check: 2^n or 2^n + 2^(n-1), at least 4 KiB, as every preset writes.
bool DictionarySizeIsPreset(std::uint32_t dict) {
  std::uint32_t rounded = dict - 1;
  rounded |= rounded >> 2;
  rounded |= rounded >> 3;
  rounded |= rounded >> 4;
  rounded |= rounded >> 8;
  rounded |= rounded >> 16;
  return dict >= 4096 && rounded + 1 == dict;
}

enum class LzmaTrial : std::uint8_t { kFails, kDecodes, kNeedsTooMuchMemory };

// Decodes the first bytes of a .lzma stream into a small buffer.
LzmaTrial LzmaTrialDecodes(ByteView data) {
  lzma_stream stream = LZMA_STREAM_INIT;
  if (lzma_alone_decoder(&stream, decompress::kMaxDecoderMemory) != LZMA_OK) return LzmaTrial::kFails;
  std::array<std::uint8_t, kTrialOutput> out;
  const ByteView input = data.Prefix(kTrialInput);
  stream.next_in = input.data();
  stream.avail_in = input.size();
  stream.next_out = out.data();
  stream.avail_out = out.size();
  const lzma_ret status = lzma_code(&stream, LZMA_RUN);
  const bool produced = stream.avail_out < out.size();
  lzma_end(&stream);
  if (status == LZMA_MEMLIMIT_ERROR) return LzmaTrial::kNeedsTooMuchMemory;
  return status == LZMA_STREAM_END || (status == LZMA_OK && produced) ? LzmaTrial::kDecodes
                                                                      : LzmaTrial::kFails;
}

// The .lzma ("LZMA_Alone") header: properties byte lc/lp/pb (< 9*5*5), dictionary size (4
// bytes LE), uncompressed size (8 bytes LE, all ones when unknown); the range coder's first
// byte is always 0. Python's lzma.FORMAT_ALONE (joblib 'lzma') and xz --format=lzma write
// 0x5D (lc=3 lp=0 pb=2), a preset dictionary size and an unknown size.
int LzmaAloneScore(ByteView data) {
  constexpr std::uint64_t kHeaderSize = 13;
  if (data.size() < kHeaderSize + 1 || data[0] >= 9 * 5 * 5 || data[kHeaderSize] != 0) return 0;
  std::uint64_t uncompressed = 0;
  for (int i = 7; i >= 0; --i) uncompressed = uncompressed << 8 | data[5 + i];
  // liblzma's "picky" mode bounds a known size to 256 GiB; no real file is larger.
  if (uncompressed != ~std::uint64_t{0} && uncompressed >= (std::uint64_t{1} << 38)) return 0;
  const bool unknown_size = uncompressed == ~std::uint64_t{0};
  if (unknown_size && DictionarySizeIsPreset(U32Le(data, 1))) return data[0] == 0x5d ? 70 : 50;
  // Other headers (the LZMA SDK writes the size; Python reads any dictionary size) must decode:
  // an int32 array starting 93, 1, 5... passes the header checks above. Only with the usual
  // properties (joblib recognises .lzma by 5D 00), so that zero-filled data is not decoded.
  if (data[0] != 0x5d || uncompressed == 0) return 0;
  switch (LzmaTrialDecodes(data)) {
    case LzmaTrial::kDecodes:
      return 40;
    case LzmaTrial::kNeedsTooMuchMemory:
      return unknown_size ? 40 : 0;  // claimed (and reported) only in the writers' form
    case LzmaTrial::kFails:
      return 0;
  }
  return 0;
}

std::optional<Detected> DetectFrameFormat(ByteView data) {
  if (data.StartsWith(kZstdMagic)) {
    // RFC 8878 3.1.1.1.1: bit 3 of the frame header descriptor is reserved, must be zero.
    const bool valid = data.size() > 4 && (data[4] & 0x08) == 0;
    return Detected{Kind::kZstd, valid ? 100 : 60};
  }
  if (data.StartsWith(kLz4Magic)) {
    // LZ4 frame format: FLG bits 7-6 are the version number, 01.
    const bool valid = data.size() > 4 && (data[4] >> 6) == 1;
    return Detected{Kind::kLz4, valid ? 100 : 60};
  }
  if (data.StartsWith(kLz4LegacyMagic)) return Detected{Kind::kLz4Legacy, 60};
  return std::nullopt;
}

}  // namespace

std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kGzip:
      return "gzip";
    case Kind::kZlib:
      return "zlib";
    case Kind::kBzip2:
      return "bzip2";
    case Kind::kXz:
      return "xz";
    case Kind::kLzma:
      return "lzma";
    case Kind::kZstd:
      return "zstd";
    case Kind::kLz4:
      return "lz4";
    case Kind::kLz4Legacy:
      return "lz4-legacy";
    case Kind::kJoblibZfile:
      return "joblib-zfile";
  }
  return "compressed";
}

bool IsSkippableFrame(ByteView data) {
  return data.size() >= kSkippableHeaderSize && (U32Le(data, 0) & 0xfffffff0u) == 0x184d2a50u;
}

std::uint32_t SkippableFrameSize(ByteView data) { return U32Le(data, 4); }

std::optional<Detected> Detect(ByteView data) {
  if (data.StartsWith(kGzipMagic)) {
    // RFC 1952: CM 8 is the only method defined; other values are claimed and reported.
    return Detected{Kind::kGzip, data.size() > 2 && data[2] == 8 ? 100 : 60};
  }
  if (data.StartsWith(kXzMagic)) return Detected{Kind::kXz, 100};
  if (data.StartsWith("BZh"sv) && data.size() > 3 && data[3] >= '1' && data[3] <= '9') {
    const ByteView block = data.Tail(4);
    const bool valid = block.StartsWith(kBzip2BlockMagic) || block.StartsWith(kBzip2EndMagic);
    return Detected{Kind::kBzip2, valid ? 100 : 60};
  }
  if (auto frame = DetectFrameFormat(data)) return frame;
  if (IsSkippableFrame(data)) {
    ByteView rest = data;
    for (int i = 0; i < kMaxSkippableFramesSniffed && IsSkippableFrame(rest); ++i) {
      const auto next = CheckedAdd(kSkippableHeaderSize, SkippableFrameSize(rest));
      rest = rest.Tail(*next);  // a 32-bit size plus 8 cannot overflow
    }
    if (auto frame = DetectFrameFormat(rest)) return frame;
    return Detected{Kind::kZstd, 60};  // skippable frames only (or followed by garbage)
  }
  if (JoblibZfileDataOffset(data)) return Detected{Kind::kJoblibZfile, 90};
  if (const int score = LzmaAloneScore(data); score > 0) return Detected{Kind::kLzma, score};
  if (ZlibHeaderValid(data) && ZlibTrialInflates(data)) return Detected{Kind::kZlib, 30};
  return std::nullopt;
}

std::optional<std::uint64_t> JoblibZfileDataOffset(ByteView data) {
  constexpr std::uint64_t kLengthField = 19;  // len('{:#x}'.format(2 ** 64))
  if (!data.StartsWith("ZF"sv) || data.size() < 2 + kLengthField + 2) return std::nullopt;
  // read_zfile parses the field with int(field, 16), which also takes whitespace, a sign and
  // underscores around the digits; joblib itself writes '0x...' padded with spaces.
  constexpr std::string_view kIntChars = "0123456789abcdefABCDEFxX_+- \t\n\r\v\f"sv;
  for (std::uint64_t i = 2; i < 2 + kLengthField; ++i) {
    if (kIntChars.find(static_cast<char>(data[i])) == std::string_view::npos) return std::nullopt;
  }
  std::uint64_t offset = 2 + kLengthField;
  if (data[offset] == ' ') ++offset;  // zlib data never starts with 0x20 (CM would be 0)
  const ByteView stream = data.Tail(offset);
  if (!ZlibHeaderValid(stream) || !ZlibTrialInflates(stream)) return std::nullopt;
  return offset;
}

bool StartsStream(Kind kind, ByteView data) {
  const auto detected = Detect(data);
  return detected && detected->kind == kind;
}

GzipHeader ParseGzipHeader(ByteView data) {
  // RFC 1952 2.3.1: ID1 ID2 CM FLG MTIME(4) XFL OS, then the optional fields FLG announces.
  constexpr std::uint8_t kFhcrc = 0x02, kFextra = 0x04, kFname = 0x08, kFcomment = 0x10;
  GzipHeader header;
  Reader reader(data);
  if (!reader.Skip(2) || reader.remaining() < 8) {
    header.truncated = true;
    return header;
  }
  header.method = *reader.U8();
  const std::uint8_t flags = *reader.U8();
  header.reserved_flags = flags & 0xe0;
  if (!reader.Skip(6)) header.truncated = true;
  if (!header.truncated && (flags & kFextra) != 0) {
    auto extra_length = reader.U16Le();
    header.truncated = !extra_length || !reader.Skip(*extra_length);
  }
  if (!header.truncated && (flags & kFname) != 0) {
    auto name = reader.Until(0, reader.remaining());
    header.truncated = !name;
    for (std::uint64_t i = 0; name && i < name->size() && i < kMaxGzipNameChars; ++i) {
      const std::uint8_t c = (*name)[i];
      header.name.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?');
    }
  }
  if (!header.truncated && (flags & kFcomment) != 0) {
    header.truncated = !reader.Until(0, reader.remaining());
  }
  if (!header.truncated && (flags & kFhcrc) != 0) {
    // The low 16 bits of the CRC-32 of every header byte before it.
    const auto before = static_cast<std::uint64_t>(reader.position());
    auto stored = reader.U16Le();
    header.truncated = !stored;
    if (stored) {
      const auto crc = crc32_z(0, data.data(), before);
      header.header_crc_mismatch = (crc & 0xffff) != *stored;
    }
  }
  header.size = reader.position();
  return header;
}

}  // namespace mg::compress
