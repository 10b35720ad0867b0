// Fuzz target: the Python analyzer on arbitrary bytes, once as source (the tokenizer and the
// call finder) and once as compiled Python (the .pyc header and the name scan).
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "engine/analyzer.h"
#include "engine/scan_context.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  for (const char* name : {"fuzz.py", "fuzz.pyc"}) {
    mg::Target target;
    target.path = name;
    mg::Limits limits;
    limits.max_time_per_file = std::chrono::seconds(5);
    limits.max_depth = 4;
    mg::ScanContext ctx(target, limits);
    mg::AnalyzeBuffer(ctx, mg::ByteView(data, size), "python");
  }
  return 0;
}
