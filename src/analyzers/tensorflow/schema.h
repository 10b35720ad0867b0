// Field numbers of the TensorFlow protobuf messages the analyzer reads, from
// tensorflow/core/protobuf/{saved_model,meta_graph,saver,saved_object_graph,fingerprint}.proto,
// tensorflow/core/framework/{graph,node_def,function,op_def,attr_value,tensor}.proto and
// keras/protobuf/saved_metadata.proto. Fields not listed are skipped like unknown fields.
#pragma once

#include <cstdint>

namespace mg::tensorflow::field {

// SavedModel
inline constexpr std::uint32_t kSchemaVersion = 1;  // int64 saved_model_schema_version
inline constexpr std::uint32_t kMetaGraphs = 2;     // repeated MetaGraphDef

// MetaGraphDef
inline constexpr std::uint32_t kMetaInfoDef = 1;
inline constexpr std::uint32_t kGraphDef = 2;
inline constexpr std::uint32_t kSaverDef = 3;
inline constexpr std::uint32_t kCollectionDef = 4;
inline constexpr std::uint32_t kSignatureDef = 5;
inline constexpr std::uint32_t kAssetFileDef = 6;
inline constexpr std::uint32_t kObjectGraphDef = 7;

// MetaGraphDef.MetaInfoDef
inline constexpr std::uint32_t kTags = 4;               // repeated string
inline constexpr std::uint32_t kTensorflowVersion = 5;  // string

// SaverDef
inline constexpr std::uint32_t kFilenameTensorName = 1;

// AssetFileDef
inline constexpr std::uint32_t kAssetFilename = 2;

// SavedObjectGraph.nodes -> SavedObject.user_object -> SavedUserObject.metadata (the
// pre-keras_metadata.pb place of the Keras JSON)
inline constexpr std::uint32_t kObjectGraphNodes = 1;
inline constexpr std::uint32_t kSavedObjectUserObject = 4;
inline constexpr std::uint32_t kUserObjectIdentifier = 1;
inline constexpr std::uint32_t kUserObjectMetadata = 3;

// GraphDef
inline constexpr std::uint32_t kGraphNode = 1;     // repeated NodeDef
inline constexpr std::uint32_t kGraphLibrary = 2;  // FunctionDefLibrary

// FunctionDefLibrary
inline constexpr std::uint32_t kLibraryFunction = 1;  // repeated FunctionDef
inline constexpr std::uint32_t kLibraryGradient = 2;  // repeated GradientDef

// FunctionDef, and its OpDef signature
inline constexpr std::uint32_t kFunctionSignature = 1;  // OpDef
inline constexpr std::uint32_t kFunctionNodeDef = 3;    // repeated NodeDef
inline constexpr std::uint32_t kOpDefName = 1;

// GradientDef
inline constexpr std::uint32_t kGradientFunctionName = 1;
inline constexpr std::uint32_t kGradientFunc = 2;

// NodeDef
inline constexpr std::uint32_t kNodeName = 1;
inline constexpr std::uint32_t kNodeOp = 2;
inline constexpr std::uint32_t kNodeInput = 3;
inline constexpr std::uint32_t kNodeDevice = 4;
inline constexpr std::uint32_t kNodeAttr = 5;  // map<string, AttrValue>

// Every map<K, V> entry on the wire
inline constexpr std::uint32_t kMapKey = 1;
inline constexpr std::uint32_t kMapValue = 2;

// AttrValue (a oneof)
inline constexpr std::uint32_t kAttrList = 1;    // ListValue
inline constexpr std::uint32_t kAttrS = 2;       // bytes
inline constexpr std::uint32_t kAttrTensor = 8;  // TensorProto
inline constexpr std::uint32_t kAttrFunc = 10;   // NameAttrList

// AttrValue.ListValue
inline constexpr std::uint32_t kListS = 2;
inline constexpr std::uint32_t kListTensor = 8;
inline constexpr std::uint32_t kListFunc = 9;

// NameAttrList
inline constexpr std::uint32_t kNameAttrListName = 1;
inline constexpr std::uint32_t kNameAttrListAttr = 2;  // map<string, AttrValue>

// TensorProto
inline constexpr std::uint32_t kTensorStringVal = 8;  // repeated bytes

// keras SavedMetadata, SavedObject
inline constexpr std::uint32_t kKerasNodes = 1;
inline constexpr std::uint32_t kKerasNodeId = 2;
inline constexpr std::uint32_t kKerasNodePath = 3;
inline constexpr std::uint32_t kKerasIdentifier = 4;
inline constexpr std::uint32_t kKerasMetadata = 5;

// FingerprintDef: five uint64 hashes, then version (VersionDef) and, in later releases, a
// string UUID.
inline constexpr std::uint32_t kFingerprintLastHash = 5;
inline constexpr std::uint32_t kFingerprintVersion = 6;
inline constexpr std::uint32_t kFingerprintUuid = 7;

}  // namespace mg::tensorflow::field
