// Registers the compressed-stream analyzer: gzip, zlib, bzip2, xz, .lzma, zstd and LZ4 streams
// around any other format (joblib's compress=, MLflow's gzipped pickles).
#include "engine/analyzer.h"

#include "analyzers/compress/layer.h"
#include "analyzers/compress/rules.h"

namespace mg {
namespace {

class CompressAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return compress::kFormatName; }
  int Sniff(ByteView data) const override { return compress::SniffCompressed(data); }
  void Analyze(ScanContext& ctx, ByteView data) const override {
    compress::AnalyzeCompressed(ctx, data);
  }
  std::span<const RuleInfo> Rules() const override { return compress::Rules(); }
};

}  // namespace

const Analyzer& CompressAnalyzerInstance() {
  static const CompressAnalyzer kInstance;
  return kInstance;
}

}  // namespace mg
