// The Keras configuration analyzer: a model's architecture as JSON. It reaches this analyzer
// as config.json inside a .keras archive (through the ZIP analyzer), as the model_config and
// training_config attributes of a Keras 2 .h5 file (through the HDF5 analyzer, which forces
// this format), or as a model.to_json() file. The JSON is parsed with core/json.h's limits and
// every serialized object is judged (config_walk.cpp). metadata.json of a .keras archive comes
// here too: it only records the Keras version.
#include "engine/analyzer.h"

#include <string>

#include "advisories/requirement.h"
#include "analyzers/keras/config_walk.h"
#include "analyzers/keras/rules.h"
#include "core/json.h"
#include "engine/capped_reporter.h"
#include "engine/scan_context.h"

namespace mg::keras {
namespace {

// Sniffing looks at the top-level keys within this many bytes; Keras writes "class_name" and
// the "config" key before the (possibly large) config value.
constexpr std::uint64_t kSniffWindow = 1 << 20;
constexpr std::uint32_t kMaxKeyLength = 64;

struct TopKeys {
  bool cut = false;  // the window ended inside the top-level object
  bool class_name = false;
  bool config = false;
  bool keras_version = false;
};

// The Keras release that saved the model against the advisory list (docs/advisories.md).
void ReportVersionAdvisories(ScanContext& ctx, const std::string& version) {
  const std::string affected =
      advisories::DescribeRecordedRelease(advisories::Ecosystem::kPypi, "keras", version);
  if (affected.empty()) return;
  ctx.Report(rule::kVersionAdvisory, Severity::kLow,
             "Saved by Keras " + version + ", " + affected + ". Load it with a fixed Keras.",
             std::nullopt, "keras_version '" + version + "'");
}

bool IsSpace(std::uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Skips one JSON string starting at data[i] == '"'; returns the index after it, or size.
std::uint64_t SkipString(ByteView data, std::uint64_t i, std::string* text) {
  for (++i; i < data.size(); ++i) {
    const std::uint8_t c = data[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (c == '"') return i + 1;
    if (text != nullptr && text->size() < kMaxKeyLength) text->push_back(static_cast<char>(c));
  }
  return data.size();
}

// Skips one JSON value (bracket counting, strings respected); returns the index after it.
std::uint64_t SkipValue(ByteView data, std::uint64_t i) {
  std::uint64_t depth = 0;
  for (; i < data.size(); ++i) {
    const std::uint8_t c = data[i];
    if (c == '"') {
      i = SkipString(data, i, nullptr) - 1;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth == 0) return i;
      if (--depth == 0) return i + 1;
    } else if (c == ',' && depth == 0) {
      return i;
    }
  }
  return i;
}

// The top-level keys of a JSON object, as far as the window reaches. Not a validator: the
// analyzer parses the document properly.
TopKeys ScanTopLevelKeys(ByteView whole) {
  const ByteView data = whole.Prefix(kSniffWindow);
  TopKeys keys;
  std::uint64_t i = 0;
  // Every early return passes through here: running out of window is not running out of file.
  auto finish = [&]() {
    keys.cut = i >= data.size() && whole.size() > data.size();
    return keys;
  };
  if (data.StartsWith("\xEF\xBB\xBF")) i = 3;
  while (i < data.size() && IsSpace(data[i])) ++i;
  if (i >= data.size() || data[i] != '{') return TopKeys{};
  ++i;
  while (i < data.size()) {
    while (i < data.size() && (IsSpace(data[i]) || data[i] == ',')) ++i;
    if (i >= data.size() || data[i] != '"') return finish();
    std::string key;
    i = SkipString(data, i, &key);
    while (i < data.size() && IsSpace(data[i])) ++i;
    if (i >= data.size() || data[i] != ':') return finish();
    keys.class_name |= key == "class_name";
    keys.config |= key == "config";
    keys.keras_version |= key == "keras_version";
    if (keys.class_name && keys.config) return keys;
    i = SkipValue(data, i + 1);
  }
  return finish();
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

class KerasAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return kFormatName; }

  int Sniff(ByteView data) const override { return SniffNamed({}, data); }

  int SniffNamed(std::string_view name, ByteView data) const override {
    const TopKeys keys = ScanTopLevelKeys(data);
    // A Keras object has "class_name" and "config" at the top (a Hugging Face config.json has
    // neither); the name only adds confidence.
    if (keys.class_name && keys.config) return EndsWith(name, ".json") ? 90 : 80;
    if (keys.keras_version && EndsWith(name, "metadata.json")) return 80;
    // A value of over a MiB before "class_name" (Keras writes it first, an attacker need not):
    // a file named as Keras names it is still analysed, so that it is never skipped as data.
    if (keys.cut && (PayloadBaseName(name) == "config.json" || PayloadBaseName(name) == "model.json")) {
      return 50;
    }
    return 0;
  }

  void Analyze(ScanContext& ctx, ByteView data) const override {
    JsonLimits limits;
    limits.max_depth = 128;
    auto document = ParseJson(data, limits);
    if (!document) {
      ctx.Incomplete(
          rule::kMalformed,
          "The Keras configuration could not be parsed as JSON: " + document.error().message,
          document.error().offset);
      return;
    }
    CappedReporter reporter(ctx, rule::kFindingsCapped);
    for (const std::string& pointer : document->duplicate_keys) {
      reporter.Report(rule::kDuplicateKey, Severity::kHigh,
                      "A key is repeated; Python keeps the last value (the one analysed), "
                      "other readers may keep the first.",
                      std::nullopt, pointer + " repeated");
    }
    const Json& root = document->value;
    if (!root.is_object()) {
      ctx.Incomplete(rule::kMalformed, "The Keras configuration is not a JSON object.", 0);
      return;
    }
    const auto version = root.find("keras_version");
    if (version != root.end() && version->is_string()) {
      ctx.Report(rule::kVersion, Severity::kInfo,
                 "Saved by Keras " + version->get_ref<const std::string&>().substr(0, 40) + ".",
                 std::nullopt,
                 "keras_version '" + version->get_ref<const std::string&>().substr(0, 40) + "'");
      // A longer string is no release number; the KERAS-VERSION evidence shows it clipped.
      const std::string& text = version->get_ref<const std::string&>();
      if (text.size() <= 40) ReportVersionAdvisories(ctx, text);
    }
    WalkConfig(reporter, root);
  }

  std::span<const RuleInfo> Rules() const override { return keras::Rules(); }
};

}  // namespace
}  // namespace mg::keras

namespace mg {

const Analyzer& KerasAnalyzerInstance() {
  static const keras::KerasAnalyzer kInstance;
  return kInstance;
}

}  // namespace mg
