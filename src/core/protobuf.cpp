#include "core/protobuf.h"

#include <string>


namespace mg {

Result<std::uint64_t> DecodeVarint(ByteView data, std::uint64_t base_offset,
                                   std::uint64_t& consumed) {
  std::uint64_t value = 0;
  for (std::uint64_t i = 0; i < 10; ++i) {
    if (i >= data.size()) return Error::Truncated(base_offset + i, "varint runs past the end");
    const std::uint8_t byte = data[i];
    if (i == 9 && byte > 1) {
      return Error::Malformed(base_offset + i, "varint longer than 64 bits");
    }
    value |= static_cast<std::uint64_t>(byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) {
      consumed = i + 1;
      return value;
    }
  }
  return Error::Malformed(base_offset + 9, "varint longer than 64 bits");
}

Result<std::uint64_t> ProtoReader::Varint() {
  std::uint64_t consumed = 0;
  auto value = DecodeVarint(data_.Tail(pos_), base_ + pos_, consumed);
  if (!value) return value.error();
  pos_ += consumed;
  return *value;
}

Status ProtoReader::ReadField(ProtoField& field, std::uint32_t group_depth) {
  field = ProtoField{};
  field.offset = base_ + pos_;
  auto key = Varint();
  if (!key) return key.error();
  // Field numbers are 1 .. 2^29 - 1 (protobuf.dev "Language Guide": field number range).
  const std::uint64_t number = *key >> 3;
  if (number == 0 || number > 0x1fffffff) {
    return Error::Malformed(field.offset, "protobuf field number " + std::to_string(number) +
                                              " is out of range");
  }
  field.number = static_cast<std::uint32_t>(number);
  const auto type = static_cast<std::uint8_t>(*key & 7);
  switch (type) {
    case 0: {
      field.type = WireType::kVarint;
      auto value = Varint();
      if (!value) return value.error();
      field.value = *value;
      return {};
    }
    case 1:
    case 5: {
      field.type = type == 1 ? WireType::kFixed64 : WireType::kFixed32;
      const std::uint64_t width = type == 1 ? 8 : 4;
      auto raw = data_.Sub(pos_, width);
      if (!raw) return Error::Truncated(base_ + pos_, "fixed-width protobuf value is cut off");
      for (std::uint64_t i = 0; i < width; ++i) {
        field.value |= static_cast<std::uint64_t>((*raw)[i]) << (8 * i);
      }
      pos_ += width;
      return {};
    }
    case 2: {
      field.type = WireType::kLengthDelimited;
      auto length = Varint();
      if (!length) return length.error();
      auto payload = data_.Sub(pos_, *length);
      if (!payload) {
        return Error::Truncated(base_ + pos_, "protobuf field " + std::to_string(number) +
                                                  " declares " + std::to_string(*length) +
                                                  " bytes, more than the message holds");
      }
      field.bytes = *payload;
      field.payload_offset = base_ + pos_;
      pos_ += *length;
      return {};
    }
    case 3:
      field.type = WireType::kStartGroup;
      return SkipGroup(field, group_depth + 1);
    case 4:
      field.type = WireType::kEndGroup;
      return {};
    default:
      return Error::Malformed(field.offset, "protobuf wire type " + std::to_string(type) +
                                                " does not exist");
  }
}

Status ProtoReader::SkipGroup(ProtoField& group, std::uint32_t group_depth) {
  if (group_depth > kMaxProtoGroupDepth) {
    return Error::Limit(group.offset, "protobuf groups nested deeper than " +
                                          std::to_string(kMaxProtoGroupDepth) + " levels");
  }
  const std::uint64_t body_start = pos_;
  ProtoField inner;
  while (true) {
    if (at_end()) return Error::Truncated(base_ + pos_, "protobuf group is never closed");
    const std::uint64_t inner_start = pos_;
    if (Status status = ReadField(inner, group_depth); !status) return status;
    if (inner.type == WireType::kEndGroup) {
      if (inner.number != group.number) {
        return Error::Malformed(inner.offset, "protobuf group closed with another field number");
      }
      group.bytes = *data_.Sub(body_start, inner_start - body_start);
      group.payload_offset = base_ + body_start;
      return {};
    }
  }
}

Result<bool> ProtoReader::Next(ProtoField& field) {
  if (at_end()) return false;
  if (Status status = ReadField(field, 0); !status) {
    pos_ = data_.size();
    return status.error();
  }
  if (field.type == WireType::kEndGroup) {
    const std::uint64_t offset = field.offset;
    pos_ = data_.size();
    return Error::Malformed(offset, "protobuf end-group without a start");
  }
  return true;
}

}  // namespace mg
