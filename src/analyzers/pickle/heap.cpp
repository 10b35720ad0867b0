// Container and call nodes: a fixed-size pool with a mark-and-sweep collector whose roots are
// the stack and the memo. Nothing is collected in the hot loop; a full pool is swept, and when
// it stays full new containers become opaque (counted, not sampled).
#include "analyzers/pickle/vm.h"

namespace mg::pickle {

const Node* Vm::NodeOf(Value value) const {
  if (value.tag() != Tag::kNode || value.payload() >= nodes_.size()) return nullptr;
  return &nodes_[value.payload()];
}

Node* Vm::MutableNodeOf(Value value) {
  if (value.tag() != Tag::kNode || value.payload() >= nodes_.size()) return nullptr;
  return &nodes_[value.payload()];
}

std::optional<std::uint32_t> Vm::NewNode(NodeKind kind, std::uint64_t at) {
  std::uint32_t id = 0;
  if (!free_nodes_.empty()) {
    id = free_nodes_.back();
    free_nodes_.pop_back();
  } else if (nodes_.size() < kMaxNodes) {
    id = static_cast<std::uint32_t>(nodes_.size());
    nodes_.emplace_back();
  } else {
    if (collect_backoff_ > 0) {
      --collect_backoff_;
      return std::nullopt;
    }
    Collect();
    // A sweep that freed little is not repeated for a while (it costs O(live)).
    if (free_nodes_.size() < kMaxNodes / 8) collect_backoff_ = kMaxNodes / 8;
    if (free_nodes_.empty()) return std::nullopt;
    id = free_nodes_.back();
    free_nodes_.pop_back();
  }
  Node& node = nodes_[id];
  node.kind = kind;
  node.sample_size = 0;
  node.marked = false;
  node.free = false;
  node.count = 0;
  node.offset = at;
  return id;
}

Value Vm::MakeContainer(NodeKind kind, const Value* items, std::size_t count, std::uint64_t at) {
  auto id = NewNode(kind, at);
  if (!id) return Value::Opaque();
  Node& node = nodes_[*id];
  node.count = count;
  const std::size_t kept = count < kNodeSample ? count : kNodeSample;
  for (std::size_t i = 0; i < kept; ++i) node.sample[i] = items[i];
  node.sample_size = static_cast<std::uint8_t>(kept);
  return Value::Make(Tag::kNode, *id);
}

void Vm::AddChildren(Value target, const Value* items, std::size_t count) {
  Node* node = MutableNodeOf(target);
  if (node == nullptr) return;  // opaque container, or an object (obj.append/__setitem__)
  switch (node->kind) {
    case NodeKind::kList:
    case NodeKind::kDict:
    case NodeKind::kSet:
    case NodeKind::kTuple:
    case NodeKind::kFrozenSet:
      break;
    default:
      return;
  }
  node->count += count;
  std::size_t i = 0;
  while (node->sample_size < kNodeSample && i < count)
    node->sample[node->sample_size++] = items[i++];
}

void Vm::Collect() {
  std::vector<std::uint32_t> work;
  auto visit = [&](Value v) {
    if (v.tag() != Tag::kNode || v.payload() >= nodes_.size()) return;
    Node& n = nodes_[v.payload()];
    if (n.marked || n.free) return;
    n.marked = true;
    work.push_back(static_cast<std::uint32_t>(v.payload()));
  };
  for (const Value v : stack_) visit(v);
  for (const Value v : memo_) visit(v);
  for (const auto& [index, v] : memo_sparse_) visit(v);
  while (!work.empty()) {
    const Node& n = nodes_[work.back()];
    work.pop_back();
    for (std::size_t i = 0; i < n.sample_size; ++i) visit(n.sample[i]);
  }
  free_nodes_.clear();
  for (std::size_t id = 0; id < nodes_.size(); ++id) {
    Node& n = nodes_[id];
    if (n.marked) {
      n.marked = false;
    } else {
      n.free = true;
      free_nodes_.push_back(static_cast<std::uint32_t>(id));
    }
  }
}

}  // namespace mg::pickle
