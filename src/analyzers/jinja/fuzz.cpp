// Fuzz target: the Jinja analyzer (lexer and template rules) on arbitrary text.
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "engine/analyzer.h"
#include "engine/scan_context.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  mg::Target target;
  target.path = "fuzz/chat_template.jinja";
  mg::Limits limits;
  limits.max_time_per_file = std::chrono::seconds(5);
  mg::ScanContext ctx(target, limits);
  mg::AnalyzeBuffer(ctx, mg::ByteView(data, size), "jinja");
  return 0;
}
