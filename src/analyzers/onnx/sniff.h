// Recognising an ONNX model without a magic number.
#pragma once

#include <string_view>

#include "core/byte_view.h"

namespace mg::onnx {

// Content only, conservative: ir_version (field 1, key 0x08) between kMinSniffIrVersion and
// kMaxSniffIrVersion in one byte, followed by the key of ModelProto field 2-8 (producer_name,
// producer_version, domain, model_version, doc_string, graph or opset_import). Random data
// matches about once in 10^6; a TensorFlow SavedModel (08 01 12 ...) does not.
int SniffModel(ByteView data);

// With a name ending in ".onnx": any ModelProto field key at the start is enough.
int SniffNamedModel(std::string_view name, ByteView data);

// IR versions 3 (ONNX 1.0, 2017) to 12, leaving room for versions after IR 10 (ONNX 1.16).
inline constexpr int kMinSniffIrVersion = 3;
inline constexpr int kMaxSniffIrVersion = 12;

inline constexpr int kContentScore = 60;
inline constexpr int kNamedScore = 90;

}  // namespace mg::onnx
