// Evidence: values rebuilt as Python-like code (os.system('echo pwned'),
// getattr(__import__('os'), 'system')('id')), bounded in length, depth and literal size.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "analyzers/pickle/vm.h"

namespace mg::pickle {
namespace {

void AppendEscaped(std::string& out, const std::string& text, bool is_bytes, bool truncated) {
  out += is_bytes ? "b'" : "'";
  std::size_t shown = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (shown >= kMaxEvidenceLiteral) {
      truncated = true;
      break;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    ++shown;
    switch (c) {
      case '\\':
        out += "\\\\";
        continue;
      case '\'':
        out += "\\'";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      default:
        break;
    }
    std::size_t sequence = 1;
    if (!is_bytes && c >= 0x80) {
      sequence = Utf8SequenceLength(reinterpret_cast<const unsigned char*>(text.data()) + i,
                                    text.size() - i);
    }
    if (c < 0x20 || c == 0x7f || (c >= 0x80 && (is_bytes || sequence == 0))) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out.append(text, i, sequence);  // one character, kept as UTF-8
      i += sequence - 1;
    }
  }
  if (truncated) out += "...";
  out += "'";
}

void AppendFloat(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "float('nan')";
    return;
  }
  if (std::isinf(value)) {
    out += value > 0 ? "float('inf')" : "float('-inf')";
    return;
  }
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof buf, value);
  std::string text(buf, result.ptr);
  if (text.find_first_of(".eni") == std::string::npos) text += ".0";
  out += text;
}

void AppendLittleEndianInt(std::string& out, ByteView raw) {
  if (raw.empty()) {
    out += "0";
    return;
  }
  if (raw.size() > 64) {
    out += "<int of " + std::to_string(raw.size()) + " bytes>";
    return;
  }
  std::uint8_t bytes[64];
  std::memcpy(bytes, raw.data(), raw.size());
  const bool negative = (bytes[raw.size() - 1] & 0x80) != 0;
  if (negative) {  // two's complement negation
    unsigned carry = 1;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      const unsigned v = static_cast<std::uint8_t>(~bytes[i]) + carry;
      bytes[i] = static_cast<std::uint8_t>(v);
      carry = v >> 8;
    }
  }
  out += negative ? "-0x" : "0x";
  std::size_t top = raw.size();
  while (top > 1 && bytes[top - 1] == 0) --top;
  char buf[4];
  std::snprintf(buf, sizeof buf, "%x", bytes[top - 1]);
  out += buf;
  for (std::size_t i = top - 1; i-- > 0;) {
    std::snprintf(buf, sizeof buf, "%02x", bytes[i]);
    out += buf;
  }
}

}  // namespace

std::string Vm::Render(Value value) const {
  std::string out;
  RenderInto(value, 0, out);
  if (out.size() > kMaxEvidenceChars) {
    out.resize(kMaxEvidenceChars);
    out += "...";
  }
  return out;
}

void Vm::RenderLiteral(std::uint64_t offset, std::string& out) const {
  auto lit = ReadLiteral(data_, offset);
  if (!lit) {
    out += "<?>";
    return;
  }
  switch (lit->type) {
    case LiteralType::kStr:
    case LiteralType::kStr8:
    case LiteralType::kBytes:
    case LiteralType::kByteArray: {
      bool truncated = false;
      auto text = DecodeLiteral(*lit, kMaxEvidenceLiteral * 4, &truncated);
      if (!text) {
        out += "<undecodable string>";
        return;
      }
      const bool is_bytes =
          lit->type == LiteralType::kBytes || lit->type == LiteralType::kByteArray;
      if (lit->type == LiteralType::kByteArray) out += "bytearray(";
      AppendEscaped(out, *text, is_bytes, truncated);
      if (lit->type == LiteralType::kByteArray) out += ")";
      return;
    }
    case LiteralType::kBigInt:
      if (lit->encoding == TextEncoding::kLittleEndian) {
        AppendLittleEndianInt(out, lit->raw);
      } else {
        std::string_view text = lit->raw.AsStringView();
        if (!text.empty() && text.back() == 'L') text.remove_suffix(1);
        if (text.size() > kMaxEvidenceLiteral) {
          out += "<int of " + std::to_string(text.size()) + " digits>";
        } else {
          out += text;
        }
      }
      return;
    case LiteralType::kFloat:
      if (lit->encoding == TextEncoding::kBigEndianDouble) {
        std::uint64_t bits = 0;
        for (int i = 0; i < 8; ++i) bits = (bits << 8) | lit->raw[i];
        double value = 0;
        std::memcpy(&value, &bits, sizeof value);
        AppendFloat(out, value);
      } else {
        std::string_view text = lit->raw.AsStringView();
        out += text.substr(0, kMaxEvidenceLiteral);
      }
      return;
  }
}

void Vm::RenderInto(Value value, int depth, std::string& out) const {
  if (out.size() > kMaxEvidenceChars) return;
  switch (value.tag()) {
    case Tag::kNone:
      out += "None";
      return;
    case Tag::kBool:
      out += value.payload() ? "True" : "False";
      return;
    case Tag::kInt:
      out += std::to_string(value.int_value());
      return;
    case Tag::kLiteral:
      RenderLiteral(value.payload(), out);
      return;
    case Tag::kBlob: {
      if (value.payload() >= blobs_.size()) break;
      const ByteView blob = blobs_[value.payload()];
      const bool truncated = blob.size() > kMaxEvidenceLiteral;
      AppendEscaped(out, std::string(blob.Prefix(kMaxEvidenceLiteral).AsStringView()), true,
                    truncated);
      return;
    }
    case Tag::kGlobal:
      out += GlobalName(static_cast<std::uint32_t>(value.payload()));
      return;
    case Tag::kExt:
      out += "<EXT " + std::to_string(value.payload()) + ">";
      return;
    case Tag::kNode: {
      const Node* node = NodeOf(value);
      if (node == nullptr) break;
      if (depth >= kMaxEvidenceDepth) {
        out += "...";
        return;
      }
      RenderNode(*node, depth + 1, out);
      return;
    }
    default:
      break;
  }
  out += "<?>";
}

void Vm::RenderNode(const Node& node, int depth, std::string& out) const {
  auto items = [&](std::size_t from, std::size_t step_pairs, std::uint64_t total) {
    for (std::size_t i = from; i < node.sample_size; i += step_pairs) {
      if (i > from) out += ", ";
      RenderInto(node.sample[i], depth, out);
      if (step_pairs == 2 && i + 1 < node.sample_size) {
        out += ": ";
        RenderInto(node.sample[i + 1], depth, out);
      }
      if (out.size() > kMaxEvidenceChars) return;
    }
    if (total > node.sample_size) out += node.sample_size > from ? ", ..." : "...";
  };
  auto arguments = [&](Value args) {
    const Node* tuple = NodeOf(args);
    if (tuple != nullptr && tuple->kind == NodeKind::kTuple) {
      for (std::size_t i = 0; i < tuple->sample_size; ++i) {
        if (i > 0) out += ", ";
        RenderInto(tuple->sample[i], depth, out);
      }
      if (tuple->count > tuple->sample_size) out += tuple->sample_size > 0 ? ", ..." : "...";
    } else {
      out += "*";
      RenderInto(args, depth, out);
    }
  };
  switch (node.kind) {
    case NodeKind::kList:
      out += "[";
      items(0, 1, node.count);
      out += "]";
      return;
    case NodeKind::kTuple:
      out += "(";
      items(0, 1, node.count);
      out += node.count == 1 ? ",)" : ")";
      return;
    case NodeKind::kDict:
      out += "{";
      items(0, 2, node.count);
      out += "}";
      return;
    case NodeKind::kSet:
    case NodeKind::kFrozenSet:
      out += node.kind == NodeKind::kSet ? "{" : "frozenset({";
      if (node.count == 0) out += node.kind == NodeKind::kSet ? "*()" : "";
      items(0, 1, node.count);
      out += node.kind == NodeKind::kSet ? "}" : "})";
      return;
    case NodeKind::kCall:
      RenderInto(node.sample[0], depth, out);
      out += "(";
      arguments(node.sample[1]);
      out += ")";
      return;
    case NodeKind::kNewObj:
    case NodeKind::kNewObjEx:
      RenderInto(node.sample[0], depth, out);
      out += ".__new__(";
      RenderInto(node.sample[0], depth, out);
      if (const Node* t = NodeOf(node.sample[1]); t == nullptr || t->count > 0) out += ", ";
      arguments(node.sample[1]);
      if (node.kind == NodeKind::kNewObjEx) {
        out += ", **";
        RenderInto(node.sample[2], depth, out);
      }
      out += ")";
      return;
    case NodeKind::kPersId:
      out += "persistent_load(";
      RenderInto(node.sample[0], depth, out);
      out += ")";
      return;
    case NodeKind::kDynamicGlobal:
      out += "STACK_GLOBAL(";
      RenderInto(node.sample[0], depth, out);
      out += ", ";
      RenderInto(node.sample[1], depth, out);
      out += ")";
      return;
  }
}

}  // namespace mg::pickle
