#include "analyzers/onnx/sniff.h"

#include <array>
#include <cstdint>

namespace mg::onnx {
namespace {

// Keys (field number << 3 | wire type) of ModelProto fields 2 to 8: strings (wire type 2)
// for 2, 3, 4, 6, 7 and 8, the int64 model_version (wire type 0) for 5.
constexpr std::array<std::uint8_t, 7> kSecondKeys = {0x12, 0x1a, 0x22, 0x28, 0x32, 0x3a, 0x42};
// Any ModelProto field that can come first in a file: the above, ir_version (0x08) and
// metadata_props (14, 0x72); training_info (20) and functions (25) take two-byte keys.
constexpr std::array<std::uint8_t, 9> kFirstKeys = {0x08, 0x12, 0x1a, 0x22, 0x28,
                                                     0x32, 0x3a, 0x42, 0x72};

template <std::size_t N>
bool OneOf(const std::array<std::uint8_t, N>& keys, std::uint8_t byte) {
  for (const std::uint8_t key : keys) {
    if (key == byte) return true;
  }
  return false;
}

bool EndsWithOnnx(std::string_view name) {
  constexpr std::string_view kExtension = ".onnx";
  if (name.size() < kExtension.size()) return false;
  const std::string_view tail = name.substr(name.size() - kExtension.size());
  for (std::size_t i = 0; i < kExtension.size(); ++i) {
    const char c = tail[i];
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (lower != kExtension[i]) return false;
  }
  return true;
}

}  // namespace

int SniffModel(ByteView data) {
  if (data.size() < 4 || data[0] != 0x08) return 0;
  if (data[1] < kMinSniffIrVersion || data[1] > kMaxSniffIrVersion) return 0;
  return OneOf(kSecondKeys, data[2]) ? kContentScore : 0;
}

int SniffNamedModel(std::string_view name, ByteView data) {
  const int by_content = SniffModel(data);
  if (!EndsWithOnnx(name) || data.size() < 2) return by_content;
  if (by_content > 0 || OneOf(kFirstKeys, data[0])) return kNamedScore;
  // training_info (20) and functions (25): two-byte keys 0xa2 0x01 and 0xca 0x01.
  if ((data[0] == 0xa2 || data[0] == 0xca) && data[1] == 0x01) return kNamedScore;
  return 0;
}

}  // namespace mg::onnx
