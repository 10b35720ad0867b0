// Judging a global that a pickle resolves (GLOBAL, INST, STACK_GLOBAL, EXT): allowed (what real
// models need), denied (a known primitive, with a reason and severity), or unknown.
// The lists are documented in docs/pickle.md.
#pragma once

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

struct GlobalVerdict {
  GlobalKind kind = GlobalKind::kUnknown;
  GlobalCategory category = GlobalCategory::kNone;
  Severity severity = Severity::kMedium;  // for denied globals: the entry's severity
  std::string_view reason;                // for denied globals: why, one short phrase
  std::string module;  // after Python 2 names were mapped (__builtin__ -> builtins)
  std::string name;
};

// Maps Python 2 module and name pairs to their Python 3 equivalents the way CPython's
// _compat_pickle does for protocol < 3 (e.g. __builtin__.file, copy_reg, cPickle).
void NormalizeGlobal(std::string& module, std::string& name);

// Judges `module`.`name` (normalized first). The denylist is consulted before the allowlist
// and matches on every dotted prefix of the module, so that `os.path` inherits `os` entries
// where the entry says so, and a harmless-looking `name` such as "system" in a module called
// "os.system" is still caught.
GlobalVerdict JudgeGlobal(std::string_view module, std::string_view name);

}  // namespace mg::pickle
