// Values of the symbolic pickle VM. A Value is 8 bytes: a 4-bit tag and a 60-bit payload.
// Strings, bytes, floats and big ints are not copied: the payload is the offset of the opcode
// that pushed them, and literal.h decodes them from the input again when they are needed.
// Containers and calls live in nodes (heap.h) that keep a count and a bounded sample.
#pragma once

#include <cstdint>

#include "analyzers/pickle/vm_limits.h"

namespace mg::pickle {

enum class Tag : std::uint8_t {
  kNone = 0,
  kBool,     // payload 0 or 1
  kInt,      // payload: a signed 60-bit integer
  kLiteral,  // payload: offset of the opcode (str, bytes, bytearray, float, big int)
  kBlob,     // payload: index of a decoded byte string owned by the VM
  kGlobal,   // payload: index in the VM's global table
  kNode,     // payload: node index
  kOpaque,   // a value the VM does not model (dropped by a limit, out-of-band buffer...)
  kExt,      // payload: an EXT code (copyreg's registry is empty unless the loader fills it)
};

struct Value {
  std::uint64_t bits = 0;

  static constexpr Value Make(Tag tag, std::uint64_t payload) {
    return Value{(payload << 4) | static_cast<std::uint64_t>(tag)};
  }
  static constexpr Value None() { return Make(Tag::kNone, 0); }
  static constexpr Value Bool(bool b) { return Make(Tag::kBool, b ? 1 : 0); }
  static constexpr Value Opaque() { return Make(Tag::kOpaque, 0); }
  Tag tag() const { return static_cast<Tag>(bits & 0xF); }
  std::uint64_t payload() const { return bits >> 4; }
  std::int64_t int_value() const { return static_cast<std::int64_t>(bits) >> 4; }
};

inline constexpr std::int64_t kMaxInlineInt = (std::int64_t{1} << 59) - 1;
inline constexpr std::int64_t kMinInlineInt = -(std::int64_t{1} << 59);

inline Value MakeInt(std::int64_t v) {
  return Value{(static_cast<std::uint64_t>(v) << 4) | static_cast<std::uint64_t>(Tag::kInt)};
}

enum class NodeKind : std::uint8_t {
  kList,
  kTuple,
  kDict,  // sample holds key, value, key, value...
  kSet,
  kFrozenSet,
  kCall,           // REDUCE, INST, OBJ: sample[0] callable, sample[1] argument tuple
  kNewObj,         // NEWOBJ: cls.__new__(cls, *args); sample[0] cls, sample[1] args
  kNewObjEx,       // NEWOBJ_EX: sample[0] cls, sample[1] args, sample[2] kwargs
  kPersId,         // PERSID/BINPERSID: sample[0] the persistent id
  kDynamicGlobal,  // STACK_GLOBAL with non-constant operands: sample[0] module, sample[1] name
};

struct Node {
  NodeKind kind = NodeKind::kList;
  std::uint8_t sample_size = 0;
  bool marked = false;  // used by the collector
  bool free = false;
  std::uint64_t count = 0;   // elements (pairs count as two for dicts)
  std::uint64_t offset = 0;  // opcode that created it
  Value sample[kNodeSample];
};

}  // namespace mg::pickle
