// Registers the TAR analyzer (ustar, GNU and pax archives; torch's legacy tar format).
#include "engine/analyzer.h"

#include "analyzers/tar/archive.h"
#include "analyzers/tar/rules.h"

namespace mg {
namespace {

class TarAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return tar::kFormatName; }
  int Sniff(ByteView data) const override { return tar::SniffTar(data); }
  void Analyze(ScanContext& ctx, ByteView data) const override { tar::AnalyzeArchive(ctx, data); }
  std::span<const RuleInfo> Rules() const override { return tar::Rules(); }
};

}  // namespace

const Analyzer& TarAnalyzerInstance() {
  static const TarAnalyzer kInstance;
  return kInstance;
}

}  // namespace mg
