#include "analyzers/pickle/opcodes.h"

#include <array>

namespace mg::pickle {
namespace {

using A = ArgKind;

constexpr std::array<OpcodeInfo, 256> BuildTable() {
  std::array<OpcodeInfo, 256> t{};
  auto set = [&t](std::uint8_t code, std::string_view name, std::uint8_t proto, ArgKind arg) {
    t[code] = OpcodeInfo{name, proto, arg};
  };
  // Protocol 0 (pickletools: the text opcodes).
  set(op::kMark, "MARK", 0, A::kNone);
  set(op::kStop, "STOP", 0, A::kNone);
  set(op::kPop, "POP", 0, A::kNone);
  set(op::kPopMark, "POP_MARK", 1, A::kNone);
  set(op::kDup, "DUP", 0, A::kNone);
  set(op::kFloat, "FLOAT", 0, A::kLine);
  set(op::kInt, "INT", 0, A::kLine);
  set(op::kLong, "LONG", 0, A::kLine);
  set(op::kNone, "NONE", 0, A::kNone);
  set(op::kPersId, "PERSID", 0, A::kLine);
  set(op::kReduce, "REDUCE", 0, A::kNone);
  set(op::kString, "STRING", 0, A::kLine);
  set(op::kUnicode, "UNICODE", 0, A::kLine);
  set(op::kAppend, "APPEND", 0, A::kNone);
  set(op::kBuild, "BUILD", 0, A::kNone);
  set(op::kGlobal, "GLOBAL", 0, A::kTwoLines);
  set(op::kDict, "DICT", 0, A::kNone);
  set(op::kGet, "GET", 0, A::kLine);
  set(op::kInst, "INST", 0, A::kTwoLines);
  set(op::kList, "LIST", 0, A::kNone);
  set(op::kPut, "PUT", 0, A::kLine);
  set(op::kSetItem, "SETITEM", 0, A::kNone);
  set(op::kTuple, "TUPLE", 0, A::kNone);
  // Protocol 1.
  set(op::kBinInt, "BININT", 1, A::kI4);
  set(op::kBinInt1, "BININT1", 1, A::kU1);
  set(op::kBinInt2, "BININT2", 1, A::kU2);
  set(op::kBinPersId, "BINPERSID", 1, A::kNone);
  set(op::kBinString, "BINSTRING", 1, A::kBytes4);
  set(op::kShortBinString, "SHORT_BINSTRING", 1, A::kBytes1);
  set(op::kBinUnicode, "BINUNICODE", 1, A::kBytes4);
  set(op::kEmptyDict, "EMPTY_DICT", 1, A::kNone);
  set(op::kAppends, "APPENDS", 1, A::kNone);
  set(op::kBinGet, "BINGET", 1, A::kU1);
  set(op::kLongBinGet, "LONG_BINGET", 1, A::kU4);
  set(op::kEmptyList, "EMPTY_LIST", 1, A::kNone);
  set(op::kObj, "OBJ", 1, A::kNone);
  set(op::kBinPut, "BINPUT", 1, A::kU1);
  set(op::kLongBinPut, "LONG_BINPUT", 1, A::kU4);
  set(op::kSetItems, "SETITEMS", 1, A::kNone);
  set(op::kEmptyTuple, "EMPTY_TUPLE", 1, A::kNone);
  set(op::kBinFloat, "BINFLOAT", 1, A::kF8);
  // Protocol 2.
  set(op::kProto, "PROTO", 2, A::kU1);
  set(op::kNewObj, "NEWOBJ", 2, A::kNone);
  set(op::kExt1, "EXT1", 2, A::kU1);
  set(op::kExt2, "EXT2", 2, A::kU2);
  set(op::kExt4, "EXT4", 2, A::kI4);
  set(op::kTuple1, "TUPLE1", 2, A::kNone);
  set(op::kTuple2, "TUPLE2", 2, A::kNone);
  set(op::kTuple3, "TUPLE3", 2, A::kNone);
  set(op::kNewTrue, "NEWTRUE", 2, A::kNone);
  set(op::kNewFalse, "NEWFALSE", 2, A::kNone);
  set(op::kLong1, "LONG1", 2, A::kBytes1);
  set(op::kLong4, "LONG4", 2, A::kBytes4);
  // Protocol 3.
  set(op::kBinBytes, "BINBYTES", 3, A::kBytes4);
  set(op::kShortBinBytes, "SHORT_BINBYTES", 3, A::kBytes1);
  // Protocol 4.
  set(op::kShortBinUnicode, "SHORT_BINUNICODE", 4, A::kBytes1);
  set(op::kBinUnicode8, "BINUNICODE8", 4, A::kBytes8);
  set(op::kBinBytes8, "BINBYTES8", 4, A::kBytes8);
  set(op::kEmptySet, "EMPTY_SET", 4, A::kNone);
  set(op::kAddItems, "ADDITEMS", 4, A::kNone);
  set(op::kFrozenSet, "FROZENSET", 4, A::kNone);
  set(op::kNewObjEx, "NEWOBJ_EX", 4, A::kNone);
  set(op::kStackGlobal, "STACK_GLOBAL", 4, A::kNone);
  set(op::kMemoize, "MEMOIZE", 4, A::kNone);
  set(op::kFrame, "FRAME", 4, A::kU8);
  // Protocol 5.
  set(op::kByteArray8, "BYTEARRAY8", 5, A::kBytes8);
  set(op::kNextBuffer, "NEXT_BUFFER", 5, A::kNone);
  set(op::kReadonlyBuffer, "READONLY_BUFFER", 5, A::kNone);
  return t;
}

constexpr std::array<OpcodeInfo, 256> kOpcodes = BuildTable();

}  // namespace

const OpcodeInfo& LookupOpcode(std::uint8_t code) { return kOpcodes[code]; }

int CountKnownOpcodes() {
  int count = 0;
  for (const auto& info : kOpcodes) count += info.name.empty() ? 0 : 1;
  return count;
}

}  // namespace mg::pickle
