#include "analyzers/tar/parser.h"

#include <cstdio>

namespace mg::tar {

namespace {

// Header field offsets and lengths (POSIX ustar; GNU reuses 345.. for times and sparse data).
struct Field {
  std::uint64_t offset;
  std::uint64_t length;
};
constexpr Field kName{0, 100};
constexpr Field kMode{100, 8};
constexpr Field kUid{108, 8};
constexpr Field kGid{116, 8};
constexpr Field kSize{124, 12};
constexpr Field kMtime{136, 12};
constexpr Field kChecksum{148, 8};
constexpr std::uint64_t kTypeOffset = 156;
constexpr Field kLinkname{157, 100};
constexpr Field kMagic{257, 8};
constexpr Field kDevMajor{329, 8};
constexpr Field kDevMinor{337, 8};
constexpr Field kPrefix{345, 155};
// GNU old sparse: 4 (offset, numbytes) pairs of 12-byte numbers, isextended, realsize.
constexpr std::uint64_t kSparseOffset = 386;
constexpr std::uint64_t kSparseHeaderEntries = 4;
constexpr std::uint64_t kSparseExtendedOffset = 482;
constexpr Field kSparseRealSize{483, 12};
constexpr std::uint64_t kSparseEntrySize = 24;
constexpr std::uint64_t kSparseBlockEntries = 21;  // 21 * 24 = 504, isextended at 504
constexpr std::uint64_t kSparseBlockExtendedOffset = 504;

ByteView FieldOf(ByteView block, Field field) {
  return block.Sub(field.offset, field.length).value_or(ByteView());
}

// tarfile's nts(): the bytes up to the first NUL.
std::string CString(ByteView field) {
  const std::string_view text = field.AsStringView();
  return std::string(text.substr(0, text.find('\0')));
}

bool IsOctalDigit(std::uint8_t byte) { return byte >= '0' && byte <= '7'; }

// POSIX: the checksum is the sum of the header's bytes with the checksum field taken as 8
// spaces. tarfile (calc_chksums) and GNU tar accept the sum of the bytes as unsigned or as
// signed chars, because old Sun and GNU writers summed signed chars.
bool ChecksumMatches(ByteView block, std::uint64_t stored) {
  std::uint64_t unsigned_sum = 0;
  std::int64_t signed_sum = 0;
  for (std::uint64_t i = 0; i < kBlockSize; ++i) {
    const bool in_field = i >= kChecksum.offset && i < kChecksum.offset + kChecksum.length;
    const std::uint8_t byte = in_field ? ' ' : block[i];
    unsigned_sum += byte;
    signed_sum += static_cast<std::int8_t>(byte);
  }
  return stored == unsigned_sum || static_cast<std::int64_t>(stored) == signed_sum;
}

}  // namespace

std::optional<std::uint64_t> ParseNumber(ByteView field) {
  if (field.empty()) return 0;
  if (field[0] == 0x80 || field[0] == 0xFF) {
    // GNU base-256: the remaining bytes are a big-endian two's complement number.
    if (field[0] == 0xFF) return std::nullopt;  // negative: never a valid size or mode
    std::uint64_t value = 0;
    for (std::uint64_t i = 1; i < field.size(); ++i) {
      if (value >> 56 != 0) return std::nullopt;  // more than 64 bits
      value = (value << 8) | field[i];
    }
    return value;
  }
  std::uint64_t i = 0;
  while (i < field.size() && field[i] == ' ') ++i;
  std::uint64_t value = 0;
  for (; i < field.size() && IsOctalDigit(field[i]); ++i) {
    if (value >> 61 != 0) return std::nullopt;
    value = value * 8 + (field[i] - '0');
  }
  for (; i < field.size(); ++i) {
    if (field[i] != ' ' && field[i] != '\0') return std::nullopt;
  }
  return value;
}

std::optional<std::uint64_t> PaddedSize(std::uint64_t size) {
  const auto rounded = CheckedAdd(size, kBlockSize - 1);
  if (!rounded) return std::nullopt;
  return *rounded / kBlockSize * kBlockSize;
}

HeaderResult ParseHeader(ByteView block, std::uint64_t offset) {
  HeaderResult result;
  bool all_zero = true;
  for (std::uint64_t i = 0; i < block.size() && all_zero; ++i) all_zero = block[i] == 0;
  if (all_zero) return result;
  const auto stored_sum = ParseNumber(FieldOf(block, kChecksum));
  if (!stored_sum) {
    result.kind = HeaderKind::kBadField;
    result.problem = "the checksum field is not a number";
    return result;
  }
  if (!ChecksumMatches(block, *stored_sum)) {
    result.kind = HeaderKind::kBadChecksum;
    result.problem = "the header checksum does not match its bytes";
    return result;
  }
  // tarfile.TarInfo.frombuf parses every numeric field and rejects the header when any is
  // unreadable, so one bad field makes the whole header invalid for that reader.
  constexpr std::pair<Field, std::string_view> kNumbers[] = {
      {kMode, "mode"},   {kUid, "uid"},   {kGid, "gid"},           {kSize, "size"},
      {kMtime, "mtime"}, {kDevMajor, "devmajor"}, {kDevMinor, "devminor"}};
  Header& header = result.header;
  for (const auto& [field, field_name] : kNumbers) {
    const auto value = ParseNumber(FieldOf(block, field));
    if (!value) {
      result.kind = HeaderKind::kBadField;
      result.problem = "the " + std::string(field_name) + " field is not a valid number";
      return result;
    }
    if (field.offset == kSize.offset) header.size = *value;
    if (field.offset == kMode.offset) header.mode = *value;
  }
  result.kind = HeaderKind::kValid;
  header.offset = offset;
  header.type = static_cast<char>(block[kTypeOffset]);
  header.name = CString(FieldOf(block, kName));
  header.linkname = CString(FieldOf(block, kLinkname));
  const std::string_view magic = FieldOf(block, kMagic).AsStringView();
  header.gnu_magic = magic == std::string_view("ustar  \0", 8);
  header.ustar_magic = header.gnu_magic || magic.substr(0, 6) == std::string_view("ustar\0", 6);
  if (header.type == kTypeGnuSparse) {
    header.sparse_extended = block[kSparseExtendedOffset] != 0;
    header.sparse_real_size = ParseNumber(FieldOf(block, kSparseRealSize)).value_or(0);
  } else {
    header.prefix = CString(FieldOf(block, kPrefix));
  }
  return result;
}

std::string UstarPath(const Header& header) {
  const bool gnu_type = header.type == kTypeGnuLongName || header.type == kTypeGnuLongLink ||
                        header.type == kTypeGnuSparse;
  if (header.prefix.empty() || gnu_type) return header.name;
  return header.prefix + "/" + header.name;
}

PaxRecords ParsePaxRecords(ByteView data) {
  PaxRecords out;
  const std::string_view text = data.AsStringView();
  std::size_t pos = 0;
  // tarfile stops at the first position that does not start a record (the NUL padding).
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    if (out.records.size() >= kMaxPaxRecords) {
      out.error = "more than " + std::to_string(kMaxPaxRecords) + " records";
      return out;
    }
    std::size_t length = 0;
    std::size_t i = pos;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9' && i - pos < 10; ++i) {
      length = length * 10 + static_cast<std::size_t>(text[i] - '0');
    }
    const std::size_t equals = text.find('=', i);
    if (i >= text.size() || text[i] != ' ' || length == 0 || length > text.size() - pos ||
        equals == std::string_view::npos || equals >= pos + length ||
        text[pos + length - 1] != '\n') {
      out.error = "malformed record at byte " + std::to_string(pos);
      return out;
    }
    PaxRecord record;
    record.keyword = std::string(text.substr(i + 1, equals - i - 1));
    record.value = std::string(text.substr(equals + 1, pos + length - 1 - equals - 1));
    out.records.push_back(std::move(record));
    pos += length;
  }
  return out;
}

SparseMap ParseGnuSparseMap(ByteView archive, std::uint64_t header_offset) {
  SparseMap map;
  auto read_entries = [&](ByteView block, std::uint64_t first, std::uint64_t count) {
    for (std::uint64_t i = 0; i < count; ++i) {
      const std::uint64_t at = first + i * kSparseEntrySize;
      const auto offset = ParseNumber(FieldOf(block, {at, 12}));
      const auto length = ParseNumber(FieldOf(block, {at + 12, 12}));
      if (!offset || !length) {
        map.error = "an unreadable sparse map entry";
        return;
      }
      if (*offset == 0 && *length == 0) return;  // unused entry
      if (map.segments.size() >= kMaxSparseSegments) {
        map.error = "more than " + std::to_string(kMaxSparseSegments) + " sparse segments";
        return;
      }
      map.segments.push_back({*offset, *length});
    }
  };
  const auto header = archive.Sub(header_offset, kBlockSize);
  if (!header) {
    map.error = "the header is truncated";
    return map;
  }
  read_entries(*header, kSparseOffset, kSparseHeaderEntries);
  bool extended = (*header)[kSparseExtendedOffset] != 0;
  std::uint64_t at = header_offset + kBlockSize;
  while (extended && !map.error) {
    if (map.extension_blocks >= kMaxSparseSegments / kSparseBlockEntries + 1) {
      map.error = "too many sparse map extension blocks";
      return map;
    }
    const auto block = archive.Sub(at, kBlockSize);
    if (!block) {
      map.error = "the sparse map extension blocks are truncated";
      return map;
    }
    read_entries(*block, 0, kSparseBlockEntries);
    extended = (*block)[kSparseBlockExtendedOffset] != 0;
    ++map.extension_blocks;
    at += kBlockSize;
  }
  return map;
}

std::string DisplayName(std::string_view name) {
  // Names can be a MiB long (GNU long names, pax paths); reports quote the start.
  constexpr std::size_t kMaxShown = 4096;
  const bool cut = name.size() > kMaxShown;
  if (cut) name = name.substr(0, kMaxShown);
  std::string out;
  out.reserve(name.size());
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) {
      char escaped[5];
      std::snprintf(escaped, sizeof(escaped), "\\x%02x", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  if (cut) out += "...";
  return out;
}

}  // namespace mg::tar
