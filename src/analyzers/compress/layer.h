// One compressed payload: its streams decoded into one buffer that is handed to the engine.
#pragma once

#include "core/byte_view.h"

namespace mg {
class ScanContext;
}

namespace mg::compress {

// Sniff score (see formats.h Detect): 0 when `data` starts with no known compressed stream.
int SniffCompressed(ByteView data);

// Decompresses every stream of the format `data` starts with (concatenated streams as one
// payload, except zlib: zlib.decompress reads one), analyses the output with
// ctx.ScanEmbedded, then analyses any trailing data on its own.
void AnalyzeCompressed(ScanContext& ctx, ByteView data);

}  // namespace mg::compress
