// A reader of the Protocol Buffers wire format, for ONNX models and TensorFlow SavedModels.
// libprotobuf would need the schemas compiled in and builds whole messages in memory (a
// 2 GB GraphDef); a scanner needs only a few fields, streamed, with offsets for findings and
// bounds on everything, so it reads the wire format itself (protobuf.dev "Encoding": a field
// is a varint key `number << 3 | wire type` followed by a varint, 4 or 8 bytes, or a
// varint length and that many bytes).
#pragma once

#include <cstdint>
#include <string_view>

#include "core/byte_view.h"
#include "core/result.h"

namespace mg {

enum class WireType : std::uint8_t {
  kVarint = 0,
  kFixed64 = 1,
  kLengthDelimited = 2,  // strings, bytes, sub-messages, packed repeated scalars
  kStartGroup = 3,       // deprecated groups: skipped like unknown fields
  kEndGroup = 4,
  kFixed32 = 5,
};

struct ProtoField {
  std::uint32_t number = 0;
  WireType type = WireType::kVarint;
  std::uint64_t value = 0;  // kVarint, kFixed32 and kFixed64 (raw bits)
  ByteView bytes;           // kLengthDelimited payload; the whole group body for kStartGroup
  std::uint64_t offset = 0;   // absolute offset of the field's key
  std::uint64_t payload_offset = 0;  // absolute offset of `bytes` (length-delimited, group)

  std::string_view text() const { return bytes.AsStringView(); }
};

// Largest nesting of deprecated groups skipped inside one message (libprotobuf's default
// recursion limit is 100).
inline constexpr std::uint32_t kMaxProtoGroupDepth = 64;

// Iterates the fields of one message, in file order. Errors are kMalformed or kTruncated with
// the absolute offset; after an error the reader stays at end.
class ProtoReader {
 public:
  // `base_offset` is the absolute offset of `message`, for errors and field offsets.
  explicit ProtoReader(ByteView message, std::uint64_t base_offset = 0)
      : data_(message), base_(base_offset) {}

  // Reads the next field into `field`; false at the end of the message.
  Result<bool> Next(ProtoField& field);

  bool at_end() const { return pos_ >= data_.size(); }
  std::uint64_t absolute_position() const { return base_ + pos_; }

 private:
  Result<std::uint64_t> Varint();
  // Reads one field; an end-group key is returned as such for SkipGroup to match.
  Status ReadField(ProtoField& field, std::uint32_t group_depth);
  Status SkipGroup(ProtoField& group, std::uint32_t group_depth);

  ByteView data_;
  std::uint64_t base_;
  std::uint64_t pos_ = 0;
};

// Decodes one varint at the start of `data`; `consumed` receives its length. At most 10 bytes
// are read, and a 10th byte above 1 (more than 64 bits) is malformed.
Result<std::uint64_t> DecodeVarint(ByteView data, std::uint64_t base_offset,
                                   std::uint64_t& consumed);

// ZigZag decoding of sint32/sint64 values.
inline std::int64_t ZigZagDecode(std::uint64_t value) {
  return static_cast<std::int64_t>(value >> 1) ^ -static_cast<std::int64_t>(value & 1);
}

}  // namespace mg
