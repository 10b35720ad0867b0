// The symbolic pickle VM: executes one pickle's opcodes over the mapped input without running
// anything. It models the stack, the mark stack and the memo, resolves globals, records which
// callables are invoked with which arguments, and reports through a FindingSink.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "analyzers/pickle/findings.h"
#include "analyzers/pickle/globals.h"
#include "analyzers/pickle/literal.h"
#include "analyzers/pickle/value.h"
#include "core/byte_view.h"

namespace mg {
class ScanContext;
}

namespace mg::pickle {

enum class RunOutcome : std::uint8_t {
  kStop,       // reached STOP
  kMalformed,  // invalid from some offset on (reported)
  kLimit,      // a limit stopped the run (reported)
};

struct RunResult {
  RunOutcome outcome = RunOutcome::kStop;
  std::uint64_t end = 0;  // offset just after STOP, or where the run stopped
  std::uint64_t opcodes = 0;
  bool torch_legacy_magic = false;  // the pickle is torch's magic number 0x1950a86a20f9469cfc6c
  std::uint64_t globals_resolved = 0;
};

struct VmOptions {
  bool joblib = true;  // step over joblib's raw array data after NumpyArrayWrapper BUILDs
  // Opcodes already spent in this payload (the opcode limit covers all pickles in it).
  std::uint64_t opcode_budget = 0;
  // Trying whether bytes are a pickle: nested payloads are not scanned.
  bool probe = false;
};

struct GlobalEntry {
  std::string module;  // as written in the pickle
  std::string name;
  GlobalVerdict verdict;
  std::uint64_t first_offset = 0;
  std::uint64_t resolves = 0;
  std::uint64_t calls = 0;
};

enum class CallKind : std::uint8_t { kReduce, kInst, kObj, kNewObj, kNewObjEx };

class Vm {
 public:
  Vm(ScanContext& ctx, ByteView data, FindingSink& sink, VmOptions options = {});
  Vm(const Vm&) = delete;
  Vm& operator=(const Vm&) = delete;

  // Runs the pickle that starts at `start` until STOP, an error or a limit.
  RunResult Run(std::uint64_t start);

  // Evidence: `value` rebuilt as Python-like code, bounded (evidence.cpp).
  std::string Render(Value value) const;

 private:
  // --- dispatch (vm.cpp) ---
  bool Step(std::uint8_t code, std::uint64_t at);
  bool Fail(RunOutcome outcome, std::string_view rule, std::string message, std::uint64_t at);
  bool Malformed(std::string message, std::uint64_t at);
  // The common case inline: the hot loop pushes once per opcode.
  bool Push(Value value, std::uint64_t at) {
    if (stack_.size() < kMaxStackDepth) [[likely]] {
      stack_.push_back(value);
      return true;
    }
    return PushOverLimit(at);
  }
  bool PushOverLimit(std::uint64_t at);
  // Opcodes that dominate data-heavy pickles, decoded without leaving the loop. Returns false
  // when `code` is not one of them (or needs the full path) and nothing was consumed.
  bool FastStep(std::uint8_t code, std::uint64_t at);
  bool PopMark(std::uint64_t at, std::size_t& mark);
  bool NeedStack(std::size_t count, std::uint64_t at);
  bool ReadLine(ByteView& line);
  bool ReadCounted(int width, ByteView& payload, std::uint64_t at);
  bool MemoPut(std::uint64_t index, std::uint64_t at);
  bool MemoGet(std::uint64_t index, std::uint64_t at);
  bool CheckProtocol(std::uint8_t code, std::uint64_t at);
  bool OnFrame(std::uint64_t length, std::uint64_t at);
  bool OnProto(std::uint8_t protocol, std::uint64_t at);
  bool OnIntLine(ByteView line, std::uint64_t at);
  bool OnDegradedOpcode(std::uint8_t code, std::uint64_t at);

  // --- containers and nodes (heap.cpp) ---
  // A new node, or nullopt when the pool is full even after collecting unreachable nodes.
  std::optional<std::uint32_t> NewNode(NodeKind kind, std::uint64_t at);
  Value MakeContainer(NodeKind kind, const Value* items, std::size_t count, std::uint64_t at);
  void AddChildren(Value target, const Value* items, std::size_t count);
  void Collect();
  const Node* NodeOf(Value value) const;
  Node* MutableNodeOf(Value value);

  // --- globals and calls (vm_calls.cpp) ---
  bool OnGlobal(ByteView module, ByteView name, std::uint64_t at, bool inst);
  bool OnStackGlobal(std::uint64_t at);
  Value ResolveGlobal(std::string module, std::string name, std::uint64_t at);
  // JudgeGlobal, then the policy's name lists (ScanContext::name_lists): a denied name is
  // reported (once per global), an allowed one that JudgeGlobal did not know becomes allowed.
  GlobalVerdict Judge(const std::string& module, const std::string& name, std::uint64_t at);
  bool OnExt(std::uint64_t code, std::uint64_t at);
  Value OnCall(CallKind kind, Value callable, Value args, Value kwargs, std::uint64_t at);
  bool OnBuild(std::uint64_t at);
  bool OnPersId(Value pid, std::uint64_t at);
  void ReportInvocation(Value callable, Value call, std::uint64_t at);
  bool ReportAttributeRead(const GlobalEntry& getattr, Value call, std::uint64_t at);
  void ReportResolvedCall(const std::string& module, const std::string& name,
                          const GlobalVerdict& verdict, Value call, std::uint64_t at);
  void ReportGlobalImports();
  std::optional<std::string> ConstantText(Value value, std::uint64_t max_bytes) const;
  std::optional<std::pair<std::string, std::string>> ResolvePath(Value value, int depth) const;
  std::optional<std::pair<std::string, std::string>> CalledPath(Value call_node,
                                                                int depth = 0) const;

  // --- nested payloads (nested.cpp) ---
  // Analyses what a known loader call loads, when its argument can be computed; true when the
  // payload was handed to the engine (or already was).
  bool MaybeNestedLoad(const std::string& module, const std::string& name, Value args,
                       std::uint64_t at);
  std::optional<ByteView> EvalBytes(Value value, int depth, std::string& why);
  std::optional<ByteView> ApplyDecoder(const std::string& function, Value args, int depth,
                                       std::string& why);

  // --- joblib (joblib.cpp) ---
  bool MaybeSkipJoblibArray(Value object, Value state, std::uint64_t at);

  // --- evidence (evidence.cpp) ---
  void RenderInto(Value value, int depth, std::string& out) const;
  void RenderNode(const Node& node, int depth, std::string& out) const;
  void RenderLiteral(std::uint64_t offset, std::string& out) const;
  std::string GlobalName(std::uint32_t index) const;

  ScanContext& ctx_;
  ByteView data_;
  FindingSink& sink_;
  VmOptions options_;

  std::uint64_t pos_ = 0;  // next byte to decode
  std::uint64_t released_ = 0;  // input before this offset was handed to ctx.ReleaseInput
  std::uint64_t start_ = 0;
  std::vector<Value> stack_;
  std::vector<std::uint32_t> marks_;  // stack sizes at each MARK
  std::vector<Value> memo_;           // dense part; Tag bits 0xF mark an empty slot
  std::unordered_map<std::uint64_t, Value> memo_sparse_;
  std::uint64_t memo_count_ = 0;  // entries stored (MEMOIZE's index)
  bool memo_dropped_ = false;

  std::vector<Node> nodes_;
  std::vector<std::uint32_t> free_nodes_;
  std::uint64_t collect_backoff_ = 0;  // allocations to skip before collecting again
  bool nodes_exhausted_reported_ = false;

  std::vector<GlobalEntry> globals_;
  std::unordered_map<std::string, std::uint32_t> global_index_;
  std::vector<ByteView> blobs_;                    // decoded constants (kept alive by ctx.Own)
  std::unordered_set<std::uint64_t> nested_seen_;  // nested payload arguments analysed

  int protocol_ = -1;            // from PROTO; -1 before any
  std::uint64_t frame_end_ = 0;  // end of the current FRAME, 0 when none
  bool degraded_ = false;        // after a stack limit: only imports are still tracked
  std::uint64_t opcodes_ = 0;
  std::uint64_t first_value_offset_ = 0;
  RunOutcome outcome_ = RunOutcome::kStop;
  bool stopped_ = false;
  bool torch_magic_ = false;
  std::uint64_t globals_resolved_ = 0;
  std::uint64_t last_str_offsets_[2] = {0, 0};  // degraded mode: recent string pushes
  int last_str_count_ = 0;
};

inline constexpr std::uint64_t kEmptyMemoBits = 0xF;

}  // namespace mg::pickle
