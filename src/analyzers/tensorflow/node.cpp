#include "analyzers/tensorflow/node.h"

#include <string>

#include "analyzers/tensorflow/schema.h"

namespace mg::tensorflow {

const AttrEntry* NodeInfo::Attr(std::string_view key) const {
  for (auto it = attrs.rbegin(); it != attrs.rend(); ++it) {
    if (it->key == key) return &*it;
  }
  return nullptr;
}

namespace {

// map<string, AttrValue> entry: key = 1, value = 2.
bool ParseAttrEntry(TfScan& scan, const ProtoField& entry, AttrEntry& attr) {
  return ForEachField(scan, entry.bytes, entry.payload_offset, "NodeDef attr entry",
                      [&](const ProtoField& field) {
                        if (IsBytes(field, field::kMapKey)) attr.key = field.text();
                        if (IsBytes(field, field::kMapValue)) {
                          attr.value = field.bytes;
                          attr.value_offset = field.payload_offset;
                        }
                        return true;
                      });
}

}  // namespace

bool ParseNode(TfScan& scan, ByteView payload, std::uint64_t payload_offset,
               std::uint64_t key_offset, NodeInfo& node) {
  node.name = {};
  node.op = {};
  node.offset = key_offset;
  node.input_count = 0;
  node.attrs.clear();
  return ForEachField(scan, payload, payload_offset, "NodeDef", [&](const ProtoField& field) {
    if (field.type != WireType::kLengthDelimited) return true;
    switch (field.number) {
      case field::kNodeName:
        node.name = field.text();
        break;
      case field::kNodeOp:
        node.op = field.text();
        break;
      case field::kNodeInput:
        if (node.input_count < kMaxInputsKept) node.inputs[node.input_count++] = field.text();
        break;
      case field::kNodeAttr: {
        if (node.attrs.size() >= kMaxAttrsPerNode) {
          scan.LimitReached("Node '" + Excerpt(node.name) + "' has more than " +
                                std::to_string(kMaxAttrsPerNode) + " attrs.",
                            field.offset);
          return false;
        }
        AttrEntry attr;
        if (!ParseAttrEntry(scan, field, attr)) return false;
        node.attrs.push_back(attr);
        break;
      }
      default:
        break;
    }
    return true;
  });
}

std::optional<std::string_view> AttrString(TfScan& scan, const AttrEntry& attr) {
  std::optional<std::string_view> text;
  const bool ok = ForEachField(scan, attr.value, attr.value_offset, "AttrValue",
                               [&](const ProtoField& field) {
                                 if (IsBytes(field, field::kAttrS)) text = field.text();
                                 return true;
                               });
  return ok ? text : std::nullopt;
}

namespace {

bool VisitTensorStrings(TfScan& scan, const ProtoField& tensor, const StringVisitor& on_string) {
  return ForEachField(scan, tensor.bytes, tensor.payload_offset, "TensorProto",
                      [&](const ProtoField& field) {
                        if (IsBytes(field, field::kTensorStringVal)) {
                          on_string(field.text(), field.payload_offset);
                        }
                        return true;
                      });
}

bool VisitFuncStrings(TfScan& scan, const ProtoField& func, std::uint32_t depth,
                      const StringVisitor& on_string) {
  // NameAttrList: name = 1, attr = 2 (map<string, AttrValue>).
  return ForEachField(scan, func.bytes, func.payload_offset, "NameAttrList",
                      [&](const ProtoField& entry) {
                        if (!IsBytes(entry, field::kNameAttrListAttr)) return true;
                        return ForEachField(
                            scan, entry.bytes, entry.payload_offset, "NameAttrList attr entry",
                            [&](const ProtoField& field) {
                              if (!IsBytes(field, field::kMapValue)) return true;
                              return VisitAttrStrings(scan, field.bytes, field.payload_offset,
                                                      depth + 1, on_string);
                            });
                      });
}

bool VisitListStrings(TfScan& scan, const ProtoField& list, std::uint32_t depth,
                      const StringVisitor& on_string) {
  return ForEachField(scan, list.bytes, list.payload_offset, "AttrValue.ListValue",
                      [&](const ProtoField& field) {
                        if (IsBytes(field, field::kListS)) {
                          on_string(field.text(), field.payload_offset);
                        } else if (IsBytes(field, field::kListTensor)) {
                          return VisitTensorStrings(scan, field, on_string);
                        } else if (IsBytes(field, field::kListFunc)) {
                          return VisitFuncStrings(scan, field, depth, on_string);
                        }
                        return true;
                      });
}

}  // namespace

bool VisitAttrStrings(TfScan& scan, ByteView value, std::uint64_t base, std::uint32_t depth,
                      const StringVisitor& on_string) {
  if (depth > kMaxAttrDepth) {
    scan.LimitReached("Function-valued attrs are nested more than " +
                          std::to_string(kMaxAttrDepth) + " levels deep.",
                      base);
    return false;
  }
  return ForEachField(scan, value, base, "AttrValue", [&](const ProtoField& field) {
    if (IsBytes(field, field::kAttrS)) {
      on_string(field.text(), field.payload_offset);
    } else if (IsBytes(field, field::kAttrList)) {
      return VisitListStrings(scan, field, depth, on_string);
    } else if (IsBytes(field, field::kAttrTensor)) {
      return VisitTensorStrings(scan, field, on_string);
    } else if (IsBytes(field, field::kAttrFunc)) {
      return VisitFuncStrings(scan, field, depth, on_string);
    }
    return true;
  });
}

std::string_view InputNodeName(std::string_view input) {
  if (!input.empty() && input.front() == '^') input.remove_prefix(1);
  return input.substr(0, input.find(':'));
}

}  // namespace mg::tensorflow
