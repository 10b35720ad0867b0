// Fuzz target: the Keras configuration analyzer (JSON walk, base64 and the marshal reader for
// Lambda bytecode) on arbitrary bytes.
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "engine/analyzer.h"
#include "engine/scan_context.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  mg::Target target;
  target.path = "fuzz.json";
  mg::Limits limits;
  limits.max_time_per_file = std::chrono::seconds(5);
  limits.max_decompressed_bytes = 16 << 20;
  limits.max_depth = 4;
  mg::ScanContext ctx(target, limits);
  mg::AnalyzeBuffer(ctx, mg::ByteView(data, size), "keras");
  return 0;
}
