// Writing a rendered report to stdout or to --output, and the size strings of the limits.
#pragma once

#include <string>

namespace mg::cli {

// Writes `text` to `path` (stdout when empty or "-"). False, with a message on stderr, on
// failure.
bool WriteOutput(const std::string& path, const std::string& text);

// Parses "123", "64K", "4M", "2G", "1T" (also "KiB"... and a trailing "B"; binary multiples)
// into bytes. False on anything else and on overflow.
bool ParseByteSize(const std::string& text, unsigned long long& out);

// The shortest exact form ParseByteSize reads back: 68719476736 -> "64G", 1000 -> "1000".
std::string FormatByteSize(unsigned long long bytes);

}  // namespace mg::cli
