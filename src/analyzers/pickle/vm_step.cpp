// One opcode: decode its argument and apply its stack effect (pickletools' stack_before and
// stack_after). Hot opcodes (ints, floats, short strings, memo, APPENDS) stay in the switch.
#include <bit>
#include <cstring>

#include "analyzers/pickle/opcodes.h"
#include "analyzers/pickle/vm.h"

namespace mg::pickle {
namespace {

std::uint64_t LoadLe(const std::uint8_t* p, int width) {
  std::uint64_t v = 0;
  for (int i = width - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// pickletools: torch's legacy format starts with a pickle of this int (LONG1, 10 bytes).
constexpr std::uint8_t kTorchMagicLong1[] = {0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46,
                                             0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19};

}  // namespace

bool Vm::Step(std::uint8_t code, std::uint64_t at) {
  const std::uint64_t remaining = data_.size() - pos_;
  const std::uint8_t* arg = data_.data() + pos_;
  ByteView payload;
  switch (code) {
    case op::kBinInt1:
      if (remaining < 1) return Malformed("truncated BININT1", at);
      ++pos_;
      return Push(MakeInt(arg[0]), at);
    case op::kBinInt2:
      if (remaining < 2) return Malformed("truncated BININT2", at);
      pos_ += 2;
      return Push(MakeInt(static_cast<std::int64_t>(LoadLe(arg, 2))), at);
    case op::kBinInt:
      if (remaining < 4) return Malformed("truncated BININT", at);
      pos_ += 4;
      return Push(MakeInt(static_cast<std::int32_t>(LoadLe(arg, 4))), at);
    case op::kBinFloat:
      if (remaining < 8) return Malformed("truncated BINFLOAT", at);
      pos_ += 8;
      return Push(Value::Make(Tag::kLiteral, at), at);
    case op::kShortBinUnicode:
    case op::kShortBinBytes:
    case op::kShortBinString:
      if (!ReadCounted(1, payload, at)) return false;
      if (code != op::kShortBinBytes) CheckProtocol(code, at);
      return Push(Value::Make(Tag::kLiteral, at), at);
    case op::kBinUnicode:
    case op::kBinBytes:
    case op::kBinString:
      if (!ReadCounted(4, payload, at)) return false;
      CheckProtocol(code, at);
      return Push(Value::Make(Tag::kLiteral, at), at);
    case op::kBinUnicode8:
    case op::kBinBytes8:
    case op::kByteArray8:
      if (!ReadCounted(8, payload, at)) return false;
      CheckProtocol(code, at);
      return Push(Value::Make(Tag::kLiteral, at), at);
    case op::kMark:
      if (marks_.size() >= kMaxMarkDepth) {
        return Fail(RunOutcome::kLimit, rule::kLimit,
                    "More than " + std::to_string(kMaxMarkDepth) + " nested MARKs at offset " +
                        std::to_string(at) + "; the rest was not analysed.",
                    at);
      }
      marks_.push_back(static_cast<std::uint32_t>(stack_.size()));
      return true;
    case op::kBinPut:
      if (remaining < 1) return Malformed("truncated BINPUT", at);
      ++pos_;
      return MemoPut(arg[0], at);
    case op::kLongBinPut:
      if (remaining < 4) return Malformed("truncated LONG_BINPUT", at);
      pos_ += 4;
      return MemoPut(LoadLe(arg, 4), at);
    case op::kMemoize:
      return MemoPut(memo_count_, at);
    case op::kBinGet:
      if (remaining < 1) return Malformed("truncated BINGET", at);
      ++pos_;
      return MemoGet(arg[0], at);
    case op::kLongBinGet:
      if (remaining < 4) return Malformed("truncated LONG_BINGET", at);
      pos_ += 4;
      return MemoGet(LoadLe(arg, 4), at);
    case op::kAppends:
    case op::kSetItems:
    case op::kAddItems: {
      std::size_t mark = 0;
      if (!PopMark(at, mark)) return false;
      const std::size_t fence = marks_.empty() ? 0 : marks_.back();
      if (mark == 0 || mark - 1 < fence) return Malformed("stack underflow", at);
      const std::size_t count = stack_.size() - mark;
      if (code == op::kSetItems && count % 2 != 0) {
        return Malformed("odd number of items for SETITEMS", at);
      }
      AddChildren(stack_[mark - 1], stack_.data() + mark, count);
      stack_.resize(mark);
      return true;
    }
    case op::kAppend:
      if (!NeedStack(2, at)) return false;
      AddChildren(stack_[stack_.size() - 2], &stack_.back(), 1);
      stack_.pop_back();
      return true;
    case op::kSetItem:
      if (!NeedStack(3, at)) return false;
      AddChildren(stack_[stack_.size() - 3], &stack_[stack_.size() - 2], 2);
      stack_.resize(stack_.size() - 2);
      return true;
    case op::kNone:
      return Push(Value::None(), at);
    case op::kNewTrue:
      CheckProtocol(code, at);
      return Push(Value::Bool(true), at);
    case op::kNewFalse:
      CheckProtocol(code, at);
      return Push(Value::Bool(false), at);
    case op::kEmptyList:
      return Push(MakeContainer(NodeKind::kList, nullptr, 0, at), at);
    case op::kEmptyDict:
      return Push(MakeContainer(NodeKind::kDict, nullptr, 0, at), at);
    case op::kEmptyTuple:
      return Push(MakeContainer(NodeKind::kTuple, nullptr, 0, at), at);
    case op::kEmptySet:
      CheckProtocol(code, at);
      return Push(MakeContainer(NodeKind::kSet, nullptr, 0, at), at);
    case op::kTuple1:
    case op::kTuple2:
    case op::kTuple3: {
      CheckProtocol(code, at);
      const std::size_t n = code - op::kTuple1 + 1;
      if (!NeedStack(n, at)) return false;
      const Value tuple = MakeContainer(NodeKind::kTuple, &stack_[stack_.size() - n], n, at);
      stack_.resize(stack_.size() - n);
      return Push(tuple, at);
    }
    case op::kTuple:
    case op::kList:
    case op::kDict:
    case op::kFrozenSet: {
      std::size_t mark = 0;
      if (!PopMark(at, mark)) return false;
      const std::size_t count = stack_.size() - mark;
      if (code == op::kDict && count % 2 != 0) {
        return Malformed("odd number of items for DICT", at);
      }
      const NodeKind kind = code == op::kTuple  ? NodeKind::kTuple
                            : code == op::kList ? NodeKind::kList
                            : code == op::kDict ? NodeKind::kDict
                                                : NodeKind::kFrozenSet;
      const Value container = MakeContainer(kind, stack_.data() + mark, count, at);
      stack_.resize(mark);
      return Push(container, at);
    }
    case op::kPop:
      // CPython's load_pop: with nothing above the last MARK, POP discards the MARK.
      if (!marks_.empty() && marks_.back() == stack_.size()) {
        marks_.pop_back();
        return true;
      }
      if (stack_.empty()) return Malformed("stack underflow", at);
      stack_.pop_back();
      return true;
    case op::kPopMark: {
      std::size_t mark = 0;
      if (!PopMark(at, mark)) return false;
      stack_.resize(mark);
      return true;
    }
    case op::kDup:
      if (!NeedStack(1, at)) return false;
      return Push(stack_.back(), at);
    case op::kInt:
    case op::kLong:
    case op::kFloat: {
      ByteView line;
      if (!ReadLine(line)) return Malformed("unterminated text argument", at);
      if (code == op::kInt) return OnIntLine(line, at);
      if (code == op::kLong) {
        auto parsed = ParseDecimalInt(line);
        if (parsed && *parsed <= kMaxInlineInt && *parsed >= kMinInlineInt) {
          return Push(MakeInt(*parsed), at);
        }
        return OnIntLine(line, at);
      }
      if (line.empty()) return Malformed("empty FLOAT argument", at);
      return Push(Value::Make(Tag::kLiteral, at), at);
    }
    case op::kLong1:
    case op::kLong4: {
      CheckProtocol(code, at);
      if (!ReadCounted(code == op::kLong1 ? 1 : 4, payload, at)) return false;
      if (payload.size() <= 7) {
        std::uint64_t v = payload.empty() ? 0 : LoadLe(payload.data(), payload.size());
        const int bits = static_cast<int>(payload.size()) * 8;
        if (bits > 0 && bits < 64 && (v >> (bits - 1)) != 0) v |= ~std::uint64_t{0} << bits;
        return Push(MakeInt(static_cast<std::int64_t>(v)), at);
      }
      return Push(Value::Make(Tag::kLiteral, at), at);
    }
    case op::kString:
    case op::kUnicode: {
      ByteView line;
      if (!ReadLine(line)) return Malformed("unterminated text argument", at);
      if (code == op::kString) {
        // pickletools: STRING's argument is a repr, so it must be quoted.
        if (line.size() < 2 || line[0] != line[line.size() - 1] ||
            (line[0] != '\'' && line[0] != '"')) {
          return Malformed("the STRING opcode argument must be quoted", at);
        }
      }
      return Push(Value::Make(Tag::kLiteral, at), at);
    }
    case op::kGet:
    case op::kPut: {
      ByteView line;
      if (!ReadLine(line)) return Malformed("unterminated memo index", at);
      auto index = ParseDecimalInt(line);
      if (!index || *index < 0) return Malformed("invalid memo index", at);
      return code == op::kGet ? MemoGet(static_cast<std::uint64_t>(*index), at)
                              : MemoPut(static_cast<std::uint64_t>(*index), at);
    }
    case op::kGlobal:
    case op::kInst: {
      ByteView module, name;
      if (!ReadLine(module) || !ReadLine(name)) return Malformed("unterminated global name", at);
      return OnGlobal(module, name, at, code == op::kInst);
    }
    case op::kStackGlobal:
      CheckProtocol(code, at);
      return OnStackGlobal(at);
    case op::kReduce: {
      if (!NeedStack(2, at)) return false;
      const Value result =
          OnCall(CallKind::kReduce, stack_[stack_.size() - 2], stack_.back(), Value::None(), at);
      stack_.pop_back();
      stack_.back() = result;
      return outcome_ == RunOutcome::kStop;
    }
    case op::kObj: {
      std::size_t mark = 0;
      if (!PopMark(at, mark)) return false;
      if (stack_.size() == mark) return Malformed("OBJ without a class", at);
      const Value args =
          MakeContainer(NodeKind::kTuple, stack_.data() + mark + 1, stack_.size() - mark - 1, at);
      stack_.push_back(args);  // rooted while the call is analysed
      const Value result = OnCall(CallKind::kObj, stack_[mark], args, Value::None(), at);
      stack_.resize(mark);
      Push(result, at);
      return outcome_ == RunOutcome::kStop;
    }
    case op::kNewObj:
    case op::kNewObjEx: {
      CheckProtocol(code, at);
      const std::size_t n = code == op::kNewObj ? 2 : 3;
      if (!NeedStack(n, at)) return false;
      const Value* base = &stack_[stack_.size() - n];
      const Value result = OnCall(code == op::kNewObj ? CallKind::kNewObj : CallKind::kNewObjEx,
                                  base[0], base[1], n == 3 ? base[2] : Value::None(), at);
      stack_.resize(stack_.size() - n);
      Push(result, at);
      return outcome_ == RunOutcome::kStop;
    }
    case op::kBuild:
      return OnBuild(at);
    case op::kPersId: {
      ByteView line;
      if (!ReadLine(line)) return Malformed("unterminated persistent id", at);
      return OnPersId(Value::Make(Tag::kLiteral, at), at);
    }
    case op::kBinPersId: {
      if (!NeedStack(1, at)) return false;
      return OnPersId(stack_.back(), at);
    }
    case op::kExt1:
    case op::kExt2:
    case op::kExt4: {
      CheckProtocol(code, at);
      const int width = code == op::kExt1 ? 1 : code == op::kExt2 ? 2 : 4;
      if (remaining < static_cast<std::uint64_t>(width)) return Malformed("truncated EXT", at);
      pos_ += width;
      const std::uint64_t ext = LoadLe(arg, width);
      if (ext == 0 || (width == 4 && ext > 0x7fffffff)) {
        return Malformed("EXT specifies code <= 0", at);
      }
      return OnExt(ext, at);
    }
    case op::kProto:
      if (remaining < 1) return Malformed("truncated PROTO", at);
      ++pos_;
      return OnProto(arg[0], at);
    case op::kFrame:
      CheckProtocol(code, at);
      if (remaining < 8) return Malformed("truncated FRAME", at);
      pos_ += 8;
      return OnFrame(LoadLe(arg, 8), at);
    case op::kNextBuffer:
      CheckProtocol(code, at);
      // Out-of-band data: pickle.loads fails without a buffers= argument; the content is
      // supplied by the loading program, not the file.
      return Push(Value::Opaque(), at);
    case op::kReadonlyBuffer:
      CheckProtocol(code, at);
      return NeedStack(1, at);
    case op::kStop:
      if (!NeedStack(1, at)) return false;
      if (stack_.size() == 1) {
        const Value top = stack_.back();
        if (top.tag() == Tag::kLiteral) {
          auto lit = data_.Sub(top.payload(), sizeof kTorchMagicLong1);
          torch_magic_ =
              lit && std::memcmp(lit->data(), kTorchMagicLong1, sizeof kTorchMagicLong1) == 0;
        }
      }
      stopped_ = true;
      return true;
    default:
      break;
  }
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02x", code);
  return Malformed(std::string("unknown opcode ") + hex, at);
}

}  // namespace mg::pickle
