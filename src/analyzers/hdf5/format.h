// A minimal HDF5 reader of our own, for what Keras needs: the superblock, the root group's
// object header (with its continuation blocks) and its attribute messages, whose string values
// may live in the global heap. Layouts follow the HDF5 File Format Specification (version 3.0):
// section numbers are cited where a check relies on them.
//
// Why not libhdf5: the reference library is a large C code base that has had a long series of
// memory-safety bugs on crafted files (heap overflows in its B-tree, datatype and attribute
// decoders), it trusts lengths and addresses it reads, and it can call filter plugins found on
// the plugin path. A scanner must not run that on hostile input. This reader checks every
// address and length against the file, bounds every loop, and never allocates from a length
// it read: results are views into the mapped file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/byte_view.h"
#include "core/result.h"

namespace mg::hdf5 {

inline constexpr std::string_view kSignature = "\x89HDF\r\n\x1a\n";

// Limits (documented in docs/keras.md, "HDF5 reader").
inline constexpr std::uint32_t kMaxHeaderMessages = 4096;  // messages in one object header
inline constexpr std::uint32_t kMaxContinuations = 256;    // continuation blocks followed
inline constexpr std::uint32_t kMaxSuperblockProbes = 48;  // 0, 512, 1024, ... (spec 2.1)
inline constexpr std::uint32_t kMaxDataspaceRank = 32;     // H5S_MAX_RANK
inline constexpr std::uint32_t kMaxHeapObjects = 1 << 20;  // objects walked in one collection

// Sizes and base address every address and length in the file depends on.
struct FileLayout {
  ByteView file;
  std::uint64_t superblock_offset = 0;
  std::uint8_t superblock_version = 0;
  std::uint8_t offset_size = 8;
  std::uint8_t length_size = 8;
  std::uint64_t base_address = 0;
  std::uint64_t root_header_address = 0;  // relative to base_address

  // The absolute position of a file address, or nullopt when it is undefined (all ones),
  // overflows or lies outside the file.
  std::optional<std::uint64_t> Resolve(std::uint64_t address) const;
  // Whether `address` is the undefined address (all bits set in offset_size bytes).
  bool IsUndefined(std::uint64_t address) const;
};

// Finds and reads the superblock (spec 2.1: at 0, 512, 1024, 2048 ...). Versions 0-3.
Result<FileLayout> ReadSuperblock(ByteView file);

// Little-endian unsigned integer of `size` bytes (1, 2, 4 or 8) at `offset` within `data`.
std::optional<std::uint64_t> ReadSized(ByteView data, std::uint64_t offset, std::uint8_t size);

struct HeaderMessage {
  std::uint16_t type = 0;
  std::uint8_t flags = 0;
  ByteView data;
  std::uint64_t offset = 0;  // absolute file offset of the message data
};

inline constexpr std::uint16_t kMessageNil = 0x0000;
inline constexpr std::uint16_t kMessageAttribute = 0x000C;
inline constexpr std::uint16_t kMessageContinuation = 0x0010;
inline constexpr std::uint16_t kMessageAttributeInfo = 0x0015;
inline constexpr std::uint8_t kMessageFlagShared = 0x02;  // spec IV.A.1: data is a reference

// Every message of the object header at `address` (relative to the base address), following
// continuation messages (spec IV.A.1.a version 1, IV.A.1.b version 2 "OHDR" / "OCHK").
// A loop, an address outside the file or a limit is an error.
Result<std::vector<HeaderMessage>> ReadObjectHeader(const FileLayout& layout,
                                                    std::uint64_t address);

}  // namespace mg::hdf5
