// Expands analyzers.def into the analyzer registry.
#include <array>

#include "engine/analyzer.h"

namespace mg {

#define MODELGATE_ANALYZER(folder, factory) const Analyzer& factory();
#include "analyzers/analyzers.def"
#undef MODELGATE_ANALYZER

std::span<const Analyzer* const> RegisteredAnalyzers() {
  static const auto* const kAll = new std::array{
#define MODELGATE_ANALYZER(folder, factory) &factory(),
#include "analyzers/analyzers.def"
#undef MODELGATE_ANALYZER
  };
  return {kAll->data(), kAll->size()};
}

const Analyzer* FindAnalyzer(std::string_view name) {
  for (const Analyzer* analyzer : RegisteredAnalyzers()) {
    if (analyzer->Name() == name) return analyzer;
  }
  return nullptr;
}

}  // namespace mg
