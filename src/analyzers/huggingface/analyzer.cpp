// The Hugging Face config analyzer: config.json and its siblings (tokenizer, processor,
// preprocessor and generation configs), found by name. A config is data, but it decides
// whether transformers runs the model's own Python code (auto_map, custom_pipelines) or code
// from another repository, and the tokenizer config carries a Jinja chat template. A plain
// config (model_type, architectures, sizes) is clean.
#include "engine/analyzer.h"

#include <filesystem>
#include <string>

#include "analyzers/huggingface/references.h"
#include "analyzers/huggingface/rules.h"
#include "core/json.h"
#include "engine/scan_context.h"

namespace mg::huggingface {
namespace {

constexpr int kConfigScore = 80;
// A Keras config.json (top-level class_name and config) belongs to the Keras analyzer; this
// analyzer still takes it when nothing else does.
constexpr int kKerasConfigScore = 5;
// Sniffing parses configs up to this size to tell Keras from transformers; larger ones (rare:
// tokenizer configs with many added tokens) are taken as transformers configs unparsed.
constexpr std::uint64_t kMaxSniffParseBytes = 4 << 20;
// Configs are small; a config larger than this is not parsed (incomplete).
constexpr std::uint64_t kMaxConfigBytes = 64ULL << 20;
constexpr JsonLimits kConfigJsonLimits{64, 2'000'000, 16ULL << 20};
constexpr std::size_t kMaxReferences = 256;

bool StartsWithBrace(ByteView data) {
  for (std::uint64_t i = 0; i < data.size() && i < 4096; ++i) {
    const std::uint8_t c = data[i];
    if (c == '{') return true;
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  }
  return false;
}

bool IsKerasShaped(const Json& value) {
  return value.is_object() && value.contains("class_name") && value.contains("config") &&
         !value.contains("model_type") && !value.contains("architectures") &&
         !value.contains("auto_map");
}

std::string Pointer(const std::string& parent, const std::string& key) {
  return parent + "/" + JsonPointerToken(key);
}

class ConfigScan {
 public:
  ConfigScan(ScanContext& ctx, ByteView data)
      : ctx_(ctx), data_(data), file_(PayloadBaseName(ctx.current_name())) {}

  void Run() {
    if (data_.size() > kMaxConfigBytes) {
      return ctx_.Incomplete(rule::kMalformed, file_ + " is larger than " +
                                                   std::to_string(kMaxConfigBytes) +
                                                   " bytes and was not parsed.");
    }
    Result<JsonDocument> parsed = ParseJson(data_, kConfigJsonLimits);
    if (!parsed) {
      return ctx_.Incomplete(
          rule::kMalformed,
          file_ + " is not JSON that could be read: " + parsed.error().message + ".",
          parsed.error().offset);
    }
    const Json& root = parsed->value;
    if (!root.is_object()) {
      return ctx_.Incomplete(rule::kMalformed, file_ + " is JSON but not an object.", 0);
    }
    for (const std::string& pointer : parsed->duplicate_keys) ReportDuplicate(pointer);
    if (root.contains("auto_map")) AutoMap(root["auto_map"]);
    if (root.contains("custom_pipelines")) CustomPipelines(root["custom_pipelines"]);
    keras_ = IsKerasShaped(root);
    FindTrustRemoteCode(root, "");
    for (const char* key :
         {"tokenizer_class", "processor_class", "image_processor_type", "feature_extractor_type"}) {
      if (root.contains(key) && root[key].is_string()) CustomClass(key, root[key]);
    }
    if (root.contains("chat_template")) ChatTemplates(root["chat_template"]);
  }

 private:
  void ReportDuplicate(const std::string& pointer) {
    const bool code_key =
        pointer.starts_with("/auto_map") || pointer.starts_with("/custom_pipelines");
    ctx_.Report(rule::kDuplicateKey, code_key ? Severity::kMedium : Severity::kLow,
                file_ + " repeats a key; Python keeps the last value, other readers the first.",
                std::nullopt, pointer);
  }

  void Malformed(const std::string& pointer, const std::string& why) {
    ctx_.Incomplete(rule::kMalformed, file_ + ": " + pointer + " " + why +
                                          "; transformers may still read it "
                                          "another way, so code references may be missed.");
  }

  // Where the module a reference names is, for the evidence.
  std::string Whereabouts(const ClassReference& reference) const {
    const std::string module_file = reference.ModuleFile();
    if (!reference.repository.empty()) {
      return module_file + " of repository " + reference.repository;
    }
    if (ctx_.depth() > 0 || ctx_.target_path().empty()) {
      return module_file + " (in an archive: not looked up)";
    }
    std::error_code error;
    const auto beside = std::filesystem::path(ctx_.target_path()).parent_path() / module_file;
    if (std::filesystem::is_regular_file(beside, error)) {
      return module_file + " (present beside the config)";
    }
    return module_file + " (not beside the config: fetched from the model's repository)";
  }

  void Reference(std::string_view code_rule, const std::string& pointer, const Json& value,
                 const std::string& what) {
    if (++references_ > kMaxReferences) {
      if (references_ == kMaxReferences + 1) {
        Malformed(pointer, "is past the " + std::to_string(kMaxReferences) +
                               " class references that are checked");
      }
      return;
    }
    if (!value.is_string()) return Malformed(pointer, "is not a class reference string");
    const std::string text = value.get<std::string>();
    const auto reference = ParseClassReference(text);
    if (!reference) return Malformed(pointer, "is not a 'module.Class' reference");
    const std::string evidence = pointer + ": " + text + " -> " + Whereabouts(*reference);
    if (!reference->repository.empty()) {
      ctx_.Report(rule::kRemoteRepoCode, Severity::kHigh,
                  file_ + " " + what + " code from another repository, " + reference->repository +
                      ": loading the model with trust_remote_code=True "
                      "downloads and runs " +
                      reference->ModuleFile() + " from there.",
                  std::nullopt, evidence);
      return;
    }
    ctx_.Report(code_rule, Severity::kMedium,
                file_ + " " + what + " the model's own Python module " + reference->ModuleFile() +
                    ", which transformers runs when the model is loaded with "
                    "trust_remote_code=True.",
                std::nullopt, evidence);
  }

  // auto_map: {"AutoModel": "m.C", "AutoTokenizer": ["m.Slow", "m.Fast" or null]}; a bare
  // list is the legacy tokenizer form (tokenization_auto reads it as AutoTokenizer).
  void AutoMap(const Json& auto_map) {
    if (auto_map.is_array()) return AutoMapValue("/auto_map", auto_map);
    if (!auto_map.is_object()) return Malformed("/auto_map", "is not an object");
    for (const auto& [auto_class, value] : auto_map.items()) {
      AutoMapValue(Pointer("/auto_map", auto_class), value);
    }
  }

  void AutoMapValue(const std::string& pointer, const Json& value) {
    if (value.is_null()) return;
    if (!value.is_array()) return Reference(rule::kAutoMap, pointer, value, "maps a class to");
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (value[i].is_null()) continue;
      Reference(rule::kAutoMap, pointer + "/" + std::to_string(i), value[i], "maps a class to");
    }
  }

  // custom_pipelines: {"task": {"impl": "m.Pipeline", "pt": [...], "tf": [...]}}.
  void CustomPipelines(const Json& pipelines) {
    if (!pipelines.is_object()) return Malformed("/custom_pipelines", "is not an object");
    for (const auto& [task, spec] : pipelines.items()) {
      const std::string pointer = Pointer("/custom_pipelines", task);
      if (!spec.is_object() || !spec.contains("impl")) {
        Malformed(pointer, "has no 'impl' class");
        continue;
      }
      Reference(rule::kCustomPipeline, pointer + "/impl", spec["impl"],
                "declares a pipeline implemented in");
    }
  }

  void FindTrustRemoteCode(const Json& value, const std::string& pointer) {
    if (value.is_object()) {
      for (const auto& [key, child] : value.items()) {
        const std::string child_pointer = Pointer(pointer, key);
        if (key == "trust_remote_code" && child.is_boolean() && child.get<bool>()) {
          ctx_.Report(rule::kTrustRemoteCode, Severity::kMedium,
                      file_ +
                          " sets trust_remote_code to true: it expects its loader to run "
                          "the model's own code.",
                      std::nullopt, child_pointer + ": true");
        }
        // Keras serialises a Lambda layer's function as marshalled bytecode in its config.
        if (keras_ && key == "class_name" && child.is_string() &&
            child.get_ref<const std::string&>() == "Lambda" && !reported_lambda_) {
          reported_lambda_ = true;
          ctx_.Incomplete(rule::kKerasLambda,
                          file_ +
                              " is a Keras model config with a Lambda layer, whose function "
                              "is Python bytecode; this analyzer does not decode it.",
                          std::nullopt);
        }
        FindTrustRemoteCode(child, child_pointer);
      }
    } else if (value.is_array()) {
      for (std::size_t i = 0; i < value.size(); ++i) {
        FindTrustRemoteCode(value[i], pointer + "/" + std::to_string(i));
      }
    }
  }

  // transformers looks plain class names up in its own modules; a dotted name or a
  // repository reference can only be custom code.
  void CustomClass(const std::string& key, const Json& value) {
    const std::string name = value.get<std::string>();
    if (name.find('.') == std::string::npos && name.find("--") == std::string::npos) return;
    ctx_.Report(rule::kCustomClass, Severity::kMedium,
                file_ + ": " + key + " names a class in a module, not a transformers class.",
                std::nullopt, "/" + key + ": " + name);
  }

  void ChatTemplates(const Json& value) {
    if (value.is_string()) return ChatTemplate("/chat_template", "chat_template", value);
    if (!value.is_array()) return Malformed("/chat_template", "is neither a string nor a list");
    // Named templates: [{"name": "default", "template": "..."}, ...].
    for (std::size_t i = 0; i < value.size(); ++i) {
      const std::string pointer = "/chat_template/" + std::to_string(i);
      const Json& entry = value[i];
      if (!entry.is_object() || !entry.contains("template") || !entry["template"].is_string()) {
        Malformed(pointer, "is not a {name, template} object");
        continue;
      }
      const std::string name = entry.contains("name") && entry["name"].is_string()
                                   ? entry["name"].get<std::string>()
                                   : std::to_string(i);
      ChatTemplate(pointer + "/template", "chat_template:" + name, entry["template"]);
    }
  }

  void ChatTemplate(const std::string& pointer, const std::string& member, const Json& value) {
    const std::string& text = value.get_ref<const std::string&>();
    ctx_.Report(rule::kChatTemplate, Severity::kInfo,
                file_ + " carries a Jinja chat template, rendered when prompts are formatted.",
                std::nullopt, pointer + ": " + std::to_string(text.size()) + " characters");
    // Judged by the Jinja analyzer (analyzers/jinja), as a member named after the template.
    const ByteView owned = ctx_.Own(std::vector<std::uint8_t>(text.begin(), text.end()));
    ctx_.ScanEmbedded(member, owned, kJinjaFormat);
  }

  ScanContext& ctx_;
  ByteView data_;
  std::string file_;
  std::size_t references_ = 0;
  bool keras_ = false;  // a Keras config that reached this analyzer (no Keras analyzer took it)
  bool reported_lambda_ = false;
};

class HuggingFaceAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return kFormatName; }
  int Sniff(ByteView) const override { return 0; }  // JSON has no magic: the name decides
  int SniffNamed(std::string_view name, ByteView data) const override {
    if (!IsConfigName(name) || !StartsWithBrace(data)) return 0;
    if (PayloadBaseName(name) != "config.json" || data.size() > kMaxSniffParseBytes) return kConfigScore;
    const Result<JsonDocument> parsed = ParseJson(data, kConfigJsonLimits);
    return parsed && IsKerasShaped(parsed->value) ? kKerasConfigScore : kConfigScore;
  }
  void Analyze(ScanContext& ctx, ByteView data) const override { ConfigScan(ctx, data).Run(); }
  std::span<const RuleInfo> Rules() const override { return huggingface::Rules(); }
};

}  // namespace
}  // namespace mg::huggingface

namespace mg {

const Analyzer& HuggingFaceAnalyzerInstance() {
  static const huggingface::HuggingFaceAnalyzer kInstance;
  return kInstance;
}

}  // namespace mg
