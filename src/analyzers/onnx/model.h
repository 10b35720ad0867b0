// The walk over an ONNX ModelProto: the main graph, training graphs, model-local functions,
// and every graph held by an attribute (If/Loop/Scan bodies, or any GRAPH/GRAPHS attribute),
// with the operators, opset imports and tensors they hold. Nothing is copied: fields are
// views into the mapped file, read with core/protobuf.h.
#pragma once

#include <cstdint>

#include "core/byte_view.h"

namespace mg {
class ScanContext;
}

namespace mg::onnx {

// Graphs nested in graphs (through attributes or function bodies). libprotobuf refuses
// messages nested deeper than 100 levels and each graph level costs three (graph, node,
// attribute), so no loader accepts more than ~33.
inline constexpr std::uint32_t kMaxGraphDepth = 32;
// Per model, counted across all graphs and functions. The largest public models (LLMs
// exported with their decoder loops unrolled) have a few hundred thousand nodes.
inline constexpr std::uint64_t kMaxNodes = 4'000'000;
inline constexpr std::uint64_t kMaxAttributes = 16'000'000;
inline constexpr std::uint64_t kMaxTensors = 4'000'000;
// Distinct (domain, operator) pairs reported; the rest are counted in one finding.
inline constexpr std::size_t kMaxReportedOperators = 128;
// Model-local functions whose identity is remembered (to tell their calls from custom ops).
inline constexpr std::size_t kMaxFunctions = 65536;

// Standard operator set domains (onnx/defs: "" and "ai.onnx" are the same default domain).
bool IsStandardDomain(std::string_view domain);

// Analyses one serialized ModelProto.
void AnalyzeModel(ScanContext& ctx, ByteView model);

}  // namespace mg::onnx
