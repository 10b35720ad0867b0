#include "analyzers/zip/members.h"

#include <zlib.h>

#include <algorithm>

#include "analyzers/zip/inflate.h"
#include "analyzers/zip/parser.h"
#include "analyzers/zip/rules.h"
#include "engine/analyzer.h"
#include "engine/scan_context.h"
#include "engine/sniff.h"

namespace mg::zip {

namespace {

constexpr std::uint64_t kRatioFloor = 1 << 20;

std::uint32_t Crc32(ByteView bytes) {
  // crc32_z takes a size_t length, so members over 4 GiB need no splitting.
  return static_cast<std::uint32_t>(crc32_z(0, bytes.data(), bytes.size()));
}

// A CRC reads every byte of a member. Deflated members were read whole to be inflated and
// small stored ones cost little, so those are always checked; a larger stored member is
// checked only when an analyzer takes it. The rest (tensor storages of a PyTorch checkpoint)
// stay unread: PyTorch never checks CRCs either, and docs/zip.md states the trade-off.
bool WorthCrc(const MemberVersion& version, ByteView bytes, bool encrypted) {
  if (encrypted || version.method != kMethodStored || bytes.size() <= kAlwaysCrcCheckedBytes) {
    return true;
  }
  return !FormatByName(version.display_name).empty() ||
         SniffAnalyzer(bytes, version.display_name) != nullptr;
}

std::string MethodName(std::uint16_t method) {
  switch (method) {
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
  if (extracted->uses_owned) {
    extracted->bytes = ByteView(extracted->owned.data(), extracted->owned.size());
  }
  CheckContent(version, *extracted);
  findings_.ctx().ScanEmbedded(version.chain_name, extracted->bytes,
                               FormatByName(version.display_name));
  return extracted->consumed;
}

std::optional<MemberScanner::Extracted> MemberScanner::Extract(const MemberVersion& version,
                                                               ByteView stored) {
  if (version.method == kMethodDeflated) return ExtractDeflated(version, stored);
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

std::optional<MemberScanner::Extracted> MemberScanner::ExtractDeflated(const MemberVersion& version,
                                                                       ByteView stored) {
  ScanContext& ctx = findings_.ctx();
  const std::uint64_t ratio_cap = RatioCap(stored.size(), ctx.limits().max_compression_ratio);
  // One byte past the declared size tells whether the stream is longer than declared.
  const std::uint64_t declared_cap =
      CheckedAdd(version.uncompressed_size, 1).value_or(kUnknownSize);
  const std::uint64_t cap = std::min(ratio_cap, declared_cap);
  Inflated inflated = InflateRaw(ctx, stored, cap, version.data_offset);
  Extracted extracted;
  extracted.consumed = inflated.consumed;
  extracted.complete = inflated.stop == InflateStop::kStreamEnd;
  const std::string member = "member '" + version.display_name + "'";
  switch (inflated.stop) {
    case InflateStop::kStreamEnd:
      break;
    case InflateStop::kOutputLimit:
      if (cap == declared_cap) {
        // Readers stop at the declared size; analyse what they read.
        inflated.bytes.resize(version.uncompressed_size);
        extracted.complete = true;
        findings_.Report(rule::kSizeMismatch, Severity::kMedium,
                         "The deflate stream of " + member + " goes on past its declared size of " +
                             std::to_string(version.uncompressed_size) + " bytes.",
                         version.header_offset);
      } else {
        findings_.Incomplete(rule::kCompressionRatio,
                             "The deflate stream of " + member + " inflates beyond " +
                                 std::to_string(ctx.limits().max_compression_ratio) +
                                 " times its " + std::to_string(stored.size()) +
                                 " compressed bytes; the rest was not analysed.",
                             version.header_offset, Severity::kHigh);
      }
      break;
    case InflateStop::kBudget:  // ScanContext::ConsumeDecompressed reported it
      break;
    case InflateStop::kTime:
      ctx.Incomplete("SCAN-LIMIT-TIME", "The time limit ran out while inflating " + member + ".",
                     version.header_offset);
      break;
    case InflateStop::kInputEnd:
      findings_.Incomplete(rule::kDataError, "The deflate stream of " + member + " is truncated.",
                           version.header_offset);
      break;
    case InflateStop::kError:
      findings_.Incomplete(
          rule::kDataError,
          "The deflate stream of " + member + " is corrupt: " + inflated.error + ".",
          version.header_offset);
      break;
  }
  extracted.owned = std::move(inflated.bytes);
  extracted.uses_owned = true;
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
  if (extracted.complete && version.crc32 && WorthCrc(version, extracted.bytes, encrypted)) {
    actual_crc = Crc32(extracted.bytes);
  }
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
