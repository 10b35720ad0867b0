#include "analyzers/pickle/decode.h"

#include <bzlib.h>
#include <lzma.h>
#include <zlib.h>

#include <algorithm>

namespace mg::pickle {
namespace {

int Base64Value(std::uint8_t c, bool urlsafe) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == (urlsafe ? '-' : '+')) return 62;
  if (c == (urlsafe ? '_' : '/')) return 63;
  return -1;
}

int HexValue(std::uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Decoded Invalid(std::string why) {
  Decoded d;
  d.status = DecodeStatus::kInvalid;
  d.error = std::move(why);
  return d;
}

Decoded TooLarge() {
  Decoded d;
  d.status = DecodeStatus::kTooLarge;
  return d;
}

// Streams through a decompressor in chunks so the output never exceeds max_output.
constexpr std::size_t kChunk = 64 * 1024;

Decoded InflateZlib(ByteView input, int window_bits, std::uint64_t max_output) {
  z_stream zs{};
  if (inflateInit2(&zs, window_bits) != Z_OK) return Invalid("zlib init failed");
  Decoded out;
  zs.next_in = const_cast<Bytef*>(input.data());
  std::uint64_t in_left = input.size();
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (zs.avail_in == 0 && in_left > 0) {
      const auto take = static_cast<uInt>(std::min<std::uint64_t>(in_left, 1u << 30));
      zs.avail_in = take;
      in_left -= take;
    }
    if (out.bytes.size() >= max_output) {
      inflateEnd(&zs);
      return TooLarge();
    }
    const std::size_t before = out.bytes.size();
    const std::size_t room = std::min<std::uint64_t>(kChunk, max_output - before);
    out.bytes.resize(before + room);
    zs.next_out = out.bytes.data() + before;
    zs.avail_out = static_cast<uInt>(room);
    rc = inflate(&zs, Z_NO_FLUSH);
    out.bytes.resize(before + room - zs.avail_out);
    if (rc == Z_BUF_ERROR && zs.avail_in == 0 && in_left == 0) break;
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) break;
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) return Invalid("invalid or truncated deflate stream");
  return out;
}

Decoded DecompressBzip2(ByteView input, std::uint64_t max_output) {
  bz_stream bs{};
  if (BZ2_bzDecompressInit(&bs, 0, 0) != BZ_OK) return Invalid("bzip2 init failed");
  Decoded out;
  bs.next_in = reinterpret_cast<char*>(const_cast<std::uint8_t*>(input.data()));
  std::uint64_t in_left = input.size();
  int rc = BZ_OK;
  while (rc != BZ_STREAM_END) {
    if (bs.avail_in == 0 && in_left > 0) {
      const auto take = static_cast<unsigned>(std::min<std::uint64_t>(in_left, 1u << 30));
      bs.avail_in = take;
      in_left -= take;
    }
    if (out.bytes.size() >= max_output) {
      BZ2_bzDecompressEnd(&bs);
      return TooLarge();
    }
    const std::size_t before = out.bytes.size();
    const std::size_t room = std::min<std::uint64_t>(kChunk, max_output - before);
    out.bytes.resize(before + room);
    bs.next_out = reinterpret_cast<char*>(out.bytes.data() + before);
    bs.avail_out = static_cast<unsigned>(room);
    rc = BZ2_bzDecompress(&bs);
    out.bytes.resize(before + room - bs.avail_out);
    if (rc != BZ_OK && rc != BZ_STREAM_END) break;
    if (rc == BZ_OK && bs.avail_in == 0 && in_left == 0 && bs.avail_out != 0) break;
  }
  BZ2_bzDecompressEnd(&bs);
  if (rc != BZ_STREAM_END) return Invalid("invalid or truncated bzip2 stream");
  return out;
}

Decoded DecompressLzma(ByteView input, std::uint64_t max_output) {
  lzma_stream ls = LZMA_STREAM_INIT;
  if (lzma_auto_decoder(&ls, 256u << 20, 0) != LZMA_OK) return Invalid("lzma init failed");
  Decoded out;
  ls.next_in = input.data();
  ls.avail_in = input.size();
  lzma_ret rc = LZMA_OK;
  while (rc != LZMA_STREAM_END) {
    if (out.bytes.size() >= max_output) {
      lzma_end(&ls);
      return TooLarge();
    }
    const std::size_t before = out.bytes.size();
    const std::size_t room = std::min<std::uint64_t>(kChunk, max_output - before);
    out.bytes.resize(before + room);
    ls.next_out = out.bytes.data() + before;
    ls.avail_out = room;
    rc = lzma_code(&ls, ls.avail_in == 0 ? LZMA_FINISH : LZMA_RUN);
    out.bytes.resize(before + room - ls.avail_out);
    if (rc != LZMA_OK && rc != LZMA_STREAM_END) break;
  }
  lzma_end(&ls);
  if (rc != LZMA_STREAM_END) return Invalid("invalid or truncated xz/lzma stream");
  return out;
}

}  // namespace

Decoded Base64Decode(ByteView input, bool urlsafe, std::uint64_t max_output) {
  Decoded out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::uint64_t i = 0; i < input.size(); ++i) {
    const std::uint8_t c = input[i];
    if (c == '=') break;  // padding ends the data
    const int v = Base64Value(c, urlsafe);
    if (v < 0) continue;  // b64decode discards characters outside the alphabet
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (out.bytes.size() >= max_output) return TooLarge();
      out.bytes.push_back(static_cast<std::uint8_t>(acc >> bits));
      acc &= (1u << bits) - 1;
    }
  }
  if (bits >= 6) return Invalid("incorrect base64 padding");
  return out;
}

Decoded HexDecode(ByteView input, bool allow_spaces, std::uint64_t max_output) {
  Decoded out;
  int high = -1;
  for (std::uint64_t i = 0; i < input.size(); ++i) {
    const std::uint8_t c = input[i];
    if (allow_spaces && high < 0 && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) continue;
    const int v = HexValue(c);
    if (v < 0) return Invalid("non-hexadecimal digit");
    if (high < 0) {
      high = v;
      continue;
    }
    if (out.bytes.size() >= max_output) return TooLarge();
    out.bytes.push_back(static_cast<std::uint8_t>(high * 16 + v));
    high = -1;
  }
  if (high >= 0) return Invalid("odd-length hex string");
  return out;
}

Decoded Decompress(Codec codec, ByteView input, std::uint64_t max_output) {
  switch (codec) {
    case Codec::kZlib:
      return InflateZlib(input, 15 + 32, max_output);  // zlib or gzip header
    case Codec::kGzip:
      return InflateZlib(input, 15 + 16, max_output);
    case Codec::kBzip2:
      return DecompressBzip2(input, max_output);
    case Codec::kLzma:
      return DecompressLzma(input, max_output);
  }
  return Invalid("unknown codec");
}

}  // namespace mg::pickle
