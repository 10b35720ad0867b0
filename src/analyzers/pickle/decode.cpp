#include "analyzers/pickle/decode.h"

#include <algorithm>

#include "core/text.h"
#include "decompress/stream.h"

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
    const int v = HexDigitValue(c);
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

Decoded Decompress(ScanContext& ctx, Codec codec, ByteView input, std::uint64_t max_output) {
  decompress::Codec library_codec = decompress::Codec::kZlibOrGzip;
  switch (codec) {
    case Codec::kZlib:
      library_codec = decompress::Codec::kZlibOrGzip;  // lenient: a gzip header is accepted
      break;
    case Codec::kGzip:
      library_codec = decompress::Codec::kGzip;
      break;
    case Codec::kBzip2:
      library_codec = decompress::Codec::kBzip2;
      break;
    case Codec::kLzma:
      library_codec = decompress::Codec::kXzOrLzma;
      break;
  }
  decompress::OutputBuffer out;
  const decompress::StreamResult result =
      decompress::DecodeStream(ctx, library_codec, input, out, max_output, 0);
  switch (result.stop) {
    case decompress::Stop::kStreamEnd:
      break;
    case decompress::Stop::kRatio:
      return TooLarge();
    case decompress::Stop::kTruncated:
      return Invalid("the compressed stream is truncated");
    case decompress::Stop::kBudget:
      return Invalid("the decompression budget is exhausted");
    case decompress::Stop::kTime:
      return Invalid("the time limit ran out");
    default:
      return Invalid(result.error.empty() ? "corrupt compressed stream" : result.error);
  }
  Decoded decoded;
  decoded.charged = true;
  const ByteView bytes = out.view();
  decoded.bytes.assign(bytes.data(), bytes.data() + bytes.size());
  return decoded;
}

}  // namespace mg::pickle
