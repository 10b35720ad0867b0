#include "analyzers/tar/members.h"

#include <algorithm>
#include <cstring>

#include "analyzers/tar/rules.h"
#include "engine/analyzer.h"
#include "engine/scan_context.h"

namespace mg::tar {

namespace {

// The largest value a 12-byte octal size field holds; writers put larger sizes in pax records
// (with 0 in the field) or in GNU base-256.
constexpr std::uint64_t kMaxOctalSize = 077777777777ULL;
// GNU sparse members are rebuilt (holes as zeros) up to this size; larger ones are analysed as
// stored, without their holes.
constexpr std::uint64_t kMaxSparseRebuild = 64ULL << 20;
// Longest path checked for symlinked folders on its way (Linux PATH_MAX).
constexpr std::size_t kMaxLinkedPath = 4096;

std::optional<std::uint64_t> ParseDecimal(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Writers put the start of an over-long name in the ustar field (tarfile cuts it at 100
// bytes), and tarfile writes each non-ASCII character of a pax name as '?' there (ustar
// fields are ASCII, encoded with errors="replace"). A pax path that does not begin with the
// ustar name read that way is a rename.
bool Renames(std::string_view ustar, std::string_view pax) {
  std::size_t at = 0;
  for (const char expected : ustar) {
    if (at >= pax.size()) return true;
    const auto byte = static_cast<unsigned char>(pax[at]);
    if (expected == '?' && byte >= 0x80) {
      ++at;  // one UTF-8 sequence: its lead byte and continuation bytes (10xxxxxx)
      while (at < pax.size() && (static_cast<unsigned char>(pax[at]) & 0xC0) == 0x80) ++at;
      continue;
    }
    if (pax[at] != expected) return true;
    ++at;
  }
  return false;
}

bool SizeDisagrees(std::uint64_t ustar_size, std::uint64_t pax_size) {
  return pax_size != ustar_size && !(ustar_size == 0 && pax_size > kMaxOctalSize);
}

void ApplyPax(MemberPlan& plan, const PaxValues& values, bool moves_next_header) {
  if (values.path) plan.path = *values.path;
  if (values.linkpath) plan.linkpath = *values.linkpath;
  if (values.size) {
    plan.read_size = *values.size;
    if (moves_next_header && HasData(plan.header.type)) {
      const auto padded = PaddedSize(*values.size);
      plan.next_header = padded ? CheckedAdd(plan.data_offset, *padded) : std::nullopt;
    }
  }
  plan.pax_sparse |= values.sparse;
}

std::string TypeName(char type) {
  switch (type) {
    case kTypeHardLink:
      return "hard link";
    case kTypeSymlink:
      return "symlink";
    case kTypeCharDevice:
      return "character device";
    case kTypeBlockDevice:
      return "block device";
    case kTypeDirectory:
      return "directory";
    case kTypeFifo:
      return "FIFO";
    default:
      return "file";
  }
}

}  // namespace

void PaxValues::Merge(const PaxValues& later) {
  if (later.path) path = later.path;
  if (later.linkpath) linkpath = later.linkpath;
  if (later.size) size = later.size;
  sparse |= later.sparse;
}

PaxValues ReadPaxValues(Findings& findings, const std::vector<PaxRecord>& records,
                        std::uint64_t header_offset) {
  PaxValues values;
  for (const PaxRecord& record : records) {
    if (record.keyword == "path") {
      values.path = record.value;
    } else if (record.keyword == "linkpath") {
      values.linkpath = record.value;
    } else if (record.keyword == "size") {
      const auto size = ParseDecimal(record.value);
      if (!size) {
        findings.Incomplete(rule::kMalformed,
                            "The pax size '" + DisplayName(record.value) +
                                "' is not a decimal number; tarfile reads it as 0, other "
                                "readers reject it.",
                            header_offset);
      }
      values.size = size.value_or(0);
    } else if (StartsWith(record.keyword, "GNU.sparse.")) {
      values.sparse = true;
      if (record.keyword == "GNU.sparse.name") values.path = record.value;
    }
  }
  return values;
}

void ReportGlobalOverrides(Findings& findings, const PaxValues& global,
                           std::uint64_t header_offset) {
  std::string what;
  if (global.path) what += "path '" + DisplayName(*global.path) + "'";
  if (global.linkpath) what += what.empty() ? "link path" : ", link path";
  if (global.size) what += what.empty() ? "size" : ", size";
  if (what.empty()) return;
  findings.Report(rule::kPaxMismatch, Severity::kHigh,
                  "A global pax header sets " + what +
                      " for every later member; tarfile applies it to each of them, readers "
                      "that ignore global headers do not.",
                  header_offset, what);
}

bool HasData(char type) { return std::strchr("123456", type) == nullptr || type == '\0'; }

MemberPlan PlanMember(ByteView archive, const Header& header, const Extensions& pending,
                      const PaxValues& global) {
  MemberPlan plan;
  plan.header = header;
  // tarfile.frombuf: a pre-POSIX regular file whose name ends in '/' is a directory.
  if (header.type == kTypeRegularOld && !header.name.empty() && header.name.back() == '/') {
    plan.header.type = kTypeDirectory;
  }
  plan.ustar_path = UstarPath(header);
  if (header.gnu_magic && plan.ustar_path != header.name) plan.gnu_tar_name = header.name;
  plan.path = plan.ustar_path;
  plan.linkpath = header.linkname;
  plan.data_offset = header.offset + kBlockSize;
  if (header.type == kTypeGnuSparse) {
    plan.gnu_sparse = ParseGnuSparseMap(archive, header.offset);
    plan.data_offset += plan.gnu_sparse->extension_blocks * kBlockSize;
  }
  plan.read_size = header.size;
  const auto padded = PaddedSize(header.size);
  const std::uint64_t skipped = HasData(plan.header.type) ? padded.value_or(0) : 0;
  plan.next_header = padded ? CheckedAdd(plan.data_offset, skipped) : std::nullopt;
  // _proc_builtin applies the global values without moving the next header.
  ApplyPax(plan, global, false);
  PaxValues merged = global;
  for (auto it = pending.entries.rbegin(); it != pending.entries.rend(); ++it) {
    if (it->kind == ExtensionKind::kLongName) plan.path = it->text;
    if (it->kind == ExtensionKind::kLongLink) plan.linkpath = it->text;
    if (it->kind != ExtensionKind::kPax) continue;
    merged.Merge(it->pax);
    ApplyPax(plan, merged, true);
    // GNU sparse 1.0 names the ustar header GNUSparseFile.<pid>/<name> by design.
    if (it->pax.path && !it->pax.sparse && Renames(plan.ustar_path, *it->pax.path)) {
      plan.pax_mismatches.push_back("pax path '" + DisplayName(*it->pax.path) +
                                    "' but ustar name '" + DisplayName(plan.ustar_path) + "'");
    }
    if (it->pax.linkpath && Renames(header.linkname, *it->pax.linkpath)) {
      plan.pax_mismatches.push_back("pax link path '" + DisplayName(*it->pax.linkpath) +
                                    "' but ustar link name '" + DisplayName(header.linkname) +
                                    "'");
    }
    if (it->pax.size && SizeDisagrees(header.size, *it->pax.size)) {
      plan.pax_mismatches.push_back("pax size " + std::to_string(*it->pax.size) +
                                    " but ustar size " + std::to_string(header.size));
      plan.size_disagreement = true;
    }
  }
  if (global.size && SizeDisagrees(header.size, *global.size)) plan.size_disagreement = true;
  return plan;
}

std::string_view FormatByName(std::string_view path) {
  if (FindAnalyzer("pickle") == nullptr) return {};
  constexpr std::string_view kPickleSuffix = ".pkl";
  if (path.size() >= kPickleSuffix.size() &&
      path.substr(path.size() - kPickleSuffix.size()) == kPickleSuffix) {
    return "pickle";
  }
  std::string_view top = path;
  if (StartsWith(top, "./")) top.remove_prefix(2);
  for (std::string_view legacy : {"sys_info", "pickle", "storages", "tensors"}) {
    if (top == legacy) return "pickle";
  }
  return {};
}

bool MemberScanner::AtMemberLimit() {
  const std::uint32_t limit = findings_.ctx().limits().max_members;
  if (members_ < limit) return false;
  if (!reported_member_limit_) {
    reported_member_limit_ = true;
    findings_.Incomplete(rule::kTooManyMembers,
                         "The archive has more than " + std::to_string(limit) +
                             " members; the rest were not analysed.",
                         std::nullopt);
  }
  return true;
}

void MemberScanner::Analyze(const MemberPlan& plan, std::string_view tag, bool judge) {
  ++members_;
  if (judge) CheckMember(plan, tag);
  const std::string chain_name = DisplayName(plan.path) + std::string(tag);
  if (HasData(plan.header.type)) {
    ScanData(plan, chain_name);
  } else if (plan.read_size > 0 && judge) {
    findings_.Report(rule::kDataOnNonFile, Severity::kMedium,
                     "The " + TypeName(plan.header.type) + " '" + DisplayName(plan.path) +
                         "' declares " + std::to_string(plan.read_size) +
                         " bytes of data; tarfile reads the next header right after it, other "
                         "readers skip the declared bytes. Those bytes were analysed.",
                     plan.header.offset);
    const ByteView declared = archive_.Tail(plan.data_offset).Prefix(plan.read_size);
    Scan(chain_name + " [declared data]", "", plan.data_offset, declared);
  }
}

void MemberScanner::CheckMember(const MemberPlan& plan, std::string_view tag) {
  const Header& header = plan.header;
  const bool from_extension = plan.path != plan.ustar_path;
  CheckName(findings_, plan.path, from_extension ? "extended name" : "name", header.offset);
  if (from_extension && !plan.ustar_path.empty()) {
    CheckName(findings_, plan.ustar_path, "ustar name", header.offset);
  }
  for (const std::string& mismatch : plan.pax_mismatches) {
    findings_.Report(rule::kPaxMismatch, Severity::kHigh,
                     "A pax header overrides the ustar header of '" + DisplayName(plan.path) +
                         "': readers that honour pax and readers that do not disagree.",
                     header.offset, mismatch);
  }
  if (plan.gnu_tar_name) {
    findings_.Report(rule::kNameDisagreement, Severity::kHigh,
                     "tarfile names the member '" + DisplayName(plan.ustar_path) +
                         "' (it joins the prefix area of this GNU-format header), GNU tar "
                         "names it '" + DisplayName(*plan.gnu_tar_name) +
                         "' (it reads those bytes as access and change times).",
                     header.offset,
                     DisplayName(plan.ustar_path) + " vs " + DisplayName(*plan.gnu_tar_name));
    CheckName(findings_, *plan.gnu_tar_name, "GNU tar name", header.offset);
  }
  const auto normalized = NormalizePath(plan.path);
  if (normalized) {
    if (auto link = LinkedFolder(*normalized, false)) {
      findings_.Report(rule::kThroughLink, Severity::kHigh,
                       "Member '" + DisplayName(plan.path) + "' is written through '" +
                           DisplayName(*link) + "', a symlink an earlier member created.",
                       header.offset, DisplayName(plan.path));
    }
  }
  const char type = header.type;
  if (type == kTypeSymlink || type == kTypeHardLink) {
    const bool symlink = type == kTypeSymlink;
    CheckLink(findings_, plan.path, plan.linkpath, symlink, header.offset);
    // A link whose target passes through an earlier symlink points wherever that one does
    // (a symlink may also point at the symlink itself; a hard link to it links the symlink).
    std::vector<std::string> target;
    if (symlink && normalized) target.assign(normalized->begin(), normalized->end() - 1);
    const bool absolute = !plan.linkpath.empty() && plan.linkpath[0] == '/';
    const auto resolved = NormalizePath(plan.linkpath);
    if (!absolute && resolved && (!symlink || normalized)) {
      target.insert(target.end(), resolved->begin(), resolved->end());
      if (auto link = LinkedFolder(target, symlink)) {
        findings_.Report(rule::kThroughLink, Severity::kHigh,
                         "The target of link '" + DisplayName(plan.path) + "' ('" +
                             DisplayName(plan.linkpath) + "') passes through '" +
                             DisplayName(*link) + "', a symlink an earlier member created.",
                         header.offset, DisplayName(plan.path) + " -> " +
                                            DisplayName(plan.linkpath));
      }
    }
    if (symlink && normalized) symlinks_.insert(*NormalizedName(plan.path));
  }
  if (type == kTypeCharDevice || type == kTypeBlockDevice) {
    findings_.Report(rule::kDeviceNode, Severity::kHigh,
                     "Member '" + DisplayName(plan.path) + "' is a " + TypeName(type) +
                         "; extracting it as root creates a device file.",
                     header.offset, DisplayName(plan.path));
  } else if (type == kTypeFifo) {
    findings_.Report(rule::kFifo, Severity::kMedium,
                     "Member '" + DisplayName(plan.path) + "' is a FIFO; a loader that opens it "
                                                           "blocks.",
                     header.offset, DisplayName(plan.path));
  }
  if (type != kTypeDirectory && tag != " [ustar reading]") {
    ++name_counts_[NormalizedName(plan.path).value_or(plan.path)];
  }
}

std::optional<std::string> MemberScanner::LinkedFolder(const std::vector<std::string>& parts,
                                                       bool include_last) const {
  if (symlinks_.empty()) return std::nullopt;
  std::string prefix;
  const std::size_t checked = include_last ? parts.size() : parts.size() - (parts.empty() ? 0 : 1);
  for (std::size_t i = 0; i < checked; ++i) {
    if (i != 0) prefix += '/';
    prefix += parts[i];
    // Beyond PATH_MAX extraction fails anyway; the bound keeps the walk linear.
    if (prefix.size() > kMaxLinkedPath) return std::nullopt;
    if (symlinks_.count(prefix) != 0) return prefix;
  }
  return std::nullopt;
}

void MemberScanner::ScanData(const MemberPlan& plan, const std::string& chain_name) {
  // Data cut short by the end of the file is reported by the walk (the next header is
  // missing too); the part present is analysed.
  const ByteView available = archive_.Tail(plan.data_offset);
  const std::uint64_t stored_size = plan.gnu_sparse ? plan.header.size : plan.read_size;
  const ByteView stored = available.Prefix(stored_size);
  if (plan.gnu_sparse) {
    ScanSparse(plan, chain_name, stored);
    return;
  }
  if (plan.pax_sparse) {
    findings_.Incomplete(rule::kSparse,
                         "Member '" + DisplayName(plan.path) +
                             "' is a pax-format sparse file; its stored bytes were analysed "
                             "without rebuilding its holes.",
                         plan.header.offset);
  }
  Scan(chain_name, plan.path, plan.data_offset, stored);
}

void MemberScanner::ScanSparse(const MemberPlan& plan, const std::string& chain_name,
                               ByteView stored) {
  const SparseMap& map = *plan.gnu_sparse;
  const std::uint64_t real_size = plan.header.sparse_real_size;
  bool fits = !map.error && real_size <= kMaxSparseRebuild;
  std::uint64_t stored_total = 0;
  for (const SparseSegment& segment : map.segments) {
    const auto end = CheckedAdd(segment.offset, segment.length);
    stored_total = CheckedAdd(stored_total, segment.length).value_or(~std::uint64_t{0});
    fits = fits && end && *end <= real_size;
  }
  fits = fits && stored_total <= stored.size();
  const std::string shown = DisplayName(plan.path);
  if (!fits || !findings_.ctx().ConsumeDecompressed(real_size, plan.header.offset)) {
    findings_.Incomplete(rule::kSparse,
                         "Member '" + shown + "' is a sparse file (" +
                             std::to_string(map.segments.size()) + " segments, " +
                             std::to_string(real_size) + " bytes once rebuilt) that was not "
                             "rebuilt" + (map.error ? " (" + *map.error + ")" : std::string()) +
                             "; its stored bytes were analysed as they are.",
                         plan.header.offset);
    Scan(chain_name, plan.path, plan.data_offset, stored);
    return;
  }
  findings_.Report(rule::kSparse, Severity::kInfo,
                   "Member '" + shown + "' is sparse: " + std::to_string(map.segments.size()) +
                       " segments, " + std::to_string(real_size) +
                       " bytes once rebuilt; it was rebuilt and analysed.",
                   plan.header.offset);
  std::vector<std::uint8_t> rebuilt(real_size, 0);
  std::uint64_t from = 0;
  for (const SparseSegment& segment : map.segments) {
    if (segment.length > 0) {
      std::memcpy(rebuilt.data() + segment.offset, stored.data() + from, segment.length);
    }
    from += segment.length;
  }
  findings_.ctx().ScanEmbedded(chain_name, ByteView(rebuilt.data(), rebuilt.size()),
                               FormatByName(plan.path));
}

void MemberScanner::Scan(const std::string& chain_name, std::string_view path,
                         std::uint64_t offset, ByteView bytes) {
  // The ustar reading and the tarfile reading often find the same bytes: analyse them once.
  if (!scanned_.insert({offset, bytes.size()}).second) return;
  findings_.ctx().ScanEmbedded(chain_name, bytes, FormatByName(path));
}

void MemberScanner::ScanRegion(const std::string& label, ByteView bytes) {
  if (bytes.empty()) return;
  const std::uint64_t offset = static_cast<std::uint64_t>(bytes.data() - archive_.data());
  Scan(label, "", offset, bytes);
}

}  // namespace mg::tar
