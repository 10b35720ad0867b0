// Fuzz target: the TensorFlow analyzer on arbitrary bytes, under each of the file names that
// select a message type (the first input byte picks one).
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "engine/analyzer.h"
#include "engine/scan_context.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static constexpr std::array kNames = {"saved_model.pb", "keras_metadata.pb", "fingerprint.pb",
                                        "frozen_graph.pb"};
  mg::Target target;
  target.path = kNames[size == 0 ? 0 : data[0] % kNames.size()];
  mg::Limits limits;
  limits.max_time_per_file = std::chrono::seconds(5);
  limits.max_decompressed_bytes = 16 << 20;
  limits.max_depth = 4;
  limits.max_pickle_opcodes = 1'000'000;
  mg::ScanContext ctx(target, limits);
  mg::AnalyzeBuffer(ctx, mg::ByteView(data, size), "tensorflow");
  return 0;
}
