// The analysis of one TAR archive: its headers are walked as Python's tarfile walks them (the
// reader torch uses for its legacy tar format), the places where GNU tar or a pax-unaware
// reader would read something else are followed too, and every member's bytes are handed to
// the engine as a view into the mapped file.
#pragma once

#include <string_view>

#include "core/byte_view.h"

namespace mg {
class ScanContext;
}

namespace mg::tar {

inline constexpr std::string_view kFormatName = "tar";

// Sniff score: 100 for a valid first header (ustar magic, or a pre-POSIX header with a name
// and a known type), 30 for ustar magic with a bad checksum (so that a damaged archive is
// reported as one), 0 otherwise.
int SniffTar(ByteView data);

void AnalyzeArchive(ScanContext& ctx, ByteView data);

}  // namespace mg::tar
