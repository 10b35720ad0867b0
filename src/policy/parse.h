// Reading a policy file, strictly: `version: 1` is required; unknown keys, wrong types,
// duplicate keys, bad dates and unknown severities, formats or methods are errors that name the
// file, the line and the key path. Nothing falls back to a permissive default.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/policy.h"

namespace mg::policy {

struct PolicyError {
  std::string file;
  int line = 0;          // 1-based; 0 when the problem is not tied to a line
  std::string key_path;  // "signatures.keys[1]"; empty for the document itself
  std::string message;
  std::string ToString() const;  // "policy.yaml:12: signatures.keys[1]: ..."
};

struct PolicyLoad {
  std::optional<Policy> policy;     // set only when `errors` is empty
  std::vector<PolicyError> errors;  // every problem found, in document order
};

// Largest policy file read (a policy is a page of YAML, not a data set).
inline constexpr std::uintmax_t kMaxPolicyBytes = 1 << 20;

// Parses `text` as the policy stored at `file` (relative key and root paths are resolved
// against file's folder; the digest is computed over `text`).
PolicyLoad ParsePolicy(std::string_view text, const std::filesystem::path& file);

// Reads and parses a policy file.
PolicyLoad LoadPolicy(const std::filesystem::path& file);

// Format names a policy may use: every analyzer's and the engine's recognised formats.
bool IsKnownFormat(std::string_view name);

}  // namespace mg::policy
