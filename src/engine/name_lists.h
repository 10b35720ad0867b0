// Organisation name lists: extra names a policy allows or denies for the analyzers that judge
// Python and JVM names (pickle globals, Spark ML classes, PySpark modules, Keras modules). The
// engine hands one read-only instance to every ScanContext of a scan (ScanOptions::name_lists).
//
// Matching (docs/policy.md, "Name lists"): an entry is a dotted name, optionally ending in ".*"
// or "." (both mean the same). A plain entry matches that exact name only; "mypkg.*" matches
// every name strictly below "mypkg" ("mypkg.models.Net"), not "mypkg" itself nor "mypkg2".
//
// What the analyzers do with a match: an allowed name is treated like a name on their built-in
// allowlist (no "unknown" finding) but never overrides their built-in dangerous list (os.system
// stays critical whatever the policy says); a denied name is a finding of its own (critical,
// so that it blocks whatever findings.block_at is), reported in addition to anything else.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mg {

enum class NameKind : std::uint8_t {
  kPickleGlobal,   // "module.name" of a global a pickle imports (after Python 2 renames)
  kSparkMlClass,   // a Spark ML stage's "class" as written in its metadata
  kPysparkModule,  // the module PySpark imports for a stage's class (the class minus its name)
  kKerasModule,    // a module a Keras configuration makes the loader import
};
inline constexpr std::size_t kNameKindCount = 4;

// The policy key for a kind ("pickle_globals", ...).
std::string_view NameKindKey(NameKind kind);

// Limits on entries, checked by ValidateNameEntry and documented in docs/policy.md.
inline constexpr std::size_t kMaxNameEntryLength = 256;
inline constexpr std::size_t kMaxNameEntries = 1000;  // per list (allow or deny) and kind

// Why `entry` is not a valid entry for `kind`, or nothing when it is. Valid: ASCII identifiers
// ([A-Za-z_][A-Za-z0-9_]*; Spark ML classes may also use '$' for nested JVM classes) joined by
// single dots, optionally followed by ".*" or "."; at most kMaxNameEntryLength characters.
std::optional<std::string> ValidateNameEntry(NameKind kind, std::string_view entry);

// One list of entries, prepared for lookups that cost one map search per dotted component.
class NamePatterns {
 public:
  // `entry` must have passed ValidateNameEntry; a repeated entry is kept once.
  void Add(std::string_view entry);
  // The entry (as written) that matches `name`, or nothing.
  std::optional<std::string_view> Match(std::string_view name) const;
  bool empty() const { return exact_.empty() && prefixes_.empty(); }

 private:
  std::map<std::string, std::string, std::less<>> exact_;     // name -> entry
  std::map<std::string, std::string, std::less<>> prefixes_;  // "mypkg." -> entry
};

struct OrgNameLists {
  std::array<NamePatterns, kNameKindCount> allow;
  std::array<NamePatterns, kNameKindCount> deny;

  std::optional<std::string_view> Allowed(NameKind kind, std::string_view name) const {
    return allow[static_cast<std::size_t>(kind)].Match(name);
  }
  std::optional<std::string_view> Denied(NameKind kind, std::string_view name) const {
    return deny[static_cast<std::size_t>(kind)].Match(name);
  }
  bool empty() const;

  // The lists of a scan without a policy: nothing allowed, nothing denied.
  static const OrgNameLists& None();
};

// Evidence text shared by the analyzers' policy findings: "mypkg.Net (policy deny entry
// 'mypkg.*')".
std::string PolicyDenyEvidence(std::string_view name, std::string_view entry);

}  // namespace mg
