// From headers to members: how GNU long names and pax records change what a reader sees
// (MemberPlan), and the judging and scanning of one member (MemberScanner).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "analyzers/tar/checks.h"
#include "analyzers/tar/parser.h"
#include "core/byte_view.h"

namespace mg::tar {

// The pax keywords that change what is read or where (POSIX pax "path", "linkpath", "size";
// GNU's "GNU.sparse.*" family marks a sparse member).
struct PaxValues {
  std::optional<std::string> path;
  std::optional<std::string> linkpath;
  std::optional<std::uint64_t> size;
  bool sparse = false;

  void Merge(const PaxValues& later);
};

// Reads the keywords above from pax records, reporting unreadable values. tarfile turns an
// unreadable size into 0 (_apply_pax_info), so that is what is used.
PaxValues ReadPaxValues(Findings& findings, const std::vector<PaxRecord>& records,
                        std::uint64_t header_offset);

// TAR-PAX-MISMATCH for a global header that renames or resizes every later member.
void ReportGlobalOverrides(Findings& findings, const PaxValues& global,
                           std::uint64_t header_offset);

enum class ExtensionKind { kLongName, kLongLink, kPax };

// The extension headers seen since the last member, in order.
struct Extensions {
  struct Entry {
    ExtensionKind kind;
    std::string text;  // GNU long name or link
    PaxValues pax;
    std::uint64_t offset;
  };
  std::vector<Entry> entries;

  void Push(ExtensionKind kind, std::string text, PaxValues pax, std::uint64_t offset) {
    entries.push_back({kind, std::move(text), std::move(pax), offset});
  }
};

// One member as Python's tarfile reads it.
struct MemberPlan {
  Header header;
  std::string ustar_path;  // what a reader that knows only ustar calls it
  std::string path;        // what tarfile calls it
  std::string linkpath;
  std::uint64_t data_offset = 0;
  std::uint64_t read_size = 0;  // bytes tarfile's extractfile() returns
  std::optional<std::uint64_t> next_header;  // nullopt when it overflows
  bool size_disagreement = false;
  std::vector<std::string> pax_mismatches;  // what pax changed versus the ustar header
  // GNU-format header with bytes in the prefix area: tarfile joins them as a prefix, GNU tar
  // reads them as access and change times and names the member by the name field alone.
  std::optional<std::string> gnu_tar_name;
  bool pax_sparse = false;
  std::optional<SparseMap> gnu_sparse;  // for an 'S' header
};

// tarfile's order: the ustar header, then global pax values (_proc_builtin), then the
// extensions from the innermost to the outermost (each _proc_gnulong/_proc_pax applies its
// values after fetching the next header), a local pax size moving the next header.
MemberPlan PlanMember(ByteView archive, const Header& header, const Extensions& pending,
                      const PaxValues& global);

// Whether tarfile skips the declared size after this header (REGULAR_TYPES and every type
// it does not know; links, directories, devices and FIFOs have no data for it).
bool HasData(char type);

class MemberScanner {
 public:
  MemberScanner(Findings& findings, ByteView archive) : findings_(findings), archive_(archive) {}

  // Judges one member (unless `judge` is false) and hands its data to the engine; `tag` marks
  // readings other than tarfile's in the member chain.
  void Analyze(const MemberPlan& plan, std::string_view tag, bool judge);
  // Hands bytes that belong to no member (skipped, trailing) to the engine.
  void ScanRegion(const std::string& label, ByteView bytes);

  bool AtMemberLimit();
  const std::map<std::string, std::uint64_t>& name_counts() const { return name_counts_; }

 private:
  void CheckMember(const MemberPlan& plan, std::string_view tag);
  // The first folder on `parts` (and `parts` itself when include_last) that an earlier member
  // made a symlink.
  std::optional<std::string> LinkedFolder(const std::vector<std::string>& parts,
                                          bool include_last) const;
  void ScanData(const MemberPlan& plan, const std::string& chain_name);
  void ScanSparse(const MemberPlan& plan, const std::string& chain_name, ByteView stored);
  void Scan(const std::string& chain_name, std::string_view path, std::uint64_t offset,
            ByteView bytes);

  Findings& findings_;
  ByteView archive_;
  std::uint64_t members_ = 0;
  bool reported_member_limit_ = false;
  std::set<std::pair<std::uint64_t, std::uint64_t>> scanned_;
  std::map<std::string, std::uint64_t> name_counts_;
  std::set<std::string> symlinks_;
};

// The analyzer a member must get whatever it sniffs as: "pickle" for '*.pkl' and for the
// members of torch's legacy tar format ('sys_info', 'pickle', 'storages', 'tensors', read
// with pickle.load by torch.load), or empty to let the engine sniff it.
std::string_view FormatByName(std::string_view path);

}  // namespace mg::tar
