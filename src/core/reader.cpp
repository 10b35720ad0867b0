#include "core/reader.h"

#include <cstring>
#include <string>

namespace mg {

Error Reader::TruncatedError(std::uint64_t wanted) const {
  return Error::Truncated(absolute_position(), "needed " + std::to_string(wanted) +
                                                   " bytes but only " +
                                                   std::to_string(remaining()) + " remain");
}

Status Reader::Seek(std::uint64_t position) {
  if (position > data_.size()) {
    return Error::Truncated(base_offset_ + data_.size(),
                            "seek to " + std::to_string(position) + " past the end");
  }
  pos_ = position;
  return {};
}

Status Reader::Skip(std::uint64_t count) {
  if (count > remaining()) return TruncatedError(count);
  pos_ += count;
  return {};
}

template <typename T, bool kBigEndian>
Result<T> Reader::ReadInt() {
  if (remaining() < sizeof(T)) return TruncatedError(sizeof(T));
  T value = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    const std::uint64_t byte = data_[pos_ + (kBigEndian ? i : sizeof(T) - 1 - i)];
    value = static_cast<T>((static_cast<std::uint64_t>(value) << 8) | byte);
  }
  pos_ += sizeof(T);
  return value;
}

Result<std::uint8_t> Reader::U8() {
  if (remaining() < 1) return TruncatedError(1);
  return data_[pos_++];
}
Result<std::uint16_t> Reader::U16Le() { return ReadInt<std::uint16_t, false>(); }
Result<std::uint32_t> Reader::U32Le() { return ReadInt<std::uint32_t, false>(); }
Result<std::uint64_t> Reader::U64Le() { return ReadInt<std::uint64_t, false>(); }
Result<std::uint16_t> Reader::U16Be() { return ReadInt<std::uint16_t, true>(); }
Result<std::uint32_t> Reader::U32Be() { return ReadInt<std::uint32_t, true>(); }
Result<std::uint64_t> Reader::U64Be() { return ReadInt<std::uint64_t, true>(); }

Result<std::int32_t> Reader::I32Le() {
  auto raw = U32Le();
  if (!raw) return raw.error();
  return static_cast<std::int32_t>(*raw);
}

Result<double> Reader::F64Be() {
  auto raw = U64Be();
  if (!raw) return raw.error();
  double out = 0;
  std::memcpy(&out, &*raw, sizeof(out));
  return out;
}

Result<double> Reader::F64Le() {
  auto raw = U64Le();
  if (!raw) return raw.error();
  double out = 0;
  std::memcpy(&out, &*raw, sizeof(out));
  return out;
}

Result<ByteView> Reader::Bytes(std::uint64_t count) {
  auto sub = data_.Sub(pos_, count);
  if (!sub) return TruncatedError(count);
  pos_ += count;
  return *sub;
}

Result<ByteView> Reader::Until(std::uint8_t delimiter, std::uint64_t max_length) {
  const std::uint64_t limit = remaining() < max_length ? remaining() : max_length;
  const void* hit = std::memchr(data_.data() + pos_, delimiter, limit);
  if (hit == nullptr) {
    if (limit == max_length && remaining() > max_length) {
      return Error::Limit(absolute_position(), "no delimiter within " +
                                                   std::to_string(max_length) + " bytes");
    }
    return Error::Truncated(absolute_position(), "input ended before the delimiter");
  }
  const auto length = static_cast<std::uint64_t>(static_cast<const std::uint8_t*>(hit) -
                                                 (data_.data() + pos_));
  ByteView out(data_.data() + pos_, length);
  pos_ += length + 1;
  return out;
}

Result<std::uint8_t> Reader::Peek() const {
  if (remaining() < 1) return TruncatedError(1);
  return data_[pos_];
}

}  // namespace mg
