// Turns one reading of a member (the values a particular reader would use) into the bytes that
// reader gets, checks them against the declared CRC and size, and hands them to the engine.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "analyzers/zip/checks.h"
#include "core/byte_view.h"
#include "decompress/stream.h"

namespace mg::zip {

inline constexpr std::uint64_t kUnknownSize = ~std::uint64_t{0};

// One reading of a member: from its central header, its local header, or a local header
// that no central header lists.
struct MemberVersion {
  std::string chain_name;  // appended to the location chain of findings inside the member
  std::string display_name;
  std::uint64_t header_offset = 0;
  std::uint64_t data_offset = 0;
  std::uint64_t compressed_size = kUnknownSize;  // unknown: a streamed deflate member
  std::uint64_t uncompressed_size = kUnknownSize;
  std::uint16_t method = 0;
  std::uint16_t flags = 0;
  std::optional<std::uint32_t> crc32;
};

class MemberScanner {
 public:
  MemberScanner(Findings& findings, ByteView archive);

  // Analyses the bytes `version` yields unless the same bytes were analysed already. Returns
  // the compressed bytes the member occupies (known only once a streamed deflate member is
  // decoded), or nullopt when its end cannot be determined.
  std::optional<std::uint64_t> Scan(const MemberVersion& version);

  // True once max_members distinct members were analysed (and reported).
  bool AtMemberLimit();
  // Reports (once) that members beyond the limit were left out.
  void ReportMemberLimit(std::optional<std::uint64_t> offset);
  bool member_limit_reported() const { return reported_member_limit_; }

 private:
  struct Extracted {
    // Decompressed output lives only until the member has been analysed (ScanEmbedded is
    // synchronous and findings copy what they quote), so memory stays at one member's worth.
    decompress::OutputBuffer owned;
    ByteView bytes;  // into `owned`, or into the mapped file for a stored member
    bool complete = false;
    std::uint64_t consumed = 0;
  };

  std::optional<Extracted> Extract(const MemberVersion& version, ByteView stored);
  std::optional<Extracted> ExtractCompressed(const MemberVersion& version, ByteView stored,
                                             decompress::Codec codec);
  void CheckContent(const MemberVersion& version, const Extracted& extracted);

  Findings& findings_;
  ByteView archive_;
  std::set<std::tuple<std::uint64_t, std::uint64_t, std::uint64_t, std::uint16_t>> seen_;
  bool reported_member_limit_ = false;
};

// The analyzer a member must get whatever its content sniffs as ("pickle" for '*.pkl', as
// loaders unpickle those by name), or empty to let the engine sniff it.
std::string_view FormatByName(std::string_view name);

// Decompressed output allowed for a member of `compressed_size` bytes under `max_ratio`: the
// ratio applies beyond the first MiB, so small, very compressible members (a zero-filled
// tensor) are not treated as bombs.
std::uint64_t RatioCap(std::uint64_t compressed_size, std::uint32_t max_ratio);

}  // namespace mg::zip
