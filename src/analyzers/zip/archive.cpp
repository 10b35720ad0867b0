#include "analyzers/zip/archive.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "analyzers/zip/checks.h"
#include "analyzers/zip/members.h"
#include "analyzers/zip/parser.h"
#include "analyzers/zip/rules.h"
#include "engine/analyzer.h"
#include "engine/scan_context.h"

namespace mg::zip {

namespace {

constexpr std::string_view kPrependedMember = "<prepended data>";
constexpr std::string_view kHiddenTag = " [not in central directory]";
constexpr std::size_t kMaxEndRecordsFollowed = 8;

// One reading of the central directory: an end record and the offset shift applied to every
// offset it holds (0, or the amount Python's zipfile adds when the directory is not where the
// end record says, APPNOTE 4.3.16 vs zipfile._RealGetContents' "concat").
struct DirectoryView {
  EndRecord end;
  std::uint64_t shift = 0;
  std::uint64_t start = 0;  // absolute offset of the central directory
  CentralDirectory directory;

  bool Resolves() const {
    return !directory.entries.empty() ||
           (end.entries_total == 0 && end.central_size == 0 && !directory.error);
  }
};

// The bytes one member occupies: local header, data and data descriptor.
struct Extent {
  std::uint64_t start = 0;
  std::uint64_t end = 0;
  std::string name;
};

// Which offsets some member covers, answered in O(log n) even with overlapping members (an
// archive may list 100000 members and hold thousands of end record signatures).
class Coverage {
 public:
  explicit Coverage(const std::vector<Extent>& extents) {
    for (const Extent& extent : extents) ranges_.emplace_back(extent.start, extent.end);
    std::sort(ranges_.begin(), ranges_.end());
    std::uint64_t furthest = 0;
    for (const auto& range : ranges_) {
      furthest = std::max(furthest, range.second);
      furthest_end_.push_back(furthest);
    }
  }

  bool Contains(std::uint64_t offset) const {
    // The last range starting at or before `offset`; any earlier one ends no later than the
    // furthest end recorded for it.
    auto after =
        std::upper_bound(ranges_.begin(), ranges_.end(), std::make_pair(offset, ~std::uint64_t{0}));
    if (after == ranges_.begin()) return false;
    return furthest_end_[static_cast<std::size_t>(after - ranges_.begin()) - 1] > offset;
  }

 private:
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges_;
  std::vector<std::uint64_t> furthest_end_;
};

// The shift under which the central directory ends where the end record (or the ZIP64 record
// before it) begins, when that is not 0.
std::optional<std::uint64_t> ShiftForPrependedData(const EndRecord& end) {
  std::uint64_t directory_end = end.offset;
  if (end.zip64_locator_offset) {
    if (end.offset < kZip64LocatorSize + kZip64EndRecordMinSize) return std::nullopt;
    directory_end = end.offset - kZip64LocatorSize - kZip64EndRecordMinSize;
  }
  const auto declared_end = CheckedAdd(end.central_offset, end.central_size);
  if (!declared_end || *declared_end >= directory_end) return std::nullopt;
  return directory_end - *declared_end;
}

// APPNOTE 6.1.3: traditional PKWARE encryption prepends a 12-byte header to the data, so an
// encrypted stored member is 12 bytes longer than its content.
bool StoredSizesDiffer(const CentralEntry& entry) {
  if (entry.uncompressed_size == entry.compressed_size) return false;
  const bool encrypted = (entry.flags & kFlagEncrypted) != 0;
  return !encrypted || CheckedAdd(entry.uncompressed_size, 12) != entry.compressed_size;
}

class ArchiveAnalysis {
 public:
  ArchiveAnalysis(ScanContext& ctx, ByteView data)
      : ctx_(ctx), findings_(ctx), scanner_(findings_, data), data_(data) {}

  void Run();

 private:
  std::vector<DirectoryView> ReadDirectories(const std::vector<std::uint64_t>& end_offsets);
  void ReportMultipleEndRecords(const std::vector<std::uint64_t>& end_offsets);
  void CheckEndRecord(const DirectoryView& view);
  void CheckDirectory(const DirectoryView& view);
  void ScanEntry(const DirectoryView& view, const CentralEntry& entry,
                 std::vector<Extent>* extents);
  void CompareHeaders(const CentralEntry& entry, const LocalHeader& local);
  std::optional<DataDescriptor> CheckDescriptor(const CentralEntry& entry,
                                                const LocalHeader& local);
  void CheckLayout(const DirectoryView& view, std::vector<Extent> extents);
  void ReportGap(std::uint64_t start, std::uint64_t end);
  void WalkLocalEntries(std::uint64_t start, std::uint64_t end, std::string_view tag);
  void ScanPrepended(std::uint64_t size);
  void CheckDeclaredSizes(const DirectoryView& view);

  ScanContext& ctx_;
  Findings findings_;
  MemberScanner scanner_;
  ByteView data_;
};

void ArchiveAnalysis::Run() {
  const std::vector<std::uint64_t> end_offsets = FindEndRecords(data_);
  std::vector<DirectoryView> views = ReadDirectories(end_offsets);
  auto primary = std::find_if(views.begin(), views.end(),
                              [](const DirectoryView& view) { return view.Resolves(); });
  if (primary == views.end()) {
    findings_.Incomplete(rule::kMalformed,
                         end_offsets.empty()
                             ? "No end of central directory record in the last 65557 bytes; the "
                               "archive is truncated or not a ZIP archive."
                             : "No end of central directory record leads to a readable central "
                               "directory.",
                         end_offsets.empty() ? std::nullopt : std::optional(end_offsets.front()));
    // Streaming readers still extract what the local headers describe.
    if (PeekU32(data_, 0) == kLocalSignature) WalkLocalEntries(0, data_.size(), "");
    findings_.Flush();
    return;
  }
  CheckEndRecord(*primary);
  CheckDirectory(*primary);
  std::vector<Extent> extents;
  for (const CentralEntry& entry : primary->directory.entries) {
    if (scanner_.AtMemberLimit()) break;
    ScanEntry(*primary, entry, &extents);
  }
  // An end record inside a member's data belongs to that member (a stored archive in the
  // archive) and is analysed with it; the others are rival readings of this archive.
  const Coverage coverage(extents);
  auto inside_member = [&coverage](std::uint64_t offset) { return coverage.Contains(offset); };
  std::vector<std::uint64_t> rivals;
  for (std::uint64_t offset : end_offsets) {
    if (!inside_member(offset)) rivals.push_back(offset);
  }
  ReportMultipleEndRecords(rivals);
  for (const DirectoryView& view : views) {
    if (&view == &*primary || !view.Resolves() || inside_member(view.end.offset)) continue;
    for (const CentralEntry& entry : view.directory.entries) {
      if (scanner_.AtMemberLimit()) break;
      ScanEntry(view, entry, nullptr);
    }
  }
  CheckLayout(*primary, std::move(extents));
  CheckDeclaredSizes(*primary);
  findings_.Flush();
}

void ArchiveAnalysis::ReportMultipleEndRecords(const std::vector<std::uint64_t>& end_offsets) {
  if (end_offsets.size() < 2) return;
  std::string where;
  for (std::size_t i = 0; i < end_offsets.size() && i < kMaxEndRecordsFollowed; ++i) {
    where += (where.empty() ? "" : ", ") + Hex(end_offsets[i]);
  }
  if (end_offsets.size() > kMaxEndRecordsFollowed) where += ", ...";
  findings_.Report(rule::kMultipleEndRecords, Severity::kMedium,
                   std::to_string(end_offsets.size()) +
                       " end of central directory records fit at the end of the file; readers "
                       "may pick different ones.",
                   end_offsets.front(), where);
}

std::vector<DirectoryView> ArchiveAnalysis::ReadDirectories(
    const std::vector<std::uint64_t>& end_offsets) {
  std::vector<DirectoryView> views;
  const std::uint64_t max_entries = ctx_.limits().max_members;
  for (std::size_t i = 0; i < end_offsets.size() && i < kMaxEndRecordsFollowed; ++i) {
    auto end = ParseEndRecord(data_, end_offsets[i]);
    if (!end) continue;
    std::vector<std::uint64_t> shifts = {0};
    if (auto shift = ShiftForPrependedData(*end)) shifts.push_back(*shift);
    for (std::uint64_t shift : shifts) {
      DirectoryView view;
      view.end = *end;
      view.shift = shift;
      view.start = end->central_offset + shift;  // cannot wrap: shift ends before end->offset
      const bool seen = std::any_of(views.begin(), views.end(), [&](const DirectoryView& v) {
        return v.start == view.start && v.end.central_size == end->central_size;
      });
      if (seen) continue;
      view.directory = ParseCentralDirectory(data_, view.start, end->central_size, max_entries);
      views.push_back(std::move(view));
    }
  }
  // Prefer the reading without a shift when both resolve (what miniz, and so PyTorch, use).
  std::stable_sort(views.begin(), views.end(), [](const DirectoryView& a, const DirectoryView& b) {
    return a.Resolves() && !b.Resolves();
  });
  return views;
}

void ArchiveAnalysis::CheckEndRecord(const DirectoryView& view) {
  const EndRecord& end = view.end;
  if (view.shift != 0) {
    findings_.Report(rule::kOffsetMismatch, Severity::kMedium,
                     "The end record places the central directory at " + Hex(end.central_offset) +
                         " but it is found " + std::to_string(view.shift) +
                         " bytes later; readers that correct for this (Python's zipfile) and "
                         "readers that do not (miniz, PyTorch) disagree.",
                     end.offset);
  }
  if (end.zip64_locator_offset) {
    const bool trouble = end.zip64_error.has_value() || end.zip64_disagrees || end.zip64_relocated;
    findings_.Report(rule::kZip64, trouble ? Severity::kMedium : Severity::kInfo,
                     end.zip64_error
                         ? "The ZIP64 end record cannot be read: " + end.zip64_error->message + "."
                     : end.zip64_disagrees
                         ? std::string("The ZIP64 end record disagrees with the 32-bit end "
                                       "record; old and new readers see different directories.")
                     : end.zip64_relocated
                         ? std::string("The ZIP64 locator's offset misses the ZIP64 end record, "
                                       "which sits right before the locator; readers that "
                                       "follow the offset fail.")
                         : std::string("The archive uses a ZIP64 end record."),
                     end.zip64_locator_offset);
  }
  if (end.disk != 0 || end.central_disk != 0) {
    findings_.Report(rule::kMultiDisk, Severity::kMedium,
                     "The end record describes disk " + std::to_string(end.disk) +
                         " of a split archive; the other parts are not here.",
                     end.offset);
  }
  if (end.end < data_.size()) {
    findings_.Report(rule::kAppendedData, Severity::kLow,
                     std::to_string(data_.size() - end.end) +
                         " bytes follow the end of central directory record.",
                     end.end, HexPrefix(data_.Tail(end.end)));
  }
}

void ArchiveAnalysis::CheckDirectory(const DirectoryView& view) {
  const CentralDirectory& directory = view.directory;
  if (directory.error) {
    findings_.Incomplete(rule::kMalformed,
                         "The central directory is damaged: " + directory.error->message +
                             "; members after that point may be missing.",
                         directory.error->offset);
  }
  if (directory.hit_member_limit) scanner_.ReportMemberLimit(directory.end);
  const std::uint64_t found = directory.entries.size();
  if (!directory.hit_member_limit && !directory.error &&
      (found != view.end.entries_total || found != view.end.entries_on_disk ||
       directory.end - view.start != view.end.central_size)) {
    findings_.Report(rule::kCountMismatch, Severity::kMedium,
                     "The end record declares " + std::to_string(view.end.entries_total) +
                         " members (" + std::to_string(view.end.entries_on_disk) +
                         " on this disk) in " + std::to_string(view.end.central_size) +
                         " bytes, but the central directory holds " + std::to_string(found) +
                         " in " + std::to_string(directory.end - view.start) + " bytes.",
                     view.end.offset);
  }
  std::map<std::string_view, std::uint64_t> name_counts;
  for (const CentralEntry& entry : directory.entries) ++name_counts[entry.name.AsStringView()];
  for (const auto& [name, count] : name_counts) {
    if (count < 2) continue;
    const std::string shown = DisplayName(ByteView(name));
    findings_.Report(rule::kDuplicateName, Severity::kHigh,
                     "Member name '" + shown + "' appears " + std::to_string(count) +
                         " times; readers disagree on which one they return.",
                     std::nullopt, shown);
  }
}

void ArchiveAnalysis::ScanEntry(const DirectoryView& view, const CentralEntry& entry,
                                std::vector<Extent>* extents) {
  const std::string name = DisplayName(entry.name);
  CheckName(findings_, entry.name, entry.header_offset);
  CheckReservedFlags(findings_, entry.flags, name, entry.header_offset);
  const auto local_offset = CheckedAdd(entry.local_offset, view.shift);
  auto local = local_offset ? ParseLocalHeader(data_, *local_offset)
                            : Result<LocalHeader>(Error::Malformed(0, "offset overflows"));
  if (!local) {
    findings_.Incomplete(rule::kDataError,
                         "Member '" + name + "' has no readable local header at " +
                             Hex(entry.local_offset) + ": " + local.error().message + ".",
                         entry.header_offset);
    return;
  }
  CompareHeaders(entry, *local);

  // The central reading: what miniz (PyTorch) and Python's zipfile read. Both take the data's
  // start from the local header's name and extra lengths (APPNOTE 4.3.8) and the rest from the
  // central header.
  MemberVersion central;
  central.chain_name = name;
  central.display_name = name;
  central.header_offset = local->offset;
  central.data_offset = local->data_offset;
  central.compressed_size = entry.compressed_size;
  central.uncompressed_size = entry.uncompressed_size;
  central.method = entry.method;
  central.flags = entry.flags;
  central.crc32 = entry.crc32;
  scanner_.Scan(central);
  if (entry.method == kMethodStored && StoredSizesDiffer(entry)) {
    // A stored member read with its uncompressed size instead of its compressed one.
    MemberVersion by_size = central;
    by_size.compressed_size = entry.uncompressed_size;
    by_size.chain_name = name + " [uncompressed size]";
    scanner_.Scan(by_size);
  }

  // The local reading: what streaming readers use. APPNOTE 4.4.4 bit 3: sizes and CRC may be
  // zero in the local header and follow the data in a descriptor.
  const bool deferred = (local->flags & kFlagDataDescriptor) != 0 && local->compressed_size == 0;
  const bool same_name = local->name.AsStringView() == entry.name.AsStringView();
  const bool differs = local->method != entry.method || !same_name ||
                       (!deferred && (local->compressed_size != entry.compressed_size ||
                                      local->uncompressed_size != entry.uncompressed_size));
  if (differs) {
    MemberVersion streamed;
    streamed.display_name = DisplayName(local->name);
    streamed.chain_name = streamed.display_name + (same_name ? " [local header]" : "");
    streamed.header_offset = local->offset;
    streamed.data_offset = local->data_offset;
    streamed.method = local->method;
    streamed.flags = local->flags;
    if (!deferred) {
      streamed.compressed_size = local->compressed_size;
      streamed.uncompressed_size = local->uncompressed_size;
      streamed.crc32 = local->crc32;
    }
    scanner_.Scan(streamed);
  }
  std::uint64_t data_size = entry.compressed_size;
  if (!deferred) data_size = std::max(data_size, local->compressed_size);
  std::uint64_t end = CheckedAdd(local->data_offset, data_size).value_or(data_.size());
  if (local->flags & kFlagDataDescriptor) {  // the writer announced a descriptor after the data
    const auto descriptor = CheckDescriptor(entry, *local);
    if (descriptor) end = CheckedAdd(end, descriptor->size).value_or(end);
  }
  if (extents != nullptr) extents->push_back({local->offset, std::min(end, data_.size()), name});
}

std::optional<DataDescriptor> ArchiveAnalysis::CheckDescriptor(const CentralEntry& entry,
                                                               const LocalHeader& local) {
  const auto at = CheckedAdd(local.data_offset, entry.compressed_size);
  if (!at) return std::nullopt;
  const auto descriptor = ParseDataDescriptor(data_, *at, entry.zip64 || local.zip64);
  if (!descriptor) return std::nullopt;
  // Streaming readers check the data against the descriptor, not the central header.
  if (descriptor->crc32 != entry.crc32 || descriptor->compressed_size != entry.compressed_size ||
      descriptor->uncompressed_size != entry.uncompressed_size) {
    findings_.Report(rule::kHeaderMismatch, Severity::kHigh,
                     "The data descriptor of member '" + DisplayName(entry.name) +
                         "' disagrees with its central header; readers check different values.",
                     *at,
                     "descriptor CRC-32 " + Hex(descriptor->crc32) + ", sizes " +
                         std::to_string(descriptor->compressed_size) + "/" +
                         std::to_string(descriptor->uncompressed_size) + "; central " +
                         Hex(entry.crc32) + ", " + std::to_string(entry.compressed_size) + "/" +
                         std::to_string(entry.uncompressed_size));
  }
  return descriptor;
}

void ArchiveAnalysis::CompareHeaders(const CentralEntry& entry, const LocalHeader& local) {
  const std::string name = DisplayName(entry.name);
  if (local.name.AsStringView() != entry.name.AsStringView()) {
    findings_.Report(rule::kNameMismatch, Severity::kHigh,
                     "The local header names member '" + name + "' '" + DisplayName(local.name) +
                         "'; readers extract it under different names.",
                     local.offset,
                     "local '" + DisplayName(local.name) + "', central '" + name + "'");
  }
  std::string differences;
  auto compare = [&](std::string_view field, std::uint64_t local_value,
                     std::uint64_t central_value) {
    if (local_value == central_value) return;
    if (!differences.empty()) differences += "; ";
    differences += std::string(field) + " " + Hex(local_value) + " (local) vs " +
                   Hex(central_value) + " (central)";
  };
  compare("compression method", local.method, entry.method);
  compare("flags", local.flags, entry.flags);
  // APPNOTE 4.4.4 bit 3: with a data descriptor the local CRC and sizes may be zero.
  const bool deferred = (local.flags & kFlagDataDescriptor) != 0;
  if (!deferred || local.crc32 != 0) compare("CRC-32", local.crc32, entry.crc32);
  if (!deferred || local.compressed_size != 0) {
    compare("compressed size", local.compressed_size, entry.compressed_size);
  }
  if (!deferred || local.uncompressed_size != 0) {
    compare("uncompressed size", local.uncompressed_size, entry.uncompressed_size);
  }
  if (!differences.empty()) {
    findings_.Report(rule::kHeaderMismatch, Severity::kHigh,
                     "The local and central headers of member '" + name +
                         "' disagree; readers read different bytes. Every version was analysed.",
                     local.offset, differences);
  }
}

void ArchiveAnalysis::CheckLayout(const DirectoryView& view, std::vector<Extent> extents) {
  std::sort(extents.begin(), extents.end(),
            [](const Extent& a, const Extent& b) { return a.start < b.start; });
  const std::uint64_t first =
      extents.empty() ? view.start : std::min(extents.front().start, view.start);
  // Past the member limit the unlisted members would all look like gaps.
  const bool all_members_seen = !scanner_.member_limit_reported();
  if (first > 0 && PeekU32(data_, 0) == kLocalSignature) {
    ReportGap(0, first);  // a local entry no central header lists, not a foreign format
  } else if (first > 0) {
    ScanPrepended(first);
  }
  std::uint64_t covered_to = first;
  const Extent* furthest = nullptr;
  for (const Extent& extent : extents) {
    if (extent.start > covered_to) {
      if (all_members_seen) ReportGap(covered_to, extent.start);
    } else if (extent.start < covered_to && furthest != nullptr) {
      findings_.Report(rule::kOverlappingMembers, Severity::kHigh,
                       "Member '" + extent.name + "' starts at " + Hex(extent.start) +
                           ", inside member '" + furthest->name + "' (" + Hex(furthest->start) +
                           "-" + Hex(furthest->end) + ").",
                       extent.start);
    }
    if (extent.end > covered_to || furthest == nullptr) {
      covered_to = std::max(covered_to, extent.end);
      furthest = &extent;
    }
  }
  if (view.start > covered_to) {
    if (all_members_seen) ReportGap(covered_to, view.start);
  } else if (view.start < covered_to && furthest != nullptr) {
    findings_.Report(rule::kOverlappingMembers, Severity::kHigh,
                     "Member '" + furthest->name + "' runs into the central directory at " +
                         Hex(view.start) + ".",
                     view.start);
  }
  // Between the central directory and the end record only the ZIP64 records may sit.
  std::uint64_t tail_end = view.end.offset;
  if (view.end.zip64_record_offset && *view.end.zip64_record_offset >= view.directory.end &&
      *view.end.zip64_record_offset < view.end.offset) {
    tail_end = *view.end.zip64_record_offset;
  }
  if (!view.directory.error && all_members_seen && tail_end > view.directory.end) {
    ReportGap(view.directory.end, tail_end);
  }
}

void ArchiveAnalysis::ReportGap(std::uint64_t start, std::uint64_t end) {
  const auto gap_bytes = end > start ? data_.Sub(start, end - start) : std::nullopt;
  if (!gap_bytes) return;
  const ByteView gap = *gap_bytes;
  const bool hidden_member = PeekU32(gap, 0) == kLocalSignature;
  findings_.Report(rule::kUnreferencedData, Severity::kMedium,
                   std::to_string(gap.size()) + " bytes at " + Hex(start) +
                       " belong to no member of the central directory" +
                       (hidden_member ? "; they start with a local header that streaming "
                                        "readers extract."
                                      : "."),
                   start, HexPrefix(gap));
  if (hidden_member) WalkLocalEntries(start, end, kHiddenTag);
}

void ArchiveAnalysis::WalkLocalEntries(std::uint64_t start, std::uint64_t end,
                                       std::string_view tag) {
  std::uint64_t offset = start;
  while (offset < end && PeekU32(data_, offset) == kLocalSignature && !ctx_.TimeUp()) {
    auto local = ParseLocalHeader(data_, offset);
    if (!local) {
      findings_.Incomplete(rule::kDataError,
                           "A local header is unreadable: " + local.error().message + ".", offset);
      return;
    }
    CheckName(findings_, local->name, offset);
    MemberVersion version;
    version.display_name = DisplayName(local->name);
    version.chain_name = version.display_name + std::string(tag);
    version.header_offset = offset;
    version.data_offset = local->data_offset;
    version.method = local->method;
    version.flags = local->flags;
    const bool deferred = (local->flags & kFlagDataDescriptor) != 0 && local->compressed_size == 0;
    if (!deferred) {
      version.compressed_size = local->compressed_size;
      version.uncompressed_size = local->uncompressed_size;
      version.crc32 = local->crc32;
    }
    const auto used = scanner_.Scan(version);
    if (!used) return;
    std::uint64_t next = CheckedAdd(local->data_offset, *used).value_or(data_.size());
    if (local->flags & kFlagDataDescriptor) {
      const auto descriptor = ParseDataDescriptor(data_, next, local->zip64);
      next = CheckedAdd(next, descriptor ? descriptor->size : 0).value_or(next);
    }
    if (next <= offset) return;
    offset = next;
  }
}

void ArchiveAnalysis::ScanPrepended(std::uint64_t size) {
  const auto prefix_bytes = data_.Sub(0, size);
  if (!prefix_bytes) return;
  const ByteView prefix = *prefix_bytes;
  findings_.Report(rule::kPrependedData, Severity::kMedium,
                   std::to_string(size) +
                       " bytes precede the first member; loaders that check the first bytes see "
                       "another format (a polyglot). They were analysed too.",
                   0, HexPrefix(prefix));
  // A loader of the other format reads from offset 0 for as long as that format goes on,
  // possibly into the ZIP bytes, so the analyzer that recognises the prefix gets the whole
  // file. Nothing recognised: the prefix alone is sniffed (unknown formats get reported).
  const Analyzer* best = nullptr;
  int best_score = 0;
  for (const Analyzer* analyzer : RegisteredAnalyzers()) {
    if (analyzer->Name() == kFormatName) continue;
    const int score = analyzer->Sniff(prefix);
    if (score > best_score) {
      best = analyzer;
      best_score = score;
    }
  }
  if (best != nullptr) {
    ctx_.ScanEmbedded(std::string(kPrependedMember), data_, best->Name());
  } else {
    ctx_.ScanEmbedded(std::string(kPrependedMember), prefix);
  }
}

void ArchiveAnalysis::CheckDeclaredSizes(const DirectoryView& view) {
  std::uint64_t declared = 0;
  for (const CentralEntry& entry : view.directory.entries) {
    if (entry.method == kMethodStored) continue;  // stored members are read in place
    declared = CheckedAdd(declared, entry.uncompressed_size).value_or(kUnknownSize);
  }
  if (declared > ctx_.limits().max_decompressed_bytes) {
    findings_.Report(rule::kDeclaredSize, Severity::kHigh,
                     "The compressed members declare " + std::to_string(declared) +
                         " uncompressed bytes in total, more than the decompression budget of " +
                         std::to_string(ctx_.limits().max_decompressed_bytes) + ".",
                     view.end.offset);
  }
}

}  // namespace

int SniffZip(ByteView data) {
  if (data.StartsWith("PK\x03\x04")) return 100;
  int best = 0;
  std::size_t followed = 0;
  for (std::uint64_t offset : FindEndRecords(data)) {
    if (++followed > kMaxEndRecordsFollowed) break;
    auto end = ParseEndRecord(data, offset);
    if (!end) continue;
    if (offset == 0 && end->entries_total == 0) return 100;  // an empty archive
    std::vector<std::uint64_t> starts = {end->central_offset};
    if (auto shift = ShiftForPrependedData(*end)) starts.push_back(end->central_offset + *shift);
    for (std::uint64_t start : starts) {
      if (PeekU32(data, start) == kCentralSignature) best = 95;
    }
  }
  return best;
}

void AnalyzeArchive(ScanContext& ctx, ByteView data) {
  ArchiveAnalysis analysis(ctx, data);
  analysis.Run();
}

}  // namespace mg::zip
