// ByteView: a non-owning, bounds-checked window over bytes (usually a mapped file). Sub-views
// are formed only after their range has been checked against the parent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/checked_math.h"

namespace mg {

class ByteView {
 public:
  ByteView() = default;
  ByteView(const std::uint8_t* data, std::uint64_t size) : data_(data), size_(size) {}
  explicit ByteView(std::string_view s)
      : data_(reinterpret_cast<const std::uint8_t*>(s.data())), size_(s.size()) {}

  const std::uint8_t* data() const { return data_; }
  std::uint64_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // The byte at `index`; the caller has checked index < size().
  std::uint8_t operator[](std::uint64_t index) const { return data_[index]; }

  // [offset, offset + length) or nullopt when it does not fit.
  std::optional<ByteView> Sub(std::uint64_t offset, std::uint64_t length) const {
    if (!RangeFits(offset, length, size_)) return std::nullopt;
    return ByteView(data_ + offset, length);
  }
  // Everything from `offset` on (empty when offset >= size).
  ByteView Tail(std::uint64_t offset) const {
    if (offset >= size_) return ByteView(data_ + size_, 0);
    return ByteView(data_ + offset, size_ - offset);
  }
  // At most `length` bytes from the start.
  ByteView Prefix(std::uint64_t length) const {
    return ByteView(data_, length < size_ ? length : size_);
  }
  bool StartsWith(std::string_view magic) const {
    return magic.size() <= size_ && std::string_view(chars(), magic.size()) == magic;
  }
  std::string_view AsStringView() const { return {chars(), static_cast<std::size_t>(size_)}; }

 private:
  const char* chars() const { return reinterpret_cast<const char*>(data_); }

  const std::uint8_t* data_ = nullptr;
  std::uint64_t size_ = 0;
};

}  // namespace mg
