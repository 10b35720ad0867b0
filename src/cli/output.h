// Writing a rendered report to stdout or to --output.
#pragma once

#include <string>

namespace mg::cli {

// Writes `text` to `path` (stdout when empty). False, with a message on stderr, on failure.
bool WriteOutput(const std::string& path, const std::string& text);

// Parses "123", "64K", "4M", "2G", "1T" (binary multiples) into bytes.
bool ParseByteSize(const std::string& text, unsigned long long& out);

}  // namespace mg::cli
