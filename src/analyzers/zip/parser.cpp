#include "analyzers/zip/parser.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "core/reader.h"

namespace mg::zip {

namespace {

constexpr std::uint16_t kZip64ExtraId = 0x0001;  // APPNOTE 4.5.3
constexpr std::uint32_t kNeedsZip64 = 0xFFFFFFFF;
constexpr std::uint16_t kNeedsZip64Short = 0xFFFF;

// Replaces -1 placeholders with the values of a ZIP64 extended information field. APPNOTE
// 4.5.3: the field holds, in this order, only the values whose header field is -1.
struct Zip64Wanted {
  std::uint64_t* uncompressed = nullptr;
  std::uint64_t* compressed = nullptr;
  std::uint64_t* local_offset = nullptr;
  std::uint32_t* disk_start = nullptr;
};

// Returns whether a ZIP64 field supplied any value. Malformed extra fields are left for the
// reader that trusts them to reject; we keep the 32-bit values then.
bool ApplyZip64Extra(ByteView extra, Zip64Wanted wanted) {
  Reader reader(extra);
  while (reader.remaining() >= 4) {
    const std::uint16_t id = *reader.U16Le();
    const std::uint16_t size = *reader.U16Le();
    auto body = reader.Bytes(size);
    if (!body) return false;
    if (id != kZip64ExtraId) continue;
    Reader field(*body);
    bool applied = false;
    for (std::uint64_t* target : {wanted.uncompressed, wanted.compressed, wanted.local_offset}) {
      if (target == nullptr || *target != kNeedsZip64) continue;
      auto value = field.U64Le();
      if (!value) return applied;
      *target = *value;
      applied = true;
    }
    if (wanted.disk_start != nullptr && *wanted.disk_start == kNeedsZip64Short) {
      auto value = field.U32Le();
      if (value) {
        *wanted.disk_start = *value;
        applied = true;
      }
    }
    return applied;
  }
  return false;
}

// Reads the ZIP64 end record pointed to by the locator just before the end record.
Status ApplyZip64EndRecord(ByteView data, EndRecord& record) {
  if (record.offset < kZip64LocatorSize) return {};
  const std::uint64_t locator_offset = record.offset - kZip64LocatorSize;
  if (PeekU32(data, locator_offset) != kZip64LocatorSignature) return {};
  record.zip64_locator_offset = locator_offset;
  Reader locator(data);
  (void)locator.Seek(locator_offset + 8);  // signature, disk with the ZIP64 record
  std::uint64_t zip64_offset = *locator.U64Le();
  if (PeekU32(data, zip64_offset) != kZip64EndSignature) {
    // Python's zipfile ignores the locator's offset and expects the record right before the
    // locator; miniz follows the offset. With data prepended only the first finds it.
    const std::uint64_t adjacent = locator_offset >= kZip64EndRecordMinSize
                                       ? locator_offset - kZip64EndRecordMinSize
                                       : locator_offset;
    if (PeekU32(data, adjacent) != kZip64EndSignature) {
      record.zip64_record_offset = zip64_offset;
      return Error::Malformed(zip64_offset, "the ZIP64 locator points to no ZIP64 end record");
    }
    zip64_offset = adjacent;
    record.zip64_relocated = true;
  }
  record.zip64_record_offset = zip64_offset;
  Reader reader(data);
  (void)reader.Seek(zip64_offset + 4);
  auto record_size = reader.U64Le();
  if (!record_size || *record_size < kZip64EndRecordMinSize - 12 ||
      !RangeFits(zip64_offset + 12, *record_size, data.size())) {
    return Error::Truncated(zip64_offset, "the ZIP64 end record does not fit in the file");
  }
  (void)reader.Skip(4);  // version made by, version needed
  const EndRecord classic = record;
  record.disk = *reader.U32Le();
  record.central_disk = *reader.U32Le();
  record.entries_on_disk = *reader.U64Le();
  record.entries_total = *reader.U64Le();
  record.central_size = *reader.U64Le();
  record.central_offset = *reader.U64Le();
  auto differs = [](std::uint64_t classic_value, std::uint64_t placeholder, std::uint64_t wide) {
    return classic_value != placeholder && classic_value != wide;
  };
  record.zip64_disagrees = differs(classic.entries_total, 0xFFFF, record.entries_total) ||
                           differs(classic.central_size, 0xFFFFFFFF, record.central_size) ||
                           differs(classic.central_offset, 0xFFFFFFFF, record.central_offset);
  return {};
}

}  // namespace

std::optional<std::uint32_t> PeekU32(ByteView data, std::uint64_t offset) {
  auto bytes = data.Sub(offset, 4);
  if (!bytes) return std::nullopt;
  return Reader(*bytes).U32Le().value();
}

std::vector<std::uint64_t> FindEndRecords(ByteView data) {
  std::vector<std::uint64_t> found;
  if (data.size() < kEndRecordSize) return found;
  const std::uint64_t window = kEndRecordSize + kMaxCommentSize;
  std::uint64_t pos = data.size() > window ? data.size() - window : 0;
  const std::uint64_t last = data.size() - kEndRecordSize;
  while (pos <= last) {
    // memchr for the signature's first byte keeps this fast: Sniff runs it on every member.
    const void* hit = std::memchr(data.data() + pos, 'P', last - pos + 1);
    if (hit == nullptr) break;
    pos = static_cast<std::uint64_t>(static_cast<const std::uint8_t*>(hit) - data.data());
    if (PeekU32(data, pos) == kEndSignature) {
      const std::uint64_t comment_size = data[pos + 20] | (data[pos + 21] << 8);
      if (pos + kEndRecordSize + comment_size <= data.size()) found.push_back(pos);
    }
    ++pos;
  }
  std::reverse(found.begin(), found.end());
  return found;
}

Result<EndRecord> ParseEndRecord(ByteView data, std::uint64_t offset) {
  Reader reader(data);
  if (auto sought = reader.Seek(offset); !sought) return sought.error();
  auto signature = reader.U32Le();
  if (!signature) return signature.error();
  if (*signature != kEndSignature) return Error::Malformed(offset, "no end record signature");
  if (reader.remaining() < kEndRecordSize - 4) {
    return Error::Truncated(offset, "the end of central directory record is cut off");
  }
  EndRecord record;
  record.offset = offset;
  record.disk = *reader.U16Le();
  record.central_disk = *reader.U16Le();
  record.entries_on_disk = *reader.U16Le();
  record.entries_total = *reader.U16Le();
  record.central_size = *reader.U32Le();
  record.central_offset = *reader.U32Le();
  record.comment_size = *reader.U16Le();
  if (auto skipped = reader.Skip(record.comment_size); !skipped) return skipped.error();
  record.end = reader.position();
  if (auto zip64 = ApplyZip64EndRecord(data, record); !zip64) record.zip64_error = zip64.error();
  return record;
}

CentralDirectory ParseCentralDirectory(ByteView data, std::uint64_t start, std::uint64_t size,
                                       std::uint64_t max_entries) {
  CentralDirectory directory;
  directory.end = start;
  const auto region_end = CheckedAdd(start, size);
  if (!region_end || *region_end > data.size()) {
    directory.error = Error::Truncated(start, "the central directory extends past the file");
    return directory;
  }
  Reader reader(*data.Sub(start, size), start);
  while (reader.remaining() >= 4 &&
         PeekU32(reader.view(), reader.position()) == kCentralSignature) {
    if (directory.entries.size() >= max_entries) {
      directory.hit_member_limit = true;
      break;
    }
    if (reader.remaining() < kCentralHeaderSize) {
      directory.error = Error::Truncated(reader.absolute_position(), "a central header is cut off");
      break;
    }
    CentralEntry entry;
    entry.header_offset = reader.absolute_position();
    (void)reader.Skip(4);
    entry.version_made_by = *reader.U16Le();
    entry.version_needed = *reader.U16Le();
    entry.flags = *reader.U16Le();
    entry.method = *reader.U16Le();
    (void)reader.Skip(4);  // modification time and date
    entry.crc32 = *reader.U32Le();
    entry.compressed_size = *reader.U32Le();
    entry.uncompressed_size = *reader.U32Le();
    const std::uint16_t name_size = *reader.U16Le();
    const std::uint16_t extra_size = *reader.U16Le();
    const std::uint16_t comment_size = *reader.U16Le();
    std::uint32_t disk_start = *reader.U16Le();
    (void)reader.Skip(6);  // internal and external attributes
    entry.local_offset = *reader.U32Le();
    auto name = reader.Bytes(name_size);
    auto extra = name ? reader.Bytes(extra_size) : name;
    auto comment = extra ? reader.Bytes(comment_size) : extra;
    if (!comment) {
      directory.error = Error::Truncated(entry.header_offset,
                                         "a central header's name, extra field or comment is "
                                         "cut off");
      break;
    }
    entry.name = *name;
    entry.extra = *extra;
    entry.comment = *comment;
    entry.zip64 = ApplyZip64Extra(entry.extra, {&entry.uncompressed_size, &entry.compressed_size,
                                                &entry.local_offset, &disk_start});
    entry.disk_start = disk_start;
    directory.entries.push_back(entry);
    directory.end = reader.absolute_position();
  }
  return directory;
}

Result<LocalHeader> ParseLocalHeader(ByteView data, std::uint64_t offset) {
  if (PeekU32(data, offset) != kLocalSignature) {
    return Error::Malformed(offset, "no local header signature");
  }
  Reader reader(data);
  (void)reader.Seek(offset + 4);
  if (reader.remaining() < kLocalHeaderSize - 4) {
    return Error::Truncated(offset, "the local header is cut off");
  }
  LocalHeader header;
  header.offset = offset;
  header.version_needed = *reader.U16Le();
  header.flags = *reader.U16Le();
  header.method = *reader.U16Le();
  (void)reader.Skip(4);  // modification time and date
  header.crc32 = *reader.U32Le();
  header.compressed_size = *reader.U32Le();
  header.uncompressed_size = *reader.U32Le();
  const std::uint16_t name_size = *reader.U16Le();
  const std::uint16_t extra_size = *reader.U16Le();
  auto name = reader.Bytes(name_size);
  auto extra = name ? reader.Bytes(extra_size) : name;
  if (!extra) return Error::Truncated(offset, "the local header's name or extra field is cut off");
  header.name = *name;
  header.extra = *extra;
  header.data_offset = reader.position();
  header.zip64 =
      ApplyZip64Extra(header.extra, {&header.uncompressed_size, &header.compressed_size});
  return header;
}

std::optional<DataDescriptor> ParseDataDescriptor(ByteView data, std::uint64_t offset, bool zip64) {
  Reader reader(data);
  if (!reader.Seek(offset)) return std::nullopt;
  DataDescriptor descriptor;
  const bool signed_descriptor = PeekU32(data, offset) == kDescriptorSignature;
  const std::uint64_t body = 4 + (zip64 ? 16 : 8);
  descriptor.size = body + (signed_descriptor ? 4 : 0);
  if (reader.remaining() < descriptor.size) return std::nullopt;
  if (signed_descriptor) (void)reader.Skip(4);
  descriptor.crc32 = *reader.U32Le();
  descriptor.compressed_size = zip64 ? *reader.U64Le() : *reader.U32Le();
  descriptor.uncompressed_size = zip64 ? *reader.U64Le() : *reader.U32Le();
  return descriptor;
}

std::string DisplayName(ByteView name) {
  std::string out;
  out.reserve(name.size());
  for (std::uint64_t i = 0; i < name.size(); ++i) {
    const std::uint8_t byte = name[i];
    if (byte < 0x20 || byte == 0x7F) {
      char escaped[5];
      std::snprintf(escaped, sizeof(escaped), "\\x%02x", byte);
      out += escaped;
    } else {
      out += static_cast<char>(byte);
    }
  }
  return out;
}

}  // namespace mg::zip
