// The safetensors header, read without judging it: the 8-byte length, the JSON text, and one
// tensor entry at a time. Format (huggingface/safetensors README): an unsigned 64-bit
// little-endian length N, N bytes of UTF-8 JSON, then the byte buffer the tensors point into.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/byte_view.h"
#include "core/json.h"

namespace mg::safetensors {

// safetensors tensor.rs, MAX_HEADER_SIZE: the reference reader refuses a longer header.
inline constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;
inline constexpr std::uint64_t kLengthFieldBytes = 8;
// JSON values in the parsed header (a tensor entry costs about 8): bounds the memory a
// 100 MB header can make the parser take. Real checkpoints have a few thousand tensors.
inline constexpr std::uint64_t kMaxJsonValues = 2'000'000;
// Longest tensor shape accepted (PyTorch itself caps tensors at 64 dimensions).
inline constexpr std::size_t kMaxDimensions = 64;
// A metadata value longer than this is reported as an embedded payload (info).
inline constexpr std::uint64_t kLargeMetadataBytes = 64 * 1024;
inline constexpr std::string_view kMetadataKey = "__metadata__";

// An element type of the format, with its width in bits (tensor.rs Dtype::bitsize; F4 and
// the F6 types are narrower than a byte).
struct Dtype {
  std::string_view name;
  std::uint32_t bits;
};

// The dtype spelled `name` exactly (names are case-sensitive), or nullptr.
const Dtype* FindDtype(std::string_view name);

enum class PreambleError : std::uint8_t { kNone, kTooShort, kTooLarge, kPastEnd };

struct Preamble {
  PreambleError error = PreambleError::kNone;
  std::uint64_t header_length = 0;  // N
  ByteView header;                  // the N bytes of JSON, when error == kNone
  std::uint64_t buffer_offset = 0;  // 8 + N: where data_offsets count from
};

Preamble ReadPreamble(ByteView file);

struct TensorEntry {
  std::string name;
  const Dtype* dtype = nullptr;
  std::vector<std::uint64_t> shape;
  std::uint64_t begin = 0;  // data_offsets, relative to the buffer
  std::uint64_t end = 0;
  std::vector<std::string> extra_fields;  // keys other than dtype, shape, data_offsets
};

struct EntryRead {
  std::optional<TensorEntry> entry;
  std::string error;          // why the entry is unusable, when entry is empty
  bool unknown_dtype = false;  // the error is only an unknown dtype name
};

// Reads the value of one tensor key: {"dtype": str, "shape": [uint...], "data_offsets": [b, e]}.
EntryRead ReadEntry(const std::string& name, const Json& value);

struct TensorSize {
  std::optional<std::uint64_t> bytes;
  std::string error;  // overflow, or a sub-byte dtype whose bits do not fill whole bytes
};

// Bytes the dtype and shape take: product(shape) * bits / 8, all checked for overflow.
TensorSize TensorBytes(const TensorEntry& entry);

// Empty when `value` is what tensor.rs accepts for __metadata__ (an object of strings, or
// null); otherwise why not.
std::string MetadataError(const Json& value);

// `text` cut to `max` bytes for a message or evidence.
std::string Excerpt(std::string_view text, std::size_t max = 80);

}  // namespace mg::safetensors
