// Running one analyzer directly on bytes, as the fuzz targets do, for tests that feed it many
// truncated or mutated inputs.
#pragma once

#include <string_view>

#include "core/byte_view.h"
#include "core/limits.h"
#include "engine/scan_context.h"
#include "report/report.h"

namespace mg::test {

// Small budgets, so that thousands of damaged inputs stay quick.
inline Limits RobustnessLimits() {
  Limits limits;
  limits.max_decompressed_bytes = 4 << 20;
  limits.max_pickle_opcodes = 1'000'000;
  return limits;
}

// The analyzer named `format` on `bytes`, without sniffing; `format` in the result is what ran.
inline Target AnalyzeAs(std::string_view format, std::string_view bytes,
                        const Limits& limits = RobustnessLimits()) {
  Target target;
  ScanContext ctx(target, limits);
  target.format = AnalyzeBuffer(ctx, ByteView(bytes), format);
  return target;
}

}  // namespace mg::test
