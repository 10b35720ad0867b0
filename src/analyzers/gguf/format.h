// GGUF layout facts (ggml docs/gguf.md, ggml/src/gguf.cpp) and the limits this analyzer
// enforces on values read from a file.
//
// Layout: "GGUF", version (u32), tensor_count, metadata_kv_count, the key-value pairs, the
// tensor infos, zero padding to `general.alignment` (default 32), then the tensor data.
// Version 1 stores counts, string lengths, array lengths and tensor dimensions as u32;
// versions 2 and 3 as u64. Version 3 added big-endian files, told apart by the version field
// (a big-endian 3 reads as 0x03000000 little-endian).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace mg::gguf {

inline constexpr std::string_view kMagic = "GGUF";
inline constexpr std::uint32_t kMaxVersion = 3;
inline constexpr std::uint64_t kDefaultAlignment = 32;  // GGUF_DEFAULT_ALIGNMENT
inline constexpr std::string_view kAlignmentKey = "general.alignment";
inline constexpr std::string_view kChatTemplateKey = "tokenizer.chat_template";

// --- Limits (docs/gguf.md "Limits") ---------------------------------------------------------
// Real models have 20-60 keys; llama.cpp scans its key list linearly per lookup.
inline constexpr std::uint64_t kMaxKvCount = 1 << 16;
// The largest mixture-of-experts models have a few thousand tensors.
inline constexpr std::uint64_t kMaxTensorCount = 1 << 20;
// gguf.md: a key "must be at most 2^16-1 bytes long".
inline constexpr std::uint64_t kMaxKeyLength = 65535;
// Any string value (templates are KB; this bounds a hostile length, not real files).
inline constexpr std::uint64_t kMaxStringLength = 1ULL << 30;
// Vocabularies hold up to ~260k tokens and ~500k merges.
inline constexpr std::uint64_t kMaxArrayLength = 1ULL << 26;
// gguf.md allows arrays of arrays; llama.cpp reads none, gguf-py reads any depth.
inline constexpr std::uint32_t kMaxArrayDepth = 4;
// GGML_MAX_DIMS.
inline constexpr std::uint32_t kMaxDims = 4;
// GGML_MAX_NAME is 64 including the terminating NUL; llama.cpp refuses longer names.
inline constexpr std::uint64_t kMaxTensorNameLength = 63;
// Names longer than this are not even read as names (the file is malformed).
inline constexpr std::uint64_t kMaxTensorNameParse = 65535;
// Strings kept for template judgement (views, ~64 bytes each): real files have one to three
// templates and a handful of vocabulary tokens containing '{{' or '{%'.
inline constexpr std::uint64_t kMaxTemplateCandidates = 4096;
// A sane upper bound for general.alignment (real files use 32; 64 KiB pages at most).
inline constexpr std::uint64_t kMaxAlignment = 1 << 16;

enum class ValueType : std::uint32_t {
  kU8 = 0,
  kI8 = 1,
  kU16 = 2,
  kI16 = 3,
  kU32 = 4,
  kI32 = 5,
  kF32 = 6,
  kBool = 7,
  kString = 8,
  kArray = 9,
  kU64 = 10,
  kI64 = 11,
  kF64 = 12,
};
inline constexpr std::uint32_t kValueTypeCount = 13;

// Size in bytes of a fixed-size value type; nullopt for string, array and unknown types.
std::optional<std::uint64_t> FixedSize(std::uint32_t type);
std::string_view ValueTypeName(std::uint32_t type);

// ggml tensor types: elements per block and bytes per block (ggml type traits).
struct GgmlType {
  std::uint32_t id;
  std::string_view name;
  std::uint64_t block_size;
  std::uint64_t type_size;
};
// nullptr for an id ggml does not define (4, 5, 31-33, 36-38 were removed).
const GgmlType* FindGgmlType(std::uint32_t id);

}  // namespace mg::gguf
