// Judging what a serialized Keras object makes the loader import: the "module" / "class_name"
// / "registered_name" triple of Keras 3 (serialization_lib.deserialize_keras_object imports
// `module` and looks `class_name` up in it) and the module / name of Keras 2 Lambda functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mg::keras {

enum class Origin : std::uint8_t {
  kKeras,      // keras, keras.src..., tf_keras, tensorflow.keras, tensorflow.python.keras
  kEcosystem,  // keras_hub, keras_nlp, keras_cv, tensorflow, jax, torch, numpy, math ...
  kMain,       // '__main__': the loading program's own namespace
  kExternal,   // anything else: a third-party or attacker-chosen module
};

// Where `module` comes from (the dotted path's first components decide).
Origin ClassifyModule(std::string_view module);

struct Danger {
  bool dangerous = false;
  std::string reason;  // "runs a shell command", "a dangerous module (subprocess)"
};

// Whether `module`.`name` (either may be dotted) is a dangerous callable: the pickle
// analyzer's denylist first, then (when `whole_modules`) modules no model has a reason to name
// at all, whatever the name.
Danger JudgeReference(std::string_view module, std::string_view name, bool whole_modules = true);

// Functions inside Keras that defeat safe_mode when a config names them (load another model
// unsafely, download files, flip the global safe-mode flag): CVE-2025-8747, CVE-2025-9906.
bool IsKerasGadget(std::string_view name);

// A registered name 'package>Name' whose package is not Keras's own ("keras", "keras_hub" ...
// are accepted the same way as modules). Empty or unprefixed names are not custom.
bool IsCustomRegisteredName(std::string_view registered_name);

}  // namespace mg::keras
