#include "engine/name_lists.h"

#include <algorithm>
#include <array>

namespace mg {

namespace {

constexpr std::array<std::string_view, kNameKindCount> kKindKeys = {
    "pickle_globals", "sparkml_classes", "pyspark_modules", "keras_modules"};

bool IsIdentifierStart(char c, bool dollar) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (dollar && c == '$');
}

bool IsIdentifierChar(char c, bool dollar) {
  return IsIdentifierStart(c, dollar) || (c >= '0' && c <= '9');
}

// "mypkg.*" and "mypkg." are both the prefix "mypkg."; a plain entry has none.
std::optional<std::string_view> PrefixOf(std::string_view entry) {
  if (entry.ends_with(".*")) return entry.substr(0, entry.size() - 1);
  if (entry.ends_with('.')) return entry;
  return std::nullopt;
}

}  // namespace

std::string_view NameKindKey(NameKind kind) { return kKindKeys[static_cast<std::size_t>(kind)]; }

std::optional<std::string> ValidateNameEntry(NameKind kind, std::string_view entry) {
  if (entry.empty()) return "must be a non-empty dotted name";
  if (entry.size() > kMaxNameEntryLength) {
    return "is longer than " + std::to_string(kMaxNameEntryLength) + " characters";
  }
  std::string_view dotted = entry;
  if (auto prefix = PrefixOf(entry)) dotted = prefix->substr(0, prefix->size() - 1);
  const bool dollar = kind == NameKind::kSparkMlClass;
  const std::string_view allowed =
      dollar ? "letters, digits, '_' and '$'" : "letters, digits and '_'";
  const std::string why = "must be a dotted name of ASCII identifiers (" + std::string(allowed) +
                          "), optionally ending in '.*' to cover everything below it";
  if (dotted.empty()) return why;  // "*", ".*", "."
  bool start = true;
  for (char c : dotted) {
    if (c == '.') {
      if (start) return why;  // "..", a leading dot
      start = true;
    } else if (start ? IsIdentifierStart(c, dollar) : IsIdentifierChar(c, dollar)) {
      start = false;
    } else {
      return why;
    }
  }
  if (start) return why;  // a trailing dot inside the name part
  return std::nullopt;
}

void NamePatterns::Add(std::string_view entry) {
  if (auto prefix = PrefixOf(entry)) {
    prefixes_.emplace(std::string(*prefix), std::string(entry));
  } else {
    exact_.emplace(std::string(entry), std::string(entry));
  }
}

std::optional<std::string_view> NamePatterns::Match(std::string_view name) const {
  if (const auto it = exact_.find(name); it != exact_.end()) return it->second;
  if (prefixes_.empty()) return std::nullopt;
  // Every "a.", "a.b." ... that is a strict prefix of `name`, shortest first.
  for (std::size_t dot = name.find('.'); dot != std::string_view::npos && dot + 1 < name.size();
       dot = name.find('.', dot + 1)) {
    if (const auto it = prefixes_.find(name.substr(0, dot + 1)); it != prefixes_.end()) {
      return it->second;
    }
  }
  return std::nullopt;
}

bool OrgNameLists::empty() const {
  const auto none = [](const NamePatterns& patterns) { return patterns.empty(); };
  return std::all_of(allow.begin(), allow.end(), none) &&
         std::all_of(deny.begin(), deny.end(), none);
}

const OrgNameLists& OrgNameLists::None() {
  static const OrgNameLists kNone;
  return kNone;
}

std::string PolicyDenyEvidence(std::string_view name, std::string_view entry) {
  // A prefix entry matches names of any length below it; evidence stays short.
  constexpr std::size_t kMaxShown = 200;
  std::string shown(name.substr(0, kMaxShown));
  if (name.size() > kMaxShown) shown += "...";
  return shown + " (policy deny entry '" + std::string(entry) + "')";
}

}  // namespace mg
