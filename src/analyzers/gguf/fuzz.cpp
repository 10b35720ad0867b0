// Fuzz target: the GGUF analyzer (header, metadata, tensor infos, the Jinja lexer and
// template rules on every chat template, and through ScanEmbedded whatever trailing data
// sniffs as) on arbitrary bytes.
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "engine/analyzer.h"
#include "engine/scan_context.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  mg::Target target;
  target.path = "fuzz.gguf";
  mg::Limits limits;
  limits.max_time_per_file = std::chrono::seconds(5);
  limits.max_decompressed_bytes = 16 << 20;
  limits.max_depth = 4;
  limits.max_pickle_opcodes = 1'000'000;
  mg::ScanContext ctx(target, limits);
  mg::AnalyzeBuffer(ctx, mg::ByteView(data, size), "gguf");
  return 0;
}
