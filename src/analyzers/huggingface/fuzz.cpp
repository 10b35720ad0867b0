// Fuzz target: the Hugging Face config analyzer on arbitrary bytes taken as a config.json
// (and, through ScanEmbedded, the Jinja analyzer once one is registered).
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "engine/analyzer.h"
#include "engine/scan_context.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  mg::Target target;
  target.path = "config.json";
  mg::Limits limits;
  limits.max_time_per_file = std::chrono::seconds(5);
  limits.max_depth = 4;
  mg::ScanContext ctx(target, limits);
  mg::AnalyzeBuffer(ctx, mg::ByteView(data, size), "huggingface-config");
  return 0;
}
