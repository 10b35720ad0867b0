// Globals and calls: what a pickle imports (GLOBAL, INST, STACK_GLOBAL, EXT) and invokes
// (REDUCE, INST, OBJ, NEWOBJ, NEWOBJ_EX, BUILD), judged through globals.h.
#include <cstdio>

#include "analyzers/pickle/opcodes.h"
#include "analyzers/pickle/vm.h"
#include "engine/name_lists.h"
#include "engine/scan_context.h"

namespace mg::pickle {
namespace {

std::string Hex(std::uint64_t value) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(value));
  return buf;
}

bool IsBuiltins(const std::string& module) {
  return module == "builtins" || module == "__builtin__";
}

bool IsOperator(const std::string& module) { return module == "operator" || module == "_operator"; }

// CPython decodes GLOBAL/INST names as UTF-8; control characters never name a module.
bool IsValidUtf8Name(ByteView text) {
  for (std::uint64_t i = 0; i < text.size(); ++i) {
    if (text[i] < 0x20) return false;
  }
  return IsValidUtf8(text.AsStringView());
}

}  // namespace

GlobalVerdict Vm::Judge(const std::string& module, const std::string& name, std::uint64_t at) {
  GlobalVerdict verdict = JudgeGlobal(module, name);
  const OrgNameLists& lists = ctx_.name_lists();
  if (lists.empty() || verdict.module.empty() || verdict.name.empty()) return verdict;
  // Matched on the normalized name: a policy entry names what CPython would import.
  const std::string path = verdict.module + "." + verdict.name;
  if (const auto entry = lists.Denied(NameKind::kPickleGlobal, path)) {
    sink_.Add(rule::kPolicyDeniedGlobal, verdict.module + "\n" + verdict.name,
              Severity::kCritical, "Imports " + path + ", which the policy denies.", at, false,
              PolicyDenyEvidence(path, *entry));
  }
  // An allow entry only vouches for names the built-in lists do not know: a denied verdict
  // (os.system, a dunder walk) stands whatever the policy says.
  if (verdict.kind == GlobalKind::kUnknown && lists.Allowed(NameKind::kPickleGlobal, path)) {
    verdict.kind = GlobalKind::kAllowed;
    verdict.severity = Severity::kInfo;
  }
  return verdict;
}

Value Vm::ResolveGlobal(std::string module, std::string name, std::uint64_t at) {
  ++globals_resolved_;
  std::string key = module;
  key.push_back('\n');
  key += name;
  auto it = global_index_.find(key);
  if (it != global_index_.end()) {
    ++globals_[it->second].resolves;
    return Value::Make(Tag::kGlobal, it->second);
  }
  GlobalEntry entry;
  entry.verdict = Judge(module, name, at);
  entry.first_offset = at;
  entry.resolves = 1;
  entry.module = std::move(module);
  entry.name = std::move(name);
  if (globals_.size() >= kMaxGlobals) {
    // Judged and reported as imported; calling it is then a call of an unmodelled value.
    sink_.Add(rule::kLimit, "globals", Severity::kMedium,
              "More than " + std::to_string(kMaxGlobals) +
                  " distinct globals; later ones are reported as imports only.",
              at, true);
    if (entry.verdict.kind != GlobalKind::kAllowed) {
      const bool denied = entry.verdict.kind == GlobalKind::kDenied;
      sink_.Add(denied ? rule::kDangerousGlobal : rule::kUnknownGlobal, key,
                denied ? entry.verdict.severity : Severity::kMedium,
                "Imports " + entry.module + "." + entry.name + ".", at, false,
                entry.module + "." + entry.name);
    }
    return Value::Opaque();
  }
  const auto index = static_cast<std::uint32_t>(globals_.size());
  globals_.push_back(std::move(entry));
  global_index_.emplace(std::move(key), index);
  return Value::Make(Tag::kGlobal, index);
}

bool Vm::OnGlobal(ByteView module, ByteView name, std::uint64_t at, bool inst) {
  if (module.size() > kMaxGlobalNameLength || name.size() > kMaxGlobalNameLength) {
    return Malformed("global name longer than " + std::to_string(kMaxGlobalNameLength) + " bytes",
                     at);
  }
  if (!IsValidUtf8Name(module) || !IsValidUtf8Name(name)) {
    return Malformed("invalid UTF-8 or control character in a global name", at);
  }
  const Value callable =
      ResolveGlobal(std::string(module.AsStringView()), std::string(name.AsStringView()), at);
  if (!inst) return Push(callable, at);
  // pickletools INST: the class is called with the items above the MARK.
  std::size_t mark = 0;
  if (!PopMark(at, mark)) return false;
  const Value args =
      MakeContainer(NodeKind::kTuple, stack_.data() + mark, stack_.size() - mark, at);
  stack_.push_back(args);  // rooted while the call is analysed
  const Value result = OnCall(CallKind::kInst, callable, args, Value::None(), at);
  stack_.resize(mark);
  Push(result, at);
  return outcome_ == RunOutcome::kStop;
}

std::optional<std::string> Vm::ConstantText(Value value, std::uint64_t max_bytes) const {
  if (value.tag() == Tag::kBlob && value.payload() < blobs_.size()) {
    const ByteView blob = blobs_[value.payload()];
    if (blob.size() > max_bytes) return std::nullopt;
    return std::string(blob.AsStringView());
  }
  if (value.tag() != Tag::kLiteral) return std::nullopt;
  auto lit = ReadLiteral(data_, value.payload());
  if (!lit || (lit->type != LiteralType::kStr && lit->type != LiteralType::kStr8)) {
    return std::nullopt;
  }
  bool truncated = false;
  auto text = DecodeLiteral(*lit, max_bytes, &truncated);
  if (!text || truncated || !IsValidUtf8(*text)) return std::nullopt;
  return text;
}

bool Vm::OnStackGlobal(std::uint64_t at) {
  if (!NeedStack(2, at)) return false;
  const Value module_value = stack_[stack_.size() - 2];
  const Value name_value = stack_.back();
  auto module = ConstantText(module_value, kMaxGlobalNameLength);
  auto name = ConstantText(name_value, kMaxGlobalNameLength);
  if (module && name) {
    const Value global = ResolveGlobal(std::move(*module), std::move(*name), at);
    stack_.pop_back();
    stack_.back() = global;
    return true;
  }
  const std::pair<Value, bool> operands[] = {{module_value, module.has_value()},
                                             {name_value, name.has_value()}};
  for (const auto& [v, constant] : operands) {
    if (constant) continue;
    auto lit = v.tag() == Tag::kLiteral ? ReadLiteral(data_, v.payload()) : std::nullopt;
    if (lit && lit->type != LiteralType::kStr && lit->type != LiteralType::kStr8) {
      return Malformed("STACK_GLOBAL requires str operands", at);
    }
    if (lit) return Malformed("STACK_GLOBAL operand is not valid text or is too long", at);
  }
  // The module or the name is computed while loading: the callable is chosen at load time.
  auto id = NewNode(NodeKind::kDynamicGlobal, at);
  Value dynamic = Value::Opaque();
  if (id) {
    Node& node = nodes_[*id];
    node.sample[0] = module_value;
    node.sample[1] = name_value;
    node.sample_size = 2;
    node.count = 2;
    dynamic = Value::Make(Tag::kNode, *id);
  }
  bool created = false;
  PendingFinding* f = sink_.Touch(rule::kDynamicGlobal, Hex(at), Severity::kCritical, at, created);
  if (created && f != nullptr) {
    f->message = "STACK_GLOBAL at offset " + Hex(at) +
                 " imports a global whose module or name is computed while loading; which "
                 "callable it is cannot be known without running the pickle.";
    f->evidence = "STACK_GLOBAL(" + Render(module_value) + ", " + Render(name_value) + ")";
  }
  stack_.pop_back();
  stack_.back() = dynamic;
  return true;
}

bool Vm::OnExt(std::uint64_t code, std::uint64_t at) {
  sink_.Add(rule::kExtUnresolved, "ext" + std::to_string(code), Severity::kMedium,
            "EXT opcode at offset " + Hex(at) + " names extension code " + std::to_string(code) +
                ", resolved through copyreg's registry of the loading process (empty in plain "
                "Python); the global it stands for is unknown.",
            at, true, "EXT " + std::to_string(code));
  return Push(Value::Make(Tag::kExt, code), at);
}

bool Vm::OnPersId(Value pid, std::uint64_t at) {
  bool created = false;
  PendingFinding* f = sink_.Touch(rule::kPersistentId, "pid", Severity::kInfo, at, created);
  if (created && f != nullptr) {
    f->message =
        "The pickle refers to objects by persistent id, resolved by the loader's "
        "persistent_load.";
    f->evidence = Render(pid);
  }
  Value result = Value::Opaque();
  // torch.serialization's legacy persistent_load returns the class itself for an id
  // ('module', cls, source_file, source) (whole nn.Module pickles): the class is then judged
  // like any other global when it is instantiated.
  const Node* id_tuple = NodeOf(pid);
  if (id_tuple != nullptr && id_tuple->kind == NodeKind::kTuple && id_tuple->sample_size >= 2 &&
      id_tuple->sample[1].tag() == Tag::kGlobal) {
    const auto type = ConstantText(id_tuple->sample[0], 16);
    if (type && *type == "module") result = id_tuple->sample[1];
  }
  auto id = result.tag() == Tag::kGlobal ? std::nullopt : NewNode(NodeKind::kPersId, at);
  if (id) {
    nodes_[*id].sample[0] = pid;
    nodes_[*id].sample_size = 1;
    nodes_[*id].count = 1;
    result = Value::Make(Tag::kNode, *id);
  }
  if (data_[at] == op::kBinPersId) {
    stack_.back() = result;  // BINPERSID: the id was on the stack (kept there as a GC root)
    return true;
  }
  return Push(result, at);
}

Value Vm::OnCall(CallKind kind, Value callable, Value args, Value kwargs, std::uint64_t at) {
  const NodeKind node_kind = kind == CallKind::kNewObj     ? NodeKind::kNewObj
                             : kind == CallKind::kNewObjEx ? NodeKind::kNewObjEx
                                                           : NodeKind::kCall;
  auto id = NewNode(node_kind, at);
  Value call = Value::Opaque();
  if (id) {
    Node& node = nodes_[*id];
    node.sample[0] = callable;
    node.sample[1] = args;
    node.sample[2] = kwargs;
    node.sample_size = kind == CallKind::kNewObjEx ? 3 : 2;
    node.count = node.sample_size;
    call = Value::Make(Tag::kNode, *id);
  }
  ReportInvocation(callable, call, at);
  return call;
}

std::optional<std::pair<std::string, std::string>> Vm::CalledPath(Value call_value,
                                                                  int depth) const {
  const Node* node = NodeOf(call_value);
  if (node == nullptr || node->kind != NodeKind::kCall || node->sample_size < 2) {
    return std::nullopt;
  }
  return ResolvePath(node->sample[0], depth + 1);
}

namespace {

std::optional<Value> Item(const Node* node, std::size_t index) {
  if (node == nullptr || index >= node->sample_size) return std::nullopt;
  return node->sample[index];
}

}  // namespace

std::optional<std::pair<std::string, std::string>> Vm::ResolvePath(Value value, int depth) const {
  if (depth > kMaxDecodeDepth) return std::nullopt;
  if (value.tag() == Tag::kGlobal && value.payload() < globals_.size()) {
    const GlobalEntry& g = globals_[value.payload()];
    return std::make_pair(g.module, g.name);
  }
  const Node* call = NodeOf(value);
  if (call == nullptr || call->kind != NodeKind::kCall || call->sample_size < 2) {
    return std::nullopt;
  }
  const Node* args = NodeOf(call->sample[1]);
  const auto arg0 = Item(args, 0);
  const auto arg1 = Item(args, 1);
  // attrgetter('name')(obj): the callable is itself a call.
  if (const Node* inner = NodeOf(call->sample[0]); inner != nullptr) {
    auto inner_path = CalledPath(call->sample[0], depth + 1);
    auto inner_arg = Item(NodeOf(inner->sample[1]), 0);
    if (inner_path && IsOperator(inner_path->first) && inner_path->second == "attrgetter" &&
        inner_arg && arg0) {
      auto attr = ConstantText(*inner_arg, kMaxGlobalNameLength);
      auto base = ResolvePath(*arg0, depth + 1);
      if (attr && base) {
        return std::make_pair(base->first,
                              base->second.empty() ? *attr : base->second + "." + *attr);
      }
    }
    return std::nullopt;
  }
  auto callee = ResolvePath(call->sample[0], depth + 1);
  if (!callee || !arg0) return std::nullopt;
  const auto& [module, name] = *callee;
  // __import__('os'), importlib.import_module('os'): a module object.
  if ((IsBuiltins(module) && name == "__import__") ||
      (module == "importlib" && (name == "import_module" || name == "__import__"))) {
    auto text = ConstantText(*arg0, kMaxGlobalNameLength);
    if (text) return std::make_pair(*text, std::string());
    return std::nullopt;
  }
  // getattr(obj, 'name'), operator.getitem(sys.modules, 'os').
  const bool is_getattr = IsBuiltins(module) && name == "getattr";
  const bool is_getitem =
      (IsOperator(module) && name == "getitem") || (IsBuiltins(module) && name == "dict.get");
  if ((is_getattr || is_getitem) && arg1) {
    auto attr = ConstantText(*arg1, kMaxGlobalNameLength);
    auto base = ResolvePath(*arg0, depth + 1);
    if (!attr || !base) return std::nullopt;
    if (is_getitem) {
      if (base->first == "sys" && base->second == "modules") {
        return std::make_pair(*attr, std::string());
      }
      return std::nullopt;
    }
    return std::make_pair(base->first, base->second.empty() ? *attr : base->second + "." + *attr);
  }
  return std::nullopt;
}

void Vm::ReportResolvedCall(const std::string& module, const std::string& name,
                            const GlobalVerdict& verdict, Value call, std::uint64_t at) {
  const Node* call_node = NodeOf(call);
  const Value args = call_node != nullptr ? call_node->sample[1] : Value::Opaque();
  const std::string& loader_module = verdict.module.empty() ? module : verdict.module;
  const std::string& loader_name = verdict.name.empty() ? name : verdict.name;
  // pickle.dumps(tensor) writes torch.storage._load_from_bytes(<a torch.save file>): torch's
  // own path, judged by what the embedded file holds. Only when those bytes cannot be
  // computed is the call itself reported (as the denylist says).
  if (loader_module == "torch.storage" && loader_name == "_load_from_bytes" &&
      MaybeNestedLoad(loader_module, loader_name, args, at)) {
    return;
  }
  if (verdict.kind != GlobalKind::kAllowed) {
    const bool denied = verdict.kind == GlobalKind::kDenied;
    const Severity severity = denied ? verdict.severity : Severity::kHigh;
    bool created = false;
    PendingFinding* f = sink_.Touch(denied ? rule::kDangerousCall : rule::kUnknownCall,
                                    module + "\n" + name, severity, at, created);
    if (created && f != nullptr) {
      const std::string what = module + "." + name;
      if (denied) {
        f->message = "Calls " + what + " while loading (" +
                     std::string(GlobalCategoryName(verdict.category)) +
                     (verdict.reason.empty() ? "" : ": " + std::string(verdict.reason)) + ").";
      } else {
        f->message = "Calls " + what + ", which is in neither the allowlist nor the denylist.";
      }
      f->evidence = call.tag() == Tag::kNode ? Render(call) : what + "(...)";
    }
  }
  // Without a call node (pool full) the arguments are unknown: a loader is then undecoded.
  MaybeNestedLoad(loader_module, loader_name, args, at);
}

namespace {

// A public attribute name: no dunder or private walk, no dots.
bool IsPlainAttribute(const std::string& name) {
  if (name.empty() || name.front() == '_') return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

// getattr(m.C, 'NAME') with a constant public name reads an attribute of a known global:
// Python 3.11+ pickles every enum member this way (enum.Enum.__reduce_ex__). Judged as the
// attribute m.C.NAME rather than as a trampoline call: nothing at all when m.C is allowed, an
// unknown import otherwise. A denied attribute, a dunder walk or a computed name stays a call
// of getattr (the trampoline rule), and calling the result is judged on its own.
bool Vm::ReportAttributeRead(const GlobalEntry& getattr, Value call, std::uint64_t at) {
  if (getattr.verdict.module != "builtins" || getattr.verdict.name != "getattr") return false;
  const Node* call_node = NodeOf(call);
  const Node* args = call_node != nullptr ? NodeOf(call_node->sample[1]) : nullptr;
  if (args == nullptr || args->kind != NodeKind::kTuple || args->count != 2) return false;
  const Value base = args->sample[0];
  if (base.tag() != Tag::kGlobal || base.payload() >= globals_.size()) return false;
  const auto attribute = ConstantText(args->sample[1], kMaxGlobalNameLength);
  if (!attribute || !IsPlainAttribute(*attribute)) return false;
  const GlobalEntry& owner = globals_[base.payload()];
  if (owner.verdict.kind == GlobalKind::kAllowed) return true;
  const std::string dotted = owner.name + "." + *attribute;
  const GlobalVerdict verdict = Judge(owner.module, dotted, at);
  if (verdict.kind == GlobalKind::kDenied) return false;
  if (verdict.kind == GlobalKind::kAllowed) return true;
  const std::string what = owner.module + "." + dotted;
  sink_.Add(rule::kUnknownGlobal, owner.module + "\n" + dotted, Severity::kMedium,
            "Reads " + what + " with getattr (as Python pickles enum members); it is in neither "
            "the allowlist nor the denylist.",
            at, false, Render(call));
  return true;
}

void Vm::ReportInvocation(Value callable, Value call, std::uint64_t at) {
  std::string module, name;
  bool resolved = false;
  const Node* callable_node = NodeOf(callable);
  if (callable.tag() == Tag::kGlobal && callable.payload() < globals_.size()) {
    GlobalEntry& g = globals_[callable.payload()];
    ++g.calls;
    if (ReportAttributeRead(g, call, at)) return;
    ReportResolvedCall(g.module, g.name, g.verdict, call, at);  // verdict judged once per global
    return;
  }
  if (callable_node != nullptr && callable_node->kind != NodeKind::kDynamicGlobal &&
      callable_node->kind != NodeKind::kPersId) {
    auto path = ResolvePath(callable, 0);
    // operator.methodcaller('system', 'id')(os): calls os.system('id').
    auto called = CalledPath(callable);
    const Node* call_node = NodeOf(call);
    const auto target = Item(call_node ? NodeOf(call_node->sample[1]) : nullptr, 0);
    if (!path && called && IsOperator(called->first) && called->second == "methodcaller" &&
        target) {
      auto method = ConstantText(Item(NodeOf(callable_node->sample[1]), 0).value_or(Value{}),
                                 kMaxGlobalNameLength);
      auto base = ResolvePath(*target, 0);
      if (method && base) {
        path = std::make_pair(base->first,
                              base->second.empty() ? *method : base->second + "." + *method);
      }
    }
    // functools.partial(f, ...)(...): calls f.
    if (!path && called && (called->first == "functools" || called->first == "_functools") &&
        called->second == "partial") {
      const auto function = Item(NodeOf(callable_node->sample[1]), 0);
      if (function) path = ResolvePath(*function, 0);
    }
    if (path && !path->second.empty()) {
      module = path->first;
      name = path->second;
      resolved = true;
    } else if (callable_node->kind != NodeKind::kCall && callable_node->kind != NodeKind::kNewObj &&
               callable_node->kind != NodeKind::kNewObjEx) {
      Malformed("call of a container, which is not callable", at);
      return;
    }
  }
  if (resolved) {
    ReportResolvedCall(module, name, Judge(module, name, at), call, at);
    return;
  }
  // Not resolvable: a dynamic global, an EXT code, a persistent id or a computed value.
  std::string_view rule_id = rule::kCallOnResult;
  Severity severity = Severity::kHigh;
  std::string message;
  bool incomplete = false;
  switch (callable.tag()) {
    case Tag::kExt:
      rule_id = rule::kExtUnresolved;
      incomplete = true;
      message = "Calls the global behind EXT code " + std::to_string(callable.payload()) +
                ", which depends on the loading process's copyreg registry.";
      break;
    case Tag::kOpaque:
      message = "Calls a value the VM did not model (dropped at a limit or out-of-band data).";
      break;
    case Tag::kNode:
      if (callable_node->kind == NodeKind::kDynamicGlobal) {
        rule_id = rule::kDynamicGlobal;
        severity = Severity::kCritical;
        message = "Calls a global whose module or name is computed while loading.";
      } else if (callable_node->kind == NodeKind::kPersId) {
        message = "Calls an object returned by the loader's persistent_load.";
      } else {
        message = "Calls the result of another call, which the VM cannot resolve to a function.";
      }
      break;
    default:
      Malformed("call of a value that is not callable", at);
      return;
  }
  // One finding per root callable: f()()() chains and repeated calls stay one finding.
  std::string call_key = std::to_string(static_cast<int>(callable.tag()));
  Value root = callable;
  for (int step = 0; step < 16; ++step) {
    const Node* node = NodeOf(root);
    if (node == nullptr || node->sample_size == 0) break;
    if (node->kind == NodeKind::kDynamicGlobal || node->kind == NodeKind::kPersId) {
      call_key = Hex(node->offset);
      break;
    }
    root = node->sample[0];
  }
  if (root.tag() == Tag::kGlobal || root.tag() == Tag::kExt) {
    call_key = root.tag() == Tag::kGlobal ? "g" : "ext";
    call_key += std::to_string(root.payload());
  }
  bool created = false;
  PendingFinding* f = sink_.Touch(rule_id, "call" + call_key, severity, at, created);
  if (created && f != nullptr) {
    f->message = std::move(message);
    f->incomplete = incomplete;
    f->evidence = call.tag() == Tag::kNode ? Render(call) : Render(callable) + "(...)";
  }
}

bool Vm::OnBuild(std::uint64_t at) {
  if (!NeedStack(2, at)) return false;
  const Value state = stack_.back();
  const Value object = stack_[stack_.size() - 2];
  if (object.tag() == Tag::kGlobal && object.payload() < globals_.size()) {
    const std::string what = GlobalName(static_cast<std::uint32_t>(object.payload()));
    bool created = false;
    PendingFinding* f = sink_.Touch(rule::kGlobalMutation, what, Severity::kHigh, at, created);
    if (created && f != nullptr) {
      f->message = "BUILD at offset " + Hex(at) + " sets attributes of the imported global " +
                   what + " (monkey-patching live code while loading).";
      f->evidence = what + ".__dict__.update(" + Render(state) + ")";
    }
  } else if (Node* node = MutableNodeOf(object); node != nullptr) {
    const bool is_call = node->kind == NodeKind::kCall || node->kind == NodeKind::kNewObj ||
                         node->kind == NodeKind::kNewObjEx;
    if (is_call) {
      // Kept for evidence and for joblib: the object's state is the slot after its arguments.
      const std::size_t slot = node->kind == NodeKind::kNewObjEx ? 3 : 2;
      node->sample[slot] = state;
      node->sample_size = static_cast<std::uint8_t>(slot + 1);
      // copyreg._reconstructor(cls, base, state) makes an instance without calling cls; the
      // BUILD then runs cls.__setstate__, so cls counts as invoked.
      if (auto made_by = CalledPath(object);
          made_by && (made_by->first == "copyreg" || made_by->first == "copy_reg") &&
          made_by->second == "_reconstructor") {
        const auto cls = Item(NodeOf(node->sample[1]), 0);
        if (cls && cls->tag() == Tag::kGlobal && cls->payload() < globals_.size()) {
          GlobalEntry& g = globals_[cls->payload()];
          ++g.calls;
          ReportResolvedCall(g.module, g.name + ".__setstate__", g.verdict, Value::Opaque(), at);
        }
      }
      if (options_.joblib && !MaybeSkipJoblibArray(object, state, at)) {
        return false;
      }
    }
  }
  stack_.pop_back();
  return true;
}

void Vm::ReportGlobalImports() {
  for (std::size_t i = 0; i < globals_.size(); ++i) {
    const GlobalEntry& g = globals_[i];
    if (g.calls > 0 || g.verdict.kind == GlobalKind::kAllowed) continue;
    const bool denied = g.verdict.kind == GlobalKind::kDenied;
    Severity severity = Severity::kMedium;
    if (denied) {
      const bool runs_code = g.verdict.category == GlobalCategory::kCodeExecution ||
                             g.verdict.category == GlobalCategory::kCommandExecution;
      severity = g.verdict.severity;
      if (runs_code && severity < Severity::kHigh) severity = Severity::kHigh;
      if (!runs_code && severity > Severity::kMedium) {
        severity = static_cast<Severity>(static_cast<int>(severity) - 1);
      }
    }
    bool created = false;
    PendingFinding* f = sink_.Touch(denied ? rule::kDangerousGlobal : rule::kUnknownGlobal,
                                    g.module + "\n" + g.name, severity, g.first_offset, created);
    if (!created || f == nullptr) continue;
    f->count = g.resolves;
    const std::string what = GlobalName(static_cast<std::uint32_t>(i));
    f->message =
        denied ? "Imports " + what + " (" + std::string(GlobalCategoryName(g.verdict.category)) +
                     (g.verdict.reason.empty() ? "" : ": " + std::string(g.verdict.reason)) +
                     ") without a call the VM could see."
               : "Imports " + what + ", which is in neither the allowlist nor the denylist.";
    f->evidence = what;
  }
}

std::string Vm::GlobalName(std::uint32_t index) const {
  if (index >= globals_.size()) return "?";
  return globals_[index].module + "." + globals_[index].name;
}

}  // namespace mg::pickle
