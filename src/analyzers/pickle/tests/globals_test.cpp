#include "analyzers/pickle/globals.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <utility>

#include "support/test_paths.h"

namespace mg::pickle {
namespace {

std::pair<std::string, std::string> Normalized(std::string module, std::string name) {
  NormalizeGlobal(module, name);
  return {module, name};
}

using Pair = std::pair<std::string, std::string>;

TEST(PickleGlobalsNormalize, MapsPython2ModulesAndNames) {
  EXPECT_EQ(Normalized("__builtin__", "set"), Pair("builtins", "set"));
  EXPECT_EQ(Normalized("copy_reg", "_reconstructor"), Pair("copyreg", "_reconstructor"));
  EXPECT_EQ(Normalized("cPickle", "loads"), Pair("pickle", "loads"));
  EXPECT_EQ(Normalized("__builtin__", "xrange"), Pair("builtins", "range"));
  EXPECT_EQ(Normalized("__builtin__", "unicode"), Pair("builtins", "str"));
  EXPECT_EQ(Normalized("__builtin__", "reduce"), Pair("functools", "reduce"));
  EXPECT_EQ(Normalized("exceptions", "ValueError"), Pair("builtins", "ValueError"));
  EXPECT_EQ(Normalized("exceptions", "StandardError"), Pair("builtins", "Exception"));
  EXPECT_EQ(Normalized("UserDict", "IterableUserDict"), Pair("collections", "UserDict"));
  EXPECT_EQ(Normalized("UserList", "UserList"), Pair("collections", "UserList"));
  EXPECT_EQ(Normalized("urllib", "urlopen"), Pair("urllib.request", "urlopen"));
  EXPECT_EQ(Normalized("urllib2", "urlopen"), Pair("urllib.request", "urlopen"));
  EXPECT_EQ(Normalized("urllib2", "HTTPError"), Pair("urllib.error", "HTTPError"));
  EXPECT_EQ(Normalized("commands", "getoutput"), Pair("subprocess", "getoutput"));
  EXPECT_EQ(Normalized("itertools", "izip"), Pair("builtins", "zip"));
  EXPECT_EQ(Normalized("multiprocessing", "TimeoutError"),
            Pair("multiprocessing.context", "TimeoutError"));
  EXPECT_EQ(Normalized("StringIO", "StringIO"), Pair("io", "StringIO"));
}

TEST(PickleGlobalsNormalize, LeavesOtherNamesAlone) {
  EXPECT_EQ(Normalized("torch._utils", "_rebuild_tensor_v2"),
            Pair("torch._utils", "_rebuild_tensor_v2"));
  EXPECT_EQ(Normalized("exceptions", "NotAnException"), Pair("exceptions", "NotAnException"));
  EXPECT_EQ(Normalized("itertools", "chain"), Pair("itertools", "chain"));
  EXPECT_EQ(Normalized("urllib", "somethingelse"), Pair("urllib", "somethingelse"));
}

TEST(PickleGlobalsNormalize, JudgesPython2NamesUnderTheirPython3Names) {
  const GlobalVerdict eval = JudgeGlobal("__builtin__", "eval");
  EXPECT_EQ(eval.kind, GlobalKind::kDenied);
  EXPECT_EQ(eval.module, "builtins");
  EXPECT_EQ(eval.severity, Severity::kCritical);
  const GlobalVerdict loads = JudgeGlobal("cPickle", "loads");
  EXPECT_EQ(loads.kind, GlobalKind::kDenied);
  EXPECT_EQ(loads.category, GlobalCategory::kNestedDeserializer);
  EXPECT_EQ(loads.payload, NestedPayload::kPickleBytes);
  EXPECT_EQ(JudgeGlobal("commands", "getoutput").category, GlobalCategory::kCommandExecution);
  EXPECT_EQ(JudgeGlobal("__builtin__", "reduce").category, GlobalCategory::kAttributeTrampoline);
  EXPECT_EQ(JudgeGlobal("__builtin__", "file").category, GlobalCategory::kFileAccess);
  EXPECT_EQ(JudgeGlobal("urllib", "urlretrieve").category, GlobalCategory::kNetworkAccess);
  EXPECT_EQ(JudgeGlobal("copy_reg", "_reconstructor").kind, GlobalKind::kAllowed);
}

struct CategoryCase {
  std::string_view module;
  std::string_view name;
  GlobalCategory category;
  Severity severity;
};

TEST(PickleGlobalsDenylist, EveryCategoryHasItsSeverity) {
  const CategoryCase cases[] = {
      {"os", "system", GlobalCategory::kCommandExecution, Severity::kCritical},
      {"posix", "system", GlobalCategory::kCommandExecution, Severity::kCritical},
      {"nt", "system", GlobalCategory::kCommandExecution, Severity::kCritical},
      {"subprocess", "Popen", GlobalCategory::kCommandExecution, Severity::kCritical},
      {"pty", "spawn", GlobalCategory::kCommandExecution, Severity::kCritical},
      {"builtins", "exec", GlobalCategory::kCodeExecution, Severity::kCritical},
      {"builtins", "compile", GlobalCategory::kCodeExecution, Severity::kCritical},
      {"runpy", "run_path", GlobalCategory::kCodeExecution, Severity::kCritical},
      {"types", "CodeType", GlobalCategory::kCodeExecution, Severity::kCritical},
      {"ctypes", "CDLL", GlobalCategory::kCodeExecution, Severity::kCritical},
      {"timeit", "timeit", GlobalCategory::kCodeExecution, Severity::kCritical},
      {"builtins", "__import__", GlobalCategory::kImportMachinery, Severity::kCritical},
      {"importlib", "import_module", GlobalCategory::kImportMachinery, Severity::kCritical},
      {"pkgutil", "resolve_name", GlobalCategory::kImportMachinery, Severity::kCritical},
      {"builtins", "open", GlobalCategory::kFileAccess, Severity::kHigh},
      {"io", "FileIO", GlobalCategory::kFileAccess, Severity::kHigh},
      {"shutil", "rmtree", GlobalCategory::kFileAccess, Severity::kHigh},
      {"os", "remove", GlobalCategory::kFileAccess, Severity::kHigh},
      {"socket", "create_connection", GlobalCategory::kNetworkAccess, Severity::kHigh},
      {"urllib.request", "urlopen", GlobalCategory::kNetworkAccess, Severity::kHigh},
      {"http.client", "HTTPSConnection", GlobalCategory::kNetworkAccess, Severity::kHigh},
      {"os", "kill", GlobalCategory::kProcessControl, Severity::kHigh},
      {"signal", "signal", GlobalCategory::kProcessControl, Severity::kHigh},
      {"multiprocessing", "Process", GlobalCategory::kProcessControl, Severity::kHigh},
      {"builtins", "getattr", GlobalCategory::kAttributeTrampoline, Severity::kHigh},
      {"operator", "attrgetter", GlobalCategory::kAttributeTrampoline, Severity::kHigh},
      {"operator", "methodcaller", GlobalCategory::kAttributeTrampoline, Severity::kHigh},
      {"functools", "partial", GlobalCategory::kAttributeTrampoline, Severity::kHigh},
      {"pickle", "loads", GlobalCategory::kNestedDeserializer, Severity::kCritical},
      {"_pickle", "Unpickler", GlobalCategory::kNestedDeserializer, Severity::kCritical},
      {"marshal", "loads", GlobalCategory::kNestedDeserializer, Severity::kCritical},
      {"dill", "loads", GlobalCategory::kNestedDeserializer, Severity::kCritical},
      {"yaml", "unsafe_load", GlobalCategory::kNestedDeserializer, Severity::kCritical},
      {"torch.jit", "load", GlobalCategory::kKnownGadget, Severity::kCritical},
      {"torch.hub", "load", GlobalCategory::kKnownGadget, Severity::kCritical},
  };
  for (const CategoryCase& c : cases) {
    const GlobalVerdict verdict = JudgeGlobal(c.module, c.name);
    EXPECT_EQ(verdict.kind, GlobalKind::kDenied) << c.module << "." << c.name;
    EXPECT_EQ(verdict.category, c.category) << c.module << "." << c.name;
    EXPECT_EQ(verdict.severity, c.severity) << c.module << "." << c.name;
    EXPECT_FALSE(verdict.reason.empty()) << c.module << "." << c.name;
  }
}

TEST(PickleGlobalsDenylist, ModuleWideEntriesCoverSubmodules) {
  EXPECT_EQ(JudgeGlobal("subprocess", "anything").kind, GlobalKind::kDenied);
  EXPECT_EQ(JudgeGlobal("importlib.machinery", "SourceFileLoader").category,
            GlobalCategory::kImportMachinery);
  EXPECT_EQ(JudgeGlobal("asyncio.subprocess", "create_subprocess_exec").severity,
            Severity::kCritical);
  EXPECT_EQ(JudgeGlobal("torch.jit._script", "RecursiveScriptModule").severity,
            Severity::kCritical);
  EXPECT_EQ(JudgeGlobal("numpy.testing._private.utils", "runstring").kind, GlobalKind::kDenied);
  // A module that merely shares a prefix string is not a submodule.
  EXPECT_EQ(JudgeGlobal("subprocessing", "run").kind, GlobalKind::kUnknown);
  EXPECT_EQ(JudgeGlobal("codecs", "encode").kind, GlobalKind::kUnknown);
}

TEST(PickleGlobalsDenylist, ExplicitNamesDoNotCondemnTheWholeModule) {
  // os is judged name by name: path helpers are not primitives.
  EXPECT_EQ(JudgeGlobal("os", "path.join").kind, GlobalKind::kUnknown);
  EXPECT_EQ(JudgeGlobal("os.path", "join").kind, GlobalKind::kUnknown);
  EXPECT_EQ(JudgeGlobal("posixpath", "join").kind, GlobalKind::kUnknown);
  EXPECT_EQ(JudgeGlobal("torch.serialization", "_get_layout").kind, GlobalKind::kAllowed);
}

TEST(PickleGlobalsDenylist, NameStemsMatchWholeFamilies) {
  for (std::string_view name : {"execv", "execve", "execvpe", "execl", "spawnlp", "spawnve",
                                "posix_spawn", "posix_spawnp"}) {
    const GlobalVerdict verdict = JudgeGlobal("os", name);
    EXPECT_EQ(verdict.kind, GlobalKind::kDenied) << name;
    EXPECT_EQ(verdict.category, GlobalCategory::kCommandExecution) << name;
  }
  EXPECT_EQ(JudgeGlobal("yaml", "load_all").severity, Severity::kCritical);
  EXPECT_EQ(JudgeGlobal("yaml", "safe_load").kind, GlobalKind::kUnknown);
  EXPECT_EQ(JudgeGlobal("os", "setuid").category, GlobalCategory::kProcessControl);
}

TEST(PickleGlobalsDenylist, SuspiciousModuleNamesAreJudgedByTheirPrefixes) {
  // CPython cannot import "os.system", but the prefix still says what was meant.
  const GlobalVerdict verdict = JudgeGlobal("os.system", "harmless");
  EXPECT_EQ(verdict.kind, GlobalKind::kDenied);
  EXPECT_EQ(verdict.severity, Severity::kCritical);
  EXPECT_EQ(JudgeGlobal("builtins.eval", "x").category, GlobalCategory::kCodeExecution);
}

TEST(PickleGlobalsDottedNames, AreWalkedAttributeByAttribute) {
  const GlobalVerdict getattr_call = JudgeGlobal("builtins", "getattr.__call__");
  EXPECT_EQ(getattr_call.kind, GlobalKind::kDenied);
  EXPECT_EQ(getattr_call.category, GlobalCategory::kAttributeTrampoline);
  EXPECT_EQ(getattr_call.reason, JudgeGlobal("builtins", "getattr").reason);
  EXPECT_EQ(JudgeGlobal("builtins", "eval.__call__").severity, Severity::kCritical);
  EXPECT_EQ(JudgeGlobal("os", "system.__self__").severity, Severity::kCritical);
  EXPECT_EQ(JudgeGlobal("numpy", "load.__wrapped__").category, GlobalCategory::kNestedDeserializer);
  // Methods reached as dotted names.
  EXPECT_EQ(JudgeGlobal("numpy", "ndarray.tofile").category, GlobalCategory::kFileAccess);
  EXPECT_EQ(JudgeGlobal("pathlib", "PosixPath.write_text").category, GlobalCategory::kFileAccess);
  EXPECT_EQ(JudgeGlobal("pathlib", "PosixPath").kind, GlobalKind::kAllowed);
}

TEST(PickleGlobalsDottedNames, ModuleAttributeStepIsJudgedAsThatModule) {
  // `import os` inside a trusted module makes `os.system` reachable as a dotted name there.
  const GlobalVerdict verdict = JudgeGlobal("sklearn.base", "os.system");
  EXPECT_EQ(verdict.kind, GlobalKind::kDenied);
  EXPECT_EQ(verdict.category, GlobalCategory::kCommandExecution);
  EXPECT_EQ(JudgeGlobal("torch.nn.modules.module", "pickle.loads").category,
            GlobalCategory::kNestedDeserializer);
  // A last step that only shares a module's name is not judged as that module.
  EXPECT_EQ(JudgeGlobal("mymodel.trainer", "Trainer.signal").kind, GlobalKind::kUnknown);
  // Conventional aliases are expanded.
  const GlobalVerdict np_load = JudgeGlobal("sklearn.base", "np.load");
  EXPECT_EQ(np_load.kind, GlobalKind::kDenied);
  EXPECT_EQ(np_load.category, GlobalCategory::kNestedDeserializer);
  EXPECT_EQ(JudgeGlobal("mymodel", "pd.read_pickle").severity, Severity::kCritical);
}

TEST(PickleGlobalsDottedNames, ModuleObjectsReachedAsAttributesAreTrampolines) {
  // Modules cannot be pickled; `import os` in a trusted module exposes it under that name.
  for (const auto& [module, name] :
       std::initializer_list<std::pair<std::string_view, std::string_view>>{
           {"sklearn.base", "np"},
           {"torch.nn.modules.module", "torch"},
           {"sklearn.utils", "os"},
           {"mymodel", "Trainer.sys"},
       }) {
    const GlobalVerdict verdict = JudgeGlobal(module, name);
    EXPECT_EQ(verdict.kind, GlobalKind::kDenied) << module << "." << name;
    EXPECT_EQ(verdict.category, GlobalCategory::kAttributeTrampoline) << module << "." << name;
  }
}

TEST(PickleGlobalsDottedNames, DunderWalksAreTrampolines) {
  for (const auto& [module, name] :
       std::initializer_list<std::pair<std::string_view, std::string_view>>{
           {"collections", "OrderedDict.__class__"},
           {"builtins", "object.__subclasses__"},
           {"torch.nn.modules.linear", "Linear.__init__.__globals__"},
           {"sklearn.base", "BaseEstimator.__reduce__"},
           {"builtins", "__builtins__"},
           {"builtins", "__loader__"},
           {"numpy", "__dict__"},
       }) {
    const GlobalVerdict verdict = JudgeGlobal(module, name);
    EXPECT_EQ(verdict.kind, GlobalKind::kDenied) << module << "." << name;
    EXPECT_EQ(verdict.category, GlobalCategory::kAttributeTrampoline) << module << "." << name;
    EXPECT_EQ(verdict.severity, Severity::kHigh) << module << "." << name;
  }
  // Dunder names that real pickles use are listed explicitly; names with only a leading double
  // underscore are ordinary (numpy's __generator_ctor).
  EXPECT_EQ(JudgeGlobal("copyreg", "__newobj__").kind, GlobalKind::kAllowed);
  EXPECT_EQ(JudgeGlobal("copyreg", "__newobj_ex__").kind, GlobalKind::kAllowed);
  EXPECT_EQ(JudgeGlobal("numpy.random._pickle", "__generator_ctor").kind, GlobalKind::kAllowed);
}

TEST(PickleGlobalsDottedNames, AreNotAdmittedByModuleWideAllowEntries) {
  EXPECT_EQ(JudgeGlobal("sklearn.base", "BaseEstimator.get_params").kind, GlobalKind::kUnknown);
  EXPECT_EQ(JudgeGlobal("collections", "OrderedDict.fromkeys").kind, GlobalKind::kUnknown);
  EXPECT_EQ(JudgeGlobal("torch.nn.modules.linear", "Linear.forward").kind, GlobalKind::kUnknown);
}

TEST(PickleGlobalsAllowlist, ModuleWideEntriesAdmitPlainNamesOnly) {
  EXPECT_EQ(JudgeGlobal("sklearn.ensemble._forest", "RandomForestClassifier").kind,
            GlobalKind::kAllowed);
  EXPECT_EQ(JudgeGlobal("torch.nn.modules.activation", "ReLU").kind, GlobalKind::kAllowed);
  EXPECT_EQ(JudgeGlobal("xgboost.sklearn", "XGBClassifier").kind, GlobalKind::kAllowed);
  EXPECT_EQ(JudgeGlobal("xgboost.sklearn", "XGBModel").kind, GlobalKind::kAllowed);
  EXPECT_EQ(JudgeGlobal("lightgbm.sklearn", "LGBMClassifier").kind, GlobalKind::kAllowed);
  EXPECT_EQ(JudgeGlobal("xgboost.sklearn", "Booster").kind, GlobalKind::kUnknown);
  // joblib dumps made by scikit-learn < 0.23 name its vendored copy.
  EXPECT_EQ(JudgeGlobal("sklearn.externals.joblib.numpy_pickle", "NumpyArrayWrapper").kind,
            GlobalKind::kAllowed);
  // A stem admits names directly in its module, not in submodules.
  EXPECT_EQ(JudgeGlobal("xgboost.sklearn.sub", "XGBClassifier").kind, GlobalKind::kUnknown);
  // Exact entries are exact: torch itself is not allowed wholesale.
  EXPECT_EQ(JudgeGlobal("torch", "Tensor").kind, GlobalKind::kAllowed);
  EXPECT_EQ(JudgeGlobal("torch", "tensor_split").kind, GlobalKind::kUnknown);
  EXPECT_EQ(JudgeGlobal("torch.nn", "Module").kind, GlobalKind::kUnknown);
}

TEST(PickleGlobalsGadgets, AreDeniedInsideAllowedPackages) {
  const CategoryCase cases[] = {
      {"sklearn.utils._testing", "assert_run_python_script", GlobalCategory::kKnownGadget,
       Severity::kCritical},
      {"sklearn.datasets", "fetch_openml", GlobalCategory::kNetworkAccess, Severity::kHigh},
      {"sklearn.datasets._base", "clear_data_home", GlobalCategory::kNetworkAccess,
       Severity::kHigh},
      {"sklearn.externals.joblib", "load", GlobalCategory::kNestedDeserializer,
       Severity::kCritical},
      {"sklearn.utils._joblib", "load", GlobalCategory::kNestedDeserializer, Severity::kCritical},
      {"torch", "load", GlobalCategory::kNestedDeserializer, Severity::kCritical},
      {"torch.serialization", "load", GlobalCategory::kNestedDeserializer, Severity::kCritical},
      {"torch._utils", "_import_dotted_name", GlobalCategory::kImportMachinery,
       Severity::kCritical},
      {"torch.utils.cpp_extension", "load_inline", GlobalCategory::kKnownGadget,
       Severity::kCritical},
      {"torch._inductor.codecache", "compile_file", GlobalCategory::kKnownGadget,
       Severity::kCritical},
      {"torch.fx.graph_module", "reduce_graph_module", GlobalCategory::kKnownGadget,
       Severity::kCritical},
      {"torch", "ops", GlobalCategory::kKnownGadget, Severity::kCritical},
      {"torch", "ops.load_library", GlobalCategory::kKnownGadget, Severity::kCritical},
      {"torch.nn.modules.module", "os.system", GlobalCategory::kCommandExecution,
       Severity::kCritical},
      {"numpy", "load", GlobalCategory::kNestedDeserializer, Severity::kCritical},
      {"numpy.core", "_ufunc_reconstruct", GlobalCategory::kImportMachinery, Severity::kCritical},
      {"numpy.f2py.crackfortran", "getlincoef", GlobalCategory::kKnownGadget, Severity::kCritical},
      {"numpy.ctypeslib", "load_library", GlobalCategory::kKnownGadget, Severity::kCritical},
      {"joblib.numpy_pickle", "load", GlobalCategory::kNestedDeserializer, Severity::kCritical},
      {"pandas.io.pickle", "read_pickle", GlobalCategory::kNestedDeserializer, Severity::kCritical},
      {"pandas.core.computation.eval", "eval", GlobalCategory::kKnownGadget, Severity::kCritical},
      {"scipy.sparse", "load_npz", GlobalCategory::kFileAccess, Severity::kHigh},
      {"torch.nn.modules.module", "register_module_forward_hook",
       GlobalCategory::kAttributeTrampoline, Severity::kHigh},
      {"torch.nn.modules.module", "_global_forward_hooks", GlobalCategory::kAttributeTrampoline,
       Severity::kHigh},
      {"sklearn.externals.joblib.numpy_pickle", "load", GlobalCategory::kNestedDeserializer,
       Severity::kCritical},
  };
  for (const CategoryCase& c : cases) {
    const GlobalVerdict verdict = JudgeGlobal(c.module, c.name);
    EXPECT_EQ(verdict.kind, GlobalKind::kDenied) << c.module << "." << c.name;
    EXPECT_EQ(verdict.category, c.category) << c.module << "." << c.name;
    EXPECT_EQ(verdict.severity, c.severity) << c.module << "." << c.name;
  }
}

TEST(PickleGlobalsEffects, ReportArgumentsThatAreInvokedOrDecoded) {
  EXPECT_EQ(JudgeGlobal("copyreg", "_reconstructor").invoked_args, InvokesArg(0) | InvokesArg(1));
  EXPECT_EQ(JudgeGlobal("copyreg", "__newobj__").invoked_args, InvokesArg(0));
  EXPECT_EQ(JudgeGlobal("torch._tensor", "_rebuild_from_type_v2").invoked_args,
            InvokesArg(0) | InvokesArg(1));
  EXPECT_EQ(JudgeGlobal("numpy.random._pickle", "__generator_ctor").invoked_args, InvokesArg(1));
  EXPECT_EQ(JudgeGlobal("sklearn.neighbors._kd_tree", "newObj").invoked_args, InvokesArg(0));
  EXPECT_EQ(JudgeGlobal("functools", "partial").invoked_args, InvokesArg(0));
  EXPECT_EQ(JudgeGlobal("torch._utils", "_rebuild_tensor_v2").invoked_args, 0);
  EXPECT_EQ(JudgeGlobal("pickle", "loads").payload, NestedPayload::kPickleBytes);
  EXPECT_EQ(JudgeGlobal("marshal", "loads").payload, NestedPayload::kMarshalBytes);
  EXPECT_EQ(JudgeGlobal("numpy.core", "_ufunc_reconstruct").resolves,
            GlobalResolution::kModuleAndName);
  EXPECT_EQ(JudgeGlobal("pydoc", "locate").resolves, GlobalResolution::kDottedPath);
  EXPECT_EQ(JudgeGlobal("builtins", "__import__").resolves, GlobalResolution::kModuleName);
  EXPECT_EQ(JudgeGlobal("importlib", "import_module").resolves, GlobalResolution::kModuleName);
  EXPECT_EQ(JudgeGlobal("__builtin__", "getattr").resolves, GlobalResolution::kAttribute);
}

TEST(PickleGlobalsUnknown, HugeNamesAreJudgedWithBoundedWork) {
  // STACK_GLOBAL names can be as long as the pickle; probing stops past the longest table key.
  std::string name;
  for (int i = 0; i < 200000; ++i) name += "a.";
  name += "system";
  EXPECT_EQ(JudgeGlobal("sklearn.base", name).kind, GlobalKind::kUnknown);
  EXPECT_EQ(JudgeGlobal("sklearn.base", name + ".os.system").kind, GlobalKind::kDenied);
  std::string module = "sklearn";
  for (int i = 0; i < 200000; ++i) module += ".m";
  EXPECT_EQ(JudgeGlobal(module, "Estimator").kind, GlobalKind::kAllowed);
  EXPECT_EQ(JudgeGlobal("subprocess" + module.substr(7), "run").kind, GlobalKind::kDenied);
}

TEST(PickleGlobalsUnknown, MalformedPathsAreHandled) {
  // Empty components, lone dots and underscores: judged without reading out of bounds (the
  // ASan build runs this); none of them names a listed path.
  const std::string_view odd[] = {".", "..", "a.", ".a", "a..b", "_", "__", "____", "_____"};
  for (std::string_view module : odd) {
    for (std::string_view name : odd) {
      const GlobalVerdict verdict = JudgeGlobal(module, name);
      EXPECT_NE(verdict.kind, GlobalKind::kAllowed) << module << " " << name;
    }
  }
  EXPECT_EQ(JudgeGlobal("os.", "system").kind, GlobalKind::kUnknown);
  // CPython resolves ".system" as getattr(os, "") first, which fails.
  EXPECT_EQ(JudgeGlobal("os", ".system").kind, GlobalKind::kUnknown);
  EXPECT_EQ(JudgeGlobal("builtins", "_____").kind, GlobalKind::kDenied);  // a dunder step
}

TEST(PickleGlobalsUnknown, AnythingElseIsUnknown) {
  const GlobalVerdict verdict = JudgeGlobal("mymodel.layers", "Block");
  EXPECT_EQ(verdict.kind, GlobalKind::kUnknown);
  EXPECT_EQ(verdict.category, GlobalCategory::kNone);
  EXPECT_EQ(verdict.module, "mymodel.layers");
  EXPECT_EQ(verdict.name, "Block");
  EXPECT_EQ(JudgeGlobal("__main__", "Net").kind, GlobalKind::kUnknown);
  EXPECT_EQ(JudgeGlobal("", "system").kind, GlobalKind::kUnknown);
  EXPECT_EQ(JudgeGlobal("os", "").kind, GlobalKind::kUnknown);
}

// Each entry judges as written: nothing in the allowlist is shadowed by the denylist, every
// deny entry is reachable, and severities follow the category rule in docs/pickle-globals.md.
std::string NameMatching(std::string_view pattern) {
  if (pattern == "*") return "anything";
  if (pattern.ends_with('*')) return std::string(pattern.substr(0, pattern.size() - 1)) + "x";
  return std::string(pattern);
}

TEST(PickleGlobalsTables, DenyEntriesAreReachableWithTheirSeverity) {
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const GlobalRule& rule : DenylistRules()) {
    EXPECT_TRUE(seen.emplace(rule.module, rule.name).second)
        << "duplicate " << rule.module << " " << rule.name;
    EXPECT_FALSE(rule.reason.empty()) << rule.module << "." << rule.name;
    EXPECT_NE(rule.category, GlobalCategory::kNone) << rule.module << "." << rule.name;
    const GlobalVerdict verdict = JudgeGlobal(rule.module, NameMatching(rule.name));
    EXPECT_EQ(verdict.kind, GlobalKind::kDenied) << rule.module << "." << rule.name;
    EXPECT_GE(verdict.severity, rule.severity) << rule.module << "." << rule.name;
    switch (rule.category) {
      case GlobalCategory::kCodeExecution:
      case GlobalCategory::kCommandExecution:
      case GlobalCategory::kImportMachinery:
      case GlobalCategory::kNestedDeserializer:
        EXPECT_EQ(rule.severity, Severity::kCritical) << rule.module << "." << rule.name;
        break;
      case GlobalCategory::kFileAccess:
      case GlobalCategory::kNetworkAccess:
      case GlobalCategory::kProcessControl:
      case GlobalCategory::kAttributeTrampoline:
        EXPECT_EQ(rule.severity, Severity::kHigh) << rule.module << "." << rule.name;
        break;
      default:
        EXPECT_GE(rule.severity, Severity::kHigh) << rule.module << "." << rule.name;
    }
  }
}

TEST(PickleGlobalsTables, AllowEntriesAreAllowed) {
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const GlobalRule& rule : AllowlistRules()) {
    EXPECT_TRUE(seen.emplace(rule.module, rule.name).second)
        << "duplicate " << rule.module << " " << rule.name;
    EXPECT_EQ(rule.category, GlobalCategory::kNone);
    const GlobalVerdict verdict = JudgeGlobal(rule.module, NameMatching(rule.name));
    EXPECT_EQ(verdict.kind, GlobalKind::kAllowed) << rule.module << "." << rule.name;
  }
}

TEST(PickleGlobalsTables, CategoryNamesAreDistinct) {
  std::set<std::string_view> names;
  for (int i = 0; i <= static_cast<int>(GlobalCategory::kKnownGadget); ++i) {
    EXPECT_TRUE(names.insert(GlobalCategoryName(static_cast<GlobalCategory>(i))).second);
  }
  EXPECT_EQ(GlobalCategoryName(GlobalCategory::kCommandExecution), "command-execution");
}

// docs/pickle-globals.md ends with both tables, rendered from the C++ tables below its marker
// line. MODELGATE_UPDATE_DOCS=1 rewrites them; otherwise they must match.
std::string ArgumentFlow(const GlobalRule& rule) {
  std::string flow;
  const auto add = [&flow](std::string_view part) {
    if (!flow.empty()) flow += ", ";
    flow += part;
  };
  for (int i = 0; i < 8; ++i) {
    if ((rule.invoked_args & InvokesArg(i)) != 0) add("invokes arg " + std::to_string(i));
  }
  switch (rule.payload) {
    case NestedPayload::kNone:
      break;
    case NestedPayload::kPickleBytes:
      add("pickle bytes in arg 0");
      break;
    case NestedPayload::kTorchSaveBytes:
      add("torch.save bytes in arg 0");
      break;
    case NestedPayload::kMarshalBytes:
      add("marshal bytes in arg 0");
      break;
  }
  switch (rule.resolves) {
    case GlobalResolution::kNone:
      break;
    case GlobalResolution::kModuleAndName:
      add("resolves arg 0 module, arg 1 name");
      break;
    case GlobalResolution::kDottedPath:
      add("resolves the dotted path in arg 0");
      break;
    case GlobalResolution::kModuleName:
      add("imports the module named in arg 0");
      break;
    case GlobalResolution::kAttribute:
      add("attribute arg 1 of the global in arg 0");
      break;
  }
  return flow;
}

std::string RenderTables() {
  std::string out = "## Denylist\n\n";
  out += "| module | name | category | severity | reason | argument flow |\n";
  out += "|---|---|---|---|---|---|\n";
  for (const GlobalRule& rule : DenylistRules()) {
    out += "| `" + std::string(rule.module) + "` | `" + std::string(rule.name) + "` | " +
           std::string(GlobalCategoryName(rule.category)) + " | " +
           std::string(SeverityName(rule.severity)) + " | " + std::string(rule.reason) + " | " +
           ArgumentFlow(rule) + " |\n";
  }
  out += "\n## Allowlist\n\n| module | name | what it is | argument flow |\n|---|---|---|---|\n";
  for (const GlobalRule& rule : AllowlistRules()) {
    out += "| `" + std::string(rule.module) + "` | `" + std::string(rule.name) + "` | " +
           std::string(rule.reason) + " | " + ArgumentFlow(rule) + " |\n";
  }
  return out;
}

TEST(PickleGlobalsTables, DocsListEveryEntry) {
  constexpr std::string_view kMarker = "<!-- Tables generated from the C++ tables";
  const std::filesystem::path docs_path = test::SourceDir() / "docs" / "pickle-globals.md";
  const std::string docs = test::ReadFile(docs_path);
  const std::size_t marker = docs.find(kMarker);
  ASSERT_NE(marker, std::string::npos) << docs_path << " lacks its marker line";
  const std::size_t tables_start = docs.find('\n', marker) + 1;
  const std::string expected = RenderTables();
  if (std::getenv("MODELGATE_UPDATE_DOCS") != nullptr) {
    std::ofstream(docs_path, std::ios::binary) << docs.substr(0, tables_start) << expected;
    GTEST_SKIP() << "rewrote " << docs_path;
  }
  EXPECT_EQ(docs.substr(tables_start), expected)
      << "docs/pickle-globals.md is stale: run the unit tests with MODELGATE_UPDATE_DOCS=1";
}

}  // namespace
}  // namespace mg::pickle

namespace mg::pickle {
namespace {

// An exact allowlist entry beats a deny rule covering its whole module. This lists every
// allow entry for which that happens, so that none does by accident.
TEST(GlobalsPrecedenceTest, OnlyTheTorchScriptHelpersOverrideAModuleWideDenyRule) {
  std::set<std::string> overriding;
  for (const GlobalRule& allow : AllowlistRules()) {
    if (allow.name == "*" || allow.name.back() == '*') continue;
    for (const GlobalRule& deny : DenylistRules()) {
      if (deny.name != "*") continue;
      const bool covered = allow.module == deny.module ||
                           (allow.module.size() > deny.module.size() &&
                            allow.module.starts_with(deny.module) &&
                            allow.module[deny.module.size()] == '.');
      if (covered) overriding.insert(std::string(allow.module) + "." + std::string(allow.name));
    }
  }
  const std::set<std::string> expected = {
      "torch.jit._pickle.build_intlist",    "torch.jit._pickle.build_tensorlist",
      "torch.jit._pickle.build_doublelist", "torch.jit._pickle.build_boollist",
      "torch.jit._pickle.build_tensor_from_id", "torch.jit._pickle.restore_type_tag"};
  EXPECT_EQ(overriding, expected);
  for (const auto& path : expected) {
    const auto dot = path.rfind('.');
    EXPECT_EQ(JudgeGlobal(path.substr(0, dot), path.substr(dot + 1)).kind, GlobalKind::kAllowed)
        << path;
  }
  // The rest of torch.jit stays denied.
  EXPECT_EQ(JudgeGlobal("torch.jit", "load").kind, GlobalKind::kDenied);
  EXPECT_EQ(JudgeGlobal("torch.jit._pickle", "other").kind, GlobalKind::kDenied);
}

}  // namespace
}  // namespace mg::pickle
