// Compiled Python (.pyc, .pyo): the header that importlib checks before it unmarshals the code
// object (importlib._bootstrap_external, PEP 3147, PEP 552), and a cheap look at the names the
// code refers to. The code object itself is not decoded: marshal's layout changes with every
// Python version.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/byte_view.h"

namespace mg::python {

struct PycHeader {
  bool ok = false;
  std::string error;  // why the header is unusable (when !ok)
  std::uint64_t error_offset = 0;
  std::uint16_t magic = 0;        // the little-endian version number before "\r\n"
  std::string version;            // "3.11", "2.7", or "unknown"
  std::uint64_t header_size = 0;  // 8 (<3.3), 12 (3.3-3.6), 16 (3.7+)
  std::uint32_t flags = 0;        // PEP 552: bit 0 hash-based, bit 1 check_source
  std::string validation;         // "timestamp", "checked hash", "unchecked hash"
};

// Reads the header; `data` starts with the 2-byte magic and "\r\n" (checked by the sniffer).
PycHeader ReadPycHeader(ByteView data);

// Names of modules and attributes worth naming in the evidence (os, system, subprocess,
// socket...) found as short interned strings in the marshal data, at most `max_names`.
// A heuristic: marshal writes identifiers as TYPE_SHORT_ASCII(_INTERNED) records ('z', 'Z',
// optionally with FLAG_REF 0x80), but data bytes can look like one too.
std::vector<std::string> NotableNames(ByteView marshal, std::size_t max_names);

}  // namespace mg::python
