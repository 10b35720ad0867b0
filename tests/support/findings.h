// Looking findings up in a Target, for analyzer tests.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "report/report.h"
#include "support/test_paths.h"

namespace mg::test {

// src/analyzers/<analyzer>/testdata/<name>
inline std::filesystem::path AnalyzerTestData(std::string_view analyzer, std::string_view name) {
  return SourceDir() / "src" / "analyzers" / analyzer / "testdata" / name;
}

inline std::vector<const Finding*> WithRule(const Target& target, std::string_view rule) {
  std::vector<const Finding*> found;
  for (const auto& finding : target.findings) {
    if (finding.rule == rule) found.push_back(&finding);
  }
  return found;
}

inline bool Has(const Target& target, std::string_view rule) {
  return !WithRule(target, rule).empty();
}

// A finding whose rule starts with `prefix`, located in exactly this member chain.
inline const Finding* AtMember(const Target& target, const std::vector<std::string>& chain,
                               std::string_view prefix) {
  for (const auto& finding : target.findings) {
    if (finding.location.member == chain && finding.rule.rfind(prefix, 0) == 0) return &finding;
  }
  return nullptr;
}

}  // namespace mg::test
