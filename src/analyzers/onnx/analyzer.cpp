// The ONNX analyzer: a serialized onnx.ModelProto (a .onnx file). ONNX has no magic number,
// so sniffing relies on the first field (libprotobuf writes fields in number order, so a
// model starts with ir_version, field 1) and, when there is one, the ".onnx" name. The ORT
// format (.ort) is a FlatBuffers file with the identifier "ORTM" and is not read here.
#include "engine/analyzer.h"

#include <string_view>

#include "analyzers/onnx/model.h"
#include "analyzers/onnx/rules.h"
#include "analyzers/onnx/sniff.h"
#include "engine/scan_context.h"

namespace mg::onnx {
namespace {

class OnnxAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return kFormatName; }
  int Sniff(ByteView data) const override { return SniffModel(data); }
  int SniffNamed(std::string_view name, ByteView data) const override {
    return SniffNamedModel(name, data);
  }
  void Analyze(ScanContext& ctx, ByteView data) const override { AnalyzeModel(ctx, data); }
  std::span<const RuleInfo> Rules() const override { return onnx::Rules(); }
};

}  // namespace
}  // namespace mg::onnx

namespace mg {

const Analyzer& OnnxAnalyzerInstance() {
  static const onnx::OnnxAnalyzer kInstance;
  return kInstance;
}

}  // namespace mg
