#include "integrity/dsse.h"

#include <algorithm>

namespace mg::integrity {

namespace {

// The text before the payload, built as a string: inserting string ranges into a vector one by
// one trips a GCC 12 -Wstringop-overflow false positive at -O3.
std::string Header(std::string_view version, std::string_view payload_type,
                   std::size_t payload_size) {
  std::string header(version);
  header += ' ';
  header += std::to_string(payload_type.size());
  header += ' ';
  header += payload_type;
  header += ' ';
  header += std::to_string(payload_size);
  header += ' ';
  return header;
}

Bytes Concatenate(const std::string& header, const std::uint8_t* body, std::size_t size) {
  Bytes out(header.size() + size);
  std::copy(header.begin(), header.end(), out.begin());
  std::copy(body, body + size, out.begin() + static_cast<std::ptrdiff_t>(header.size()));
  return out;
}

}  // namespace

Bytes PreAuthEncoding(std::string_view payload_type, const Bytes& payload) {
  return Concatenate(Header("DSSEv1", payload_type, payload.size()), payload.data(),
                     payload.size());
}

std::string PythonBytesRepr(const Bytes& bytes) {
  const bool has_single = std::find(bytes.begin(), bytes.end(), '\'') != bytes.end();
  const bool has_double = std::find(bytes.begin(), bytes.end(), '"') != bytes.end();
  const char quote = has_single && !has_double ? '"' : '\'';
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "b";
  out += quote;
  for (const std::uint8_t byte : bytes) {
    if (byte == quote || byte == '\\') {
      out += '\\';
      out += static_cast<char>(byte);
    } else if (byte == '\t') {
      out += "\\t";
    } else if (byte == '\n') {
      out += "\\n";
    } else if (byte == '\r') {
      out += "\\r";
    } else if (byte < 0x20 || byte >= 0x7f) {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += static_cast<char>(byte);
    }
  }
  out += quote;
  return out;
}

Bytes LegacyPreAuthEncodingV02(std::string_view payload_type, const Bytes& payload) {
  const std::string repr = PythonBytesRepr(payload);
  return Concatenate(Header("DSSEV1", payload_type, payload.size()),
                     reinterpret_cast<const std::uint8_t*>(repr.data()), repr.size());
}

}  // namespace mg::integrity
