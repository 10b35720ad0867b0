#include "analyzers/pickle/findings.h"

#include <algorithm>
#include <array>
#include <utility>

#include "analyzers/pickle/vm_limits.h"
#include "engine/scan_context.h"

namespace mg::pickle {
namespace {

constexpr std::array kRules = {
    RuleInfo{rule::kDangerousCall, Severity::kCritical, "Dangerous callable invoked",
             "The pickle imports a callable on the denylist (command or code execution, file or "
             "network access, import machinery...) and calls it while loading (REDUCE, INST, "
             "OBJ, NEWOBJ). Severity is the denylist entry's. Never load this file.",
             "os.system('echo pwned')"},
    RuleInfo{rule::kDangerousGlobal, Severity::kHigh, "Dangerous callable imported",
             "The pickle imports a denylisted global without a call the VM could see (it may be "
             "passed to another callable or stored). High or the entry's severity for command "
             "and code execution; one level below the entry's (at least medium) otherwise.",
             "builtins.eval"},
    RuleInfo{rule::kUnknownCall, Severity::kHigh, "Unknown callable invoked",
             "The pickle calls a global that is in neither the allowlist nor the denylist. "
             "Loading runs that code; review the class or function before trusting the file.",
             "mypackage.model.Builder('config.yaml')"},
    RuleInfo{rule::kUnknownGlobal, Severity::kMedium, "Unknown global imported",
             "The pickle imports a global in neither list without calling it. Importing runs "
             "the module's top-level code.",
             "mypackage.layers.Dense"},
    RuleInfo{rule::kPolicyDeniedGlobal, Severity::kCritical, "Global denied by the policy",
             "The pickle imports a global that the policy's deny.pickle_globals list names "
             "(exactly or by a 'module.*' prefix), whether or not modelgate's own lists know "
             "it. Reported only by `modelgate check`; critical, so it blocks whatever "
             "findings.block_at says. Other findings for the same global are still reported.",
             "sklearn.svm._classes.SVC (policy deny entry 'sklearn.svm.*')"},
    RuleInfo{rule::kDynamicGlobal, Severity::kCritical, "Global chosen at load time",
             "STACK_GLOBAL was given a module or name that is not a constant string (the result "
             "of a call): which callable is imported is decided while loading. No benign "
             "pickler writes this.",
             "STACK_GLOBAL(getattr(builtins.str, 'join')('', ['o', 's']), 'system')"},
    RuleInfo{rule::kCallOnResult, Severity::kHigh, "Call of a computed callable",
             "The pickle calls a value that is itself the result of a call, a persistent id or "
             "an unmodelled value, and the VM could not tell which function it is (getattr "
             "chains it can resolve are judged like globals).",
             "builtins.getattr(mypkg.Obj(), 'run')('id')"},
    RuleInfo{rule::kGlobalMutation, Severity::kHigh, "Attributes set on an imported global",
             "BUILD was applied to an imported class, function or module object rather than to a "
             "new instance: loading overwrites attributes of live code (monkey-patching).",
             "collections.OrderedDict.__setstate__({'__init__': ...})"},
    RuleInfo{rule::kExtUnresolved, Severity::kMedium, "Extension code not resolvable",
             "EXT1/EXT2/EXT4 name a global through copyreg's extension registry, which is empty "
             "in a plain Python; what it resolves to depends on the loading process. High when "
             "the result is called. The file is marked incomplete.",
             "EXT2 0x1234"},
    RuleInfo{rule::kNestedPickle, Severity::kInfo, "Nested pickle analysed",
             "A pickle passed to a loader (pickle.loads, dill.loads, Unpickler...) inside the "
             "pickle was decoded (base64, hex, zlib... evaluated on constants) and analysed; "
             "its findings carry the member name loader@offset.",
             "pickle.loads@0x2a: 120 bytes"},
    RuleInfo{rule::kNestedUndecoded, Severity::kMedium, "Nested payload not decodable",
             "A loader inside the pickle is given data the VM cannot compute statically (the "
             "result of an unknown call, an unsupported encoding, or a payload over the limits). "
             "What it loads is not analysed: the file is marked incomplete.",
             "pickle.loads(mypkg.fetch())"},
    RuleInfo{rule::kMalformed, Severity::kMedium, "Malformed pickle",
             "The stream is not a valid pickle from this point on (unknown opcode, truncated "
             "argument, stack underflow, missing memo entry, bad argument). Python stops "
             "loading there; what follows is not analysed and the file is marked incomplete.",
             "unknown opcode 0xff at offset 0x10"},
    RuleInfo{rule::kLimit, Severity::kMedium, "Pickle VM limit reached",
             "A fixed limit of the VM (stack, memo, marks, opcodes, time; docs/pickle-vm.md) was "
             "reached. Imports are still reported, but calls or arguments may be missed, so the "
             "file is marked incomplete.",
             "stack deeper than 1048576 values"},
    RuleInfo{rule::kFrameMismatch, Severity::kMedium, "FRAME length does not match",
             "A protocol 4 FRAME declares a length that runs past the data or that opcodes "
             "cross. CPython's C and Python unpicklers treat this differently, a known way to "
             "show scanners a different stream than the loader.",
             "FRAME at 0x2 declares 4096 bytes but 37 remain"},
    RuleInfo{rule::kProtocolAnomaly, Severity::kLow, "Unusual PROTO use",
             "PROTO appears after the first opcode, more than once, or declares a protocol that "
             "no pickler writes; or opcodes of a newer protocol than declared are used. "
             "Hand-made pickles do this; pickle.dump never does.",
             "PROTO 2 at offset 0x40, not at the start"},
    RuleInfo{rule::kTrailingData, Severity::kLow, "Data after the pickle",
             "Bytes follow the final STOP that are not a pickle (padding, junk or hidden data). "
             "Info when they are PyTorch legacy-format storage data (the first pickle is torch's "
             "magic number).",
             "2048 bytes after STOP at 0x1f3"},
    RuleInfo{rule::kPersistentId, Severity::kInfo, "Persistent ids",
             "The pickle refers to objects by persistent id (PERSID/BINPERSID), resolved by the "
             "loader's persistent_load (PyTorch uses this for tensor storages).",
             "('storage', torch.FloatStorage, '0', 'cpu', 6)"},
    RuleInfo{rule::kJoblibArray, Severity::kInfo, "Joblib raw array data",
             "joblib.dump writes numpy array bytes right after the NumpyArrayWrapper BUILD; the "
             "VM stepped over them using the wrapper's dtype and shape.",
             "float64 array of 1000 elements (8000 bytes)"},
};

}  // namespace

std::span<const RuleInfo> PickleRules() { return kRules; }

PendingFinding* FindingSink::Touch(std::string_view rule, std::string_view key, Severity severity,
                                   std::uint64_t offset, bool& created) {
  created = false;
  std::string full_key;
  full_key.reserve(rule.size() + key.size() + 1);
  full_key.append(rule).push_back('\x1f');
  full_key.append(key);
  auto it = index_.find(full_key);
  if (it != index_.end()) {
    PendingFinding& entry = entries_[it->second];
    ++entry.count;
    return &entry;
  }
  if (entries_.size() >= kMaxFindingsPerPickle) {
    auto over = overflow_.find(rule);
    if (over == overflow_.end()) over = overflow_.emplace(std::string(rule), Overflow{}).first;
    ++over->second.count;
    if (severity > over->second.severity) over->second.severity = severity;
    return nullptr;
  }
  created = true;
  index_.emplace(std::move(full_key), entries_.size());
  PendingFinding& entry = entries_.emplace_back();
  entry.rule = std::string(rule);
  entry.offset = offset;
  entry.count = 1;
  entry.severity = severity;
  return &entry;
}

void FindingSink::Add(std::string_view rule, std::string_view key, Severity severity,
                      std::string message, std::uint64_t offset, bool incomplete,
                      std::string evidence) {
  bool created = false;
  PendingFinding* entry = Touch(rule, key, severity, offset, created);
  if (entry == nullptr || !created) return;
  entry->severity = severity;
  entry->message = std::move(message);
  entry->incomplete = incomplete;
  entry->evidence = std::move(evidence);
}

bool FindingSink::Has(std::string_view rule) const {
  return std::any_of(entries_.begin(), entries_.end(),
                     [rule](const PendingFinding& f) { return f.rule == rule; });
}

void FindingSink::Flush(ScanContext& ctx) {
  std::stable_sort(
      entries_.begin(), entries_.end(),
      [](const PendingFinding& a, const PendingFinding& b) { return a.offset < b.offset; });
  for (auto& entry : entries_) {
    std::string message = std::move(entry.message);
    if (entry.count > 1 && entry.count_in_message) {
      message += " (seen " + std::to_string(entry.count) + " times; the first is located)";
    }
    if (entry.incomplete) {
      ctx.Incomplete(entry.rule, std::move(message), entry.offset, entry.severity);
    } else {
      ctx.Report(entry.rule, entry.severity, std::move(message), entry.offset,
                 std::move(entry.evidence));
    }
  }
  for (const auto& [rule_id, dropped] : overflow_) {
    ctx.Incomplete(rule::kLimit,
                   std::to_string(dropped.count) + " further " + rule_id +
                       " findings in this pickle were not listed (more than " +
                       std::to_string(kMaxFindingsPerPickle) + " distinct findings).",
                   std::nullopt, dropped.severity);
  }
  Clear();
}

void FindingSink::Clear() {
  entries_.clear();
  index_.clear();
  overflow_.clear();
}

}  // namespace mg::pickle
