// Fuzz target: the MLflow analyzer on arbitrary bytes taken as an MLmodel file inside an archive
// (so nothing on disk is looked up), which drives the bounded YAML reader.
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
  mg::AnalyzeBuffer(ctx, mg::ByteView(data, size), "mlflow");
  return 0;
}
