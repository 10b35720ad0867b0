#include "analyzers/keras/references.h"

#include <array>

#include "analyzers/pickle/globals.h"

namespace mg::keras {
namespace {

using namespace std::string_view_literals;

// True when `module` is `root` or a submodule of it ("keras" matches "keras.src.layers" but
// not "keras_evil").
bool UnderRoot(std::string_view module, std::string_view root) {
  if (module.substr(0, root.size()) != root) return false;
  return module.size() == root.size() || module[root.size()] == '.';
}

constexpr std::array kKerasRoots = {
    "keras"sv,   "tf_keras"sv, "keras_core"sv, "tensorflow.keras"sv, "tensorflow.python.keras"sv,
    "tf.keras"sv};

// Keras libraries and the backends and numerics libraries Keras 3 code refers to. Their
// dangerous callables (numpy.load, torch.load ...) are caught by the denylist first.
constexpr std::array kEcosystemRoots = {
    "keras_hub"sv,
    "keras_nlp"sv,
    "keras_cv"sv,
    "keras_rs"sv,
    "keras_tuner"sv,
    "tensorflow"sv,
    "tensorflow_probability"sv,
    "tensorflow_text"sv,
    "jax"sv,
    "torch"sv,
    "numpy"sv,
    "math"sv,
};

// Modules whose only use in a model configuration is an attack: loading imports them and
// takes any attribute the config names. Roots match submodules too (os.path, urllib.request).
constexpr std::array kDangerousModules = {
    "os"sv,          "posix"sv,     "nt"sv,
    "subprocess"sv,  "sys"sv,       "importlib"sv,
    "pickle"sv,      "_pickle"sv,   "cPickle"sv,
    "marshal"sv,     "shutil"sv,    "socket"sv,
    "pty"sv,         "runpy"sv,     "code"sv,
    "codeop"sv,      "ctypes"sv,    "multiprocessing"sv,
    "webbrowser"sv,  "urllib"sv,    "http"sv,
    "ftplib"sv,      "telnetlib"sv, "smtplib"sv,
    "requests"sv,    "commands"sv,  "popen2"sv,
    "tempfile"sv,    "pathlib"sv,   "io"sv,
    "_io"sv,         "types"sv,     "functools"sv,
    "operator"sv,    "inspect"sv,   "dill"sv,
    "cloudpickle"sv, "joblib"sv,    "shelve"sv,
    "signal"sv,      "threading"sv, "asyncio"sv,
    "__builtin__"sv, "pydoc"sv,     "pkgutil"sv,
    "zipimport"sv,   "imp"sv,       "site"sv,
    "platform"sv,    "glob"sv,
};

// Keras functions that load, download or unlock (names as serialize_with_public_fn writes
// them in "config", whatever Keras module they are exported from).
constexpr std::array kKerasGadgets = {
    "load_model"sv,
    "get_file"sv,
    "enable_unsafe_deserialization"sv,
    "set_global_attribute"sv,
    "load_weights"sv,
    "save_model"sv,
    "save_weights"sv,
    "deserialize_keras_object"sv,
    "func_load"sv,
    "model_from_json"sv,
    "model_from_yaml"sv,
    "model_from_config"sv,
    "register_keras_serializable"sv,
    "load_img"sv,
    "save_img"sv,
    "load_model_from_hdf5"sv,
    "legacy_load_model"sv,
};

}  // namespace

Origin ClassifyModule(std::string_view module) {
  if (module == "__main__") return Origin::kMain;
  for (std::string_view root : kKerasRoots) {
    if (UnderRoot(module, root)) return Origin::kKeras;
  }
  for (std::string_view root : kEcosystemRoots) {
    if (UnderRoot(module, root)) return Origin::kEcosystem;
  }
  return Origin::kExternal;
}

Danger JudgeReference(std::string_view module, std::string_view name, bool whole_modules) {
  Danger danger;
  const pickle::GlobalVerdict verdict = pickle::JudgeGlobal(module, name);
  if (verdict.kind == pickle::GlobalKind::kDenied) {
    danger.dangerous = true;
    danger.reason = std::string(verdict.reason);
    return danger;
  }
  if (!whole_modules) return danger;
  for (std::string_view root : kDangerousModules) {
    if (UnderRoot(module, root)) {
      danger.dangerous = true;
      danger.reason = "a module that no model needs (" + std::string(root) + ")";
      return danger;
    }
  }
  return danger;
}

bool IsKerasGadget(std::string_view name) {
  // A dotted name ("models.load_model") is judged by its last component.
  const std::size_t dot = name.rfind('.');
  if (dot != std::string_view::npos) name = name.substr(dot + 1);
  for (std::string_view gadget : kKerasGadgets) {
    if (name == gadget) return true;
  }
  return false;
}

bool IsCustomRegisteredName(std::string_view registered_name) {
  const std::size_t separator = registered_name.find('>');
  if (separator == std::string_view::npos) return false;
  const std::string_view package = registered_name.substr(0, separator);
  return ClassifyModule(package) == Origin::kExternal;
}

}  // namespace mg::keras
