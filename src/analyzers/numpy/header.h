// The .npy preamble and header dict (numpy/lib/format.py): "\x93NUMPY", a major and a minor
// version byte, the header length (2 bytes little-endian in version 1.0, 4 bytes in 2.0 and
// 3.0), then the header: a Python literal dict {'descr': ..., 'fortran_order': bool,
// 'shape': (ints,)} padded with spaces and a final '\n' so that the data starts on a 64-byte
// boundary (16 bytes before NumPy 1.14). Version 3.0 headers are UTF-8, older ones latin-1.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/numpy/literal.h"
#include "core/byte_view.h"

namespace mg::numpy {

inline constexpr std::string_view kMagic = "\x93NUMPY";
// numpy.lib.format._MAX_HEADER_SIZE (NumPy >= 1.24): longer headers are refused by np.load
// unless the caller passes allow_pickle=True or a larger max_header_size.
inline constexpr std::uint64_t kNumpyMaxHeaderChars = 10000;
// Longest header this analyzer parses; past it the file is `incomplete`.
inline constexpr std::uint64_t kMaxHeaderBytes = 1 << 20;

enum class PreambleError : std::uint8_t {
  kNone,
  kTooShort,        // fewer bytes than magic, version and length field
  kUnknownVersion,  // not 1.0, 2.0 or 3.0
  kHeaderPastEnd,   // the declared header runs past the end of the file
  kHeaderTooLarge,  // longer than kMaxHeaderBytes
};

struct Preamble {
  PreambleError error = PreambleError::kNone;
  std::uint8_t major = 0;
  std::uint8_t minor = 0;
  std::uint64_t header_offset = 0;  // first byte of the header text
  std::uint64_t header_length = 0;  // as declared
  std::uint64_t data_offset = 0;    // header_offset + header_length (checked)
};

Preamble ReadPreamble(ByteView file);

// The three keys of a header dict, as Python sees them: for a repeated key the last value.
struct HeaderDict {
  bool ok = false;
  std::string error;               // why the dict is not a valid header
  std::uint64_t error_offset = 0;  // in the header text
  const Literal* descr = nullptr;
  const Literal* shape = nullptr;
  const Literal* fortran_order = nullptr;
  std::vector<std::string> duplicate_keys;  // keys that appear more than once
  std::string first_descr;                  // the overridden value, when 'descr' repeats
};

// Checks the keys (exactly descr, fortran_order and shape, all str), and the types of
// fortran_order (bool) and shape (tuple of int), as numpy.lib.format._read_array_header does.
HeaderDict ReadHeaderDict(const Literal& header);

// Elements declared by a shape tuple already checked by ReadHeaderDict; `negative` or
// `overflow` when the dimensions are negative or their product does not fit 64 bits.
struct ElementCount {
  std::uint64_t count = 0;
  bool negative = false;
  bool overflow = false;
};
ElementCount CountElements(const Literal& shape);

// A Python-like rendering of a literal for evidence, at most `max_chars` long.
std::string Repr(const Literal& value, std::size_t max_chars = 200);

// Header text for evidence: non-printable bytes as \xHH, at most `max_chars` long.
std::string Excerpt(std::string_view text, std::size_t max_chars = 200);

}  // namespace mg::numpy
