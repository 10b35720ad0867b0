#include "analyzers/tar/archive.h"

#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "analyzers/tar/checks.h"
#include "analyzers/tar/members.h"
#include "analyzers/tar/parser.h"
#include "analyzers/tar/rules.h"
#include "engine/analyzer.h"
#include "engine/scan_context.h"

namespace mg::tar {

namespace {

// Ustar magic on a header that does not validate: below every other analyzer's real match (a
// pickle that holds "ustar" at offset 257 stays a pickle), above nothing.
constexpr int kDamagedScore = 30;
// Sniff score from which another reading of a valid tar is reported as a polyglot.
constexpr int kPolyglotScore = 90;

constexpr std::string_view kUstarTag = " [ustar reading]";
constexpr std::string_view kAfterEndTag = " [after end of archive]";
constexpr std::string_view kAfterBadHeaderTag = " [after bad header]";

// Largest GNU long name/link and pax extended header read; real ones are a few KiB at most
// (PATH_MAX is 4096 on Linux), so anything bigger is malformed rather than a name.
constexpr std::uint64_t kMaxExtensionSize = 1 << 20;
// Extension headers (long names, pax) before one member: writers emit at most a few.
constexpr std::size_t kMaxPendingExtensions = 16;

// How one walk reads the headers: as tarfile does (pax and GNU extensions applied), or as a
// reader that knows only ustar (extension headers are files of their own).
enum class Reading { kTarfile, kUstarOnly };

std::string HexPrefix(ByteView bytes) {
  std::string out;
  const ByteView shown = bytes.Prefix(8);
  for (std::uint64_t i = 0; i < shown.size(); ++i) {
    char text[4];
    std::snprintf(text, sizeof(text), "%02x", shown[i]);
    if (!out.empty()) out += ' ';
    out += text;
  }
  if (bytes.size() > 8) out += " ...";
  return out;
}

// The analyzer other than this one that sniffs `bytes` best (nullptr if none), and its score.
std::pair<const Analyzer*, int> SniffOtherFormat(ByteView bytes) {
  const Analyzer* best = nullptr;
  int best_score = 0;
  for (const Analyzer* analyzer : RegisteredAnalyzers()) {
    if (analyzer->Name() == kFormatName) continue;
    const int score = analyzer->Sniff(bytes);
    if (score > best_score) {
      best = analyzer;
      best_score = score;
    }
  }
  return {best, best_score};
}

class ArchiveAnalysis {
 public:
  ArchiveAnalysis(ScanContext& ctx, ByteView data)
      : ctx_(ctx), findings_(ctx), members_(findings_, data), data_(data) {}

  void Run();

 private:
  struct Walk {
    Reading reading = Reading::kTarfile;
    std::string tag;
    Extensions pending;
    PaxValues global;
  };

  void WalkFrom(std::uint64_t offset, Walk& walk);
  // Returns the offset of the next header, or nullopt to stop the walk.
  std::optional<std::uint64_t> Step(const Header& header, Walk& walk);
  std::optional<std::uint64_t> ReadExtension(const Header& header, Walk& walk);
  // Returns the offset of a header after the end marker (read by tar -i), or nullopt.
  std::optional<std::uint64_t> HandleEnd(std::uint64_t offset);
  std::optional<std::uint64_t> Resync(std::uint64_t offset, const HeaderResult& bad);
  void ScanAsOtherFormat(const std::string& label, ByteView bytes);
  void ReportDuplicates();

  ScanContext& ctx_;
  Findings findings_;
  MemberScanner members_;
  ByteView data_;
  bool size_disagreement_ = false;
  std::set<std::uint64_t> primary_headers_;
};

void ArchiveAnalysis::Run() {
  // A valid first header whose bytes also open another format (a pickle in the name field):
  // torch.load reads the tar, pickle.load the pickle. Both are analysed.
  const auto first = data_.Sub(0, kBlockSize);
  if (first && ParseHeader(*first, 0).kind == HeaderKind::kValid) {
    const auto [other, score] = SniffOtherFormat(data_);
    // A name such as "N.txt" is a valid pickle too (NONE, STOP): only a match as sure as a
    // magic number (a PROTO opcode, a ZIP signature) is reported; any match is analysed, so
    // a payload in the name field reports itself.
    if (other != nullptr && score >= kPolyglotScore) {
      findings_.Report(rule::kPolyglot, Severity::kHigh,
                       "The file is a tar archive and also reads as " +
                           std::string(other->Name()) +
                           "; loaders of each format read different content. Both were "
                           "analysed.",
                       0, HexPrefix(data_));
    }
    if (other != nullptr) ctx_.ScanEmbedded("<whole file>", data_, other->Name());
  }
  Walk primary;
  WalkFrom(0, primary);
  // A reader that ignores pax (or GNU) headers skips member data by the ustar size, so when a
  // pax size differs it walks other headers: those are analysed as a second reading.
  if (size_disagreement_) {
    Walk ustar;
    ustar.reading = Reading::kUstarOnly;
    ustar.tag = std::string(kUstarTag);
    WalkFrom(0, ustar);
  }
  ReportDuplicates();
  findings_.Flush();
}

void ArchiveAnalysis::ReportDuplicates() {
  for (const auto& [name, count] : members_.name_counts()) {
    if (count < 2) continue;
    const std::string shown = DisplayName(name);
    findings_.Report(rule::kDuplicateName, Severity::kHigh,
                     "Member name '" + shown + "' appears " + std::to_string(count) +
                         " times; extraction keeps the last copy, a reader that stops at the "
                         "first sees another. Every copy was analysed.",
                     std::nullopt, shown);
  }
}

void ArchiveAnalysis::WalkFrom(std::uint64_t offset, Walk& walk) {
  const bool primary = walk.reading == Reading::kTarfile && walk.tag.empty();
  while (true) {
    if (ctx_.TimeUp()) {
      findings_.Incomplete("SCAN-LIMIT-TIME",
                           "The time limit for this file ran out while its headers were read.",
                           offset);
      return;
    }
    if (offset == data_.size()) {
      if (walk.reading == Reading::kTarfile) {
        findings_.Incomplete(rule::kTruncated,
                             "The archive ends without the zero blocks that mark its end; it "
                             "may be truncated.",
                             offset);
      }
      return;
    }
    const auto block = data_.Sub(offset, kBlockSize);
    if (!block) {
      findings_.Incomplete(rule::kTruncated,
                           "The archive ends inside a header block (" +
                               std::to_string(data_.size() - offset) + " of 512 bytes).",
                           offset);
      // Sniffed as anything but tar: the same damaged header would be taken for a tar again.
      ScanAsOtherFormat(offset == 0 ? "<whole file>" : "<truncated header at " + Hex(offset) + ">",
                        data_.Tail(offset));
      return;
    }
    const HeaderResult parsed = ParseHeader(*block, offset);
    if (parsed.kind == HeaderKind::kZero) {
      if (walk.reading != Reading::kTarfile) return;
      // Followed in this loop rather than by recursion: an archive may chain many of them.
      const auto hidden = HandleEnd(offset);
      if (!hidden) return;
      walk.tag = std::string(kAfterEndTag);
      walk.pending = {};
      offset = *hidden;
      continue;
    }
    if (parsed.kind != HeaderKind::kValid) {
      if (walk.reading != Reading::kTarfile) return;
      const auto next = Resync(offset, parsed);
      if (!next) return;
      walk.tag = std::string(kAfterBadHeaderTag);
      walk.pending = {};
      offset = *next;
      continue;
    }
    if (primary) primary_headers_.insert(offset);
    const auto next = Step(parsed.header, walk);
    if (!next || *next <= offset) return;
    if (*next > data_.size()) {
      findings_.Incomplete(rule::kTruncated,
                           "The archive ends inside the data (or its padding) of the member "
                           "whose header is at " + Hex(offset) + "; the part present was "
                           "analysed.",
                           offset);
      return;
    }
    offset = *next;
  }
}

std::optional<std::uint64_t> ArchiveAnalysis::Step(const Header& header, Walk& walk) {
  const bool extension = header.type == kTypeGnuLongName || header.type == kTypeGnuLongLink ||
                         header.type == kTypePaxLocal || header.type == kTypePaxGlobal ||
                         header.type == kTypeSolarisPax;
  if (extension && walk.reading == Reading::kTarfile) return ReadExtension(header, walk);
  const bool seen = walk.reading == Reading::kUstarOnly && primary_headers_.count(header.offset);
  MemberPlan plan = PlanMember(data_, header, walk.pending, walk.global);
  walk.pending = {};
  if (plan.size_disagreement) size_disagreement_ = true;
  if (members_.AtMemberLimit()) return std::nullopt;
  // A header the first reading judged is not judged again, but its data may differ here.
  members_.Analyze(plan, walk.tag, !seen);
  return plan.next_header;
}

std::optional<std::uint64_t> ArchiveAnalysis::ReadExtension(const Header& header, Walk& walk) {
  const std::uint64_t data_offset = header.offset + kBlockSize;
  const auto padded = PaddedSize(header.size);
  const auto next = padded ? CheckedAdd(data_offset, *padded) : std::nullopt;
  const auto content = data_.Sub(data_offset, header.size);
  if (!content || !next) {
    findings_.Incomplete(rule::kTruncated,
                         "The extension header at " + Hex(header.offset) +
                             " declares more data than the file holds.",
                         header.offset);
    return std::nullopt;
  }
  if (header.size > kMaxExtensionSize) {
    findings_.Incomplete(rule::kMalformed,
                         "The extension header at " + Hex(header.offset) + " declares " +
                             std::to_string(header.size) + " bytes, more than the " +
                             std::to_string(kMaxExtensionSize) +
                             " allowed; it was not applied.",
                         header.offset);
    return next;
  }
  if (walk.pending.entries.size() >= kMaxPendingExtensions) {
    findings_.Incomplete(rule::kMalformed,
                         "More than " + std::to_string(kMaxPendingExtensions) +
                             " extension headers precede one member; the one at " +
                             Hex(header.offset) + " was not applied.",
                         header.offset);
    return next;
  }
  if (header.type == kTypeGnuLongName || header.type == kTypeGnuLongLink) {
    // tarfile's _proc_gnulong: the name is the data up to the first NUL. The outermost
    // extension is applied last, so the first one seen wins.
    std::string value(content->AsStringView());
    const bool cut = value.find('\0') != std::string::npos &&
                     value.find_first_not_of('\0', value.find('\0')) != std::string::npos;
    if (cut) {
      CheckName(findings_, value, "GNU long name", header.offset);
    }
    value = value.substr(0, value.find('\0'));
    walk.pending.Push(header.type == kTypeGnuLongName ? ExtensionKind::kLongName
                                                      : ExtensionKind::kLongLink,
                      std::move(value), {}, header.offset);
    return next;
  }
  PaxRecords records = ParsePaxRecords(*content);
  if (records.error) {
    findings_.Incomplete(rule::kMalformed,
                         "The pax extended header at " + Hex(header.offset) +
                             " is malformed (" + *records.error +
                             "); readers recover from it differently.",
                         header.offset);
  }
  PaxValues values = ReadPaxValues(findings_, records.records, header.offset);
  if (header.type == kTypePaxGlobal) {
    ReportGlobalOverrides(findings_, values, header.offset);
    walk.global.Merge(values);  // tarfile keeps them for every later member
  } else {
    walk.pending.Push(ExtensionKind::kPax, {}, std::move(values), header.offset);
  }
  return next;
}

std::optional<std::uint64_t> ArchiveAnalysis::HandleEnd(std::uint64_t offset) {
  // tarfile and GNU tar stop at the first zero block; what follows is read only by readers
  // told to ignore zero blocks (tar -i, tarfile ignore_zeros=True).
  std::uint64_t first_data = offset;
  while (first_data < data_.size() && data_[first_data] == 0) ++first_data;
  if (first_data == data_.size()) return std::nullopt;
  const std::uint64_t block_start = first_data / kBlockSize * kBlockSize;
  std::optional<std::uint64_t> hidden;
  for (std::uint64_t at = block_start; at + kBlockSize <= data_.size(); at += kBlockSize) {
    if (ctx_.TimeUp()) break;
    const auto block = data_.Sub(at, kBlockSize);
    if (ParseHeader(*block, at).kind == HeaderKind::kValid) {
      hidden = at;
      break;
    }
  }
  const ByteView trailing = data_.Tail(block_start);
  findings_.Report(rule::kDataAfterEnd, hidden ? Severity::kMedium : Severity::kLow,
                   std::to_string(data_.size() - first_data) +
                       " non-zero bytes follow the end of the archive at " + Hex(offset) +
                       (hidden ? "; they hold tar headers, whose members readers that ignore "
                                 "zero blocks extract. They were analysed."
                               : "."),
                   first_data, HexPrefix(data_.Tail(first_data)));
  if (!hidden) {
    members_.ScanRegion("<data after end of archive>", trailing);
    return std::nullopt;
  }
  if (*hidden > block_start) {
    members_.ScanRegion("<data after end of archive>",
                        data_.Sub(block_start, *hidden - block_start).value_or(ByteView()));
  }
  return hidden;
}

std::optional<std::uint64_t> ArchiveAnalysis::Resync(std::uint64_t offset,
                                                     const HeaderResult& bad) {
  std::optional<std::uint64_t> next;
  for (std::uint64_t at = offset + kBlockSize; at + kBlockSize <= data_.size();
       at += kBlockSize) {
    if (ctx_.TimeUp()) break;
    if (ParseHeader(*data_.Sub(at, kBlockSize), at).kind == HeaderKind::kValid) {
      next = at;
      break;
    }
  }
  const std::string_view rule =
      bad.kind == HeaderKind::kBadChecksum ? rule::kBadChecksum : rule::kMalformed;
  findings_.Incomplete(rule,
                       "The header at " + Hex(offset) + " is invalid: " + bad.problem + ". " +
                           (offset == 0 ? "Python's tarfile refuses the archive"
                                        : "Python's tarfile stops reading here") +
                           (next ? ", GNU tar skips to the next valid header at " + Hex(*next) +
                                       "; members from there on were analysed."
                                 : std::string("; no valid header follows.")),
                       offset);
  if (offset == 0) ScanAsOtherFormat("<whole file>", data_);
  // The bytes between the bad header and the next valid one are most likely its data: they
  // are sniffed (the bad header itself is not, or it would be taken for a tar again).
  const std::uint64_t skipped_start = offset + kBlockSize;
  const std::uint64_t skipped_end = next.value_or(data_.size());
  if (skipped_end > skipped_start) {
    members_.ScanRegion("<data after bad header at " + Hex(offset) + ">",
                        *data_.Sub(skipped_start, skipped_end - skipped_start));
  }
  return next;
}

void ArchiveAnalysis::ScanAsOtherFormat(const std::string& label, ByteView bytes) {
  // Not a valid tar from here on: whatever else the bytes sniff as (a pickle that happens to
  // hold "ustar" at offset 257) is what a loader of that format reads.
  if (const Analyzer* other = SniffOtherFormat(bytes).first) {
    ctx_.ScanEmbedded(label, bytes, other->Name());
  }
}

}  // namespace

int SniffTar(ByteView data) {
  const auto block = data.Sub(0, kBlockSize);
  const bool magic = data.Tail(257).StartsWith(std::string_view("ustar", 5));
  if (!block) return magic ? kDamagedScore : 0;
  const HeaderResult parsed = ParseHeader(*block, 0);
  if (parsed.kind == HeaderKind::kValid) {
    if (parsed.header.ustar_magic) return 100;
    // A pre-POSIX header: a name and a known type make a matching checksum no accident. It is
    // as certain as the magic: torch.load tries tarfile on every non-ZIP file before reading
    // it as a pickle, so a file whose first header validates is read as a tar (a polyglot's
    // other reading is analysed by Run()).
    const char type = parsed.header.type;
    const bool known_type = (type >= '0' && type <= '7') || type == '\0';
    return !parsed.header.name.empty() && known_type ? 100 : 0;
  }
  return magic ? kDamagedScore : 0;
}

void AnalyzeArchive(ScanContext& ctx, ByteView data) {
  ArchiveAnalysis analysis(ctx, data);
  analysis.Run();
}

}  // namespace mg::tar
