// Rule IDs and limits of the TensorFlow analyzer (SavedModel, GraphDef, Keras metadata,
// fingerprint); descriptions and examples are in rules.cpp, the user's view in
// docs/tensorflow.md.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "report/rule.h"

namespace mg::tensorflow {

inline constexpr std::string_view kFormatName = "tensorflow";

namespace rule {
inline constexpr std::string_view kPythonCallback = "TF-PYTHON-CALLBACK";
inline constexpr std::string_view kFileRead = "TF-FILE-READ";
inline constexpr std::string_view kFileWrite = "TF-FILE-WRITE";
inline constexpr std::string_view kNetwork = "TF-NETWORK-OP";
inline constexpr std::string_view kCheckpointFixedPath = "TF-CHECKPOINT-FIXED-PATH";
inline constexpr std::string_view kCheckpointOps = "TF-CHECKPOINT-OPS";
inline constexpr std::string_view kVocabularyFile = "TF-VOCABULARY-FILE";
inline constexpr std::string_view kMemoryRegion = "TF-MEMORY-REGION";
inline constexpr std::string_view kDistributed = "TF-DISTRIBUTED-OP";
inline constexpr std::string_view kUrlString = "TF-URL-STRING";
inline constexpr std::string_view kAssetPath = "TF-ASSET-PATH";
inline constexpr std::string_view kKerasUnanalysed = "TF-KERAS-METADATA-UNANALYSED";
inline constexpr std::string_view kSummary = "TF-SUMMARY";
inline constexpr std::string_view kMalformed = "TF-MALFORMED";
inline constexpr std::string_view kLimit = "TF-LIMIT";
inline constexpr std::string_view kFindingsCapped = "TF-FINDINGS-CAPPED";
}  // namespace rule

// Limits (docs/tensorflow.md "Limits"). The protobuf itself is bounded by the file: libprotobuf
// refuses messages over 2 GiB, and TensorFlow writes larger models as chunked saved_model.cpb.
inline constexpr std::uint64_t kMaxNodes = 10'000'000;     // NodeDefs in one file
inline constexpr std::uint64_t kMaxFunctions = 1'000'000;  // FunctionDefs in one file
inline constexpr std::uint64_t kMaxMetaGraphs = 1'000;
inline constexpr std::uint32_t kMaxAttrsPerNode = 10'000;
inline constexpr std::uint32_t kMaxAttrDepth = 16;        // AttrValue func/list nesting
inline constexpr std::uint32_t kMaxInputsKept = 8;        // inputs resolved for evidence
inline constexpr std::uint64_t kMaxConstsPerScope = 200'000;  // string constants remembered
inline constexpr std::uint64_t kMaxKerasNodes = 1'000'000;

// Member names given to ScanEmbedded.
inline constexpr std::string_view kKerasMemberPrefix = "<keras metadata node ";
inline constexpr std::string_view kLegacyKerasMemberPrefix = "<object graph node ";

std::span<const RuleInfo> Rules();

}  // namespace mg::tensorflow
