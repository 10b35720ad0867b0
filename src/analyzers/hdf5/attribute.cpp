#include "analyzers/hdf5/attribute.h"

namespace mg::hdf5 {
namespace {

constexpr std::uint8_t kClassString = 3;
constexpr std::uint8_t kClassVariableLength = 9;

std::uint64_t Padded8(std::uint64_t size) { return (size + 7) & ~std::uint64_t{7}; }

// Spec IV.A.2.d: class and version (1 byte), class bit field (3 bytes), size (4 bytes).
Status ReadDatatype(ByteView datatype, std::uint64_t offset, Attribute& out) {
  if (datatype.size() < 8) return Error::Truncated(offset, "the attribute datatype is cut short");
  out.datatype_class = datatype[0] & 0x0f;
  const std::uint32_t bits = datatype[1] | (datatype[2] << 8) | (datatype[3] << 16);
  out.element_size = static_cast<std::uint32_t>(*ReadSized(datatype, 4, 4));
  if (out.datatype_class == kClassString) {
    out.string_padding = bits & 0x0f;
  } else if (out.datatype_class == kClassVariableLength) {
    // Bits 0-3: 0 sequence, 1 string; bits 4-7: padding.
    out.variable_length_string = (bits & 0x0f) == 1;
    out.string_padding = (bits >> 4) & 0x0f;
  }
  return {};
}

// Spec IV.A.2.b: version 1 (rank, flags, 5 reserved bytes) or version 2 (rank, flags, type:
// 0 scalar, 1 simple, 2 null), then `rank` dimension sizes of length_size bytes.
Status ReadDataspace(ByteView dataspace, std::uint64_t offset, std::uint8_t length_size,
                     Attribute& out) {
  if (dataspace.size() < 4) return Error::Truncated(offset, "the attribute dataspace is cut short");
  const std::uint8_t version = dataspace[0];
  const std::uint8_t rank = dataspace[1];
  if (version != 1 && version != 2) {
    return Error::Unsupported(offset, "dataspace version " + std::to_string(version));
  }
  if (rank > kMaxDataspaceRank) return Error::Malformed(offset, "dataspace rank over 32");
  if (version == 2 && dataspace[3] == 2) {
    out.elements = 0;  // the null dataspace: no value
    return {};
  }
  const std::uint64_t dims_at = version == 1 ? 8 : 4;
  std::uint64_t elements = 1;
  for (std::uint8_t i = 0; i < rank; ++i) {
    const auto dim = ReadSized(dataspace, dims_at + std::uint64_t{i} * length_size, length_size);
    if (!dim) return Error::Truncated(offset, "the attribute dataspace is cut short");
    const auto product = CheckedMul(elements, *dim);
    if (!product) return Error::Malformed(offset, "the dataspace size overflows");
    elements = *product;
  }
  out.elements = elements;
  return {};
}

}  // namespace

Result<Attribute> ReadAttribute(const FileLayout& layout, const HeaderMessage& message) {
  const ByteView m = message.data;
  if (m.size() < 8) return Error::Truncated(message.offset, "the attribute message is cut short");
  const std::uint8_t version = m[0];
  if (version < 1 || version > 3) {
    return Error::Unsupported(message.offset,
                              "attribute message version " + std::to_string(version));
  }
  Attribute out;
  out.shared_parts = version >= 2 && (m[1] & 0x03) != 0;
  const std::uint64_t name_size = *ReadSized(m, 2, 2);
  const std::uint64_t datatype_size = *ReadSized(m, 4, 2);
  const std::uint64_t dataspace_size = *ReadSized(m, 6, 2);
  // Version 1 pads name, datatype and dataspace to 8 bytes; version 3 adds the name's
  // character set byte after the sizes.
  const bool padded = version == 1;
  std::uint64_t position = version == 3 ? 9 : 8;
  const auto name = m.Sub(position, name_size);
  if (!name) return Error::Truncated(message.offset, "the attribute name is cut short");
  std::string_view name_text = name->AsStringView();
  name_text = name_text.substr(0, name_text.find('\0'));
  out.name = std::string(name_text);
  position += padded ? Padded8(name_size) : name_size;
  const auto datatype = m.Sub(position, datatype_size);
  position += padded ? Padded8(datatype_size) : datatype_size;
  const auto dataspace = m.Sub(position, dataspace_size);
  position += padded ? Padded8(dataspace_size) : dataspace_size;
  if (!datatype || !dataspace || position > m.size()) {
    return Error::Truncated(message.offset, "attribute '" + out.name + "' is cut short");
  }
  if (out.shared_parts) return out;
  if (Status status = ReadDatatype(*datatype, message.offset, out); !status) return status.error();
  if (Status status = ReadDataspace(*dataspace, message.offset, layout.length_size, out); !status) {
    return status.error();
  }
  const auto data_size = CheckedMul(out.elements, out.element_size);
  const auto data = data_size ? m.Sub(position, *data_size) : std::nullopt;
  if (!data)
    return Error::Truncated(message.offset, "the value of '" + out.name + "' is cut short");
  out.data = *data;
  out.data_offset = message.offset + position;
  return out;
}

namespace {

// Spec III.E: "GCOL", version 1, 3 reserved, collection size (L); then objects: index (2),
// reference count (2), reserved (4), size (L), data padded to 8 bytes. Index 0 is free space.
Result<ByteView> ReadGlobalHeapObject(const FileLayout& layout, std::uint64_t address,
                                      std::uint32_t index) {
  const auto start = layout.Resolve(address);
  if (!start) return Error::Malformed(0, "a global heap address is outside the file");
  const ByteView at = layout.file.Tail(*start);
  if (!at.StartsWith("GCOL")) return Error::Malformed(*start, "no global heap collection there");
  const auto size = ReadSized(at, 8, layout.length_size);
  if (!size || *size > at.size()) {
    return Error::Truncated(*start, "the global heap collection extends past the end");
  }
  const ByteView collection = at.Prefix(*size);
  std::uint64_t position = 8 + layout.length_size;
  for (std::uint32_t walked = 0; walked < kMaxHeapObjects; ++walked) {
    const auto object_index = ReadSized(collection, position, 2);
    const auto object_size = ReadSized(collection, position + 8, layout.length_size);
    if (!object_index || !object_size || *object_index == 0) break;
    const std::uint64_t data_at = position + 8 + layout.length_size;
    const auto data = collection.Sub(data_at, *object_size);
    if (!data) return Error::Truncated(*start + position, "a global heap object is cut short");
    if (*object_index == index) return *data;
    position = data_at + Padded8(*object_size);
  }
  return Error::Malformed(*start, "global heap object " + std::to_string(index) + " not found");
}

ByteView TrimFixed(ByteView value, std::uint8_t padding) {
  std::string_view text = value.AsStringView();
  if (padding == 2) {
    text = text.substr(0, text.find_last_not_of(' ') + 1);
  } else {
    text = text.substr(0, text.find('\0'));  // null-terminated or null-padded
  }
  return value.Prefix(text.size());
}

}  // namespace

Result<ByteView> ReadStringValue(const FileLayout& layout, const Attribute& attribute) {
  if (attribute.shared_parts) {
    return Error::Unsupported(0, "its datatype or dataspace is a shared message");
  }
  if (attribute.elements != 1) {
    return Error::Unsupported(
        attribute.data_offset,
        "it holds " + std::to_string(attribute.elements) + " values, not one");
  }
  if (attribute.datatype_class == kClassString) {
    return TrimFixed(attribute.data, attribute.string_padding);
  }
  if (attribute.datatype_class != kClassVariableLength || !attribute.variable_length_string) {
    return Error::Unsupported(
        attribute.data_offset,
        "it is not a string (datatype class " + std::to_string(attribute.datatype_class) + ")");
  }
  // A variable-length element in the file: length (4), global heap ID = collection address
  // (O) and object index (4) (spec IV.A.2.d, class 9; III.E).
  const ByteView element = attribute.data;
  const auto length = ReadSized(element, 0, 4);
  const auto address = ReadSized(element, 4, layout.offset_size);
  const auto index = ReadSized(element, 4 + layout.offset_size, 4);
  if (!length || !address || !index) {
    return Error::Truncated(attribute.data_offset, "the variable-length reference is cut short");
  }
  auto object = ReadGlobalHeapObject(layout, *address, static_cast<std::uint32_t>(*index));
  if (!object) return object.error();
  if (*length > object->size()) {
    return Error::Malformed(attribute.data_offset, "the string is longer than its heap object");
  }
  return object->Prefix(*length);
}

}  // namespace mg::hdf5
