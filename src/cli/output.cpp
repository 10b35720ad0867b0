#include "cli/output.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>

namespace mg::cli {

bool WriteOutput(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::cout << text << std::flush;
    return static_cast<bool>(std::cout);
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out << text;
  if (!out) {
    std::cerr << "modelgate: cannot write " << path << ": " << std::strerror(errno) << "\n";
    return false;
  }
  return true;
}

bool ParseByteSize(const std::string& text, unsigned long long& out) {
  if (text.empty()) return false;
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0) return false;
  unsigned long long value = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    if (__builtin_mul_overflow(value, 10ULL, &value) ||
        __builtin_add_overflow(value, static_cast<unsigned long long>(text[i] - '0'), &value)) {
      return false;
    }
  }
  std::string suffix = text.substr(digits);
  unsigned shift = 0;
  if (suffix.empty() || suffix == "B") {
    shift = 0;
  } else if (suffix == "K" || suffix == "KiB") {
    shift = 10;
  } else if (suffix == "M" || suffix == "MiB") {
    shift = 20;
  } else if (suffix == "G" || suffix == "GiB") {
    shift = 30;
  } else if (suffix == "T" || suffix == "TiB") {
    shift = 40;
  } else {
    return false;
  }
  if (shift != 0 && value > (~0ULL >> shift)) return false;
  out = value << shift;
  return true;
}

std::string FormatByteSize(unsigned long long bytes) {
  static constexpr const char* kSuffixes[] = {"", "K", "M", "G", "T"};
  std::size_t unit = 0;
  while (bytes != 0 && unit + 1 < std::size(kSuffixes) && bytes % 1024 == 0) {
    bytes /= 1024;
    ++unit;
  }
  return std::to_string(bytes) + kSuffixes[unit];
}

}  // namespace mg::cli
