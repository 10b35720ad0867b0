#include "analyzers/tensorflow/graph.h"

#include <string>
#include <unordered_map>

#include "analyzers/tensorflow/node.h"
#include "analyzers/tensorflow/ops.h"
#include "analyzers/tensorflow/rules.h"
#include "analyzers/tensorflow/schema.h"
#include "engine/scan_context.h"

namespace mg::tensorflow {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsSchemeChar(char c) {
  return IsAlpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

// Schemes that name a remote or local location wherever they appear in a string (a shell
// command, a config): TensorFlow's file systems and the usual transfer protocols.
bool IsLocationScheme(std::string_view scheme) {
  static constexpr std::string_view kSchemes[] = {"http", "https", "ftp", "ftps", "gs", "s3",
                                                  "hdfs", "grpc", "file", "ws", "wss", "ssh"};
  for (std::string_view known : kSchemes) {
    if (scheme.size() != known.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < known.size() && same; ++i) {
      same = (scheme[i] | 0x20) == known[i];
    }
    if (same) return true;
  }
  return false;
}

// Whether `text` holds a URL: at its start, any RFC 3986 scheme (letters, digits, '+', '-',
// '.'), "://" and more; anywhere inside, one of the location schemes followed by a host or a
// path. "local://" is DecodeProtoV2's name for the built-in descriptor pool; a regular
// expression such as "^s3://.*" has no host after "://".
bool IsUrl(std::string_view text) {
  std::size_t from = 0;
  for (int tries = 0; tries < 8; ++tries) {
    const std::size_t colon = text.find("://", from);
    if (colon == std::string_view::npos || colon + 3 >= text.size()) return false;
    from = colon + 3;
    std::size_t start = colon;
    while (start > 0 && colon - start < 16 && IsSchemeChar(text[start - 1])) --start;
    const std::string_view scheme = text.substr(start, colon - start);
    if (scheme.empty() || !IsAlpha(scheme.front())) continue;
    const char next = text[colon + 3];
    const bool host = IsAlpha(next) || (next >= '0' && next <= '9') || next == '/' ||
                      next == '[';
    if (start == 0 && scheme != "local" && host) return true;
    if (IsLocationScheme(scheme) && host) return true;
  }
  return false;
}

// A file name that points outside the model folder: absolute, home-relative, a parent
// directory, or a URL.
bool PointsOutside(std::string_view path) {
  return path.starts_with('/') || path.starts_with('~') || path.starts_with('\\') ||
         path.find("..") != std::string_view::npos || IsUrl(path) ||
         (path.size() > 1 && path[1] == ':');  // C:\...
}

struct StringConst {
  std::string_view value;
};

class ScopeScan {
 public:
  // `nodes_in` holds the nodes as repeated field `node_field`; `label` names the scope in
  // evidence ("graph", "function __inference_call_41").
  ScopeScan(TfScan& scan, ByteView nodes_in, std::uint64_t base, std::uint32_t node_field,
            std::string label, bool main_graph)
      : scan_(scan),
        message_(nodes_in),
        base_(base),
        node_field_(node_field),
        label_(std::move(label)),
        main_graph_(main_graph) {}

  void Run() {
    if (!EachNode([this](const NodeInfo& node) { return Remember(node); }, false)) return;
    EachNode([this](const NodeInfo& node) { return Judge(node); }, true);
  }

 private:
  template <typename Visit>
  bool EachNode(Visit&& visit, bool count) {
    NodeInfo node;
    return ForEachField(scan_, message_, base_, label_ == "graph" ? "GraphDef" : "FunctionDef",
                        [&](const ProtoField& field) {
                          if (!IsBytes(field, node_field_)) return true;
                          if (count && !scan_.CountNode(field.offset)) return false;
                          if (!ParseNode(scan_, field.bytes, field.payload_offset, field.offset,
                                         node)) {
                            return false;
                          }
                          return visit(node);
                        });
  }

  // Pass 1: string constants by node name, so that a ReadFile's evidence names its file.
  bool Remember(const NodeInfo& node) {
    if (node.op != "Const" || consts_.size() >= kMaxConstsPerScope) return true;
    const AttrEntry* value = node.Attr("value");
    if (value == nullptr) return true;
    std::optional<std::string_view> first;
    // Only the tensor's strings are visited: a Const's value attr is a TensorProto.
    if (!VisitAttrStrings(scan_, value->value, value->value_offset, 0,
                          [&first](std::string_view text, std::uint64_t) {
                            if (!first) first = text;
                          })) {
      return false;
    }
    if (first) consts_[node.name] = StringConst{*first};
    return true;
  }

  std::string Evidence(const NodeInfo& node) const {
    std::string out = label_ + ": node '" + Excerpt(node.name) + "' op " + Excerpt(node.op);
    for (std::uint32_t i = 0; i < node.input_count; ++i) {
      const auto found = consts_.find(InputNodeName(node.inputs[i]));
      if (found == consts_.end()) continue;
      out += "; input " + std::to_string(i) + " '" + Excerpt(node.inputs[i], 60) + "' = '" +
             Excerpt(found->second.value) + "'";
    }
    return out;
  }

  std::optional<std::string_view> ConstInput(const NodeInfo& node, std::uint32_t index) const {
    if (index >= node.input_count) return std::nullopt;
    const std::string_view name = InputNodeName(node.inputs[index]);
    if (main_graph_ && name == scan_.saver_filename_node) return std::nullopt;
    const auto found = consts_.find(name);
    if (found == consts_.end()) return std::nullopt;
    return found->second.value;
  }

  void Report(std::string_view rule, Severity severity, const NodeInfo& node,
              const std::string& what, std::string extra = {}) {
    std::string evidence = Evidence(node);
    if (!extra.empty()) evidence += "; " + extra;
    scan_.findings().Report(rule, severity,
                            "Node '" + Excerpt(node.name, 60) + "' (" + Excerpt(node.op, 40) +
                                ") in " + label_ + " " + what + ".",
                            node.offset, std::move(evidence));
  }

  std::optional<std::string_view> StringAttr(const NodeInfo& node, std::string_view key) {
    const AttrEntry* attr = node.Attr(key);
    return attr == nullptr ? std::nullopt : AttrString(scan_, *attr);
  }

  bool Judge(const NodeInfo& node) {
    if (const OpInfo* info = ClassifyOp(node.op); info != nullptr) JudgeOp(node, *info);
    return !scan_.stopped() && ScanAttrStrings(node);
  }

  void JudgeOp(const NodeInfo& node, const OpInfo& info) {
    const std::string effect(info.effect);
    switch (info.risk) {
      case OpRisk::kPythonCallback: {
        const auto token = StringAttr(node, "token");
        return Report(rule::kPythonCallback, Severity::kCritical, node, effect,
                      "token '" + Excerpt(token.value_or("")) + "'");
      }
      case OpRisk::kFileRead:
        return Report(rule::kFileRead, Severity::kHigh, node, effect);
      case OpRisk::kFileWrite:
        return Report(rule::kFileWrite, Severity::kHigh, node, effect);
      case OpRisk::kNetwork:
        return Report(rule::kNetwork, Severity::kHigh, node, effect);
      case OpRisk::kDistributed:
        return Report(rule::kDistributed, Severity::kLow, node, effect);
      case OpRisk::kCheckpoint:
        return JudgeCheckpoint(node);
      case OpRisk::kVocabularyFile:
        return JudgeVocabulary(node, effect);
      case OpRisk::kMemoryRegion: {
        const auto region = StringAttr(node, "memory_region_name");
        return Report(rule::kMemoryRegion, Severity::kMedium, node, effect,
                      "memory_region_name '" + Excerpt(region.value_or("")) + "'");
      }
      case OpRisk::kDebugUrls:
        return JudgeDebugUrls(node);
      case OpRisk::kPrintStream: {
        const auto stream = StringAttr(node, "output_stream");
        // logging_ops.cc: an output_stream starting with "file://" names a file to append to.
        if (stream && stream->starts_with("file://")) {
          Report(rule::kFileWrite, Severity::kHigh, node, "appends what it prints to a file",
                 "output_stream '" + Excerpt(*stream) + "'");
        }
        return;
      }
      case OpRisk::kProtoDescriptor: {
        const auto source = StringAttr(node, "descriptor_source");
        if (source && !source->empty() && *source != "local://") {
          Report(rule::kFileRead, Severity::kMedium, node,
                 "reads protobuf descriptors from a file",
                 "descriptor_source '" + Excerpt(*source) + "'");
        }
        return;
      }
    }
  }

  // Save/Restore ops take the checkpoint prefix as input 0 (MergeV2Checkpoints: the shard
  // prefixes, then the destination as input 1). On the saver's path the prefix comes from the
  // filename placeholder or a function argument; a constant prefix is a path chosen by the
  // file's author.
  void JudgeCheckpoint(const NodeInfo& node) {
    const std::uint32_t path_inputs = node.op == "MergeV2Checkpoints" ? 2 : 1;
    for (std::uint32_t i = 0; i < path_inputs; ++i) {
      if (const auto path = ConstInput(node, i)) {
        return Report(rule::kCheckpointFixedPath, Severity::kHigh, node,
                      "reads or writes a checkpoint at a path fixed in the file");
      }
    }
    if (scan_.checkpoint_ops++ == 0) scan_.first_checkpoint_offset = node.offset;
  }

  void JudgeVocabulary(const NodeInfo& node, const std::string& effect) {
    const auto path = ConstInput(node, 1);  // input 0 is the table handle, 1 the filename
    if (path && PointsOutside(*path)) {
      return Report(rule::kFileRead, Severity::kHigh, node,
                    effect + ", a path outside the model folder");
    }
    Report(rule::kVocabularyFile, Severity::kLow, node, effect);
  }

  // debug_ops.h: each debug URL is file://<dump root> or grpc://<host:port>.
  void JudgeDebugUrls(const NodeInfo& node) {
    const AttrEntry* urls = node.Attr("debug_urls");
    if (urls == nullptr) return;
    VisitAttrStrings(scan_, urls->value, urls->value_offset, 0,
                     [&](std::string_view url, std::uint64_t) {
                       if (url.empty()) return;
                       const bool file = url.starts_with("file://");
                       Report(file ? rule::kFileWrite : rule::kNetwork, Severity::kHigh, node,
                              file ? "dumps tensors to a directory"
                                   : "sends tensors to a debug server",
                              "debug_url '" + Excerpt(url) + "'");
                     });
  }

  // Strings in attrs that are URLs: a graph that names a remote location is worth a look even
  // when the op using it is not in the table (a custom op, a dataset path).
  bool ScanAttrStrings(const NodeInfo& node) {
    for (const AttrEntry& attr : node.attrs) {
      // Judged above with a more precise rule.
      if (attr.key == "debug_urls" || attr.key == "output_stream" ||
          attr.key == "descriptor_source") {
        continue;
      }
      const bool ok = VisitAttrStrings(
          scan_, attr.value, attr.value_offset, 0, [&](std::string_view text, std::uint64_t) {
            if (!IsUrl(text)) return;
            Report(rule::kUrlString, Severity::kLow, node, "holds a URL",
                   "attr '" + Excerpt(attr.key, 40) + "' = '" + Excerpt(text) + "'");
          });
      if (!ok) return false;
    }
    return true;
  }

  TfScan& scan_;
  ByteView message_;
  std::uint64_t base_;
  std::uint32_t node_field_;
  std::string label_;
  bool main_graph_;
  std::unordered_map<std::string_view, StringConst> consts_;
};

// The OpDef name in FunctionDef.signature.
std::string FunctionName(TfScan& scan, const ProtoField& function) {
  std::string_view name;
  ForEachField(scan, function.bytes, function.payload_offset, "FunctionDef",
               [&](const ProtoField& field) {
                 if (!IsBytes(field, field::kFunctionSignature)) return true;
                 return ForEachField(scan, field.bytes, field.payload_offset, "OpDef",
                                     [&](const ProtoField& sig) {
                                       if (IsBytes(sig, field::kOpDefName)) name = sig.text();
                                       return true;
                                     });
               });
  return name.empty() ? std::string("<unnamed>") : Excerpt(name, 100);
}

void ScanLibrary(TfScan& scan, const ProtoField& library) {
  ForEachField(scan, library.bytes, library.payload_offset, "FunctionDefLibrary",
               [&](const ProtoField& field) {
                 // GradientDef and RegisteredGradient only name functions; the gradient
                 // functions themselves are FunctionDefs of this library.
                 if (!IsBytes(field, field::kLibraryFunction)) return true;
                 if (!scan.CountFunction(field.offset)) return false;
                 const std::string name = FunctionName(scan, field);
                 if (scan.stopped()) return false;
                 ScopeScan(scan, field.bytes, field.payload_offset, field::kFunctionNodeDef,
                           "function " + name, false)
                     .Run();
                 return !scan.stopped();
               });
}

}  // namespace

void ScanGraphDef(TfScan& scan, ByteView graph, std::uint64_t base) {
  ScopeScan(scan, graph, base, field::kGraphNode, "graph", true).Run();
  // A message field that occurs more than once is merged by libprotobuf: every library
  // occurrence contributes functions.
  ForEachField(scan, graph, base, "GraphDef", [&](const ProtoField& field) {
    if (IsBytes(field, field::kGraphLibrary)) ScanLibrary(scan, field);
    return !scan.stopped();
  });
}

}  // namespace mg::tensorflow
