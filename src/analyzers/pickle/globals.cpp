// Placeholder until the allowlist and denylist land: everything is unknown.
#include "analyzers/pickle/globals.h"

namespace mg::pickle {

std::string_view GlobalCategoryName(GlobalCategory) { return "none"; }

void NormalizeGlobal(std::string&, std::string&) {}

GlobalVerdict JudgeGlobal(std::string_view module, std::string_view name) {
  GlobalVerdict verdict;
  verdict.module = std::string(module);
  verdict.name = std::string(name);
  return verdict;
}

}  // namespace mg::pickle
