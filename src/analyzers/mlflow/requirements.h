// Requirement lines from the environment files MLflow writes beside MLmodel (requirements.txt,
// conda.yaml's pip list, python_env.yaml's dependencies): the pins, for later advisory matching,
// and the lines that install from outside a package index.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/byte_view.h"

namespace mg::mlflow {

// A requirement by name ("scikit-learn==1.2.2": name scikit-learn, spec ==1.2.2).
struct Requirement {
  std::string file;
  std::uint32_t line = 0;  // 1-based line in requirements.txt; 0 for YAML list entries
  std::string name;        // as written (not normalised)
  std::string spec;        // version specifier and markers, possibly empty
};

// A line that installs from somewhere other than the configured index.
struct RequirementSource {
  std::string file;
  std::uint32_t line = 0;
  std::string text;  // the line as written (trimmed, at most 200 characters)
  std::string why;   // "a VCS reference", "an extra package index", ...
};

struct RequirementList {
  std::vector<Requirement> pins;
  std::vector<RequirementSource> sources;
};

// Documented limits: requirements files are small.
inline constexpr std::uint64_t kMaxRequirementsBytes = 1 << 20;
inline constexpr std::size_t kMaxRequirementLines = 10'000;

// One pip requirement line (comments already allowed; options included). `line` is 1-based or 0.
void ParseRequirementLine(std::string_view file, std::uint32_t line, std::string_view text,
                          RequirementList& out);

// A whole requirements.txt. False when it is over the limits (nothing parsed past them).
bool ParseRequirementsText(std::string_view file, ByteView data, RequirementList& out);

}  // namespace mg::mlflow
