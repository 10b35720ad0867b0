// Fuzz target: the ONNX analyzer on arbitrary bytes (the model walk, the protobuf reader and
// the external data checks by name; the scan is not of a file on disk, so nothing beside it
// is looked up).
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "engine/analyzer.h"
#include "engine/scan_context.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  mg::Target target;
  target.path = "";
  mg::Limits limits;
  limits.max_time_per_file = std::chrono::seconds(5);
  limits.max_depth = 4;
  mg::ScanContext ctx(target, limits);
  mg::AnalyzeBuffer(ctx, mg::ByteView(data, size), "onnx");
  return 0;
}
