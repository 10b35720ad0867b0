// Google Benchmark: pickle analysis throughput on in-memory pickles (bytes/second). The file-
// based comparison with CPython is bench/run-pickle-bench.sh; see docs/performance.md.
#include <benchmark/benchmark.h>

#include "engine/scan_context.h"
#include "synthetic_pickles.h"

namespace {

void AnalyzeOnce(benchmark::State& state, const std::vector<std::uint8_t>& pickle) {
  const mg::Limits limits;
  for (auto _ : state) {
    mg::Target target;
    mg::ScanContext ctx(target, limits);
    mg::AnalyzeBuffer(ctx, mg::ByteView(pickle.data(), pickle.size()), "pickle");
    benchmark::DoNotOptimize(target.findings.data());
    if (target.status != mg::TargetStatus::kComplete) state.SkipWithError("not complete");
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * pickle.size()));
}

void BM_OpcodeDense(benchmark::State& state) {
  // 4M numbers: about 22 MB, the same mix as the 200 MB files of run-pickle-bench.sh.
  static const auto protocol2 = mg::bench::OpcodeDensePickle(4'000'000, 2);
  static const auto protocol4 = mg::bench::OpcodeDensePickle(4'000'000, 4);
  AnalyzeOnce(state, state.range(0) == 2 ? protocol2 : protocol4);
}
BENCHMARK(BM_OpcodeDense)->Arg(2)->Arg(4)->Unit(benchmark::kMillisecond);

void BM_DataDense(benchmark::State& state) {
  static const auto pickle = mg::bench::DataDensePickle(256, 1 << 20);
  AnalyzeOnce(state, pickle);
}
BENCHMARK(BM_DataDense)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
