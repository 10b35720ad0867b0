// The pure TAR parser: 512-byte headers, their numeric fields and checksums, pax extended
// header records and the GNU sparse map. It judges nothing; archive.cpp decides what a reader
// would do with what is parsed here.
//
// Written by hand rather than on libarchive on purpose: a security scanner must see every
// header a reader would act on (pax records, GNU long names, headers after the end marker or
// after a bad checksum) exactly as written, while libarchive normalises them into one member
// list and hides the places where readers disagree, which are the places an attacker uses.
// Field layouts follow POSIX.1-2017 pax (ustar interchange format) and the GNU tar manual
// ("Basic Tar Format"); reader behaviour follows CPython's Lib/tarfile.py.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/byte_view.h"

namespace mg::tar {

inline constexpr std::uint64_t kBlockSize = 512;

// Type flags (POSIX ustar typeflag and the GNU / pax extensions).
inline constexpr char kTypeRegular = '0';
inline constexpr char kTypeRegularOld = '\0';  // pre-POSIX regular file
inline constexpr char kTypeHardLink = '1';
inline constexpr char kTypeSymlink = '2';
inline constexpr char kTypeCharDevice = '3';
inline constexpr char kTypeBlockDevice = '4';
inline constexpr char kTypeDirectory = '5';
inline constexpr char kTypeFifo = '6';
inline constexpr char kTypeContiguous = '7';
inline constexpr char kTypeGnuLongName = 'L';
inline constexpr char kTypeGnuLongLink = 'K';
inline constexpr char kTypeGnuSparse = 'S';
inline constexpr char kTypePaxLocal = 'x';
inline constexpr char kTypePaxGlobal = 'g';
inline constexpr char kTypeSolarisPax = 'X';  // tarfile treats it as 'x'

enum class HeaderKind { kZero, kValid, kBadChecksum, kBadField };

// One header block as written. Strings are cut at the first NUL (tarfile's nts()).
struct Header {
  std::uint64_t offset = 0;
  char type = kTypeRegular;
  std::string name;      // the name field alone
  std::string prefix;    // ustar prefix (bytes 345..500), tarfile joins it whatever the magic
  std::string linkname;
  std::uint64_t size = 0;
  std::uint64_t mode = 0;
  bool ustar_magic = false;  // "ustar\0" (POSIX) or "ustar " (GNU) at 257
  bool gnu_magic = false;
  // GNU old sparse format ('S'): the real size and whether extension blocks follow.
  std::uint64_t sparse_real_size = 0;
  bool sparse_extended = false;
};

struct HeaderResult {
  HeaderKind kind = HeaderKind::kZero;
  Header header;
  std::string problem;  // for kBadChecksum / kBadField
};

// Parses the block at `offset` (the caller has checked that 512 bytes are present).
HeaderResult ParseHeader(ByteView block, std::uint64_t offset);

// The name tarfile gives the member: prefix + "/" + name unless the type is a GNU one.
std::string UstarPath(const Header& header);

// Numeric field: octal digits with optional leading spaces and trailing spaces/NULs, or GNU
// base-256 (first byte 0x80 positive, 0xff negative). nullopt when unreadable or negative.
std::optional<std::uint64_t> ParseNumber(ByteView field);

// Blocks that hold `size` bytes of data, in bytes (size rounded up to 512); nullopt on overflow.
std::optional<std::uint64_t> PaddedSize(std::uint64_t size);

// One "<length> <keyword>=<value>\n" record of a pax extended header (POSIX pax 'x' format).
struct PaxRecord {
  std::string keyword;
  std::string value;
};

struct PaxRecords {
  std::vector<PaxRecord> records;
  std::optional<std::string> error;  // first malformed record; records before it are kept
};

inline constexpr std::size_t kMaxPaxRecords = 4096;

PaxRecords ParsePaxRecords(ByteView data);

// One (offset, length) piece of a sparse file's content, in the reconstructed file.
struct SparseSegment {
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

struct SparseMap {
  std::vector<SparseSegment> segments;
  std::uint64_t extension_blocks = 0;  // GNU old sparse: 512-byte blocks after the header
  std::optional<std::string> error;
};

inline constexpr std::size_t kMaxSparseSegments = 100000;

// The GNU old sparse map of an 'S' header at `header_offset`: 4 entries in the header, then
// extension blocks of 21 entries each while their "isextended" byte is set.
SparseMap ParseGnuSparseMap(ByteView archive, std::uint64_t header_offset);

// "name" with control bytes shown as \xNN and at most 4096 bytes quoted, for messages.
std::string DisplayName(std::string_view name);

}  // namespace mg::tar
