#include "analyzers/mlflow/yaml_tree.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <map>
#include <set>
#include <sstream>

namespace mg::mlflow {

// Thrown inside the event handler when a limit is reached; caught in ParseYaml, so it never leaves
// this file.
struct YamlLimitReached {
  std::string message;
  std::uint32_t line;
};

class YamlBuilder final : public YAML::EventHandler {
 public:
  explicit YamlBuilder(YamlTree& tree) : tree_(tree) {}

  void OnDocumentStart(const YAML::Mark&) override { ++documents_; }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Add(NewNode(YamlKind::kNull, mark), anchor);
  }
  // An alias is the anchored node itself: a reference, not a copy (YAML 1.2 section 3.2.2.2).
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto found = anchors_.find(anchor);
    if (found == anchors_.end()) throw YamlLimitReached{"alias of an unknown anchor", Line(mark)};
    ++tree_.aliases_;
    Charge(mark);
    Attach(found->second);
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    NoteTag(tag, mark);
    const std::uint32_t index = NewNode(YamlKind::kScalar, mark);
    tree_.nodes_[index].text = value;
    tree_.nodes_[index].plain = tag == "?";  // yaml-cpp tags plain scalars "?", quoted "!"
    Add(index, anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    NoteTag(tag, mark);
    Open(NewNode(YamlKind::kSequence, mark), anchor, mark);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    NoteTag(tag, mark);
    Open(NewNode(YamlKind::kMapping, mark), anchor, mark);
  }
  void OnMapEnd() override { Close(); }

  std::uint32_t documents() const { return documents_; }

 private:
  struct Frame {
    std::uint32_t node;
    bool expecting_key = true;
    std::string key;
  };

  static std::uint32_t Line(const YAML::Mark& mark) {
    return mark.line >= 0 ? static_cast<std::uint32_t>(mark.line) + 1 : 0;
  }

  // PyYAML's Python tags (constructor.py: "tag:yaml.org,2002:python/..." for !!python/...)
  // import and call what they name under yaml.load / unsafe_load; safe_load refuses them.
  void NoteTag(const std::string& tag, const YAML::Mark& mark) {
    constexpr std::string_view kPythonTagPrefixes[] = {"tag:yaml.org,2002:python/", "!!python/",
                                                       "!python/"};
    for (std::string_view prefix : kPythonTagPrefixes) {
      if (!tag.starts_with(prefix)) continue;
      if (tree_.python_tags_++ == 0) {
        tree_.first_python_tag_ = tag.substr(0, 200);
        tree_.first_python_tag_line_ = Line(mark);
      }
      return;
    }
  }

  void Charge(const YAML::Mark& mark) {
    if (++events_ > tree_.limits_.max_nodes) {
      throw YamlLimitReached{"more than " + std::to_string(tree_.limits_.max_nodes) + " YAML nodes",
                             Line(mark)};
    }
  }

  std::uint32_t NewNode(YamlKind kind, const YAML::Mark& mark) {
    Charge(mark);
    YamlNode node;
    node.kind = kind;
    node.line = Line(mark);
    tree_.nodes_.push_back(std::move(node));
    return static_cast<std::uint32_t>(tree_.nodes_.size() - 1);
  }

  void Add(std::uint32_t index, YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor) anchors_[anchor] = index;
    Attach(index);
  }

  void Open(std::uint32_t index, YAML::anchor_t anchor, const YAML::Mark& mark) {
    Add(index, anchor);
    if (stack_.size() >= tree_.limits_.max_depth) {
      throw YamlLimitReached{"YAML nested deeper than " + std::to_string(tree_.limits_.max_depth),
                             Line(mark)};
    }
    stack_.push_back(Frame{index, true, {}});
  }

  void Close() {
    if (!stack_.empty()) stack_.pop_back();
  }

  // Places a finished node in its parent: a sequence item, a mapping key or a mapping value. A key
  // that is not a scalar (legal YAML, never written by MLflow) is kept as "<complex>".
  void Attach(std::uint32_t index) {
    if (stack_.empty()) {
      tree_.root_ = index;
      return;
    }
    Frame& parent = stack_.back();
    YamlNode& container = tree_.nodes_[parent.node];
    if (container.kind == YamlKind::kSequence) {
      container.items.push_back(index);
    } else if (parent.expecting_key) {
      const YamlNode& key = tree_.nodes_[index];
      parent.key = key.kind == YamlKind::kScalar ? key.text : std::string("<complex>");
      parent.expecting_key = false;
    } else {
      if (parent.key == "<<") ++tree_.merges_;
      container.entries.emplace_back(std::move(parent.key), index);
      parent.key.clear();
      parent.expecting_key = true;
    }
  }

  YamlTree& tree_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, std::uint32_t> anchors_;
  std::uint32_t events_ = 0;
  std::uint32_t documents_ = 0;
};

namespace {

// Merge keys may nest (a merged mapping with its own "<<"); aliases can make that cyclic.
constexpr int kMaxMergeDepth = 8;

using EntryList = std::vector<std::pair<std::string, std::uint32_t>>;

// Adds `key` unless an entry of that name is already present (earlier sources win). The set keeps
// this linear in the number of entries: a mapping may have tens of thousands of keys.
void AddMissing(EntryList& out, std::set<std::string_view>& seen, const std::string& key,
                std::uint32_t value) {
  if (seen.insert(key).second) out.emplace_back(key, value);
}

void CollectEntries(const YamlTree& tree, std::uint32_t mapping, int depth, EntryList& out,
                    std::set<std::string_view>& seen) {
  const YamlNode& node = tree.node(mapping);
  if (node.kind != YamlKind::kMapping || depth > kMaxMergeDepth) return;
  // Explicit keys first, the last of repeated keys winning (PyYAML's constructor).
  for (auto it = node.entries.rbegin(); it != node.entries.rend(); ++it) {
    if (!tree.Visit()) return;
    if (it->first != "<<") AddMissing(out, seen, it->first, it->second);
  }
  // Then merged mappings: for a sequence, earlier mappings win (YAML 1.1 merge key spec).
  for (const auto& [key, value] : node.entries) {
    if (key != "<<") continue;
    const YamlNode& merged = tree.node(value);
    if (merged.kind == YamlKind::kMapping) CollectEntries(tree, value, depth + 1, out, seen);
    if (merged.kind == YamlKind::kSequence) {
      for (std::uint32_t item : merged.items) CollectEntries(tree, item, depth + 1, out, seen);
    }
  }
}

}  // namespace

EntryList YamlTree::Entries(std::uint32_t mapping) const {
  EntryList out;
  std::set<std::string_view> seen;  // views of keys stored in nodes_, which outlive the call
  CollectEntries(*this, mapping, 0, out, seen);
  return out;
}

std::optional<std::uint32_t> YamlTree::Find(std::uint32_t mapping, std::string_view key) const {
  for (const auto& [name, value] : Entries(mapping)) {
    if (name == key) return value;
  }
  return std::nullopt;
}

std::optional<std::string> YamlTree::String(std::uint32_t mapping, std::string_view key) const {
  const auto value = Find(mapping, key);
  if (!value) return std::nullopt;
  const YamlNode& node = nodes_[*value];
  if (node.kind != YamlKind::kScalar || IsYamlNull(node)) return std::nullopt;
  return node.text;
}

bool IsYamlNull(const YamlNode& node) {
  if (node.kind == YamlKind::kNull) return true;
  if (node.kind != YamlKind::kScalar || !node.plain) return false;
  return node.text.empty() || node.text == "~" || node.text == "null" || node.text == "Null" ||
         node.text == "NULL";
}

YamlParse ParseYaml(ByteView data, const YamlLimits& limits) {
  YamlParse result;
  if (data.size() > limits.max_bytes) {
    result.error = {"larger than " + std::to_string(limits.max_bytes) + " bytes", 0};
    return result;
  }
  YamlTree tree;
  tree.limits_ = limits;
  YamlBuilder builder(tree);
  try {
    std::istringstream input(std::string(reinterpret_cast<const char*>(data.data()),
                                         static_cast<std::size_t>(data.size())));
    YAML::Parser parser(input);
    if (!parser.HandleNextDocument(builder) || tree.nodes_.empty()) {
      result.error = {"no YAML document", 0};
      return result;
    }
    // PyYAML's safe_load refuses a stream with a second document.
    if (parser.HandleNextDocument(builder)) {
      result.error = {"more than one YAML document", 0};
      return result;
    }
  } catch (const YamlLimitReached& limit) {
    result.error = {limit.message, limit.line};
    return result;
  } catch (const YAML::Exception& error) {
    const int line = error.mark.line;
    result.error = {error.msg, line >= 0 ? static_cast<std::uint32_t>(line) + 1 : 0};
    return result;
  } catch (const std::exception& error) {
    result.error = {error.what(), 0};
    return result;
  }
  result.tree = std::move(tree);
  return result;
}

}  // namespace mg::mlflow
