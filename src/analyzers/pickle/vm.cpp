// The opcode dispatch loop. pickletools documents each opcode's stack effect; comments cite the
// CPython unpickler behaviour where the VM must match it (errors stop loading there).
#include "analyzers/pickle/vm.h"

#include <cstring>

#include "analyzers/pickle/opcodes.h"
#include "engine/scan_context.h"

namespace mg::pickle {
namespace {

std::string Hex(std::uint64_t value) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(value));
  return buf;
}

std::uint64_t LittleEndian(const std::uint8_t* p, int width) {
  std::uint64_t v = 0;
  for (int i = width - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

Vm::Vm(ScanContext& ctx, ByteView data, FindingSink& sink, VmOptions options)
    : ctx_(ctx), data_(data), sink_(sink), options_(options) {
  stack_.reserve(1024);
}

bool Vm::Fail(RunOutcome outcome, std::string_view rule_id, std::string message, std::uint64_t at) {
  outcome_ = outcome;
  sink_.Add(rule_id, "fail", Severity::kMedium, std::move(message), at, /*incomplete=*/true);
  return false;
}

bool Vm::Malformed(std::string message, std::uint64_t at) {
  return Fail(RunOutcome::kMalformed, rule::kMalformed,
              "Malformed pickle: " + message + " at offset " + Hex(at) +
                  "; Python stops loading there and the rest was not analysed.",
              at);
}

bool Vm::PushOverLimit(std::uint64_t at) {
  {
    sink_.Add(rule::kLimit, "stack", Severity::kMedium,
              "The pickle stack grew deeper than " + std::to_string(kMaxStackDepth) +
                  " values at offset " + Hex(at) +
                  "; from there on only imported globals are tracked.",
              at, true);
    degraded_ = true;
    return true;
  }
}

inline bool Vm::FastStep(std::uint8_t code, std::uint64_t at) {
  const std::uint64_t remaining = data_.size() - pos_;
  const std::uint8_t* arg = data_.data() + pos_;
  switch (code) {
    case op::kBinInt1:
      if (remaining < 1) return false;
      pos_ += 1;
      return Push(MakeInt(arg[0]), at);
    case op::kBinInt2:
      if (remaining < 2) return false;
      pos_ += 2;
      return Push(MakeInt(arg[0] | (arg[1] << 8)), at);
    case op::kBinInt:
      if (remaining < 4) return false;
      pos_ += 4;
      return Push(MakeInt(static_cast<std::int32_t>(LittleEndian(arg, 4))), at);
    case op::kBinFloat:
      if (remaining < 8) return false;
      pos_ += 8;
      return Push(Value::Make(Tag::kLiteral, at), at);
    case op::kShortBinUnicode:
    case op::kShortBinBytes:
      if (remaining < 1 || remaining - 1 < arg[0] || protocol_ < 4) return false;
      pos_ += 1 + arg[0];
      return Push(Value::Make(Tag::kLiteral, at), at);
    case op::kBinGet:
      if (remaining < 1 || arg[0] >= memo_.size() || memo_[arg[0]].bits == kEmptyMemoBits) {
        return false;
      }
      pos_ += 1;
      return Push(memo_[arg[0]], at);
    default:
      return false;
  }
}

bool Vm::NeedStack(std::size_t count, std::uint64_t at) {
  const std::size_t fence = marks_.empty() ? 0 : marks_.back();
  if (stack_.size() - fence >= count) return true;
  return Malformed("stack underflow", at);
}

bool Vm::PopMark(std::uint64_t at, std::size_t& mark) {
  if (marks_.empty()) return Malformed("could not find MARK", at);
  mark = marks_.back();
  marks_.pop_back();
  return true;
}

bool Vm::ReadLine(ByteView& line) {
  const std::uint64_t remaining = data_.size() - pos_;
  const auto* begin = data_.data() + pos_;
  const void* nl = std::memchr(begin, '\n', remaining);
  if (nl == nullptr) return false;
  const std::uint64_t length = static_cast<const std::uint8_t*>(nl) - begin;
  line = ByteView(begin, length);
  pos_ += length + 1;
  return true;
}

bool Vm::ReadCounted(int width, ByteView& payload, std::uint64_t at) {
  if (data_.size() - pos_ < static_cast<std::uint64_t>(width)) {
    return Malformed("truncated length", at);
  }
  const std::uint64_t length = LittleEndian(data_.data() + pos_, width);
  if (width == 4 && data_[at] == op::kBinString && length > 0x7fffffff) {
    return Malformed("negative BINSTRING length", at);
  }
  pos_ += width;
  if (length > data_.size() - pos_) {
    return Malformed("declared length " + std::to_string(length) + " runs past the end (" +
                         std::to_string(data_.size() - pos_) + " bytes left)",
                     at);
  }
  payload = ByteView(data_.data() + pos_, length);
  pos_ += length;
  return true;
}

bool Vm::MemoPut(std::uint64_t index, std::uint64_t at) {
  if (stack_.empty() || (!marks_.empty() && marks_.back() == stack_.size())) {
    return Malformed("memo store with an empty stack", at);
  }
  const Value value = stack_.back();
  if (index < kMaxMemoDenseIndex) {
    if (index >= memo_.size()) {
      std::size_t grown = memo_.empty() ? 256 : memo_.size();
      while (grown <= index) grown *= 2;
      if (grown > kMaxMemoDenseIndex) grown = kMaxMemoDenseIndex;
      memo_.resize(grown, Value{kEmptyMemoBits});
    }
    if (memo_[index].bits == kEmptyMemoBits) ++memo_count_;
    memo_[index] = value;
    return true;
  }
  auto it = memo_sparse_.find(index);
  if (it != memo_sparse_.end()) {
    it->second = value;
    return true;
  }
  if (memo_sparse_.size() >= kMaxMemoSparseEntries) {
    memo_dropped_ = true;
    sink_.Add(rule::kLimit, "memo", Severity::kMedium,
              "More than " + std::to_string(kMaxMemoSparseEntries) +
                  " memo entries with indexes above " + std::to_string(kMaxMemoDenseIndex) +
                  " (first dropped at offset " + Hex(at) + "); values fetched back are unknown.",
              at, true);
    return true;
  }
  memo_sparse_.emplace(index, value);
  ++memo_count_;
  return true;
}

bool Vm::MemoGet(std::uint64_t index, std::uint64_t at) {
  if (index < memo_.size() && memo_[index].bits != kEmptyMemoBits) {
    return Push(memo_[index], at);
  }
  if (index >= kMaxMemoDenseIndex) {
    auto it = memo_sparse_.find(index);
    if (it != memo_sparse_.end()) return Push(it->second, at);
    if (memo_dropped_) return Push(Value::Opaque(), at);
  }
  return Malformed("memo entry " + std::to_string(index) + " was never stored", at);
}

bool Vm::OnProto(std::uint8_t protocol, std::uint64_t at) {
  if (protocol > kHighestProtocol) {
    return Malformed("unsupported pickle protocol " + std::to_string(protocol), at);
  }
  if (at != start_) {
    sink_.Add(rule::kProtocolAnomaly, "late", Severity::kLow,
              "PROTO " + std::to_string(protocol) + " at offset " + Hex(at) +
                  " is not the first opcode; pickle.dump writes it only at the start.",
              at);
  } else if (protocol < 2) {
    sink_.Add(rule::kProtocolAnomaly, "low", Severity::kLow,
              "PROTO declares protocol " + std::to_string(protocol) +
                  ", which pickle.dump never writes a PROTO opcode for.",
              at);
  }
  protocol_ = protocol;
  return true;
}

bool Vm::CheckProtocol(std::uint8_t code, std::uint64_t at) {
  const OpcodeInfo& info = LookupOpcode(code);
  // Protocol 0 and 1 pickles have no PROTO; protocol 2+ opcodes need one that allows them.
  const int declared = protocol_ < 0 ? 1 : protocol_;
  if (info.protocol > declared) {
    sink_.Add(rule::kProtocolAnomaly, info.name, Severity::kLow,
              std::string(info.name) + " (protocol " + std::to_string(info.protocol) +
                  ") used in a pickle that declares protocol " +
                  (protocol_ < 0 ? std::string("0 or 1") : std::to_string(protocol_)) + ".",
              at);
  }
  return true;
}

bool Vm::OnFrame(std::uint64_t length, std::uint64_t at) {
  if (frame_end_ != 0 && at < frame_end_) {
    sink_.Add(rule::kFrameMismatch, "nested", Severity::kMedium,
              "FRAME at offset " + Hex(at) + " starts before the previous frame ends at " +
                  Hex(frame_end_) + ".",
              at);
  }
  const std::uint64_t remaining = data_.size() - pos_;
  if (length > remaining) {
    // CPython's C unpickler fails reading such a frame; the Python one (used by joblib) goes
    // on, so the stream is analysed as far as it goes.
    sink_.Add(rule::kFrameMismatch, "long", Severity::kMedium,
              "FRAME at offset " + Hex(at) + " declares " + std::to_string(length) +
                  " bytes but only " + std::to_string(remaining) + " remain.",
              at);
    frame_end_ = data_.size();
    return true;
  }
  frame_end_ = pos_ + length;
  return true;
}

bool Vm::OnIntLine(ByteView line, std::uint64_t at) {
  // pickletools: INT "00" and "01" are False and True (protocol 0 bools).
  if (line.AsStringView() == "00") return Push(Value::Bool(false), at);
  if (line.AsStringView() == "01") return Push(Value::Bool(true), at);
  auto parsed = ParseDecimalInt(line);
  if (parsed && *parsed <= kMaxInlineInt && *parsed >= kMinInlineInt) {
    return Push(MakeInt(*parsed), at);
  }
  // Too long for 64 bits: check it is a number, keep it as a literal.
  std::uint64_t i = 0;
  if (i < line.size() && (line[i] == '-' || line[i] == '+')) ++i;
  std::uint64_t end = line.size();
  if (end > i && line[end - 1] == 'L') --end;
  if (i == end) return Malformed("invalid integer literal", at);
  for (; i < end; ++i) {
    if (line[i] < '0' || line[i] > '9') return Malformed("invalid integer literal", at);
  }
  return Push(Value::Make(Tag::kLiteral, at), at);
}

RunResult Vm::Run(std::uint64_t start) {
  pos_ = start_ = released_ = start;
  const std::uint64_t opcode_limit = ctx_.limits().max_pickle_opcodes;
  while (!stopped_) {
    if (pos_ >= data_.size()) {
      Malformed("the data ends before STOP (truncated pickle)", pos_);
      break;
    }
    const std::uint64_t at = pos_;
    const std::uint8_t code = data_[pos_++];
    if (++opcodes_ % kPollInterval == 0) {
      if (options_.opcode_budget + opcodes_ > opcode_limit) {
        Fail(RunOutcome::kLimit, rule::kLimit,
             "More than " + std::to_string(opcode_limit) +
                 " opcodes (--max-opcodes); the rest was not analysed.",
             at);
        break;
      }
      if (ctx_.TimeUp()) {
        Fail(RunOutcome::kLimit, rule::kLimit,
             "The time limit ran out at offset " + Hex(at) + "; the rest was not analysed.", at);
        break;
      }
      // Memory stays flat on huge pickles: the input pages already decoded are dropped (a
      // later GET of an old string faults its page back in from the page cache).
      if (pos_ - released_ >= kReleaseInputEvery) {
        ctx_.ReleaseInput(ByteView(data_.data() + released_, pos_ - released_));
        released_ = pos_;
      }
    }
    const bool ok = degraded_ ? OnDegradedOpcode(code, at)
                              : (FastStep(code, at) || (pos_ == at + 1 && Step(code, at)));
    if (!ok) break;
    if (frame_end_ != 0 && pos_ >= frame_end_) {
      if (pos_ > frame_end_ && at < frame_end_ && code != op::kFrame) {
        sink_.Add(rule::kFrameMismatch, "cross", Severity::kMedium,
                  "The opcode at offset " + Hex(at) + " crosses the end of its FRAME (" +
                      Hex(frame_end_) + "); the Python unpickler rejects this, the C one not.",
                  at);
      }
      if (code != op::kFrame || pos_ > frame_end_) frame_end_ = 0;
    }
  }
  ReportGlobalImports();
  RunResult result;
  result.outcome = stopped_ ? RunOutcome::kStop : outcome_;
  result.end = pos_;
  result.opcodes = opcodes_;
  result.torch_legacy_magic = torch_magic_;
  result.globals_resolved = globals_resolved_;
  return result;
}

}  // namespace mg::pickle

namespace mg::pickle {

// After the stack limit the stack is no longer modelled: opcodes are only decoded to stay in
// step, and every global is still resolved and reported (INST as a call). STACK_GLOBAL is
// resolved when its two operands were pushed by the two opcodes just before it.
bool Vm::OnDegradedOpcode(std::uint8_t code, std::uint64_t at) {
  const OpcodeInfo& info = LookupOpcode(code);
  if (info.name.empty()) return Malformed("unknown opcode", at);
  ByteView line, payload;
  std::uint64_t fixed = 0;
  switch (info.arg) {
    case ArgKind::kNone:
      break;
    case ArgKind::kU1:
      fixed = 1;
      break;
    case ArgKind::kU2:
      fixed = 2;
      break;
    case ArgKind::kI4:
    case ArgKind::kU4:
      fixed = 4;
      break;
    case ArgKind::kF8:
    case ArgKind::kU8:
      fixed = 8;
      break;
    case ArgKind::kLine:
      if (!ReadLine(line)) return Malformed("unterminated text argument", at);
      break;
    case ArgKind::kTwoLines: {
      ByteView name;
      if (!ReadLine(line) || !ReadLine(name)) return Malformed("unterminated global name", at);
      if (line.size() > kMaxGlobalNameLength || name.size() > kMaxGlobalNameLength) {
        return Malformed("global name too long", at);
      }
      const Value g =
          ResolveGlobal(std::string(line.AsStringView()), std::string(name.AsStringView()), at);
      if (code == op::kInst && g.tag() == Tag::kGlobal) {
        ReportInvocation(g, Value::Opaque(), at);
      }
      last_str_count_ = 0;
      return true;
    }
    case ArgKind::kBytes1:
      if (!ReadCounted(1, payload, at)) return false;
      break;
    case ArgKind::kBytes4:
      if (!ReadCounted(4, payload, at)) return false;
      break;
    case ArgKind::kBytes8:
      if (!ReadCounted(8, payload, at)) return false;
      break;
  }
  if (fixed > data_.size() - pos_) return Malformed("truncated argument", at);
  pos_ += fixed;
  switch (code) {
    case op::kShortBinUnicode:
    case op::kBinUnicode:
    case op::kBinUnicode8:
    case op::kUnicode:
    case op::kString:
    case op::kShortBinString:
    case op::kBinString:
      last_str_offsets_[0] = last_str_offsets_[1];
      last_str_offsets_[1] = at;
      if (last_str_count_ < 2) ++last_str_count_;
      return true;
    case op::kMemoize:
    case op::kPut:
    case op::kBinPut:
    case op::kLongBinPut:
    case op::kFrame:
      return true;
    case op::kStackGlobal: {
      std::optional<std::string> module, name;
      if (last_str_count_ == 2) {
        module =
            ConstantText(Value::Make(Tag::kLiteral, last_str_offsets_[0]), kMaxGlobalNameLength);
        name = ConstantText(Value::Make(Tag::kLiteral, last_str_offsets_[1]), kMaxGlobalNameLength);
      }
      if (module && name) {
        ResolveGlobal(std::move(*module), std::move(*name), at);
      } else {
        sink_.Add(rule::kLimit, "degraded-stack-global", Severity::kMedium,
                  "STACK_GLOBAL at offset " + Hex(at) +
                      " could not be resolved after the stack limit was reached.",
                  at, true);
      }
      last_str_count_ = 0;
      return true;
    }
    case op::kStop:
      stopped_ = true;
      return true;
    default:
      last_str_count_ = 0;
      return true;
  }
}

}  // namespace mg::pickle
