// A read-only memory map of a whole file: parsers see the file as a ByteView and tensor data
// is never copied. Empty files map to an empty view.
#pragma once

#include <cstdint>
#include <string>

#include "core/byte_view.h"
#include "core/result.h"

namespace mg {

class MappedFile {
 public:
  static Result<MappedFile> Open(const std::string& path);

  MappedFile() = default;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  ~MappedFile();

  ByteView view() const { return ByteView(data_, size_); }
  std::uint64_t size() const { return size_; }

  // Drops the pages of [offset, offset + length) from this process's memory (whole pages
  // inside the range only). The mapping stays valid: a later read faults the bytes back in
  // from the page cache, so views into the range remain usable.
  void DropPages(std::uint64_t offset, std::uint64_t length) const;

 private:
  const std::uint8_t* data_ = nullptr;
  std::uint64_t size_ = 0;
};

}  // namespace mg
