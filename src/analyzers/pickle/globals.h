// Judging a global that a pickle resolves (GLOBAL, INST, STACK_GLOBAL, EXT): allowed (what real
// models need), denied (a known primitive, with a reason and severity), or unknown.
// The lists, categories and matching rules are documented in docs/pickle-globals.md.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "report/severity.h"

namespace mg::pickle {

enum class GlobalKind : std::uint8_t { kAllowed, kDenied, kUnknown };

// What a denied global gives an attacker; shown in findings and used by later policy files.
enum class GlobalCategory : std::uint8_t {
  kNone,                 // allowed or unknown
  kCodeExecution,        // eval, exec, compile, code objects, runpy ...
  kCommandExecution,     // os.system, subprocess, pty.spawn ...
  kImportMachinery,      // __import__, importlib, imp ...
  kFileAccess,           // open, shutil, pathlib writes, io.FileIO ...
  kNetworkAccess,        // socket, urllib, http.client, ftplib ...
  kProcessControl,       // os.kill, signal, os.fork, multiprocessing ...
  kAttributeTrampoline,  // getattr, operator.attrgetter/methodcaller, functools.partial ...
  kNestedDeserializer,   // pickle.loads, marshal.loads, dill, yaml.load, numpy.load ...
  kKnownGadget,          // a dangerous function inside an otherwise trusted package
};

std::string_view GlobalCategoryName(GlobalCategory category);
std::string_view GlobalKindName(GlobalKind kind);

// Serialized data that calling a global decodes from its first argument. The VM can hand a
// constant argument to the engine as an embedded payload (ScanContext::ScanEmbedded) instead of
// only flagging the call.
enum class NestedPayload : std::uint8_t {
  kNone,
  kPickleBytes,     // pickle.loads(b), _pickle.loads, dill.loads, cloudpickle.loads ...
  kTorchSaveBytes,  // torch.storage._load_from_bytes(b): torch.load(io.BytesIO(b))
  kMarshalBytes,    // marshal.loads(b): a code object
};

// Calling the global imports or looks up another global named by its arguments. When those
// arguments are constants the VM can judge the global they name with JudgeGlobal.
enum class GlobalResolution : std::uint8_t {
  kNone,
  kModuleAndName,  // arg 0 module, arg 1 attribute: numpy.core._ufunc_reconstruct
  kDottedPath,     // arg 0 "module.attr": pydoc.locate, pkgutil.resolve_name
  kModuleName,     // arg 0 a module: builtins.__import__, importlib.import_module
  kAttribute,      // getattr(arg 0, arg 1): a global's attribute is the dotted global
                   // `module`.`name.attr` (Python 3.11 pickles enum members this way)
};

// Bit i set in GlobalVerdict::invoked_args: calling the global calls, or instantiates, the object
// passed as its argument i (copyreg.__newobj__(cls, ...) runs cls.__new__). The VM judges such an
// argument as if the pickle had invoked it with REDUCE.
inline constexpr std::uint8_t InvokesArg(int index) {
  return static_cast<std::uint8_t>(1u << index);
}

struct GlobalVerdict {
  GlobalKind kind = GlobalKind::kUnknown;
  GlobalCategory category = GlobalCategory::kNone;
  Severity severity = Severity::kMedium;  // for denied globals: the entry's severity
  std::string_view reason;                // for denied globals: why, one short phrase
  std::string module;  // after Python 2 names were mapped (__builtin__ -> builtins)
  std::string name;
  // Argument flow, set for allowed and denied entries alike (see InvokesArg, NestedPayload).
  std::uint8_t invoked_args = 0;
  NestedPayload payload = NestedPayload::kNone;
  GlobalResolution resolves = GlobalResolution::kNone;
};

// One row of the denylist or the allowlist (enumerated for docs and tests).
// `name` forms:
//   "*"        every name in `module` and in all of its submodules;
//   "prefix*"  every name in `module` whose first component starts with "prefix" (os.exec*);
//   otherwise  that exact name, which may be dotted (the entry then matches that attribute path
//              and anything below it).
// In the allowlist, "*" admits only plain names (no dots, no dunder) in `module` or below.
struct GlobalRule {
  std::string_view module;
  std::string_view name;
  GlobalCategory category = GlobalCategory::kNone;
  Severity severity = Severity::kInfo;
  std::string_view reason;
  std::uint8_t invoked_args = 0;
  NestedPayload payload = NestedPayload::kNone;
  GlobalResolution resolves = GlobalResolution::kNone;
};

std::span<const GlobalRule> DenylistRules();
std::span<const GlobalRule> AllowlistRules();

// Maps Python 2 module and name pairs to their Python 3 equivalents the way CPython's
// _compat_pickle does for protocol < 3 (e.g. __builtin__.file, copy_reg, cPickle). Applied at
// every protocol: a protocol 3+ stream naming a Python 2 module fails to load in CPython, so
// judging it under the Python 3 name can only over-report.
void NormalizeGlobal(std::string& module, std::string& name);

// Judges `module`.`name` (normalized first). The denylist is consulted before the allowlist
// and matches on every dotted prefix of the module, so that `os.path` inherits `os` entries
// where the entry says so, and a harmless-looking `name` such as "system" in a module called
// "os.system" is still caught. A dotted name is walked attribute by attribute (STACK_GLOBAL,
// protocol 4+): "getattr.__call__" in builtins is getattr; a dunder step (__class__,
// __globals__, __subclasses__ ...) is a trampoline. Allocates only the two normalized strings.
GlobalVerdict JudgeGlobal(std::string_view module, std::string_view name);

}  // namespace mg::pickle
