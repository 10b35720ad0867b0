// Registers the ZIP analyzer (PyTorch checkpoints, npz, Keras v3 and other zipped models).
#include "engine/analyzer.h"

#include "analyzers/zip/archive.h"
#include "analyzers/zip/rules.h"

namespace mg {
namespace {

class ZipAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return zip::kFormatName; }
  int Sniff(ByteView data) const override { return zip::SniffZip(data); }
  void Analyze(ScanContext& ctx, ByteView data) const override { zip::AnalyzeArchive(ctx, data); }
  std::span<const RuleInfo> Rules() const override { return zip::Rules(); }
};

}  // namespace

const Analyzer& ZipAnalyzerInstance() {
  static const ZipAnalyzer kInstance;
  return kInstance;
}

}  // namespace mg
