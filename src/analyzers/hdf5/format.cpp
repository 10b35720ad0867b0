#include "analyzers/hdf5/format.h"

#include <algorithm>
#include <set>

namespace mg::hdf5 {

std::optional<std::uint64_t> ReadSized(ByteView data, std::uint64_t offset, std::uint8_t size) {
  const auto bytes = data.Sub(offset, size);
  if (!bytes || size == 0 || size > 8) return std::nullopt;
  std::uint64_t value = 0;
  for (std::uint8_t i = 0; i < size; ++i) {
    value |= static_cast<std::uint64_t>((*bytes)[i]) << (8 * i);
  }
  return value;
}

bool FileLayout::IsUndefined(std::uint64_t address) const {
  const std::uint64_t all_ones =
      offset_size >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * offset_size)) - 1;
  return address == all_ones;
}

std::optional<std::uint64_t> FileLayout::Resolve(std::uint64_t address) const {
  if (IsUndefined(address)) return std::nullopt;
  const auto absolute = CheckedAdd(base_address, address);
  if (!absolute || *absolute >= file.size()) return std::nullopt;
  return absolute;
}

namespace {

bool ValidSize(std::uint8_t size) { return size == 2 || size == 4 || size == 8; }

// Superblock versions 0 and 1 (spec 2.1, "Version 0 and 1 Superblock"): 16 bytes of versions
// and sizes, the B-tree K values and flags (plus indexed-storage K in version 1), four
// addresses, then the root group symbol table entry, whose second field is the root group's
// object header address.
Result<FileLayout> ReadVersion0Or1(FileLayout layout, ByteView sb) {
  layout.offset_size = sb[13];
  layout.length_size = sb[14];
  if (!ValidSize(layout.offset_size) || !ValidSize(layout.length_size)) {
    return Error::Malformed(layout.superblock_offset + 13, "unsupported offset or length size");
  }
  const std::uint64_t addresses = layout.superblock_version == 0 ? 24 : 28;
  const std::uint8_t o = layout.offset_size;
  const auto base = ReadSized(sb, addresses, o);
  // Root symbol table entry: link name offset, then the object header address.
  const auto root = ReadSized(sb, addresses + 4 * o + o, o);
  if (!base || !root) {
    return Error::Truncated(layout.superblock_offset, "the superblock is cut short");
  }
  layout.base_address = *base;
  layout.root_header_address = *root;
  return layout;
}

// Superblock versions 2 and 3 (spec 2.1): versions, sizes and flags in 4 bytes, then base
// address, superblock extension address, end-of-file address, root object header address.
Result<FileLayout> ReadVersion2Or3(FileLayout layout, ByteView sb) {
  layout.offset_size = sb[9];
  layout.length_size = sb[10];
  if (!ValidSize(layout.offset_size) || !ValidSize(layout.length_size)) {
    return Error::Malformed(layout.superblock_offset + 9, "unsupported offset or length size");
  }
  const std::uint8_t o = layout.offset_size;
  const auto base = ReadSized(sb, 12, o);
  const auto root = ReadSized(sb, 12 + 3 * o, o);
  if (!base || !root) {
    return Error::Truncated(layout.superblock_offset, "the superblock is cut short");
  }
  layout.base_address = *base;
  layout.root_header_address = *root;
  return layout;
}

}  // namespace

Result<FileLayout> ReadSuperblock(ByteView file) {
  std::uint64_t position = 0;
  for (std::uint32_t probe = 0; probe < kMaxSuperblockProbes && position < file.size(); ++probe) {
    const ByteView sb = file.Tail(position);
    if (sb.StartsWith(kSignature)) {
      if (sb.size() < 16) return Error::Truncated(position, "the superblock is cut short");
      FileLayout layout;
      layout.file = file;
      layout.superblock_offset = position;
      layout.superblock_version = sb[8];
      if (layout.superblock_version <= 1) return ReadVersion0Or1(layout, sb);
      if (layout.superblock_version <= 3) return ReadVersion2Or3(layout, sb);
      return Error::Unsupported(position + 8, "superblock version " +
                                                  std::to_string(layout.superblock_version) +
                                                  " (versions 0 to 3 are defined)");
    }
    position = position == 0 ? 512 : position * 2;
  }
  return Error::Malformed(0, "no HDF5 superblock signature");
}

namespace {

struct Chunk {
  std::uint64_t start = 0;  // absolute
  std::uint64_t size = 0;
  bool continuation = false;  // reached through a continuation message
};

class HeaderReader {
 public:
  explicit HeaderReader(const FileLayout& layout) : layout_(layout) {}

  Result<std::vector<HeaderMessage>> Read(std::uint64_t address) {
    const auto start = layout_.Resolve(address);
    if (!start) return Error::Malformed(0, "the object header address is outside the file");
    const ByteView at = layout_.file.Tail(*start);
    Status status = at.StartsWith("OHDR") ? ReadVersion2(*start) : ReadVersion1(*start);
    while (status && !pending_.empty()) {
      const Chunk chunk = pending_.back();
      pending_.pop_back();
      status = ReadChunk(chunk);
    }
    if (!status) return status.error();
    return std::move(messages_);
  }

 private:
  // Spec IV.A.1.a: version 1, reserved, message count (2), reference count (4), header size
  // (4); the messages start 16 bytes in (the prefix is padded to 8-byte alignment).
  Status ReadVersion1(std::uint64_t start) {
    version_ = 1;
    const ByteView file = layout_.file;
    if (file[start] != 1) {
      return Error::Unsupported(start, "object header version " + std::to_string(file[start]));
    }
    const auto size = ReadSized(file, start + 8, 4);
    if (!size) return Error::Truncated(start, "the object header is cut short");
    return AddChunk(start + 16, *size, start, false);
  }

  // Spec IV.A.1.b: "OHDR", version 2, flags; optional times (flag 0x20) and attribute phase
  // change values (flag 0x10); chunk 0 size in 1, 2, 4 or 8 bytes (flags bits 0-1); the
  // messages; a 4-byte checksum after the chunk.
  Status ReadVersion2(std::uint64_t start) {
    version_ = 2;
    const ByteView file = layout_.file;
    const auto version = ReadSized(file, start + 4, 1);
    const auto flags = ReadSized(file, start + 5, 1);
    if (!version || !flags) return Error::Truncated(start, "the object header is cut short");
    if (*version != 2) {
      return Error::Unsupported(start + 4, "OHDR version " + std::to_string(*version));
    }
    flags_ = static_cast<std::uint8_t>(*flags);
    std::uint64_t position = start + 6;
    if ((flags_ & 0x20) != 0) position += 16;
    if ((flags_ & 0x10) != 0) position += 4;
    const std::uint8_t size_bytes = static_cast<std::uint8_t>(1u << (flags_ & 0x03));
    const auto size = ReadSized(file, position, size_bytes);
    if (!size) return Error::Truncated(position, "the object header is cut short");
    return AddChunk(position + size_bytes, *size, start, false);
  }

  Status AddChunk(std::uint64_t start, std::uint64_t size, std::uint64_t where, bool continuation) {
    if (!RangeFits(start, size, layout_.file.size())) {
      return Error::Truncated(where, "an object header chunk extends past the end of the file");
    }
    if (!visited_.insert(start).second) {
      return Error::Malformed(where, "object header continuation blocks form a loop");
    }
    if (visited_.size() > kMaxContinuations) {
      return Error::Limit(where, "more than " + std::to_string(kMaxContinuations) +
                                     " object header continuation blocks");
    }
    pending_.push_back({start, size, continuation});
    return {};
  }

  Status ReadChunk(const Chunk& chunk) {
    if (version_ == 1) return ReadMessagesV1(chunk);
    return chunk.continuation ? ReadContinuationV2(chunk) : ReadMessagesV2(chunk);
  }

  // Version 1 messages: type (2), size (2), flags (1), reserved (3), data.
  Status ReadMessagesV1(const Chunk& chunk) {
    std::uint64_t position = chunk.start;
    const std::uint64_t end = chunk.start + chunk.size;
    while (end - position >= 8) {
      const ByteView file = layout_.file;
      const std::uint16_t type = static_cast<std::uint16_t>(*ReadSized(file, position, 2));
      const std::uint64_t size = *ReadSized(file, position + 2, 2);
      const std::uint8_t flags = file[position + 4];
      position += 8;
      if (size > end - position) {
        return Error::Malformed(position, "a header message extends past its chunk");
      }
      if (Status added = Add(type, flags, position, size); !added) return added;
      position += size;
    }
    return {};
  }

  // Version 2 messages: type (1), size (2), flags (1), creation order (2, when header flag
  // 0x04 is set), data. Bytes too few for a message header are the gap before the checksum.
  Status ReadMessagesV2(const Chunk& chunk) {
    const std::uint64_t header = (flags_ & 0x04) != 0 ? 6 : 4;
    std::uint64_t position = chunk.start;
    const std::uint64_t end = chunk.start + chunk.size;
    while (end - position >= header) {
      const ByteView file = layout_.file;
      const std::uint16_t type = file[position];
      const std::uint64_t size = *ReadSized(file, position + 1, 2);
      const std::uint8_t flags = file[position + 3];
      position += header;
      if (size > end - position) {
        return Error::Malformed(position, "a header message extends past its chunk");
      }
      if (Status added = Add(type, flags, position, size); !added) return added;
      position += size;
    }
    return {};
  }

  // A continuation block of a version 2 header: "OCHK", messages, checksum (4).
  Status ReadContinuationV2(const Chunk& chunk) {
    if (chunk.size < 8 || !layout_.file.Tail(chunk.start).StartsWith("OCHK")) {
      return Error::Malformed(chunk.start, "a continuation block lacks its OCHK signature");
    }
    return ReadMessagesV2({chunk.start + 4, chunk.size - 8, true});
  }

  Status Add(std::uint16_t type, std::uint8_t flags, std::uint64_t position, std::uint64_t size) {
    if (messages_.size() >= kMaxHeaderMessages) {
      return Error::Limit(position, "more than " + std::to_string(kMaxHeaderMessages) +
                                        " messages in the object header");
    }
    const ByteView data = *layout_.file.Sub(position, size);
    if (type == kMessageContinuation) {
      // Spec IV.A.2.q: offset (O) and length (L) of the next block.
      const auto address = ReadSized(data, 0, layout_.offset_size);
      const auto length = ReadSized(data, layout_.offset_size, layout_.length_size);
      if (!address || !length) return Error::Malformed(position, "a short continuation message");
      const auto start = layout_.Resolve(*address);
      if (!start) return Error::Malformed(position, "a continuation block is outside the file");
      return AddChunk(*start, *length, position, true);
    }
    if (type != kMessageNil) messages_.push_back({type, flags, data, position});
    return {};
  }

  const FileLayout& layout_;
  int version_ = 1;
  std::uint8_t flags_ = 0;
  std::set<std::uint64_t> visited_;
  std::vector<Chunk> pending_;
  std::vector<HeaderMessage> messages_;
};

}  // namespace

Result<std::vector<HeaderMessage>> ReadObjectHeader(const FileLayout& layout,
                                                    std::uint64_t address) {
  return HeaderReader(layout).Read(address);
}

}  // namespace mg::hdf5
