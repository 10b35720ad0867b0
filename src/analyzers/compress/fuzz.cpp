// Fuzz target: the compressed-stream analyzer (and, through ScanEmbedded, whatever the
// decompressed bytes sniff as) on arbitrary bytes. Limits are small so each input finishes
// quickly; the input is tried both as a forced compressed stream and as a sniffed file.
#include <cstddef>
#include <cstdint>

#include "engine/analyzer.h"
#include "engine/scan_context.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  mg::Target target;
  mg::Limits limits;
  limits.max_decompressed_bytes = 16 << 20;
  limits.max_members = 1000;
  limits.max_depth = 4;
  mg::ScanContext ctx(target, limits);
  mg::AnalyzeBuffer(ctx, mg::ByteView(data, size), "compressed");
  mg::AnalyzeBuffer(ctx, mg::ByteView(data, size));
  return 0;
}
