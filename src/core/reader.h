// Reader: a cursor over a ByteView. Every read checks the remaining length first and reports
// the absolute offset of a failure; nothing reads past the end or forms an out-of-range pointer.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/byte_view.h"
#include "core/result.h"

namespace mg {

class Reader {
 public:
  // `base_offset` is added to positions in errors, for views cut from a larger buffer.
  explicit Reader(ByteView data, std::uint64_t base_offset = 0)
      : data_(data), base_offset_(base_offset) {}

  std::uint64_t position() const { return pos_; }
  std::uint64_t absolute_position() const { return base_offset_ + pos_; }
  std::uint64_t remaining() const { return data_.size() - pos_; }
  bool at_end() const { return pos_ == data_.size(); }
  ByteView view() const { return data_; }

  Status Seek(std::uint64_t position);
  Status Skip(std::uint64_t count);

  Result<std::uint8_t> U8();
  Result<std::uint16_t> U16Le();
  Result<std::uint32_t> U32Le();
  Result<std::uint64_t> U64Le();
  Result<std::uint16_t> U16Be();
  Result<std::uint32_t> U32Be();
  Result<std::uint64_t> U64Be();
  Result<std::int32_t> I32Le();
  Result<double> F64Be();
  Result<double> F64Le();

  // `count` bytes as a view into the underlying buffer (no copy).
  Result<ByteView> Bytes(std::uint64_t count);
  // Bytes up to (not including) `delimiter`, consuming the delimiter; at most `max_length`
  // bytes are searched, so a missing delimiter costs O(max_length), not O(input).
  Result<ByteView> Until(std::uint8_t delimiter, std::uint64_t max_length);
  // Next byte without consuming it.
  Result<std::uint8_t> Peek() const;

 private:
  Error TruncatedError(std::uint64_t wanted) const;
  template <typename T, bool kBigEndian>
  Result<T> ReadInt();

  ByteView data_;
  std::uint64_t base_offset_ = 0;
  std::uint64_t pos_ = 0;
};

}  // namespace mg
