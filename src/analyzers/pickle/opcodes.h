// The 68 opcodes of pickle protocols 0 to 5 (CPython Lib/pickletools.py), with the protocol
// that introduced each and the shape of its inline argument.
#pragma once

#include <cstdint>
#include <string_view>

namespace mg::pickle {

enum class ArgKind : std::uint8_t {
  kNone,
  kU1,        // 1-byte unsigned
  kU2,        // 2-byte little-endian unsigned
  kI4,        // 4-byte little-endian signed
  kU4,        // 4-byte little-endian unsigned
  kF8,        // 8-byte big-endian IEEE double (BINFLOAT)
  kU8,        // 8-byte little-endian unsigned (FRAME)
  kLine,      // bytes up to '\n'
  kTwoLines,  // two '\n'-terminated lines (GLOBAL, INST)
  kBytes1,    // 1-byte length, then data
  kBytes4,    // 4-byte little-endian length, then data (BINSTRING's is signed)
  kBytes8,    // 8-byte little-endian length, then data
};

namespace op {
inline constexpr std::uint8_t kMark = '(', kStop = '.', kPop = '0', kPopMark = '1', kDup = '2',
                              kFloat = 'F', kInt = 'I', kBinInt = 'J', kBinInt1 = 'K', kLong = 'L',
                              kBinInt2 = 'M', kNone = 'N', kPersId = 'P', kBinPersId = 'Q',
                              kReduce = 'R', kString = 'S', kBinString = 'T', kShortBinString = 'U',
                              kUnicode = 'V', kBinUnicode = 'X', kAppend = 'a', kBuild = 'b',
                              kGlobal = 'c', kDict = 'd', kEmptyDict = '}', kAppends = 'e',
                              kGet = 'g', kBinGet = 'h', kInst = 'i', kLongBinGet = 'j',
                              kList = 'l', kEmptyList = ']', kObj = 'o', kPut = 'p', kBinPut = 'q',
                              kLongBinPut = 'r', kSetItem = 's', kTuple = 't', kEmptyTuple = ')',
                              kSetItems = 'u', kBinFloat = 'G', kBinBytes = 'B',
                              kShortBinBytes = 'C';
inline constexpr std::uint8_t kProto = 0x80, kNewObj = 0x81, kExt1 = 0x82, kExt2 = 0x83,
                              kExt4 = 0x84, kTuple1 = 0x85, kTuple2 = 0x86, kTuple3 = 0x87,
                              kNewTrue = 0x88, kNewFalse = 0x89, kLong1 = 0x8a, kLong4 = 0x8b,
                              kShortBinUnicode = 0x8c, kBinUnicode8 = 0x8d, kBinBytes8 = 0x8e,
                              kEmptySet = 0x8f, kAddItems = 0x90, kFrozenSet = 0x91,
                              kNewObjEx = 0x92, kStackGlobal = 0x93, kMemoize = 0x94, kFrame = 0x95,
                              kByteArray8 = 0x96, kNextBuffer = 0x97, kReadonlyBuffer = 0x98;
}  // namespace op

struct OpcodeInfo {
  std::string_view name;  // empty: not an opcode
  std::uint8_t protocol = 0;
  ArgKind arg = ArgKind::kNone;
};

// Information for opcode byte `code` (name empty when it is not a pickle opcode).
const OpcodeInfo& LookupOpcode(std::uint8_t code);

// How many bytes are valid opcodes (68).
int CountKnownOpcodes();

inline constexpr int kHighestProtocol = 5;

}  // namespace mg::pickle
