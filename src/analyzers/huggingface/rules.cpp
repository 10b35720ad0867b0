#include "analyzers/huggingface/rules.h"

#include <array>

namespace mg::huggingface {
namespace {

constexpr std::array kRules = {
    RuleInfo{rule::kAutoMap, Severity::kMedium, "Config maps a class to custom code",
             "The config's auto_map names a Python module of the model's own for an Auto class "
             "(\"AutoModel\": \"modeling_foo.FooModel\"; the module is modeling_foo.py). "
             "transformers imports and runs that module when the model is loaded with "
             "trust_remote_code=True. The evidence says whether the file is beside the config; "
             "the Python analyzer reports what the file itself does.",
             "/auto_map/AutoModel: modeling_foo.FooModel -> modeling_foo.py (present beside "
             "the config)"},
    RuleInfo{rule::kRemoteRepoCode, Severity::kHigh, "Config loads code from another repository",
             "An auto_map or custom_pipelines reference has the form \"org/repo--module.Class\": "
             "transformers downloads module.py from that other repository and runs it, so the "
             "code that runs is not in the scanned model at all and can change at any time.",
             "/auto_map/AutoModel: attacker/payload--modeling.Model (module.py of "
             "attacker/payload)"},
    RuleInfo{rule::kCustomPipeline, Severity::kMedium, "Config declares a custom pipeline",
             "custom_pipelines maps a task to an implementation class in a module of the "
             "model's own; pipeline(..., trust_remote_code=True) imports and runs it.",
             "/custom_pipelines/text-classification/impl: pipe.MyPipeline -> pipe.py"},
    RuleInfo{rule::kTrustRemoteCode, Severity::kMedium, "Config asks for trust_remote_code",
             "A key trust_remote_code set to true: the config expects its loader to run the "
             "model's own Python code (some tools pass config values on as loader arguments).",
             "/trust_remote_code: true"},
    RuleInfo{rule::kCustomClass, Severity::kMedium, "Class name points at a module",
             "tokenizer_class, processor_class, image_processor_type or feature_extractor_type "
             "holds a module path or a repository reference instead of a transformers class "
             "name: the class comes from custom code.",
             "/tokenizer_class: tokenization_x.XTokenizer"},
    RuleInfo{rule::kChatTemplate, Severity::kInfo, "Chat template",
             "The tokenizer config carries a Jinja chat template, rendered by "
             "apply_chat_template in transformers' sandboxed Jinja environment and by "
             "llama.cpp-style runtimes. The template is judged by the Jinja analyzer (JINJA-* "
             "rules, member `chat_template` or `chat_template:<name>`).",
             "/chat_template: 1254 characters"},
    RuleInfo{rule::kMalformed, Severity::kMedium, "Config unreadable",
             "The file is not a JSON object that the bounded parser accepts (a syntax error, "
             "invalid UTF-8, a nesting, count or length limit), or auto_map / custom_pipelines "
             "have a shape transformers does not read. Code references in it may be missed: "
             "the file is `incomplete`.",
             "JSON syntax error at offset 412."},
    RuleInfo{rule::kDuplicateKey, Severity::kLow, "Config key repeated",
             "An object repeats a key. Python's json keeps the last value and other readers "
             "the first, so two tools can see different configs. The last value is the one "
             "analysed. Medium when the key is inside auto_map or custom_pipelines.",
             "/auto_map/AutoModel"},
    RuleInfo{rule::kKerasLambda, Severity::kMedium, "Keras config with a Lambda layer",
             "A config.json shaped like a Keras model config (top-level class_name and config) "
             "reached this analyzer because no Keras analyzer claimed it, and one of its layers "
             "is a Lambda, whose function Keras stores as marshalled Python bytecode. It is not "
             "decoded here: the file is `incomplete`.",
             "config.json is a Keras model config with a Lambda layer."},
};

}  // namespace

std::span<const RuleInfo> Rules() { return kRules; }

}  // namespace mg::huggingface
