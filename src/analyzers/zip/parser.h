// A hand-written ZIP parser, on purpose: libraries such as libzip or minizip resolve the
// places where the format is ambiguous (local vs central header, several end records,
// prepended bytes) one way and hide the others, and a security scanner must see exactly those
// places, because different loaders resolve them differently. This file only parses; the
// judgement lives in checks.cpp and analyzer.cpp. Field layouts follow PKWARE APPNOTE 6.3.10.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/byte_view.h"
#include "core/result.h"

namespace mg::zip {

// APPNOTE 4.3.16: the end of central directory record is 22 bytes plus a comment of at most
// 65535 bytes, so it starts within the last 22 + 65535 bytes of the archive.
inline constexpr std::uint64_t kEndRecordSize = 22;
inline constexpr std::uint64_t kMaxCommentSize = 0xFFFF;
inline constexpr std::uint64_t kLocalHeaderSize = 30;        // APPNOTE 4.3.7
inline constexpr std::uint64_t kCentralHeaderSize = 46;      // APPNOTE 4.3.12
inline constexpr std::uint64_t kZip64LocatorSize = 20;       // APPNOTE 4.3.15
inline constexpr std::uint64_t kZip64EndRecordMinSize = 56;  // APPNOTE 4.3.14

inline constexpr std::uint32_t kLocalSignature = 0x04034b50;         // "PK\3\4"
inline constexpr std::uint32_t kCentralSignature = 0x02014b50;       // "PK\1\2"
inline constexpr std::uint32_t kEndSignature = 0x06054b50;           // "PK\5\6"
inline constexpr std::uint32_t kZip64EndSignature = 0x06064b50;      // "PK\6\6"
inline constexpr std::uint32_t kZip64LocatorSignature = 0x07064b50;  // "PK\6\7"
inline constexpr std::uint32_t kDescriptorSignature = 0x08074b50;    // "PK\7\8"

// General purpose bit flags, APPNOTE 4.4.4.
inline constexpr std::uint16_t kFlagEncrypted = 1u << 0;
inline constexpr std::uint16_t kFlagDataDescriptor = 1u << 3;
inline constexpr std::uint16_t kFlagStrongEncryption = 1u << 6;
inline constexpr std::uint16_t kFlagUtf8 = 1u << 11;
inline constexpr std::uint16_t kFlagMaskedHeaders = 1u << 13;
// Bits APPNOTE marks unused or reserved (7-10, 12, 14, 15).
inline constexpr std::uint16_t kFlagReservedMask = 0x0780 | 0x1000 | 0xC000;

// Compression methods, APPNOTE 4.4.5.
inline constexpr std::uint16_t kMethodStored = 0;
inline constexpr std::uint16_t kMethodDeflated = 8;

// The end of central directory record, with the ZIP64 values applied when a ZIP64 locator
// and record were found.
struct EndRecord {
  std::uint64_t offset = 0;  // of the signature
  std::uint64_t end = 0;     // offset just past the comment
  std::uint32_t disk = 0;
  std::uint32_t central_disk = 0;
  std::uint64_t entries_on_disk = 0;
  std::uint64_t entries_total = 0;
  std::uint64_t central_size = 0;
  std::uint64_t central_offset = 0;
  std::uint16_t comment_size = 0;
  // Set when a ZIP64 locator precedes the record: where the ZIP64 record sits.
  std::optional<std::uint64_t> zip64_record_offset;
  std::optional<std::uint64_t> zip64_locator_offset;
  // The locator exists but its record could not be read (the 32-bit values are used).
  std::optional<Error> zip64_error;
  // A 32-bit field that is not the -1 placeholder differs from its ZIP64 value: readers that
  // ignore ZIP64 and readers that honour it see different central directories.
  bool zip64_disagrees = false;
  // The locator's offset misses the ZIP64 record, found instead right before the locator (as
  // when data is prepended): readers that follow the offset fail.
  bool zip64_relocated = false;
};

struct CentralEntry {
  std::uint64_t header_offset = 0;  // where this central header starts
  std::uint16_t version_made_by = 0;
  std::uint16_t version_needed = 0;
  std::uint16_t flags = 0;
  std::uint16_t method = 0;
  std::uint32_t crc32 = 0;
  std::uint64_t compressed_size = 0;
  std::uint64_t uncompressed_size = 0;
  std::uint64_t local_offset = 0;
  std::uint32_t disk_start = 0;
  ByteView name;
  ByteView extra;
  ByteView comment;
  bool zip64 = false;  // a ZIP64 extra field supplied at least one value
};

struct LocalHeader {
  std::uint64_t offset = 0;
  std::uint16_t version_needed = 0;
  std::uint16_t flags = 0;
  std::uint16_t method = 0;
  std::uint32_t crc32 = 0;
  std::uint64_t compressed_size = 0;
  std::uint64_t uncompressed_size = 0;
  ByteView name;
  ByteView extra;
  std::uint64_t data_offset = 0;  // first byte after the name and extra field
  bool zip64 = false;
};

struct CentralDirectory {
  std::vector<CentralEntry> entries;
  std::uint64_t end = 0;       // offset just past the last header read
  std::optional<Error> error;  // why the walk stopped early, if it did
  bool hit_member_limit = false;
};

// Offsets of every end-record signature in the last 22 + 65535 bytes whose comment fits in
// the file, nearest to the end first.
std::vector<std::uint64_t> FindEndRecords(ByteView data);

// Parses the end record at `offset` and, when a ZIP64 locator precedes it, the ZIP64 record.
Result<EndRecord> ParseEndRecord(ByteView data, std::uint64_t offset);

// Walks central headers from `start` while they lie inside [start, start + size) and the file.
// Stops after `max_entries` entries (hit_member_limit) so a hostile count costs nothing.
CentralDirectory ParseCentralDirectory(ByteView data, std::uint64_t start, std::uint64_t size,
                                       std::uint64_t max_entries);

Result<LocalHeader> ParseLocalHeader(ByteView data, std::uint64_t offset);

// APPNOTE 4.3.9: the data descriptor after a member's data when flag bit 3 is set: an optional
// signature, then CRC-32 and the two sizes, 4 bytes each or 8 for ZIP64.
struct DataDescriptor {
  std::uint64_t size = 0;  // bytes the descriptor occupies
  std::uint32_t crc32 = 0;
  std::uint64_t compressed_size = 0;
  std::uint64_t uncompressed_size = 0;
};

// The descriptor at `offset`, or nullopt when none fits there.
std::optional<DataDescriptor> ParseDataDescriptor(ByteView data, std::uint64_t offset, bool zip64);

// Reads a little-endian u32 at `offset` when it fits.
std::optional<std::uint32_t> PeekU32(ByteView data, std::uint64_t offset);

// The name as printable text for messages and member chains: bytes outside printable ASCII
// (except UTF-8 sequences) are written as \xNN so a NUL or a newline cannot forge output.
std::string DisplayName(ByteView name);

}  // namespace mg::zip
