#include "analyzers/gguf/format.h"

#include <array>

namespace mg::gguf {
namespace {

constexpr std::array<std::string_view, kValueTypeCount> kValueTypeNames = {
    "u8", "i8", "u16", "i16", "u32", "i32", "f32", "bool", "string", "array", "u64", "i64", "f64"};

constexpr std::uint64_t kQK = 256;  // QK_K, the k-quant super-block

// Block layouts from ggml-common.h (block_q4_0 = fp16 scale + 16 bytes of nibbles, ...).
constexpr std::array kGgmlTypes = {
    GgmlType{0, "F32", 1, 4},
    GgmlType{1, "F16", 1, 2},
    GgmlType{2, "Q4_0", 32, 2 + 16},
    GgmlType{3, "Q4_1", 32, 2 + 2 + 16},
    GgmlType{6, "Q5_0", 32, 2 + 4 + 16},
    GgmlType{7, "Q5_1", 32, 2 + 2 + 4 + 16},
    GgmlType{8, "Q8_0", 32, 2 + 32},
    GgmlType{9, "Q8_1", 32, 2 + 2 + 32},
    GgmlType{10, "Q2_K", kQK, 2 + 2 + kQK / 16 + kQK / 4},
    GgmlType{11, "Q3_K", kQK, 2 + kQK / 4 + kQK / 8 + 12},
    GgmlType{12, "Q4_K", kQK, 2 + 2 + kQK / 2 + 12},
    GgmlType{13, "Q5_K", kQK, 2 + 2 + kQK / 2 + kQK / 8 + 12},
    GgmlType{14, "Q6_K", kQK, 2 + kQK / 2 + kQK / 4 + kQK / 16},
    GgmlType{15, "Q8_K", kQK, 4 + kQK + kQK / 8},
    GgmlType{16, "IQ2_XXS", kQK, 2 + kQK / 4},
    GgmlType{17, "IQ2_XS", kQK, 2 + kQK / 4 + kQK / 32},
    GgmlType{18, "IQ3_XXS", kQK, 2 + kQK / 4 + kQK / 8},
    GgmlType{19, "IQ1_S", kQK, 2 + kQK / 8 + kQK / 16},
    GgmlType{20, "IQ4_NL", 32, 2 + 16},
    GgmlType{21, "IQ3_S", kQK, 2 + kQK / 4 + kQK / 8 + kQK / 32 + 4},
    GgmlType{22, "IQ2_S", kQK, 2 + kQK / 4 + kQK / 16},
    GgmlType{23, "IQ4_XS", kQK, 2 + 2 + kQK / 2 + kQK / 64},
    GgmlType{24, "I8", 1, 1},
    GgmlType{25, "I16", 1, 2},
    GgmlType{26, "I32", 1, 4},
    GgmlType{27, "I64", 1, 8},
    GgmlType{28, "F64", 1, 8},
    GgmlType{29, "IQ1_M", kQK, kQK / 8 + kQK / 16 + kQK / 32},
    GgmlType{30, "BF16", 1, 2},
    GgmlType{34, "TQ1_0", kQK, 2 + 4 * 13},
    GgmlType{35, "TQ2_0", kQK, 2 + kQK / 4},
    GgmlType{39, "MXFP4", 32, 1 + 16},
};

}  // namespace

std::optional<std::uint64_t> FixedSize(std::uint32_t type) {
  switch (static_cast<ValueType>(type)) {
    case ValueType::kU8:
    case ValueType::kI8:
    case ValueType::kBool:
      return 1;
    case ValueType::kU16:
    case ValueType::kI16:
      return 2;
    case ValueType::kU32:
    case ValueType::kI32:
    case ValueType::kF32:
      return 4;
    case ValueType::kU64:
    case ValueType::kI64:
    case ValueType::kF64:
      return 8;
    default:
      return std::nullopt;
  }
}

std::string_view ValueTypeName(std::uint32_t type) {
  return type < kValueTypeCount ? kValueTypeNames[type] : std::string_view("unknown");
}

const GgmlType* FindGgmlType(std::uint32_t id) {
  for (const GgmlType& type : kGgmlTypes) {
    if (type.id == id) return &type;
  }
  return nullptr;
}

}  // namespace mg::gguf
