#include "analyzers/python/bytecode.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace mg::python {
namespace {

// CPython's magic numbers per release (importlib/_bootstrap_external.py lists each bump).
struct MagicRange {
  std::uint16_t first;
  std::uint16_t last;
  std::string_view version;
};

constexpr std::array kMagicRanges = {
    MagicRange{3000, 3131, "3.0"},   MagicRange{3141, 3151, "3.1"},
    MagicRange{3160, 3180, "3.2"},   MagicRange{3190, 3230, "3.3"},
    MagicRange{3250, 3310, "3.4"},   MagicRange{3320, 3351, "3.5"},
    MagicRange{3360, 3379, "3.6"},   MagicRange{3390, 3399, "3.7"},
    MagicRange{3400, 3419, "3.8"},   MagicRange{3420, 3429, "3.9"},
    MagicRange{3430, 3449, "3.10"},  MagicRange{3450, 3499, "3.11"},
    MagicRange{3500, 3549, "3.12"},  MagicRange{3550, 3599, "3.13"},
    MagicRange{3600, 3649, "3.14"},  MagicRange{62211, 62211, "2.7"},
    MagicRange{20121, 62210, "2.x"},
};

// marshal.c: TYPE_CODE is 'c'; FLAG_REF (0x80) marks objects that later records refer back to.
constexpr std::uint8_t kTypeCode = 'c';
constexpr std::uint8_t kFlagRef = 0x80;
constexpr std::uint8_t kTypeShortAscii = 'z';
constexpr std::uint8_t kTypeShortAsciiInterned = 'Z';

// Identifiers that say what a compiled module can do; shown as evidence, never judged alone.
constexpr std::array<std::string_view, 28> kNotable = {
    "os",     "posix",     "system",  "popen",      "subprocess", "Popen",         "check_output",
    "exec",   "eval",      "compile", "__import__", "importlib",  "import_module", "builtins",
    "socket", "urllib",    "urlopen", "requests",   "pickle",     "marshal",       "loads",
    "base64", "b64decode", "zlib",    "ctypes",     "CDLL",       "execv",         "spawnv"};

std::uint16_t Le16(ByteView data, std::uint64_t at) {
  return static_cast<std::uint16_t>(data[at] | (data[at + 1] << 8));
}
std::uint32_t Le32(ByteView data, std::uint64_t at) {
  return static_cast<std::uint32_t>(data[at]) | (static_cast<std::uint32_t>(data[at + 1]) << 8) |
         (static_cast<std::uint32_t>(data[at + 2]) << 16) |
         (static_cast<std::uint32_t>(data[at + 3]) << 24);
}

}  // namespace

PycHeader ReadPycHeader(ByteView data) {
  PycHeader header;
  if (data.size() < 4) {
    header.error = "the file ends inside the 4-byte magic number";
    return header;
  }
  header.magic = Le16(data, 0);
  header.version = "unknown";
  for (const MagicRange& range : kMagicRanges) {
    if (header.magic >= range.first && header.magic <= range.last) {
      header.version = range.version;
      break;
    }
  }
  if (header.version == "unknown") {
    header.error =
        "magic number " + std::to_string(header.magic) + " belongs to no known CPython release";
    return header;
  }
  // PEP 552 (3.7) added the 4-byte flags word; PEP 3147-era 3.3 added the source size.
  header.header_size = header.magic >= 3390 && header.magic < 20000   ? 16
                       : header.magic >= 3190 && header.magic < 20000 ? 12
                                                                      : 8;
  if (data.size() < header.header_size + 1) {
    header.error = "the file ends inside the " + std::to_string(header.header_size) +
                   "-byte header or before the code object";
    header.error_offset = data.size();
    return header;
  }
  header.validation = "timestamp";
  if (header.header_size == 16) {
    header.flags = Le32(data, 4);
    if ((header.flags & ~std::uint32_t{3}) != 0) {
      // importlib raises ImportError for unknown flag bits; another loader might not.
      header.error =
          "the flags word " + std::to_string(header.flags) + " has bits PEP 552 does not define";
      header.error_offset = 4;
      return header;
    }
    if ((header.flags & 1) != 0) {
      header.validation = (header.flags & 2) != 0 ? "checked hash" : "unchecked hash";
    }
  }
  const std::uint8_t first = data[header.header_size];
  if ((first & ~kFlagRef) != kTypeCode) {
    header.error = "the marshal data does not start with a code object";
    header.error_offset = header.header_size;
    return header;
  }
  header.ok = true;
  return header;
}

std::vector<std::string> NotableNames(ByteView marshal, std::size_t max_names) {
  std::vector<std::string> names;
  for (std::uint64_t at = 0; at + 2 <= marshal.size() && names.size() < max_names; ++at) {
    const std::uint8_t type = marshal[at] & ~kFlagRef;
    if (type != kTypeShortAscii && type != kTypeShortAsciiInterned) continue;
    const std::uint64_t length = marshal[at + 1];
    const auto text = marshal.Sub(at + 2, length);
    if (!text || length == 0) continue;
    const std::string_view name = text->AsStringView();
    if (std::find(kNotable.begin(), kNotable.end(), name) != kNotable.end() &&
        std::find(names.begin(), names.end(), name) == names.end()) {
      names.emplace_back(name);
    }
  }
  return names;
}

}  // namespace mg::python
