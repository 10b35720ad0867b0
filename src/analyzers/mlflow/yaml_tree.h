// A bounded YAML reader for MLmodel, conda.yaml and python_env.yaml. yaml-cpp's event parser feeds
// a small tree of our own: aliases stay references to the anchored node (never copied), and every
// walk over the tree is charged to a visit budget, so an alias bomb ("billion laughs": each level
// aliases the previous one ten times) costs at most the budget.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/byte_view.h"

namespace mg::mlflow {

// Documented limits (docs/mlflow.md). MLflow writes MLmodel with a few dozen nodes; the signature
// is a JSON string inside one scalar.
struct YamlLimits {
  std::uint64_t max_bytes = 1 << 20;   // larger files are not parsed (incomplete)
  std::uint32_t max_nodes = 100'000;   // nodes created by the parser, aliases included
  std::uint32_t max_depth = 64;        // nesting of sequences and mappings
  std::uint32_t max_visits = 200'000;  // nodes visited by every walk over one tree
};

enum class YamlKind : std::uint8_t { kNull, kScalar, kSequence, kMapping };

struct YamlNode {
  YamlKind kind = YamlKind::kNull;
  std::string text;                                            // scalar value
  std::vector<std::pair<std::string, std::uint32_t>> entries;  // mapping: key, node index
  std::vector<std::uint32_t> items;                            // sequence: node indices
  std::uint32_t line = 0;                                      // 1-based
  bool plain = false;  // an unquoted scalar (only those resolve to null, true, ...)
};

struct YamlParse;

class YamlTree {
 public:
  // The root node index (0) once parsed.
  const YamlNode& node(std::uint32_t index) const { return nodes_[index]; }
  const YamlNode& root() const { return nodes_[root_]; }
  std::uint32_t root_index() const { return root_; }
  std::uint32_t alias_count() const { return aliases_; }

  // The entries of a mapping as PyYAML's SafeLoader builds it: YAML 1.1 merge keys ("<<: *base" or
  // "<<: [*a, *b]") are resolved, explicit keys win over merged ones, and of repeated keys the last
  // wins. Empty for other nodes. Charged to the visit budget.
  std::vector<std::pair<std::string, std::uint32_t>> Entries(std::uint32_t mapping) const;
  std::uint32_t merge_count() const { return merges_; }
  // Nodes tagged with a PyYAML Python tag (!!python/object/apply:...), and the first such tag.
  std::uint32_t python_tag_count() const { return python_tags_; }
  const std::string& first_python_tag() const { return first_python_tag_; }
  std::uint32_t first_python_tag_line() const { return first_python_tag_line_; }

  // The value of `key` in a mapping node (the last one, as PyYAML keeps it), or nullopt.
  std::optional<std::uint32_t> Find(std::uint32_t mapping, std::string_view key) const;
  // A scalar string at `key`, or nullopt when absent, null or not a scalar.
  std::optional<std::string> String(std::uint32_t mapping, std::string_view key) const;

  // Charges one visit; false once the budget is spent (the caller stops walking).
  bool Visit() const { return ++visits_ <= limits_.max_visits; }
  bool BudgetSpent() const { return visits_ > limits_.max_visits; }

 private:
  friend class YamlBuilder;
  friend YamlParse ParseYaml(ByteView data, const YamlLimits& limits);
  std::vector<YamlNode> nodes_;
  std::uint32_t root_ = 0;
  std::uint32_t aliases_ = 0;
  std::uint32_t merges_ = 0;
  std::uint32_t python_tags_ = 0;
  std::string first_python_tag_;
  std::uint32_t first_python_tag_line_ = 0;
  YamlLimits limits_;
  mutable std::uint32_t visits_ = 0;
};

struct YamlError {
  std::string message;
  std::uint32_t line = 0;  // 1-based; 0 when unknown
};

struct YamlParse {
  std::optional<YamlTree> tree;  // set on success
  YamlError error;               // set otherwise
};

// Parses exactly one YAML document. Never throws; errors (syntax, limits, a second document) come
// back in `error`.
YamlParse ParseYaml(ByteView data, const YamlLimits& limits = {});

// True for the scalars PyYAML's safe loader reads as null ("", "~", "null").
bool IsYamlNull(const YamlNode& node);

}  // namespace mg::mlflow
