#include "analyzers/tensorflow/saved_model.h"

#include <string>
#include <vector>

#include "analyzers/tensorflow/graph.h"
#include "analyzers/tensorflow/node.h"
#include "analyzers/tensorflow/rules.h"
#include "analyzers/tensorflow/schema.h"
#include "engine/analyzer.h"
#include "engine/scan_context.h"

namespace mg::tensorflow {
namespace {

// The Keras analyzer judges the JSON configs; without it in this build, the JSON (which can
// describe Lambda layers holding marshalled Python code) is not analysed: fail closed.
void EmbedKerasJson(TfScan& scan, std::string member, const ProtoField& json) {
  static constexpr std::string_view kKeras = "keras";
  if (FindAnalyzer(kKeras) == nullptr) {
    scan.findings().Incomplete(rule::kKerasUnanalysed,
                               "Keras metadata JSON ('" + member +
                                   "') was found but this build has no Keras analyzer to judge "
                                   "it.",
                               json.payload_offset);
  }
  scan.ctx().ScanEmbedded(std::move(member), json.bytes, kKeras);
}

struct MetaInfo {
  std::vector<std::string> tags;
  std::string version;
};

void ReadMetaInfo(TfScan& scan, const ProtoField& info_field, MetaInfo& info) {
  ForEachField(scan, info_field.bytes, info_field.payload_offset, "MetaInfoDef",
               [&](const ProtoField& field) {
                 if (IsBytes(field, field::kTags) && info.tags.size() < 16) {
                   info.tags.push_back(Excerpt(field.text(), 40));
                 }
                 if (IsBytes(field, field::kTensorflowVersion)) {
                   info.version = Excerpt(field.text(), 40);
                 }
                 return true;
               });
}

std::string SaverFilenameNode(TfScan& scan, const ProtoField& saver) {
  std::string_view tensor;
  ForEachField(scan, saver.bytes, saver.payload_offset, "SaverDef", [&](const ProtoField& f) {
    if (IsBytes(f, field::kFilenameTensorName)) tensor = f.text();
    return true;
  });
  return std::string(InputNodeName(tensor));
}

// AssetFileDef.filename is relative to the assets/ folder; the loader joins the two and feeds
// the path to the graph, so a path that leaves the folder makes the graph read another file.
void CheckAsset(TfScan& scan, const ProtoField& asset) {
  ForEachField(scan, asset.bytes, asset.payload_offset, "AssetFileDef", [&](const ProtoField& f) {
    if (!IsBytes(f, field::kAssetFilename)) return true;
    const std::string_view name = f.text();
    const bool outside = name.starts_with('/') || name.starts_with('\\') ||
                         name.find("..") != std::string_view::npos ||
                         name.find("://") != std::string_view::npos;
    if (outside) {
      scan.findings().Report(rule::kAssetPath, Severity::kMedium,
                             "An asset's file name leaves the SavedModel's assets folder.",
                             f.payload_offset, "filename '" + Excerpt(name) + "'");
    }
    return true;
  });
}

// SavedObjectGraph.nodes[i].user_object.metadata: where Keras kept its JSON before
// keras_metadata.pb (TF < 2.5); newer Keras still reads it when the .pb file is missing.
void ScanObjectGraph(TfScan& scan, const ProtoField& graph) {
  std::uint64_t index = 0;
  ForEachField(scan, graph.bytes, graph.payload_offset, "SavedObjectGraph",
               [&](const ProtoField& node) {
                 if (!IsBytes(node, field::kObjectGraphNodes)) return true;
                 const std::uint64_t node_index = index++;
                 return ForEachField(
                     scan, node.bytes, node.payload_offset, "SavedObject",
                     [&](const ProtoField& kind) {
                       if (!IsBytes(kind, field::kSavedObjectUserObject)) return true;
                       return ForEachField(
                           scan, kind.bytes, kind.payload_offset, "SavedUserObject",
                           [&](const ProtoField& f) {
                             if (IsBytes(f, field::kUserObjectMetadata) && !f.bytes.empty()) {
                               EmbedKerasJson(scan,
                                              std::string(kLegacyKerasMemberPrefix) +
                                                  std::to_string(node_index) + " metadata>",
                                              f);
                             }
                             return true;
                           });
                     });
               });
}

void ScanMetaGraph(TfScan& scan, const ProtoField& meta, MetaInfo& info) {
  // The SaverDef follows the GraphDef on the wire; read it first to know the saver's filename.
  scan.saver_filename_node.clear();
  ForEachField(scan, meta.bytes, meta.payload_offset, "MetaGraphDef", [&](const ProtoField& f) {
    if (IsBytes(f, field::kSaverDef)) scan.saver_filename_node = SaverFilenameNode(scan, f);
    if (IsBytes(f, field::kMetaInfoDef)) ReadMetaInfo(scan, f, info);
    return !scan.stopped();
  });
  ForEachField(scan, meta.bytes, meta.payload_offset, "MetaGraphDef", [&](const ProtoField& f) {
    if (IsBytes(f, field::kGraphDef)) ScanGraphDef(scan, f.bytes, f.payload_offset);
    if (IsBytes(f, field::kAssetFileDef)) CheckAsset(scan, f);
    if (IsBytes(f, field::kObjectGraphDef)) ScanObjectGraph(scan, f);
    return !scan.stopped();
  });
}

void ReportCheckpointOps(TfScan& scan) {
  if (scan.checkpoint_ops == 0) return;
  scan.findings().Report(rule::kCheckpointOps, Severity::kInfo,
                         std::to_string(scan.checkpoint_ops) +
                             " checkpoint save/restore ops take their path from the saver's "
                             "filename input, as in every SavedModel with variables.",
                         scan.first_checkpoint_offset);
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : ",") + part;
  return out;
}

std::string Describe(const MetaInfo& info) {
  std::string out;
  if (!info.tags.empty()) out = "tags " + Join(info.tags);
  if (!info.version.empty()) out += (out.empty() ? "" : "; ") + ("TensorFlow " + info.version);
  return out;
}

}  // namespace

void ScanSavedModel(TfScan& scan, ByteView file) {
  std::uint64_t meta_graphs = 0;
  MetaInfo info;
  ForEachField(scan, file, 0, "SavedModel", [&](const ProtoField& field) {
    if (!IsBytes(field, field::kMetaGraphs)) return true;
    if (++meta_graphs > kMaxMetaGraphs) {
      scan.LimitReached("The SavedModel holds more than " + std::to_string(kMaxMetaGraphs) +
                            " meta graphs.",
                        field.offset);
      return false;
    }
    ScanMetaGraph(scan, field, info);
    return !scan.stopped();
  });
  ReportCheckpointOps(scan);
  scan.findings().Report(rule::kSummary, Severity::kInfo,
                         "SavedModel with " + std::to_string(meta_graphs) +
                             " meta graph(s): " + std::to_string(scan.nodes()) + " nodes, " +
                             std::to_string(scan.functions()) + " library functions.",
                         0, Describe(info));
}

void ScanFrozenGraph(TfScan& scan, ByteView file) {
  ScanGraphDef(scan, file, 0);
  ReportCheckpointOps(scan);
  scan.findings().Report(rule::kSummary, Severity::kInfo,
                         "GraphDef: " + std::to_string(scan.nodes()) + " nodes, " +
                             std::to_string(scan.functions()) + " library functions.",
                         0);
}

// keras/protobuf/saved_metadata.proto: SavedMetadata.nodes, each with the JSON that Keras
// hands to its deserialiser when the SavedModel is loaded with tf.keras.models.load_model.
void ScanKerasMetadata(TfScan& scan, ByteView file) {
  std::uint64_t index = 0;
  ForEachField(scan, file, 0, "SavedMetadata", [&](const ProtoField& node) {
    if (!IsBytes(node, field::kKerasNodes)) return true;
    if (index >= kMaxKerasNodes) {
      scan.LimitReached("keras_metadata.pb holds more than " + std::to_string(kMaxKerasNodes) +
                            " nodes.",
                        node.offset);
      return false;
    }
    const std::uint64_t node_index = index++;
    return ForEachField(scan, node.bytes, node.payload_offset, "SavedObject",
                        [&](const ProtoField& f) {
                          if (IsBytes(f, field::kKerasMetadata) && !f.bytes.empty()) {
                            EmbedKerasJson(scan,
                                           std::string(kKerasMemberPrefix) +
                                               std::to_string(node_index) + ">",
                                           f);
                          }
                          return !scan.stopped();
                        });
  });
}

// fingerprint.proto holds hashes only: the file cannot carry code. It is checked for shape so
// that something else saved under its name does not pass silently.
void ScanFingerprint(TfScan& scan, ByteView file) {
  std::uint64_t unexpected = 0;
  std::uint64_t first_unexpected = 0;
  ForEachField(scan, file, 0, "FingerprintDef", [&](const ProtoField& f) {
    const bool hash = f.number >= 1 && f.number <= field::kFingerprintLastHash &&
                      f.type == WireType::kVarint;
    const bool version = f.number == field::kFingerprintVersion;
    const bool uuid = IsBytes(f, field::kFingerprintUuid);
    if (!hash && !version && !uuid && unexpected++ == 0) first_unexpected = f.offset;
    return true;
  });
  if (unexpected > 0 && !scan.stopped()) {
    scan.findings().Report(rule::kMalformed, Severity::kLow,
                           std::to_string(unexpected) +
                               " fields of fingerprint.pb are not those of a FingerprintDef.",
                           first_unexpected);
  }
}

}  // namespace mg::tensorflow
