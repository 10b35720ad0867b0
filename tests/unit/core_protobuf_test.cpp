#include "core/protobuf.h"

#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace mg {
namespace {

// Encodes in the wire format by hand, independently of the reader under test.
std::string Varint(std::uint64_t value) {
  std::string out;
  while (value >= 0x80) {
    out += static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  out += static_cast<char>(value);
  return out;
}
std::string Key(std::uint32_t number, int type) { return Varint((number << 3) | type); }
std::string Bytes(std::uint32_t number, const std::string& payload) {
  return Key(number, 2) + Varint(payload.size()) + payload;
}

std::vector<ProtoField> ReadAll(const std::string& message, Error* error = nullptr) {
  ProtoReader reader(ByteView(message), 100);
  std::vector<ProtoField> fields;
  ProtoField field;
  while (true) {
    auto more = reader.Next(field);
    if (!more) {
      if (error != nullptr) *error = more.error();
      break;
    }
    if (!*more) break;
    fields.push_back(field);
  }
  return fields;
}

TEST(CoreProtobuf, ReadsEveryWireType) {
  // An ONNX-like ModelProto: ir_version = 8, producer_name = "pytorch", a fixed32 and fixed64.
  const std::string message = Key(1, 0) + Varint(8) + Bytes(2, "pytorch") + Key(3, 5) +
                              std::string("\x01\x02\x03\x04", 4) + Key(4, 1) +
                              std::string("\x01\0\0\0\0\0\0\x80", 8) + Key(5, 0) +
                              Varint(~0ULL);
  Error error;
  auto fields = ReadAll(message, &error);
  ASSERT_EQ(fields.size(), 5u) << error.message;
  EXPECT_EQ(fields[0].number, 1u);
  EXPECT_EQ(fields[0].value, 8u);
  EXPECT_EQ(fields[0].offset, 100u);
  EXPECT_EQ(fields[1].type, WireType::kLengthDelimited);
  EXPECT_EQ(fields[1].text(), "pytorch");
  EXPECT_EQ(fields[1].payload_offset, 104u);
  EXPECT_EQ(fields[2].value, 0x04030201u);
  EXPECT_EQ(fields[3].value, 0x8000000000000001ULL);
  EXPECT_EQ(fields[4].value, ~0ULL);
}

TEST(CoreProtobuf, SubMessagesAreReadWithTheirAbsoluteOffset) {
  const std::string node = Bytes(4, "PyFunc");
  const std::string graph = Bytes(1, node);
  auto outer = ReadAll(graph);
  ASSERT_EQ(outer.size(), 1u);
  ProtoReader inner(outer[0].bytes, outer[0].payload_offset);
  ProtoField field;
  ASSERT_TRUE(*inner.Next(field));
  EXPECT_EQ(field.number, 4u);
  EXPECT_EQ(field.text(), "PyFunc");
  EXPECT_EQ(field.offset, 102u);
}

TEST(CoreProtobuf, SkipsGroupsIncludingNestedOnes) {
  const std::string message = Key(7, 3) + Key(1, 0) + Varint(5) + Key(8, 3) + Key(8, 4) +
                              Key(7, 4) + Bytes(2, "after");
  auto fields = ReadAll(message);
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0].type, WireType::kStartGroup);
  EXPECT_EQ(fields[0].bytes.size(), 4u);  // 08 05 43 44
  EXPECT_EQ(fields[1].text(), "after");
}

TEST(CoreProtobuf, RejectsMalformedInputWithOffsets) {
  Error error;
  EXPECT_TRUE(ReadAll(Bytes(2, "abc").substr(0, 4), &error).empty());
  EXPECT_EQ(error.code, ErrorCode::kTruncated);
  ReadAll(Key(0, 0) + Varint(1), &error);
  EXPECT_EQ(error.code, ErrorCode::kMalformed);
  EXPECT_EQ(error.offset, 100u);
  ReadAll(Key(3, 6), &error);
  EXPECT_EQ(error.code, ErrorCode::kMalformed);
  ReadAll(Key(1, 0) + std::string(10, '\xff') + "\x01", &error);
  EXPECT_EQ(error.code, ErrorCode::kMalformed);
  ReadAll(Key(2, 4), &error);  // end group without a start
  EXPECT_EQ(error.code, ErrorCode::kMalformed);
  ReadAll(Key(2, 3) + Key(3, 4), &error);  // closed with another number
  EXPECT_EQ(error.code, ErrorCode::kMalformed);
  ReadAll(Key(2, 3) + Key(1, 0) + Varint(1), &error);  // never closed
  EXPECT_EQ(error.code, ErrorCode::kTruncated);
  // A declared length near 2^64 must not wrap around.
  ReadAll(Key(2, 2) + Varint(~0ULL - 2) + "xy", &error);
  EXPECT_EQ(error.code, ErrorCode::kTruncated);
}

TEST(CoreProtobuf, BoundsGroupNesting) {
  std::string message;
  for (int i = 0; i < 1000; ++i) message += Key(1, 3);
  Error error;
  ReadAll(message, &error);
  EXPECT_EQ(error.code, ErrorCode::kLimitExceeded);
}

TEST(CoreProtobuf, DecodesZigZag) {
  EXPECT_EQ(ZigZagDecode(0), 0);
  EXPECT_EQ(ZigZagDecode(1), -1);
  EXPECT_EQ(ZigZagDecode(4294967294ULL), 2147483647);
  EXPECT_EQ(ZigZagDecode(~0ULL), std::numeric_limits<std::int64_t>::min());
}

}  // namespace
}  // namespace mg
