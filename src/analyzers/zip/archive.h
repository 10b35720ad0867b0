// The analysis of one ZIP archive: every reading of its structure that some reader would use
// is followed, every discrepancy between readings is reported, and every member version is
// handed to the engine.
#pragma once

#include <string_view>

#include "core/byte_view.h"

namespace mg {
class ScanContext;
}

namespace mg::zip {

inline constexpr std::string_view kFormatName = "zip";

// Sniff score: 100 for a local header (or an empty archive's end record) at offset 0, 95 for
// an end record near the end whose central directory is found in the file although something
// else comes first (a polyglot; see docs/zip.md), 0 otherwise.
int SniffZip(ByteView data);

void AnalyzeArchive(ScanContext& ctx, ByteView data);

}  // namespace mg::zip
