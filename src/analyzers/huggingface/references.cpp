#include "analyzers/huggingface/references.h"

#include <algorithm>
#include <array>

#include "engine/analyzer.h"

namespace mg::huggingface {
namespace {

// transformers' file names (CONFIG_NAME, GENERATION_CONFIG_NAME, TOKENIZER_CONFIG_FILE,
// FEATURE_EXTRACTOR_NAME / IMAGE_PROCESSOR_NAME, PROCESSOR_NAME).
constexpr std::array<std::string_view, 5> kConfigNames = {
    "config.json", "tokenizer_config.json", "preprocessor_config.json", "processor_config.json",
    "generation_config.json"};

}  // namespace

bool IsConfigName(std::string_view path) {
  const std::string_view base = PayloadBaseName(path);
  return std::find(kConfigNames.begin(), kConfigNames.end(), base) != kConfigNames.end();
}

std::string ClassReference::ModuleFile() const {
  std::string file = module;
  std::replace(file.begin(), file.end(), '.', '/');
  return file + ".py";
}

std::optional<ClassReference> ParseClassReference(std::string_view text) {
  ClassReference reference;
  const std::size_t separator = text.find("--");
  if (separator != std::string_view::npos) {
    if (text.find("--", separator + 2) != std::string_view::npos) return std::nullopt;
    reference.repository = std::string(text.substr(0, separator));
    text.remove_prefix(separator + 2);
    if (reference.repository.empty()) return std::nullopt;
  }
  const std::size_t dot = text.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == text.size()) return std::nullopt;
  reference.module = std::string(text.substr(0, dot));
  reference.class_name = std::string(text.substr(dot + 1));
  return reference;
}

}  // namespace mg::huggingface
