// Fuzz target: the pickle analyzer on arbitrary bytes, through a ScanContext as the engine runs
// it (nested payloads included). Limits are lowered so each input finishes quickly.
#include <cstddef>
#include <cstdint>

#include "core/limits.h"
#include "engine/scan_context.h"
#include "report/report.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  mg::Target target;
  target.path = "fuzz.pkl";
  mg::Limits limits;
  limits.max_pickle_opcodes = 2'000'000;
  limits.max_decompressed_bytes = 64ULL << 20;
  limits.max_time_per_file = std::chrono::seconds(5);
  mg::ScanContext ctx(target, limits);
  mg::AnalyzeBuffer(ctx, mg::ByteView(data, size), "pickle");
  return 0;
}
