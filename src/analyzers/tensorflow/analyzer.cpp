// The TensorFlow analyzer: saved_model.pb (SavedModel), keras_metadata.pb (Keras SavedMetadata,
// whose JSON goes to the Keras analyzer), fingerprint.pb (FingerprintDef) and bare GraphDef
// files (*.pb frozen graphs). Protobuf has no magic number, so the file name picks the message
// type and the first field must fit it (SniffNamed).
#include "engine/analyzer.h"

#include <string_view>

#include "analyzers/tensorflow/rules.h"
#include "analyzers/tensorflow/saved_model.h"
#include "analyzers/tensorflow/scan.h"
#include "core/protobuf.h"
#include "engine/scan_context.h"

namespace mg::tensorflow {
namespace {

enum class FileKind { kNone, kSavedModel, kKerasMetadata, kFingerprint, kGraphDef };

std::string_view BaseName(std::string_view path) {
  const std::size_t slash = path.find_last_of("/\\!");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

FileKind KindFromName(std::string_view name) {
  const std::string_view base = BaseName(name);
  if (base == "saved_model.pb") return FileKind::kSavedModel;
  if (base == "keras_metadata.pb") return FileKind::kKerasMetadata;
  if (base == "fingerprint.pb") return FileKind::kFingerprint;
  if (base.ends_with(".pb")) return FileKind::kGraphDef;
  return FileKind::kNone;
}

// The first field, if the data starts with a well-formed one.
bool FirstField(ByteView data, ProtoField& field) {
  ProtoReader reader(data);
  auto more = reader.Next(field);
  return more && *more;
}

// Whether the content starts as the message `kind` does when TensorFlow writes it.
bool Plausible(FileKind kind, ByteView data) {
  ProtoField first;
  if (!FirstField(data, first)) return false;
  const bool bytes = first.type == WireType::kLengthDelimited;
  switch (kind) {
    case FileKind::kSavedModel:  // saved_model_schema_version = 1, then meta_graphs = 2
      return (first.number == 1 && first.type == WireType::kVarint) ||
             (first.number == 2 && bytes);
    case FileKind::kKerasMetadata:  // nodes = 1
      return first.number == 1 && bytes;
    case FileKind::kFingerprint:  // five uint64 hashes first
      return first.number >= 1 && first.number <= 5 && first.type == WireType::kVarint;
    case FileKind::kGraphDef: {  // node = 1 (a NodeDef starting with name = 1 or op = 2),
                                 // library = 2, versions = 4
      if (!bytes) return false;
      if (first.number == 2 || first.number == 4) return true;
      ProtoField inner;
      return first.number == 1 && FirstField(first.bytes, inner) &&
             inner.type == WireType::kLengthDelimited && (inner.number == 1 || inner.number == 2);
    }
    case FileKind::kNone:
      return false;
  }
  return false;
}

class TensorflowAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return kFormatName; }

  // No magic number: without a name, nothing is claimed.
  int Sniff(ByteView data) const override {
    (void)data;
    return 0;
  }

  int SniffNamed(std::string_view name, ByteView data) const override {
    const FileKind kind = KindFromName(name);
    if (!Plausible(kind, data)) return 0;
    // A generic *.pb name is weaker evidence than TensorFlow's fixed file names.
    return kind == FileKind::kGraphDef ? 60 : 90;
  }

  void Analyze(ScanContext& ctx, ByteView data) const override {
    TfScan scan(ctx);
    FileKind kind = KindFromName(ctx.current_name());
    // Forced (ScanEmbedded with "tensorflow") or oddly named: a GraphDef starts with nodes,
    // anything else is read as a SavedModel.
    if (kind == FileKind::kNone || !Plausible(kind, data)) {
      kind = Plausible(FileKind::kGraphDef, data) ? FileKind::kGraphDef : FileKind::kSavedModel;
    }
    switch (kind) {
      case FileKind::kKerasMetadata:
        ScanKerasMetadata(scan, data);
        break;
      case FileKind::kFingerprint:
        ScanFingerprint(scan, data);
        break;
      case FileKind::kGraphDef:
        ScanFrozenGraph(scan, data);
        break;
      default:
        ScanSavedModel(scan, data);
        break;
    }
    scan.findings().Flush();
  }

  std::span<const RuleInfo> Rules() const override { return tensorflow::Rules(); }
};

}  // namespace
}  // namespace mg::tensorflow

namespace mg {

const Analyzer& TensorflowAnalyzerInstance() {
  static const tensorflow::TensorflowAnalyzer kInstance;
  return kInstance;
}

}  // namespace mg
