// Attribute messages (spec IV.A.2.m, versions 1-3) of an object header, and the string value
// of a scalar string attribute: fixed-length (datatype class 3) in the message itself, or
// variable-length (class 9, type string) in a global heap collection (spec III.E, "GCOL").
#pragma once

#include <cstdint>
#include <string>

#include "analyzers/hdf5/format.h"

namespace mg::hdf5 {

struct Attribute {
  std::string name;
  std::uint8_t datatype_class = 0xff;  // spec IV.A.2.d: 3 string, 9 variable-length ...
  bool variable_length_string = false;
  std::uint8_t string_padding = 0;  // 0 null-terminated, 1 null-padded, 2 space-padded
  std::uint32_t element_size = 0;
  std::uint64_t elements = 0;     // from the dataspace: 1 for a scalar
  bool shared_parts = false;      // datatype or dataspace stored elsewhere (not read)
  ByteView data;                  // the raw value: elements * element_size bytes
  std::uint64_t data_offset = 0;  // absolute
};

// Decodes an attribute message. The name is always read; datatype and dataspace when they are
// stored in the message.
Result<Attribute> ReadAttribute(const FileLayout& layout, const HeaderMessage& message);

// The value of a string attribute with one element (a scalar, or a one-element array), as a
// view into the file: a fixed-length string cut at its padding, or a variable-length string
// fetched from the global heap. Other types and shapes are kUnsupported.
Result<ByteView> ReadStringValue(const FileLayout& layout, const Attribute& attribute);

}  // namespace mg::hdf5
