#include "analyzers/compress/rules.h"

#include <array>

namespace mg::compress {

namespace {

constexpr std::array kRules = {
    RuleInfo{rule::kTruncated, Severity::kMedium, "Compressed stream truncated",
             "The input ends before the compressed stream does (a cut download, or a stream "
             "cut on purpose so that a reader sees a payload but a checker sees an error). "
             "Everything decompressed before the end was analysed; the file is `incomplete`.",
             "The gzip stream at offset 0x0 ends after 4096 decompressed bytes, before its "
             "end marker."},
    RuleInfo{rule::kCorrupt, Severity::kMedium, "Compressed stream corrupt",
             "The decompressor rejected the data (an invalid block, a bad header, a broken "
             "integrity check inside the format). Loaders that stream the data, as pickle.load "
             "does, may already have acted on the bytes before the error; those bytes were "
             "analysed, the rest could not be, so the file is `incomplete`.",
             "The bzip2 stream at offset 0x0 is corrupt near offset 0x3c1: data error."},
    RuleInfo{rule::kChecksum, Severity::kMedium, "Checksum of decompressed data wrong",
             "The CRC-32, Adler-32, xxHash or size recorded with the stream does not match the "
             "decompressed data. Readers notice it only at the end of the stream, after a "
             "pickle has already been loaded from it. The decompressed bytes were analysed; "
             "the file is `incomplete` because it is not what its writer recorded.",
             "gzip member 1 (offset 0x0): CRC-32 of the data is 0x1c291ca3, the trailer says "
             "0x00000000."},
    RuleInfo{rule::kRatio, Severity::kHigh, "Compression ratio above the limit",
             "The stream decompresses to more than --max-compression-ratio times the size of "
             "the compressed data (beyond the first MiB, so small highly compressible files "
             "pass): a decompression bomb. Decompression stopped at the limit; what was "
             "produced was analysed, the rest was not.",
             "The gzip stream at offset 0x0 decompresses beyond 200 times its 65536 "
             "compressed bytes."},
    RuleInfo{rule::kUnsupported, Severity::kMedium, "Compressed stream not decodable",
             "The stream uses a feature this build does not decode: a preset dictionary (zlib "
             "FDICT, zstd dictionary ID), a gzip compression method other than deflate, the "
             "legacy LZ4 format, or a window or dictionary larger than the decoder memory "
             "limit. Its content was not analysed: `incomplete`.",
             "The zlib stream at offset 0x0 needs a preset dictionary."},
    RuleInfo{rule::kTooManyStreams, Severity::kMedium, "More concatenated streams than the limit",
             "The file holds more concatenated compressed streams (or skippable frames) than "
             "--max-members allows; the rest were not analysed.",
             "More than 100000 gzip members; the rest were not analysed."},
    RuleInfo{rule::kTrailingData, Severity::kLow, "Data after the compressed stream",
             "Bytes other than zero padding follow the last compressed stream. Decompressors "
             "ignore them or fail on them, but they can carry a payload for another reader. "
             "They are analysed on their own, as member `<trailing data>`.",
             "312 bytes follow the zlib stream that ends at offset 0x2c4."},
    RuleInfo{rule::kMultipleStreams, Severity::kInfo, "Several concatenated streams",
             "The file holds several compressed streams of the same format back to back. "
             "gzip -d, bzip2 -d, xz -d and Python's gzip, bz2 and lzma modules return their "
             "concatenated output, which is what was analysed; readers that stop after the "
             "first stream see a prefix of it.",
             "3 gzip members were decompressed and analysed as one payload."},
    RuleInfo{rule::kHeaderAnomaly, Severity::kLow, "Header fields readers disagree on",
             "A gzip header sets reserved flag bits or carries a header CRC that does not "
             "match. zlib (and so joblib) rejects such a header while Python's gzip module "
             "ignores both; the data was decompressed and analysed either way.",
             "gzip member 1 (offset 0x0) sets reserved flag bits 0xe0."},
    RuleInfo{rule::kSkippableFrame, Severity::kLow, "Skippable frame with content",
             "A zstd or LZ4 skippable frame carries bytes that decompressors skip. Legitimate "
             "writers use them for metadata; they can also hide a payload for another reader. "
             "Their content is analysed as member `<skippable frame N>`.",
             "Skippable frame at offset 0x0 holds 4096 bytes."},
};

}  // namespace

std::span<const RuleInfo> Rules() { return kRules; }

}  // namespace mg::compress
