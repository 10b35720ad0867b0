#include "analyzers/numpy/header.h"

#include <cstdio>

#include "core/checked_math.h"
#include "core/reader.h"

namespace mg::numpy {
namespace {

using Kind = Literal::Kind;

constexpr std::string_view kKeyDescr = "descr";
constexpr std::string_view kKeyFortran = "fortran_order";
constexpr std::string_view kKeyShape = "shape";

void ReprInto(const Literal& value, std::string& out, std::size_t max_chars) {
  if (out.size() > max_chars) return;
  switch (value.kind) {
    case Kind::kString:
      out += '\'';
      for (const char c : value.text) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
      }
      out += '\'';
      return;
    case Kind::kInt:
      if (value.negative) out += '-';
      out += value.too_big ? std::string("<huge>") : std::to_string(value.magnitude);
      return;
    case Kind::kBool:
      out += value.boolean ? "True" : "False";
      return;
    case Kind::kNone:
      out += "None";
      return;
    case Kind::kTuple:
    case Kind::kList:
    case Kind::kDict:
      break;
  }
  const bool dict = value.kind == Kind::kDict;
  out += dict ? '{' : value.kind == Kind::kTuple ? '(' : '[';
  for (std::size_t i = 0; i < value.items.size() && out.size() <= max_chars; ++i) {
    if (i > 0) out += dict && i % 2 == 1 ? ": " : ", ";
    ReprInto(value.items[i], out, max_chars);
  }
  if (value.kind == Kind::kTuple && value.items.size() == 1) out += ',';
  out += dict ? '}' : value.kind == Kind::kTuple ? ')' : ']';
}

bool IsIntTuple(const Literal& shape) {
  if (shape.kind != Kind::kTuple) return false;
  for (const Literal& dim : shape.items) {
    if (dim.kind != Kind::kInt) return false;
  }
  return true;
}

}  // namespace

Preamble ReadPreamble(ByteView file) {
  Preamble out;
  Reader reader(file);
  if (!file.StartsWith(kMagic) || file.size() < kMagic.size() + 2) {
    out.error = PreambleError::kTooShort;
    return out;
  }
  (void)reader.Skip(kMagic.size());
  out.major = *reader.U8();
  out.minor = *reader.U8();
  // format.py _header_size_info: (1, 0) '<H'; (2, 0) and (3, 0) '<I'.
  const bool known = out.minor == 0 && out.major >= 1 && out.major <= 3;
  if (!known) {
    out.error = PreambleError::kUnknownVersion;
    return out;
  }
  if (out.major == 1) {
    const Result<std::uint16_t> length = reader.U16Le();
    if (!length)
      out.error = PreambleError::kTooShort;
    else
      out.header_length = *length;
  } else {
    const Result<std::uint32_t> length = reader.U32Le();
    if (!length)
      out.error = PreambleError::kTooShort;
    else
      out.header_length = *length;
  }
  if (out.error != PreambleError::kNone) return out;
  out.header_offset = reader.position();
  out.data_offset = out.header_offset + out.header_length;  // < 2^33: no overflow
  if (!RangeFits(out.header_offset, out.header_length, file.size())) {
    out.error = PreambleError::kHeaderPastEnd;
  } else if (out.header_length > kMaxHeaderBytes) {
    out.error = PreambleError::kHeaderTooLarge;
  }
  return out;
}

HeaderDict ReadHeaderDict(const Literal& header) {
  HeaderDict out;
  auto fail = [&out](std::string why, std::uint64_t offset) {
    out.error = std::move(why);
    out.error_offset = offset;
    return out;
  };
  if (header.kind != Kind::kDict) return fail("the header is not a dict", header.offset);
  for (std::size_t i = 0; i + 1 < header.items.size(); i += 2) {
    const Literal& key = header.items[i];
    const Literal& value = header.items[i + 1];
    if (key.kind != Kind::kString) return fail("a header key is not a string", key.offset);
    const Literal** slot = key.text == kKeyDescr     ? &out.descr
                           : key.text == kKeyFortran ? &out.fortran_order
                           : key.text == kKeyShape   ? &out.shape
                                                     : nullptr;
    if (slot == nullptr) {
      std::string why = "unknown header key '";
      why += Excerpt(key.text, 60);
      why += '\'';
      return fail(std::move(why), key.offset);
    }
    if (*slot != nullptr) {
      // A Python dict display keeps the last value of a repeated key.
      out.duplicate_keys.push_back(key.text);
      if (slot == &out.descr && out.first_descr.empty()) out.first_descr = Repr(**slot);
    }
    *slot = &value;
  }
  if (out.descr == nullptr) return fail("the header has no 'descr'", header.offset);
  if (out.fortran_order == nullptr) return fail("the header has no 'fortran_order'", 0);
  if (out.shape == nullptr) return fail("the header has no 'shape'", header.offset);
  if (out.fortran_order->kind != Kind::kBool) {
    return fail("fortran_order is not True or False", out.fortran_order->offset);
  }
  if (!IsIntTuple(*out.shape)) {
    return fail("shape is not a tuple of integers", out.shape->offset);
  }
  out.ok = true;
  return out;
}

ElementCount CountElements(const Literal& shape) {
  ElementCount out;
  out.count = 1;  // shape () is a scalar: one element
  bool has_zero = false;
  for (const Literal& dim : shape.items) {
    if (dim.negative && (dim.magnitude != 0 || dim.too_big)) out.negative = true;
    if (!dim.too_big && dim.magnitude == 0) has_zero = true;
    if (dim.too_big) {
      out.overflow = true;
      continue;
    }
    const std::optional<std::uint64_t> next = CheckedMul(out.count, dim.magnitude);
    if (next)
      out.count = *next;
    else
      out.overflow = true;
  }
  // One zero dimension makes an empty array whatever the others say.
  if (has_zero && !out.negative) {
    out.count = 0;
    out.overflow = false;
  }
  return out;
}

std::string Repr(const Literal& value, std::size_t max_chars) {
  std::string out;
  ReprInto(value, out, max_chars);
  if (out.size() > max_chars) {
    out.resize(max_chars);
    out += "...";
  }
  return Excerpt(out, max_chars + 3);
}

std::string Excerpt(std::string_view text, std::size_t max_chars) {
  // Latin-1 headers (versions 1.0 and 2.0) may hold bytes that are not UTF-8: escape them.
  const bool utf8 = IsValidUtf8(text);
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    // Cut before max_chars, but never inside a UTF-8 sequence.
    if (out.size() >= max_chars && (byte & 0xC0) != 0x80) {
      out += "...";
      break;
    }
    if (byte < 0x20 || byte == 0x7f || (byte >= 0x80 && !utf8)) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace mg::numpy
