// Placeholder registration while the pickle VM is written; replaced by the real analyzer.
#include "engine/analyzer.h"
#include "engine/scan_context.h"

namespace mg {
namespace {

class PickleAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return "pickle"; }
  int Sniff(ByteView data) const override {
    return data.size() >= 2 && data[0] == 0x80 && data[1] <= 5 ? 90 : 0;
  }
  void Analyze(ScanContext& ctx, ByteView) const override {
    ctx.Incomplete("PICKLE-UNANALYSED", "Pickle analysis is not implemented yet.", 0);
  }
  std::span<const RuleInfo> Rules() const override { return {}; }
};

}  // namespace

const Analyzer& PickleAnalyzerInstance() {
  static const PickleAnalyzer kInstance;
  return kInstance;
}

}  // namespace mg
