#include "analyzers/keras/rules.h"

#include <array>

namespace mg::keras {

namespace {

constexpr std::array kRules = {
    RuleInfo{rule::kLambdaCode, Severity::kCritical, "Lambda holds Python bytecode",
             "A Lambda layer (or any serialized lambda) carries the base64 of "
             "marshal.dumps(code): Keras 2 as \"function\": [code, defaults, closure] with "
             "\"function_type\": \"lambda\", Keras 3 as {\"class_name\": \"__lambda__\"}. "
             "Loading runs marshal.loads and the code runs when the layer is called, and "
             "Keras 2 .h5 files and older Keras 3 releases ignore safe_mode (CVE-2024-3660, "
             "CVE-2025-9905). The evidence lists the names and constants of the decoded "
             "code, or says it was undecodable; both are critical.",
             "names: __import__, system; constants: 'os', 'curl attacker.invalid'"},
    RuleInfo{rule::kDangerousReference, Severity::kCritical,
             "Object resolves to a dangerous Python module",
             "A serialized object's \"module\" and \"class_name\" (or a function reference's "
             "module and name) name a callable of a module that runs commands or code, imports, "
             "or touches files or the network (os, subprocess, builtins.eval, importlib, "
             "pickle ...). Keras imports the module and looks the name up while loading, "
             "whatever safe_mode says in releases before 3.9 (CVE-2025-1550). Judged with the "
             "pickle analyzer's denylist.",
             "/config/layers/1: module 'subprocess', class_name 'Popen'"},
    RuleInfo{rule::kKerasGadget, Severity::kCritical, "Reference to an unsafe Keras function",
             "A function reference names a function inside Keras that loads another model, "
             "downloads a file or switches safe mode off (load_model, get_file, "
             "enable_unsafe_deserialization, set_global_attribute ...). Such references "
             "bypassed safe_mode in Keras 3 before 3.11 (CVE-2025-8747, CVE-2025-9906); "
             "no real model needs them.",
             "/config/layers/1/config/function: keras.models.load_model"},
    RuleInfo{rule::kExternalModule, Severity::kHigh, "Object imported from outside Keras",
             "A serialized object names a module outside Keras, TensorFlow's Keras and the "
             "known Keras libraries. Keras imports that module while loading (Keras 3 before "
             "3.9 for any module), which runs its import-time code: the model depends on code "
             "that is not in the file and was not analysed.",
             "/config/layers/2: module 'evil_pkg.layers', class_name 'Backdoor'"},
    RuleInfo{rule::kCustomObject, Severity::kHigh, "Registered custom object",
             "An object carries registered_name 'package>Name' for a package outside Keras: "
             "it was saved with @register_keras_serializable and loading it runs that "
             "package's code (its from_config and call), which was not analysed.",
             "registered_name 'evil_pkg>Backdoor', module 'evil_pkg.layers'"},
    RuleInfo{rule::kEcosystemModule, Severity::kLow, "Object from a Keras library or backend",
             "An object comes from a library of the Keras ecosystem (keras_hub, keras_nlp, "
             "keras_cv, keras_rs, keras_tuner, TensorFlow, TensorFlow Probability) or a "
             "backend or numerics library (JAX, PyTorch, NumPy, math): loading imports it. "
             "Known code, but outside Keras itself; listed so a policy can decide. Their "
             "dangerous callables (numpy.load, torch.load ...) are KERAS-DANGEROUS-REFERENCE.",
             "module 'keras_hub.src.models.gemma.gemma_backbone', class_name 'GemmaBackbone'"},
    RuleInfo{rule::kPolicyDeniedModule, Severity::kCritical, "Module denied by the policy",
             "A serialized object or function reference makes the loader import a module that "
             "the policy's deny.keras_modules list names (exactly or by a 'module.*' prefix), "
             "Keras's own modules included; for a registered custom object the package before "
             "'>' is matched too. Reported only by `modelgate check`; critical, so it blocks "
             "whatever findings.block_at says.",
             "/config/layers/1: keras.layers (policy deny entry 'keras.layers')"},
    RuleInfo{rule::kNamedFunction, Severity::kLow, "Lambda uses a function of the program",
             "A Keras 2 Lambda names a Python function (\"function_type\": \"function\") of "
             "module '__main__' or none: Keras looks the name up in the loading program, so "
             "the model only loads with code the user supplies. Nothing in the file runs.",
             "/config/layers/1/config/function: __main__.my_function"},
    RuleInfo{rule::kExternalSavedModel, Severity::kHigh, "Layer loads an external SavedModel",
             "A TFSMLayer loads the TensorFlow SavedModel at its \"filepath\" while the model "
             "is loaded, even with safe_mode=True (CVE-2026-1462); a SavedModel can run "
             "arbitrary TensorFlow ops. The SavedModel is not in this file.",
             "/config/layers/1: TFSMLayer filepath '/tmp/evil_savedmodel'"},
    RuleInfo{rule::kTorchModule, Severity::kMedium, "Embedded pickled torch module",
             "A TorchModuleWrapper layer (Keras 3, torch backend) stores base64 of "
             "torch.save(module) in its config, and loading runs torch.load(weights_only=False) "
             "on it: an unpickling (refused in safe mode by recent Keras). The decoded bytes "
             "were analysed as member '<TorchModuleWrapper module>', whose findings carry the "
             "verdict. Medium and `incomplete` when the base64 cannot be decoded.",
             "/config/layers/1: 1517 bytes"},
    RuleInfo{rule::kDangerousString, Severity::kHigh, "String names a dangerous callable",
             "A string value is a dotted path to a dangerous callable ('os.system', "
             "'subprocess.Popen'). Keras itself does not resolve dotted strings, but Keras 2 "
             "Lambda raw functions and custom loaders may; no real model carries one.",
             "/config/layers/1/config/function: 'os.system'"},
    RuleInfo{rule::kDuplicateKey, Severity::kHigh, "JSON key repeated",
             "An object in the configuration repeats a key. Python's json keeps the last "
             "value, which is what was analysed; a reader that keeps the first sees another "
             "model, so a duplicate can hide a layer from a scanner.",
             "/config/layers/0/config/function repeated"},
    RuleInfo{rule::kMalformed, Severity::kMedium, "Configuration unreadable",
             "The configuration is not valid JSON, exceeds a parsing limit (nesting depth, "
             "value count, string length) or is not a JSON object. It was not analysed, so "
             "the file is `incomplete`.",
             "syntax error at offset 17"},
    RuleInfo{rule::kVersion, Severity::kInfo, "Keras version recorded",
             "metadata.json (or a top-level keras_version) records the Keras version that "
             "saved the model.",
             "keras_version '3.6.0'"},
    RuleInfo{rule::kVersionAdvisory, Severity::kLow, "Saved by a Keras release with advisories",
             "The recorded keras_version is in the affected range of advisories on the bundled "
             "list (docs/advisories.md): the pipeline that produced the model ran a Keras whose "
             "loading safeguards (safe_mode) can be bypassed, and a loader on the same release "
             "would be exposed. Load the model with the fixed release the message names. Low: "
             "the version describes where the model was saved, not where it will be loaded "
             "(`modelgate audit-env` checks the loading environment).",
             "keras_version '3.8.0'"},
    RuleInfo{rule::kFindingsCapped, Severity::kInfo, "Findings capped",
             "More than 20 findings of one rule in one configuration: the rest are counted, "
             "not listed.",
             "KERAS-CUSTOM-OBJECT: 180 more occurrences in this archive were not listed."},
};

}  // namespace

std::span<const RuleInfo> Rules() { return kRules; }

}  // namespace mg::keras
