#include "analyzers/onnx/model.h"

#include <array>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/onnx/external_data.h"
#include "analyzers/onnx/rules.h"
#include "analyzers/onnx/schema.h"
#include "core/protobuf.h"
#include "engine/scan_context.h"

namespace mg::onnx {
namespace {

using namespace std::string_view_literals;

// Domains whose operators ONNX Runtime compiles into its own library (onnxruntime/core/
// graph/constants.h: kMSDomain, kMSExperimentalDomain, kMSNchwcDomain, kMSInternalNHWCDomain):
// running them loads no further code.
constexpr std::array kRuntimeContribDomains = {
    "com.microsoft"sv, "com.microsoft.experimental"sv, "com.microsoft.nchwc"sv,
    "com.ms.internal.nhwc"sv};

// Operators that call Python: ONNX Runtime's language interop "PyOp" imports attribute
// `module` and instantiates `class_name` (docs/PyOp.md); ORTModule's "PythonOp" and
// "PythonOpGrad" call a torch.autograd.Function named by `func_name`.
constexpr std::array kPythonOps = {"PyOp"sv, "PythonOp"sv, "PythonOpGrad"sv};

bool IsBytes(const ProtoField& field) { return field.type == WireType::kLengthDelimited; }

template <typename List>
bool Contains(const List& list, std::string_view value) {
  for (const std::string_view item : list) {
    if (item == value) return true;
  }
  return false;
}

std::string Key(std::string_view domain, std::string_view name) {
  std::string key(domain);
  key += '\0';
  key += name;
  return key;
}

struct NodeInfo {
  std::string_view op_type;
  std::string_view domain;
  std::string_view name;
  std::string python_target;  // module/class_name/compute/func_name attributes of a Python op
  std::uint64_t offset = 0;
};

struct OperatorUse {
  std::string_view domain;
  std::string_view op_type;
  std::string_view first_node;
  std::string python_target;
  std::uint64_t first_offset = 0;
  std::uint64_t nodes = 0;
};

class ModelWalk {
 public:
  explicit ModelWalk(ScanContext& ctx) : ctx_(ctx), external_(ctx) {}

  void Run(ByteView model) {
    // Pass 1: model-local functions (calls to them are not custom operators) and opsets.
    Fields(model, 0, [&](const ProtoField& field) {
      if (!IsBytes(field)) return;
      if (field.number == field::kModelFunctions) RememberFunction(field);
      if (field.number == field::kModelOpsetImport) Opset(field);
    });
    Fields(model, 0, [&](const ProtoField& field) {
      if (!IsBytes(field)) return;
      if (field.number == field::kModelGraph) Graph(field, 1);
      if (field.number == field::kModelTrainingInfo) TrainingInfo(field);
      if (field.number == field::kModelFunctions) Function(field);
    });
    ReportOperators();
    ReportUnusedOpsets();
  }

 private:
  // Calls `on_field` for each field of a message; false once the input is malformed or a
  // limit stopped the walk.
  template <typename OnField>
  bool Fields(ByteView message, std::uint64_t base, OnField&& on_field) {
    if (stopped_) return false;
    ProtoReader reader(message, base);
    ProtoField field;
    while (true) {
      Result<bool> more = reader.Next(field);
      if (!more) return Stop(more.error());
      if (!*more) return true;
      on_field(field);
      if (stopped_) return false;
    }
  }
  template <typename OnField>
  bool Fields(const ProtoField& message, OnField&& on_field) {
    return Fields(message.bytes, message.payload_offset, on_field);
  }

  bool Stop(const Error& error) {
    stopped_ = true;
    if (error.code == ErrorCode::kLimitExceeded) {
      ctx_.Incomplete(rule::kLimit,
                      "Analysis limit reached: " + error.message +
                          "; the rest of the model was not analysed.",
                      error.offset);
    } else {
      ctx_.Incomplete(rule::kMalformed,
                      "The model is not valid protobuf (" + error.message +
                          "); ONNX loaders refuse it and the rest was not analysed.",
                      error.offset);
    }
    return false;
  }

  // Counts one more item against its limit; stops the walk past it.
  bool Count(std::uint64_t& count, std::uint64_t limit, const char* what, std::uint64_t offset) {
    if (++count <= limit) return true;
    Stop(Error::Limit(offset, "more than " + std::to_string(limit) + " " + what + " in the model"));
    return false;
  }

  void RememberFunction(const ProtoField& function) {
    std::string_view name;
    std::string_view domain;
    Fields(function, [&](const ProtoField& field) {
      if (IsBytes(field) && field.number == field::kFunctionName) name = field.text();
      if (IsBytes(field) && field.number == field::kFunctionDomain) domain = field.text();
    });
    if (functions_.size() >= kMaxFunctions) {
      Stop(Error::Limit(function.offset, "more than " + std::to_string(kMaxFunctions) +
                                             " functions in the model"));
      return;
    }
    functions_.insert(Key(domain, name));
    function_domains_.insert(std::string(domain));
  }

  void Opset(const ProtoField& opset) {
    Fields(opset, [&](const ProtoField& field) {
      if (!IsBytes(field) || field.number != field::kOpsetDomain) return;
      const std::string_view domain = field.text();
      if (IsStandardDomain(domain) || opsets_.size() >= kMaxReportedOperators) return;
      opsets_.emplace(std::string(domain), opset.offset);
    });
  }

  void TrainingInfo(const ProtoField& info) {
    Fields(info, [&](const ProtoField& field) {
      if (!IsBytes(field)) return;
      if (field.number == field::kTrainingInitialization ||
          field.number == field::kTrainingAlgorithm) {
        Graph(field, 1);
      }
    });
  }

  void Function(const ProtoField& function) {
    Fields(function, [&](const ProtoField& field) {
      if (!IsBytes(field)) return;
      if (field.number == field::kFunctionNode) Node(field, 1);
      if (field.number == field::kFunctionAttributeProto) Attribute(field, 1, nullptr);
      if (field.number == field::kFunctionOpsetImport) Opset(field);
    });
  }

  void Graph(const ProtoField& graph, std::uint32_t depth) {
    if (depth > kMaxGraphDepth) {
      Stop(Error::Limit(graph.offset, "graphs nested deeper than " +
                                          std::to_string(kMaxGraphDepth) + " levels"));
      return;
    }
    Fields(graph, [&](const ProtoField& field) {
      if (!IsBytes(field)) return;
      if (field.number == field::kGraphNode) Node(field, depth);
      if (field.number == field::kGraphInitializer) Tensor(field);
      if (field.number == field::kGraphSparseInitializer) SparseTensor(field);
    });
  }

  void Node(const ProtoField& node_field, std::uint32_t depth) {
    if (!Count(nodes_, kMaxNodes, "nodes", node_field.offset)) return;
    if ((nodes_ & 0xfff) == 0 && ctx_.TimeUp()) {
      Stop(Error::Limit(node_field.offset, "the time limit for this file ran out"));
      return;
    }
    NodeInfo node;
    node.offset = node_field.offset;
    Fields(node_field, [&](const ProtoField& field) {
      if (!IsBytes(field)) return;
      if (field.number == field::kNodeOpType) node.op_type = field.text();
      if (field.number == field::kNodeDomain) node.domain = field.text();
      if (field.number == field::kNodeName) node.name = field.text();
      if (field.number == field::kNodeAttribute) Attribute(field, depth, &node);
    });
    if (!stopped_) JudgeNode(node);
  }

  void Attribute(const ProtoField& attribute, std::uint32_t depth, NodeInfo* node) {
    if (!Count(attributes_, kMaxAttributes, "attributes", attribute.offset)) return;
    std::string_view name;
    std::string_view text;
    Fields(attribute, [&](const ProtoField& field) {
      if (!IsBytes(field)) return;
      switch (field.number) {
        case field::kAttrName: name = field.text(); break;
        case field::kAttrS: text = field.text(); break;
        case field::kAttrT:
        case field::kAttrTensors: Tensor(field); break;
        case field::kAttrSparseTensor:
        case field::kAttrSparseTensors: SparseTensor(field); break;
        case field::kAttrG:
        case field::kAttrGraphs: Graph(field, depth + 1); break;
        default: break;
      }
    });
    if (node == nullptr || text.empty()) return;
    if (name == "module" || name == "class_name" || name == "compute" || name == "func_name") {
      if (node->python_target.size() > 200) return;
      if (!node->python_target.empty()) node->python_target += ' ';
      node->python_target += std::string(name) + "=" + Printable(text, 80);
    }
  }

  void SparseTensor(const ProtoField& sparse) {
    Fields(sparse, [&](const ProtoField& field) {
      if (!IsBytes(field)) return;
      if (field.number == field::kSparseValues || field.number == field::kSparseIndices) {
        Tensor(field);
      }
    });
  }

  void Tensor(const ProtoField& tensor) {
    if (!Count(tensors_, kMaxTensors, "tensors", tensor.offset)) return;
    ExternalRef ref;
    ref.tensor_offset = tensor.offset;
    std::uint64_t entries = 0;
    Fields(tensor, [&](const ProtoField& field) {
      if (field.number == field::kTensorDataLocation && field.type == WireType::kVarint) {
        ref.external = field.value == field::kDataLocationExternal;  // the last one wins
      } else if (field.number == field::kTensorName && IsBytes(field)) {
        ref.tensor_name = field.text();
      } else if (field.number == field::kTensorExternalData && IsBytes(field)) {
        if (!Count(entries, kMaxExternalEntries, "external_data entries in one tensor",
                   field.offset)) {
          return;
        }
        Entry(field, ref);
      }
    });
    if (!stopped_ && (entries > 0 || ref.external)) external_.Judge(ref);
  }

  void Entry(const ProtoField& entry, ExternalRef& ref) {
    std::string_view key;
    std::string_view value;
    Fields(entry, [&](const ProtoField& field) {
      if (IsBytes(field) && field.number == field::kEntryKey) key = field.text();
      if (IsBytes(field) && field.number == field::kEntryValue) value = field.text();
    });
    // onnx's ExternalDataInfo sets the keys in order, so a repeated key keeps its last value.
    if (key == "location") {
      ref.location = value;
    } else if (key == "offset") {
      ref.offset = value;
    } else if (key == "length") {
      ref.length = value;
    } else if (key == "basepath") {
      ref.basepath = value;
    } else if (key != "checksum" && ref.unknown_keys.size() < 200) {
      if (!ref.unknown_keys.empty()) ref.unknown_keys += ',';
      ref.unknown_keys += Printable(key, 40);
    }
  }

  void JudgeNode(const NodeInfo& node) {
    const bool python = Contains(kPythonOps, node.op_type);
    if (!python) {
      if (IsStandardDomain(node.domain)) return;
      if (functions_.contains(Key(node.domain, node.op_type))) return;  // a local function
    }
    if (used_domains_.size() < kMaxFunctions) used_domains_.insert(std::string(node.domain));
    std::string key = Key(node.domain, node.op_type);
    if (python) {
      key += '\0';
      key += node.python_target;
    }
    auto found = operators_.find(key);
    if (found == operators_.end()) {
      if (operators_.size() >= kMaxReportedOperators) {
        ++unreported_nodes_;
        return;
      }
      OperatorUse use{node.domain, node.op_type, node.name, node.python_target, node.offset, 0};
      found = operators_.emplace(std::move(key), std::move(use)).first;
    }
    ++found->second.nodes;
  }

  void ReportOperators() {
    for (const auto& [key, use] : operators_) {
      // Appended piece by piece: GCC 12 -Wrestrict misfires on "'" + std::string&&.
      std::string op(1, '\'');
      op += Printable(use.op_type, 80);
      op += "' of domain '" + Printable(use.domain, 80) + "' (" + std::to_string(use.nodes) +
            (use.nodes == 1 ? " node" : " nodes") + ", first '" + Printable(use.first_node, 80) +
            "')";
      const std::string evidence = Printable(use.domain, 80) + "::" + Printable(use.op_type, 80);
      if (Contains(kPythonOps, use.op_type)) {
        ctx_.Report(rule::kPythonOp, Severity::kHigh,
                    "Operator " + op + " runs Python code named by the model when ONNX Runtime "
                    "executes it.",
                    use.first_offset,
                    evidence + (use.python_target.empty() ? "" : " " + use.python_target));
      } else if (Contains(kRuntimeContribDomains, use.domain)) {
        ctx_.Report(rule::kContribOp, Severity::kLow,
                    "Operator " + op + " is an ONNX Runtime contrib operator: the model only "
                    "runs on ONNX Runtime, whose own library implements it.",
                    use.first_offset, evidence);
      } else {
        ctx_.Report(rule::kCustomOp, Severity::kMedium,
                    "Operator " + op + " is not a standard ONNX operator: running the model "
                    "needs a custom operator library, native code loaded into the runtime.",
                    use.first_offset, evidence);
      }
    }
    if (unreported_nodes_ > 0) {
      ctx_.Report(rule::kCustomOp, Severity::kMedium,
                  std::to_string(unreported_nodes_) + " more nodes use further non-standard "
                  "operators (only the first " + std::to_string(kMaxReportedOperators) +
                  " distinct ones are listed).");
    }
  }

  // A custom domain imported but used by no node still asks the runtime for that domain.
  void ReportUnusedOpsets() {
    if (stopped_) return;
    for (const auto& [domain, offset] : opsets_) {
      if (used_domains_.contains(domain) || function_domains_.contains(domain)) continue;
      const bool contrib = Contains(kRuntimeContribDomains, domain);
      ctx_.Report(contrib ? rule::kContribOp : rule::kCustomOp,
                  contrib ? Severity::kLow : Severity::kMedium,
                  "The model imports operator set domain '" + Printable(domain, 80) +
                      "', which no node uses and ONNX does not define: a runtime may load a "
                      "custom operator library for it.",
                  offset, Printable(domain, 80));
    }
  }

  ScanContext& ctx_;
  ExternalDataCheck external_;
  bool stopped_ = false;
  std::uint64_t nodes_ = 0;
  std::uint64_t attributes_ = 0;
  std::uint64_t tensors_ = 0;
  std::uint64_t unreported_nodes_ = 0;
  std::set<std::string> functions_;         // Key(domain, name) of model-local functions
  std::set<std::string> function_domains_;  // their domains
  std::set<std::string> used_domains_;      // non-standard domains used by nodes
  std::map<std::string, std::uint64_t> opsets_;  // non-standard imported domains -> offset
  std::map<std::string, OperatorUse> operators_;
};

}  // namespace

bool IsStandardDomain(std::string_view domain) {
  return domain.empty() || domain == "ai.onnx" || domain == "ai.onnx.ml" ||
         domain == "ai.onnx.training" || domain == "ai.onnx.preview.training";
}

void AnalyzeModel(ScanContext& ctx, ByteView model) { ModelWalk(ctx).Run(model); }

}  // namespace mg::onnx
