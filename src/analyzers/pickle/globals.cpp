// Matching a resolved global against the denylist and the allowlist (docs/pickle-globals.md).
// Both lists are indexed once, by dotted path, into hash maps; a lookup walks the dot boundaries
// of "module.name" and does one hash probe per boundary.
#include "analyzers/pickle/globals.h"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace mg::pickle {
namespace {

// Rules sharing one dotted path: "os" holds the stems exec*, spawn*...; "os.system" an exact rule.
struct PathRules {
  const GlobalRule* exact = nullptr;     // name was exact: matches this path (and below)
  const GlobalRule* wildcard = nullptr;  // name was "*": everything in and under this module
  std::vector<const GlobalRule*> stems;  // name was "prefix*": next component starts with prefix
};

struct RuleIndex {
  std::unordered_map<std::string_view, PathRules> by_path;
  // No key is longer: probing stops there, so a name with thousands of dots costs no more than
  // a few probes per starting point.
  std::size_t max_key_length = 0;
  // First components of all keys ("os", "torch"...): a path starting elsewhere matches nothing.
  std::unordered_set<std::string_view> roots;
  std::vector<std::string> joined_paths;  // storage for "module.name" keys of exact rules
};

bool IsStem(std::string_view name) { return name.size() > 1 && name.back() == '*'; }

// Built in place: the map's keys view into `joined_paths`, which never reallocates.
const RuleIndex* BuildIndex(std::span<const GlobalRule> rules) {
  auto* index = new RuleIndex;
  index->joined_paths.reserve(rules.size());
  for (const GlobalRule& rule : rules) {
    if (rule.name == "*") {
      index->by_path[rule.module].wildcard = &rule;
    } else if (IsStem(rule.name)) {
      index->by_path[rule.module].stems.push_back(&rule);
    } else {
      std::string& path = index->joined_paths.emplace_back(rule.module);
      path.append(1, '.').append(rule.name);
      index->by_path[path].exact = &rule;
    }
  }
  for (const auto& [key, path_rules] : index->by_path) {
    index->max_key_length = std::max(index->max_key_length, key.size());
    index->roots.insert(key.substr(0, key.find('.')));
  }
  return index;
}

const RuleIndex& DenyIndex() {
  static const RuleIndex* const kIndex = BuildIndex(DenylistRules());
  return *kIndex;
}

const RuleIndex& AllowIndex() {
  static const RuleIndex* const kIndex = BuildIndex(AllowlistRules());
  return *kIndex;
}

bool IsDunder(std::string_view component) {
  return component.size() > 4 && component.starts_with("__") && component.ends_with("__");
}

// The component of `path` that starts at `start` (up to the next dot).
std::string_view ComponentAt(std::string_view path, std::size_t start) {
  const std::size_t end = path.find('.', start);
  return path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

struct DenyMatch {
  const GlobalRule* rule = nullptr;
  std::size_t key_length = 0;
};

// Keeps the most severe match; among equals the longest (most specific) path.
void Consider(DenyMatch& best, const GlobalRule* rule, std::size_t key_length) {
  if (best.rule == nullptr || rule->severity > best.rule->severity ||
      (rule->severity == best.rule->severity && key_length > best.key_length)) {
    best = {rule, key_length};
  }
}

// Every dotted prefix of `path` is probed, so "os.system.x", module "os.system" and
// "subprocess.run" all reach their entries.
void MatchDenylist(std::string_view path, DenyMatch& best) {
  const RuleIndex& index = DenyIndex();
  if (!index.roots.contains(path.substr(0, path.find('.')))) return;
  std::size_t boundary = 0;
  while (boundary != std::string_view::npos) {
    boundary = path.find('.', boundary + 1);
    const std::string_view prefix = path.substr(0, boundary);
    if (prefix.size() > index.max_key_length) break;
    const auto it = index.by_path.find(prefix);
    if (it == index.by_path.end()) continue;
    const PathRules& rules = it->second;
    if (rules.exact != nullptr) Consider(best, rules.exact, prefix.size());
    if (rules.wildcard != nullptr) Consider(best, rules.wildcard, prefix.size());
    if (boundary == std::string_view::npos || rules.stems.empty()) continue;
    const std::string_view next = ComponentAt(path, boundary + 1);
    for (const GlobalRule* stem : rules.stems) {
      if (next.starts_with(stem->name.substr(0, stem->name.size() - 1))) {
        Consider(best, stem, prefix.size() + 1 + next.size());
      }
    }
  }
}

// An allow rule admits: an exact path as a whole; "*" any plain name in the module or below;
// "prefix*" a plain name starting with prefix directly in the module.
const GlobalRule* MatchAllowlist(std::string_view path, std::size_t module_size, bool plain_name) {
  const RuleIndex& index = AllowIndex();
  if (path.size() <= index.max_key_length) {
    if (const auto it = index.by_path.find(path);
        it != index.by_path.end() && it->second.exact != nullptr) {
      return it->second.exact;
    }
  }
  if (!plain_name) return nullptr;
  const std::string_view name = path.substr(module_size + 1);
  std::size_t boundary = 0;
  while (boundary < module_size) {
    boundary = path.find('.', boundary + 1);
    if (boundary > index.max_key_length) break;
    const auto it = index.by_path.find(path.substr(0, boundary));
    if (it == index.by_path.end()) continue;
    if (it->second.wildcard != nullptr) return it->second.wildcard;
    if (boundary != module_size) continue;
    for (const GlobalRule* stem : it->second.stems) {
      if (name.starts_with(stem->name.substr(0, stem->name.size() - 1))) return stem;
    }
  }
  return nullptr;
}

// Conventional import aliases: `np.load` in a module that did `import numpy as np`.
constexpr std::pair<std::string_view, std::string_view> kModuleAliases[] = {
    {"np", "numpy"}, {"pd", "pandas"}, {"mp", "multiprocessing"}};

// Attribute names under which modules commonly re-export other modules (`import os`). Modules
// cannot be pickled, so a global resolving to one only serves to reach its attributes or to
// rewrite them with BUILD.
constexpr std::string_view kModuleAttributeNames[] = {
    "os",     "sys",    "subprocess", "builtins", "importlib", "pickle", "marshal",
    "ctypes", "socket", "shutil",     "posix",    "nt",        "pty",    "runpy",
    "torch",  "numpy",  "np",         "pandas",   "pd"};

// A dotted name walks attributes; a step named like a module (`os` imported into a trusted
// module, then `.system`) is judged as that module too. Suffixes of one component are left
// out: an attribute that merely shares a module's name ("Trainer.signal") is no primitive.
void MatchDottedName(std::string_view path, std::size_t module_size, DenyMatch& best) {
  for (std::size_t dot = module_size; dot != std::string_view::npos;
       dot = path.find('.', dot + 1)) {
    const std::string_view suffix = path.substr(dot + 1);
    if (suffix.find('.') == std::string_view::npos) continue;
    MatchDenylist(suffix, best);
    const std::string_view first = ComponentAt(suffix, 0);
    for (const auto& [alias, target] : kModuleAliases) {
      if (first != alias) continue;
      std::string expanded(target);  // rare: dotted names that start with an alias
      expanded.append(suffix.substr(first.size()));
      MatchDenylist(expanded, best);
    }
  }
}

struct NameSteps {
  bool dunder = false;         // __class__, __globals__ ...
  bool module_object = false;  // a step in kModuleAttributeNames
};

NameSteps ScanNameSteps(std::string_view path, std::size_t module_size) {
  NameSteps steps;
  for (std::size_t start = module_size + 1; start <= path.size();) {
    const std::string_view step = ComponentAt(path, start);
    steps.dunder = steps.dunder || IsDunder(step);
    for (std::string_view module_name : kModuleAttributeNames) {
      steps.module_object = steps.module_object || step == module_name;
    }
    start += step.size() + 1;
  }
  return steps;
}

void SetRule(const GlobalRule& rule, GlobalKind kind, GlobalVerdict& verdict) {
  verdict.kind = kind;
  verdict.severity = kind == GlobalKind::kAllowed ? Severity::kInfo : rule.severity;
  verdict.category = rule.category;
  verdict.reason = rule.reason;
  verdict.invoked_args = rule.invoked_args;
  verdict.payload = rule.payload;
  verdict.resolves = rule.resolves;
}

void SetTrampoline(std::string_view reason, GlobalVerdict& verdict) {
  verdict.kind = GlobalKind::kDenied;
  verdict.category = GlobalCategory::kAttributeTrampoline;
  verdict.severity = Severity::kHigh;
  verdict.reason = reason;
}

constexpr std::array<std::string_view, 10> kCategoryNames = {"none",
                                                             "code-execution",
                                                             "command-execution",
                                                             "import-machinery",
                                                             "file-access",
                                                             "network-access",
                                                             "process-control",
                                                             "attribute-trampoline",
                                                             "nested-deserializer",
                                                             "known-gadget"};

}  // namespace

std::string_view GlobalCategoryName(GlobalCategory category) {
  const auto index = static_cast<std::size_t>(category);
  return index < kCategoryNames.size() ? kCategoryNames[index] : "unknown-category";
}

std::string_view GlobalKindName(GlobalKind kind) {
  switch (kind) {
    case GlobalKind::kAllowed:
      return "allowed";
    case GlobalKind::kDenied:
      return "denied";
    case GlobalKind::kUnknown:
      break;
  }
  return "unknown";
}

GlobalVerdict JudgeGlobal(std::string_view module, std::string_view name) {
  GlobalVerdict verdict;
  verdict.module.assign(module);
  verdict.name.assign(name);
  NormalizeGlobal(verdict.module, verdict.name);
  const std::string_view normalized_module = verdict.module;
  const std::string_view normalized_name = verdict.name;
  // Neither can be resolved by CPython's find_class; the VM decides how to report that.
  if (normalized_module.empty() || normalized_name.empty()) return verdict;

  // One reused buffer per thread: no allocation per lookup once it has grown.
  thread_local std::string path;
  path.assign(normalized_module).append(1, '.').append(normalized_name);

  DenyMatch best;
  MatchDenylist(path, best);
  const bool dotted = normalized_name.find('.') != std::string_view::npos;
  if (dotted) MatchDottedName(path, normalized_module.size(), best);
  // The most specific statement wins: an exact allowlist entry for this very path beats a
  // deny rule that covers a whole module ("torch.jit.*" against the TorchScript pickle helper
  // torch.jit._pickle.build_intlist). An exact deny entry always stands.
  if (best.rule != nullptr && best.rule->name == "*" && !dotted) {
    const RuleIndex& allow = AllowIndex();
    if (const auto it = allow.by_path.find(path);
        it != allow.by_path.end() && it->second.exact != nullptr) {
      SetRule(*it->second.exact, GlobalKind::kAllowed, verdict);
      return verdict;
    }
  }
  if (best.rule != nullptr) {
    SetRule(*best.rule, GlobalKind::kDenied, verdict);
    return verdict;
  }

  const NameSteps steps = ScanNameSteps(path, normalized_module.size());
  const bool plain_name = !dotted && !steps.dunder && !steps.module_object;
  if (const GlobalRule* allowed = MatchAllowlist(path, normalized_module.size(), plain_name)) {
    SetRule(*allowed, GlobalKind::kAllowed, verdict);
  } else if (steps.dunder) {
    SetTrampoline("dunder attribute walk (__class__, __globals__ ...) reaches internals", verdict);
  } else if (steps.module_object) {
    SetTrampoline("reaches a module object (modules cannot be pickled)", verdict);
  }
  return verdict;
}

}  // namespace mg::pickle
