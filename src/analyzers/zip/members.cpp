#include "analyzers/zip/members.h"

#include <zlib.h>

#include <algorithm>

#include "analyzers/zip/parser.h"
#include "analyzers/zip/rules.h"
#include "engine/analyzer.h"
#include "engine/scan_context.h"

namespace mg::zip {

namespace {

constexpr std::uint64_t kRatioFloor = 1 << 20;

std::uint32_t Crc32(ByteView bytes) {
  // crc32_z takes a size_t length, so members over 4 GiB need no splitting.
  return static_cast<std::uint32_t>(crc32_z(0, bytes.data(), bytes.size()));
}

// APPNOTE 4.4.5 compression methods that the shared decoders handle as plain streams. LZMA
// (14) is not among them: ZIP wraps raw LZMA1 in its own properties header (APPNOTE 5.8.8).
std::optional<decompress::Codec> CodecForMethod(std::uint16_t method) {
  switch (method) {
    case kMethodDeflated:
      return decompress::Codec::kRawDeflate;
    case 12:
      return decompress::Codec::kBzip2;
    case 93:
      return decompress::Codec::kZstd;
    case 95:
      return decompress::Codec::kXz;
    default:
      return std::nullopt;
  }
}

std::string MethodName(std::uint16_t method) {
  switch (method) {
    case kMethodDeflated:
      return "deflate";
    case 12:
      return "bzip2";
    case 14:
      return "LZMA";
    case 93:
      return "Zstandard";
    case 95:
      return "XZ";
    case 98:
      return "PPMd";
    case 99:
      return "AES encryption";
    default:
      return "method " + std::to_string(method);
  }
}

}  // namespace

std::string_view FormatByName(std::string_view name) {
  // torch.load unpickles '<folder>/data.pkl' whatever its first bytes are, and a protocol 0 or
  // 1 pickle has no PROTO opcode to sniff: a '.pkl' member goes to the pickle analyzer.
  constexpr std::string_view kPickleSuffix = ".pkl";
  const bool pickle_name = name.size() >= kPickleSuffix.size() &&
                           name.substr(name.size() - kPickleSuffix.size()) == kPickleSuffix;
  if (pickle_name && FindAnalyzer("pickle") != nullptr) return "pickle";
  return {};
}

std::uint64_t RatioCap(std::uint64_t compressed_size, std::uint32_t max_ratio) {
  const auto scaled = CheckedMul(compressed_size, max_ratio);
  return std::max(kRatioFloor, scaled.value_or(kUnknownSize));
}

MemberScanner::MemberScanner(Findings& findings, ByteView archive)
    : findings_(findings), archive_(archive) {}

bool MemberScanner::AtMemberLimit() {
  if (seen_.size() < findings_.ctx().limits().max_members) return false;
  ReportMemberLimit(std::nullopt);
  return true;
}

void MemberScanner::ReportMemberLimit(std::optional<std::uint64_t> offset) {
  if (reported_member_limit_) return;
  reported_member_limit_ = true;
  findings_.Incomplete(rule::kTooManyMembers,
                       "The archive has more than " +
                           std::to_string(findings_.ctx().limits().max_members) +
                           " members; the rest were not analysed.",
                       offset);
}

std::optional<std::uint64_t> MemberScanner::Scan(const MemberVersion& version) {
  const auto key = std::make_tuple(version.data_offset, version.compressed_size,
                                   version.uncompressed_size, version.method);
  if (seen_.count(key) != 0) return version.compressed_size;
  if (AtMemberLimit()) return std::nullopt;
  seen_.insert(key);

  // The compressed bytes, cut at the end of the file: a reader would fail there, but what is
  // present is still analysed (a broken archive is never a reason to stop looking).
  ByteView stored = archive_.Tail(version.data_offset);
  if (version.compressed_size != kUnknownSize) {
    if (version.compressed_size > stored.size()) {
      findings_.Incomplete(rule::kDataError,
                           "The data of member '" + version.display_name +
                               "' extends past the end of the file; the part present was "
                               "analysed.",
                           version.header_offset);
    } else {
      stored = stored.Prefix(version.compressed_size);
    }
  }
  auto extracted = Extract(version, stored);
  if (!extracted) return std::nullopt;
  CheckContent(version, *extracted);
  findings_.ctx().ScanEmbedded(version.chain_name, extracted->bytes,
                               FormatByName(version.display_name));
  return extracted->consumed;
}

std::optional<MemberScanner::Extracted> MemberScanner::Extract(const MemberVersion& version,
                                                               ByteView stored) {
  if (const auto codec = CodecForMethod(version.method)) {
    return ExtractCompressed(version, stored, *codec);
  }
  if (version.method != kMethodStored) {
    findings_.Incomplete(rule::kUnsupportedMethod,
                         "Member '" + version.display_name + "' uses " +
                             MethodName(version.method) +
                             ", which this version cannot decode; it was not analysed.",
                         version.header_offset);
    return std::nullopt;
  }
  if (version.compressed_size == kUnknownSize) {
    // APPNOTE 4.4.4 bit 3 with a stored member: the data's end is only found by searching for
    // a descriptor, which readers do differently (and some refuse).
    findings_.Incomplete(rule::kDataError,
                         "Member '" + version.display_name +
                             "' is stored with its size deferred to a data descriptor; its end "
                             "cannot be determined from its header.",
                         version.header_offset);
    return std::nullopt;
  }
  Extracted extracted;
  extracted.bytes = stored;  // no copy: a view into the mapped file
  extracted.complete = stored.size() == version.compressed_size;
  extracted.consumed = stored.size();
  return extracted;
}

std::optional<MemberScanner::Extracted> MemberScanner::ExtractCompressed(
    const MemberVersion& version, ByteView stored, decompress::Codec codec) {
  ScanContext& ctx = findings_.ctx();
  const std::uint64_t ratio_cap = RatioCap(stored.size(), ctx.limits().max_compression_ratio);
  const std::uint64_t cap = std::min(ratio_cap, version.uncompressed_size);
  Extracted extracted;
  const decompress::StreamResult result =
      decompress::DecodeStream(ctx, codec, stored, extracted.owned, cap, version.data_offset);
  extracted.bytes = extracted.owned.view();
  extracted.consumed = result.consumed;
  extracted.complete = result.stop == decompress::Stop::kStreamEnd;
  const std::string stream = "The " + MethodName(version.method) + " stream of member '" +
                             version.display_name + "'";
  switch (result.stop) {
    case decompress::Stop::kStreamEnd:
      break;
    case decompress::Stop::kRatio:
      if (cap == version.uncompressed_size) {
        // Readers stop at the declared size; analyse what they read.
        extracted.complete = true;
        findings_.Report(rule::kSizeMismatch, Severity::kMedium,
                         stream + " goes on past its declared size of " +
                             std::to_string(version.uncompressed_size) + " bytes.",
                         version.header_offset);
      } else {
        findings_.Incomplete(rule::kCompressionRatio,
                             stream + " expands beyond " +
                                 std::to_string(ctx.limits().max_compression_ratio) +
                                 " times its " + std::to_string(stored.size()) +
                                 " compressed bytes; the rest was not analysed.",
                             version.header_offset, Severity::kHigh);
      }
      break;
    case decompress::Stop::kBudget:  // ScanContext::ConsumeDecompressed reported it
      break;
    case decompress::Stop::kTime:
      ctx.Incomplete("SCAN-LIMIT-TIME",
                     "The time limit ran out while decompressing member '" +
                         version.display_name + "'.",
                     version.header_offset);
      break;
    case decompress::Stop::kTruncated:
      findings_.Incomplete(rule::kDataError, stream + " is truncated.", version.header_offset);
      break;
    case decompress::Stop::kChecksum:
    case decompress::Stop::kCorrupt:
    case decompress::Stop::kUnsupported:
      findings_.Incomplete(rule::kDataError, stream + " cannot be decoded: " + result.error + ".",
                           version.header_offset);
      break;
  }
  return extracted;
}

void MemberScanner::CheckContent(const MemberVersion& version, const Extracted& extracted) {
  const std::string member = "Member '" + version.display_name + "'";
  const bool declared_size_known = version.uncompressed_size != kUnknownSize;
  const bool encrypted = (version.flags & (kFlagEncrypted | kFlagStrongEncryption)) != 0;
  if (extracted.complete && declared_size_known && !encrypted &&
      extracted.bytes.size() != version.uncompressed_size) {
    findings_.Report(rule::kSizeMismatch, Severity::kMedium,
                     member + " holds " + std::to_string(extracted.bytes.size()) +
                         " bytes but declares " + std::to_string(version.uncompressed_size) + ".",
                     version.header_offset);
  }
  std::optional<std::uint32_t> actual_crc;
  if (extracted.complete && version.crc32) actual_crc = Crc32(extracted.bytes);
  const bool crc_matches = actual_crc && *actual_crc == *version.crc32;
  if (encrypted) {
    if (crc_matches) {
      findings_.Report(rule::kFalseEncryption, Severity::kMedium,
                       member +
                           " is flagged as encrypted but its data is plain; readers that "
                           "ignore the flag load it.",
                       version.header_offset, "flags " + Hex(version.flags));
    } else {
      findings_.Incomplete(rule::kEncrypted,
                           member + " is encrypted (flags " + Hex(version.flags) +
                               "); its content cannot be analysed.",
                           version.header_offset);
    }
    return;
  }
  if (actual_crc && !crc_matches) {
    findings_.Report(
        rule::kCrcMismatch, Severity::kMedium,
        member + " has CRC-32 " + Hex(*actual_crc) + " but declares " + Hex(*version.crc32) + ".",
        version.header_offset);
  }
}

}  // namespace mg::zip
