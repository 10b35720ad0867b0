// Field numbers of the onnx.proto messages this analyzer reads (onnx/onnx.proto, IR version
// 10; the proto2 schema has kept every number since IR 3). Only the fields that can hold
// operators, subgraphs, functions or tensors are listed; everything else is skipped like an
// unknown field. libprotobuf also treats a known number with another wire type as unknown,
// so the walk does the same.
#pragma once

#include <cstdint>

namespace mg::onnx::field {

// ModelProto
inline constexpr std::uint32_t kModelIrVersion = 1;      // int64
inline constexpr std::uint32_t kModelGraph = 7;          // GraphProto
inline constexpr std::uint32_t kModelOpsetImport = 8;    // repeated OperatorSetIdProto
inline constexpr std::uint32_t kModelTrainingInfo = 20;  // repeated TrainingInfoProto
inline constexpr std::uint32_t kModelFunctions = 25;     // repeated FunctionProto

// OperatorSetIdProto
inline constexpr std::uint32_t kOpsetDomain = 1;   // string
inline constexpr std::uint32_t kOpsetVersion = 2;  // int64

// TrainingInfoProto
inline constexpr std::uint32_t kTrainingInitialization = 1;  // GraphProto
inline constexpr std::uint32_t kTrainingAlgorithm = 2;       // GraphProto

// GraphProto
inline constexpr std::uint32_t kGraphNode = 1;               // repeated NodeProto
inline constexpr std::uint32_t kGraphName = 2;               // string
inline constexpr std::uint32_t kGraphInitializer = 5;        // repeated TensorProto
inline constexpr std::uint32_t kGraphSparseInitializer = 15; // repeated SparseTensorProto

// NodeProto
inline constexpr std::uint32_t kNodeName = 3;       // string
inline constexpr std::uint32_t kNodeOpType = 4;     // string
inline constexpr std::uint32_t kNodeAttribute = 5;  // repeated AttributeProto
inline constexpr std::uint32_t kNodeDomain = 7;     // string

// AttributeProto
inline constexpr std::uint32_t kAttrName = 1;            // string
inline constexpr std::uint32_t kAttrS = 4;               // bytes
inline constexpr std::uint32_t kAttrT = 5;               // TensorProto
inline constexpr std::uint32_t kAttrG = 6;               // GraphProto
inline constexpr std::uint32_t kAttrTensors = 10;        // repeated TensorProto
inline constexpr std::uint32_t kAttrGraphs = 11;         // repeated GraphProto
inline constexpr std::uint32_t kAttrSparseTensor = 22;   // SparseTensorProto
inline constexpr std::uint32_t kAttrSparseTensors = 23;  // repeated SparseTensorProto

// TensorProto
inline constexpr std::uint32_t kTensorName = 8;           // string
inline constexpr std::uint32_t kTensorExternalData = 13;  // repeated StringStringEntryProto
inline constexpr std::uint32_t kTensorDataLocation = 14;  // enum DataLocation
inline constexpr std::uint64_t kDataLocationExternal = 1;  // TensorProto.EXTERNAL

// SparseTensorProto
inline constexpr std::uint32_t kSparseValues = 1;   // TensorProto
inline constexpr std::uint32_t kSparseIndices = 2;  // TensorProto

// StringStringEntryProto
inline constexpr std::uint32_t kEntryKey = 1;
inline constexpr std::uint32_t kEntryValue = 2;

// FunctionProto
inline constexpr std::uint32_t kFunctionName = 1;            // string
inline constexpr std::uint32_t kFunctionNode = 7;            // repeated NodeProto
inline constexpr std::uint32_t kFunctionOpsetImport = 9;     // repeated OperatorSetIdProto
inline constexpr std::uint32_t kFunctionDomain = 10;         // string
inline constexpr std::uint32_t kFunctionAttributeProto = 11; // repeated AttributeProto (defaults)

}  // namespace mg::onnx::field
