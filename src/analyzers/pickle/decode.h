// Decoders the VM evaluates on constant arguments of nested loaders: base64, hex and the
// zlib, gzip, bzip2 and xz/lzma decompressors. Output is bounded by `max_output`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/byte_view.h"

namespace mg {
class ScanContext;
}

namespace mg::pickle {

enum class DecodeStatus : std::uint8_t { kOk, kInvalid, kTooLarge };

struct Decoded {
  DecodeStatus status = DecodeStatus::kOk;
  std::vector<std::uint8_t> bytes;
  std::string error;     // for kInvalid
  bool charged = false;  // the output was already charged to the scan's decompression budget
};

enum class Codec : std::uint8_t { kZlib, kGzip, kBzip2, kLzma };

// base64.b64decode without validate=True: characters outside the alphabet are skipped.
Decoded Base64Decode(ByteView input, bool urlsafe, std::uint64_t max_output);
// binascii.unhexlify (strict) or bytes.fromhex (whitespace between pairs allowed).
Decoded HexDecode(ByteView input, bool allow_spaces, std::uint64_t max_output);
// zlib.decompress (zlib header; gzip accepted too), gzip.decompress, bz2.decompress,
// lzma.decompress (xz or legacy .lzma, auto-detected), through the shared bounded stream loop
// (src/decompress), which charges the output to ctx's budget as it is produced.
Decoded Decompress(ScanContext& ctx, Codec codec, ByteView input, std::uint64_t max_output);

}  // namespace mg::pickle
