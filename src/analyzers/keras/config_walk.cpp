#include "analyzers/keras/config_walk.h"

#include <unordered_set>

#include "analyzers/keras/marshal.h"
#include "analyzers/keras/references.h"
#include "analyzers/keras/rules.h"
#include "analyzers/pickle/decode.h"
#include "engine/scan_context.h"

namespace mg::keras {
namespace {

constexpr std::size_t kMaxStringReference = 200;  // longer strings are not dotted paths
constexpr std::uint64_t kMaxEmbeddedModuleBytes = 1ULL << 30;  // a TorchModuleWrapper module

const std::string* StringMember(const Json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return nullptr;
  return &it->get_ref<const std::string&>();
}

std::string Quote(std::string_view text) {
  constexpr std::size_t kMaxShown = 120;
  std::string out = "'";
  out += text.substr(0, kMaxShown);
  if (text.size() > kMaxShown) out += "...";
  return out + "'";
}

// A dotted Python path: identifiers joined by dots, at least one dot.
bool IsDottedPath(std::string_view text) {
  if (text.size() > kMaxStringReference || text.find('.') == std::string_view::npos) {
    return false;
  }
  bool start = true;
  for (char c : text) {
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (c == '.') {
      if (start) return false;
      start = true;
    } else if (alpha || (digit && !start)) {
      start = false;
    } else {
      return false;
    }
  }
  return !start;
}

// The JSON Pointer of an object for evidence; "" (the whole document) reads badly.
std::string Where(const std::string& pointer) { return pointer.empty() ? "(root)" : pointer; }

class Walker {
 public:
  explicit Walker(CappedReporter& reporter) : reporter_(reporter) {}

  void Walk(const Json& value, std::string& pointer, std::uint32_t depth) {
    if (depth > kMaxWalkDepth) {
      if (!reported_depth_) {
        reported_depth_ = true;
        reporter_.Incomplete(rule::kMalformed,
                             "The configuration nests deeper than " +
                                 std::to_string(kMaxWalkDepth) + " levels at " + pointer +
                                 "; what lies below was not analysed.",
                             std::nullopt);
      }
      return;
    }
    const std::size_t length = pointer.size();
    if (value.is_object()) {
      JudgeObject(value, pointer);
      for (auto it = value.begin(); it != value.end(); ++it) {
        pointer += '/';
        pointer += JsonPointerToken(it.key());
        Walk(it.value(), pointer, depth + 1);
        pointer.resize(length);
      }
    } else if (value.is_array()) {
      for (std::size_t i = 0; i < value.size(); ++i) {
        pointer += '/';
        pointer += std::to_string(i);
        Walk(value[i], pointer, depth + 1);
        pointer.resize(length);
      }
    } else if (value.is_string() && handled_.count(&value) == 0) {
      JudgeString(value.get_ref<const std::string&>(), pointer);
    }
  }

 private:
  void JudgeObject(const Json& object, const std::string& pointer) {
    JudgeKeras2Functions(object, pointer);
    const std::string* class_name = StringMember(object, "class_name");
    if (class_name == nullptr) return;
    const std::string* module = StringMember(object, "module");
    const std::string* registered = StringMember(object, "registered_name");
    const std::string module_name = module != nullptr ? *module : std::string();
    if (*class_name == "__lambda__") return JudgeKeras3Lambda(object, pointer);
    if (*class_name == "function") {
      // serialize_with_public_fn: {"module": m, "class_name": "function", "config": name,
      // "registered_name": name}; the loader imports m and takes `name` from it.
      const std::string* name = StringMember(object, "config");
      if (name == nullptr) name = registered;
      if (name != nullptr) JudgeFunction(module_name, *name, pointer, false);
      return;
    }
    if (*class_name == "TorchModuleWrapper") JudgeTorchModule(object, pointer);
    if (*class_name == "TFSMLayer") {
      const auto config = object.find("config");
      const std::string* path = config != object.end() && config->is_object()
                                    ? StringMember(*config, "filepath")
                                    : nullptr;
      reporter_.Report(
          rule::kExternalSavedModel, Severity::kHigh,
          "A TFSMLayer loads an external TensorFlow SavedModel while the model is "
          "loaded, even in safe mode (CVE-2026-1462).",
          std::nullopt,
          Where(pointer) + ": filepath " + (path != nullptr ? Quote(*path) : "unknown"));
    }
    JudgeClass(module_name, *class_name, registered != nullptr ? *registered : "", pointer);
  }

  // keras/src/utils/torch_utils.py: TorchModuleWrapper.get_config stores
  // base64(torch.save(module)) under config "module"; from_config torch.loads it with
  // weights_only=False, i.e. unpickles it (refused in safe mode by recent Keras). The decoded
  // bytes go back to the engine, which sniffs them (a torch ZIP, a pickle).
  void JudgeTorchModule(const Json& object, const std::string& pointer) {
    const auto config = object.find("config");
    if (config == object.end() || !config->is_object()) return;
    const auto module = config->find("module");
    if (module == config->end() || !module->is_string()) return;
    handled_.insert(&*module);
    ScanContext& ctx = reporter_.ctx();
    const std::string& text = module->get_ref<const std::string&>();
    pickle::Decoded raw = pickle::Base64Decode(ByteView(text), false, kMaxEmbeddedModuleBytes);
    if (raw.status != pickle::DecodeStatus::kOk) {
      reporter_.Incomplete(
          rule::kTorchModule,
          "A TorchModuleWrapper's embedded module could not be decoded (" +
              std::string(raw.status == pickle::DecodeStatus::kTooLarge ? "over the size limit"
                                                                        : "invalid base64") +
              "); loading would unpickle it.",
          std::nullopt);
      return;
    }
    reporter_.Report(rule::kTorchModule, Severity::kMedium,
                     "A TorchModuleWrapper embeds a pickled torch module, which loading "
                     "unpickles with torch.load(weights_only=False); it was analysed as "
                     "member '" +
                         std::string(kTorchModuleMember) + "'.",
                     std::nullopt,
                     Where(pointer) + ": " + std::to_string(raw.bytes.size()) + " bytes");
    if (!ctx.ConsumeDecompressed(raw.bytes.size(), std::nullopt)) return;
    const ByteView bytes = ctx.Own(std::move(raw.bytes));
    ctx.ScanEmbedded(std::string(kTorchModuleMember), bytes);
  }

  void JudgeClass(const std::string& module, const std::string& class_name,
                  const std::string& registered, const std::string& pointer) {
    const std::string evidence =
        Where(pointer) + ": module " + Quote(module) + ", class_name " + Quote(class_name) +
        (registered.empty() ? "" : ", registered_name " + Quote(registered));
    const std::string package = registered.substr(0, registered.find('>'));
    const bool module_allowed = PolicyAllows(module, pointer);
    const bool package_allowed =
        registered.find('>') != std::string::npos && PolicyAllows(package, pointer);
    if (!module.empty()) {
      const Danger danger = JudgeReference(module, class_name);
      if (danger.dangerous) return Dangerous(danger, evidence);
    }
    const Origin origin = module.empty() ? Origin::kKeras : ClassifyModule(module);
    if (origin == Origin::kKeras && IsKerasGadget(class_name)) return Gadget(evidence);
    if (IsCustomRegisteredName(registered) && !package_allowed) {
      return reporter_.Report(rule::kCustomObject, Severity::kHigh,
                              "A registered custom object: loading runs the code of package " +
                                  Quote(registered.substr(0, registered.find('>'))) +
                                  ", which is not in this file.",
                              std::nullopt, evidence);
    }
    if (module == "builtins") return;  // Python's own types; dangerous names are judged above
    if (module_allowed) return;
    ReportOrigin(origin, module, evidence);
  }

  // The policy's keras_modules lists (`modelgate check`): a denied module is a finding of its
  // own, whatever else is said about it. True when the policy allows `module`, which then drops
  // only the findings about code from outside Keras, never those about dangerous references.
  bool PolicyAllows(const std::string& module, const std::string& pointer) {
    const OrgNameLists& lists = reporter_.ctx().name_lists();
    if (module.empty() || lists.empty()) return false;
    if (const auto entry = lists.Denied(NameKind::kKerasModule, module)) {
      reporter_.Report(rule::kPolicyDeniedModule, Severity::kCritical,
                       "Loading imports module " + Quote(module) + ", which the policy denies.",
                       std::nullopt, Where(pointer) + ": " + PolicyDenyEvidence(module, *entry));
    }
    return lists.Allowed(NameKind::kKerasModule, module).has_value();
  }

  // `keras2`: a Keras 2 Lambda "function_type": "function", looked up by name in the module's
  // namespace; otherwise a Keras 3 function reference.
  void JudgeFunction(const std::string& module, const std::string& name, const std::string& pointer,
                     bool keras2) {
    std::string effective_module = module;
    std::string effective_name = name;
    const std::size_t dot = name.rfind('.');
    if (dot != std::string::npos && IsDottedPath(name)) {
      // A dotted name names its own module ("os.system").
      effective_module = name.substr(0, dot);
      effective_name = name.substr(dot + 1);
    }
    const std::string evidence = Where(pointer) + ": " +
                                 (effective_module.empty() ? "" : effective_module + ".") +
                                 effective_name;
    const bool module_allowed = PolicyAllows(effective_module, pointer);
    if (!effective_module.empty()) {
      const Danger danger = JudgeReference(effective_module, effective_name);
      if (danger.dangerous) return Dangerous(danger, evidence);
    }
    if (effective_module == "builtins") return;
    const Origin origin =
        effective_module.empty() ? Origin::kMain : ClassifyModule(effective_module);
    if ((origin == Origin::kKeras || (keras2 && origin == Origin::kMain)) &&
        IsKerasGadget(effective_name)) {
      return Gadget(evidence);
    }
    if (module_allowed) return;  // after the gadget check: allowing keras.* keeps those
    if (origin == Origin::kMain) {
      if (!keras2) return;  // Keras 3 with no module: only registered custom objects resolve
      return reporter_.Report(rule::kNamedFunction, Severity::kLow,
                              "A Lambda names a Python function that the loading program must "
                              "supply; nothing in the file runs.",
                              std::nullopt, evidence);
    }
    ReportOrigin(origin, effective_module, evidence);
  }

  void ReportOrigin(Origin origin, const std::string& module, const std::string& evidence) {
    if (origin == Origin::kExternal) {
      reporter_.Report(rule::kExternalModule, Severity::kHigh,
                       "Loading imports module " + Quote(module) +
                           ", which is not part of Keras; its code was not analysed.",
                       std::nullopt, evidence);
    } else if (origin == Origin::kEcosystem) {
      reporter_.Report(rule::kEcosystemModule, Severity::kLow,
                       "Loading imports module " + Quote(module) + " of a Keras library.",
                       std::nullopt, evidence);
    }
  }

  void Dangerous(const Danger& danger, const std::string& evidence) {
    reporter_.Report(rule::kDangerousReference, Severity::kCritical,
                     "The configuration makes Keras import and look up a dangerous callable (" +
                         danger.reason + "); this is the safe_mode bypass of CVE-2025-1550.",
                     std::nullopt, evidence);
  }

  void Gadget(const std::string& evidence) {
    reporter_.Report(rule::kKerasGadget, Severity::kCritical,
                     "The configuration references a Keras function that loads, downloads or "
                     "disables safe mode (CVE-2025-8747, CVE-2025-9906).",
                     std::nullopt, evidence);
  }

  // Keras 3: Lambda layers write {"class_name": "__lambda__", "config": {"code": b64,
  // "defaults": ..., "closure": ...}}; serialization_lib writes {"config": {"value": [b64,
  // defaults, closure]}} for any other lambda.
  void JudgeKeras3Lambda(const Json& object, const std::string& pointer) {
    const auto config = object.find("config");
    const Json* code = nullptr;
    if (config != object.end() && config->is_object()) {
      const auto code_it = config->find("code");
      const auto value_it = config->find("value");
      if (code_it != config->end()) {
        code = &*code_it;
      } else if (value_it != config->end()) {
        code = value_it->is_array() && !value_it->empty() ? &(*value_it)[0] : &*value_it;
      }
    }
    ReportLambda(code, pointer);
  }

  // Keras 2 Lambda (and other layers using generic_utils.func_dump): a value `key` with a
  // sibling `key`_type of "lambda" (func_dump's [code, defaults, closure], or the code
  // alone), "function" (a name looked up in module `module` / `key`_module) or "raw".
  void JudgeKeras2Functions(const Json& object, const std::string& pointer) {
    // Lambda writes function/output_shape (and mask in some versions); other layers built on
    // func_dump (TensorFlow Probability's make_distribution_fn ...) use the same pattern, so
    // every `key` with a `key`_type sibling is judged.
    constexpr std::string_view kTypeSuffix = "_type";
    for (auto it = object.begin(); it != object.end(); ++it) {
      const std::string& type_key = it.key();
      if (type_key.size() <= kTypeSuffix.size() || !it.value().is_string() ||
          type_key.compare(type_key.size() - kTypeSuffix.size(), kTypeSuffix.size(), kTypeSuffix) !=
              0) {
        continue;
      }
      const std::string key_name = type_key.substr(0, type_key.size() - kTypeSuffix.size());
      const std::string& type = it.value().get_ref<const std::string&>();
      const auto value = object.find(key_name);
      if (value == object.end()) continue;
      const std::string where = pointer + "/" + JsonPointerToken(key_name);
      if (type == "lambda") {
        const Json* code = value->is_array() && !value->empty() ? &(*value)[0] : &*value;
        handled_.insert(code);
        ReportLambda(code, where);
      } else if (type == "function" && value->is_string()) {
        const std::string* module = StringMember(
            object, key_name == "function" ? "module" : (key_name + "_module").c_str());
        handled_.insert(&*value);
        JudgeFunction(module != nullptr ? *module : "", value->get_ref<const std::string&>(), where,
                      true);
      }
    }
  }

  void ReportLambda(const Json* code, const std::string& pointer) {
    std::string evidence = Where(pointer) + ": ";
    if (code == nullptr || !code->is_string()) {
      evidence += "undecodable: no base64 code string";
    } else {
      const std::string& text = code->get_ref<const std::string&>();
      const pickle::Decoded raw = pickle::Base64Decode(ByteView(text), false, kMaxMarshalBytes);
      if (raw.status != pickle::DecodeStatus::kOk) {
        evidence += raw.status == pickle::DecodeStatus::kTooLarge
                        ? "undecodable: the code is over the size limit"
                        : "undecodable: the base64 is invalid";
      } else {
        evidence += DescribeCode(ReadMarshalledCode(ByteView(raw.bytes.data(), raw.bytes.size())));
      }
    }
    reporter_.Report(rule::kLambdaCode, Severity::kCritical,
                     "A Lambda carries marshalled Python bytecode, which runs when the model is "
                     "loaded and called (CVE-2024-3660; .h5 files ignore safe_mode, "
                     "CVE-2025-9905).",
                     std::nullopt, evidence);
  }

  void JudgeString(const std::string& text, const std::string& pointer) {
    if (!IsDottedPath(text)) return;
    const std::size_t dot = text.rfind('.');
    // Only the denylist: a layer named "os.path" is odd, not dangerous.
    const Danger danger = JudgeReference(text.substr(0, dot), text.substr(dot + 1), false);
    if (!danger.dangerous) return;
    reporter_.Report(rule::kDangerousString, Severity::kHigh,
                     "A string names a dangerous callable (" + danger.reason + ").", std::nullopt,
                     Where(pointer) + ": " + Quote(text));
  }

  CappedReporter& reporter_;
  std::unordered_set<const Json*> handled_;
  bool reported_depth_ = false;
};

}  // namespace

void WalkConfig(CappedReporter& reporter, const Json& root) {
  Walker walker(reporter);
  std::string pointer;
  walker.Walk(root, pointer, 0);
  reporter.Flush();
}

}  // namespace mg::keras
