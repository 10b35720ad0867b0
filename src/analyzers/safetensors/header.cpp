#include "analyzers/safetensors/header.h"

#include <array>

#include "core/checked_math.h"
#include "core/reader.h"

namespace mg::safetensors {

namespace {

// tensor.rs Dtype (safetensors 0.6), names as serde spells them in the header.
constexpr std::array kDtypes = {
    Dtype{"BOOL", 8},     Dtype{"F4", 4},       Dtype{"F6_E2M3", 6}, Dtype{"F6_E3M2", 6},
    Dtype{"U8", 8},       Dtype{"I8", 8},       Dtype{"F8_E5M2", 8}, Dtype{"F8_E4M3", 8},
    Dtype{"F8_E8M0", 8},  Dtype{"I16", 16},     Dtype{"U16", 16},    Dtype{"F16", 16},
    Dtype{"BF16", 16},    Dtype{"I32", 32},     Dtype{"U32", 32},    Dtype{"F32", 32},
    Dtype{"C64", 64},     Dtype{"F64", 64},     Dtype{"I64", 64},    Dtype{"U64", 64},
};

std::optional<std::uint64_t> UnsignedValue(const Json& value) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  if (value.is_number_integer() && value.get<std::int64_t>() >= 0) {
    return static_cast<std::uint64_t>(value.get<std::int64_t>());
  }
  return std::nullopt;
}

std::string TypeName(const Json& value) { return value.type_name(); }

}  // namespace

const Dtype* FindDtype(std::string_view name) {
  for (const Dtype& dtype : kDtypes) {
    if (dtype.name == name) return &dtype;
  }
  return nullptr;
}

Preamble ReadPreamble(ByteView file) {
  Preamble pre;
  Reader reader(file);
  const auto length = reader.U64Le();
  if (!length) {
    pre.error = PreambleError::kTooShort;
    return pre;
  }
  pre.header_length = *length;
  if (*length > kMaxHeaderBytes) {
    pre.error = PreambleError::kTooLarge;
    return pre;
  }
  const auto header = file.Sub(kLengthFieldBytes, *length);
  if (!header) {
    pre.error = PreambleError::kPastEnd;
    return pre;
  }
  pre.header = *header;
  pre.buffer_offset = kLengthFieldBytes + *length;  // <= file size, so no overflow
  return pre;
}

EntryRead ReadEntry(const std::string& name, const Json& value) {
  EntryRead read;
  if (!value.is_object()) {
    read.error = "the entry is a JSON " + TypeName(value) + ", not an object";
    return read;
  }
  TensorEntry entry;
  entry.name = name;
  for (const auto& [key, field] : value.items()) {
    if (key != "dtype" && key != "shape" && key != "data_offsets") {
      entry.extra_fields.push_back(key);
    }
  }
  const auto dtype = value.find("dtype");
  const auto shape = value.find("shape");
  const auto offsets = value.find("data_offsets");
  if (dtype == value.end() || shape == value.end() || offsets == value.end()) {
    read.error = "the entry lacks one of dtype, shape and data_offsets";
    return read;
  }
  if (!dtype->is_string()) {
    read.error = "dtype is a JSON " + TypeName(*dtype) + ", not a string";
    return read;
  }
  if (!shape->is_array() || shape->size() > kMaxDimensions) {
    read.error = "shape is not an array of at most " + std::to_string(kMaxDimensions) +
                 " non-negative integers";
    return read;
  }
  for (const Json& dim : *shape) {
    const auto size = UnsignedValue(dim);
    if (!size) {
      read.error = "shape holds " + Excerpt(dim.dump(), 40) + ", not a non-negative integer";
      return read;
    }
    entry.shape.push_back(*size);
  }
  const auto begin = offsets->is_array() && offsets->size() == 2
                         ? UnsignedValue((*offsets)[0]) : std::nullopt;
  const auto end = offsets->is_array() && offsets->size() == 2
                       ? UnsignedValue((*offsets)[1]) : std::nullopt;
  if (!begin || !end) {
    read.error = "data_offsets is " + Excerpt(offsets->dump(), 60) +
                 ", not two non-negative integers";
    return read;
  }
  entry.begin = *begin;
  entry.end = *end;
  entry.dtype = FindDtype(dtype->get<std::string>());
  if (entry.dtype == nullptr) {
    read.error = "dtype '" + Excerpt(dtype->get<std::string>(), 40) + "' is not a safetensors dtype";
    read.unknown_dtype = true;
    return read;
  }
  read.entry = std::move(entry);
  return read;
}

TensorSize TensorBytes(const TensorEntry& entry) {
  TensorSize size;
  std::optional<std::uint64_t> elements = 1;
  for (const std::uint64_t dim : entry.shape) {
    elements = CheckedMul(*elements, dim);
    if (!elements) {
      size.error = "the element count overflows 64 bits";
      return size;
    }
  }
  const auto bits = CheckedMul(*elements, entry.dtype->bits);
  if (!bits) {
    size.error = "the size in bits overflows 64 bits";
    return size;
  }
  // tensor.rs validate: a sub-byte dtype must fill whole bytes (MisalignedSlice otherwise).
  if (*bits % 8 != 0) {
    size.error = std::to_string(*elements) + " elements of " + std::string(entry.dtype->name) +
                 " do not fill whole bytes";
    return size;
  }
  size.bytes = *bits / 8;
  return size;
}

std::string MetadataError(const Json& value) {
  if (value.is_null()) return {};  // serde reads null as an absent Option
  if (!value.is_object()) return "it is a JSON " + TypeName(value) + ", not an object";
  for (const auto& [key, field] : value.items()) {
    if (!field.is_string()) {
      return "the value of '" + Excerpt(key, 40) + "' is a JSON " + TypeName(field) +
             ", not a string";
    }
  }
  return {};
}

std::string Excerpt(std::string_view text, std::size_t max) {
  if (text.size() <= max) return std::string(text);
  return std::string(text.substr(0, max)) + "...";
}

}  // namespace mg::safetensors
