// The TensorFlow operations that reach outside the tensor computation: Python callbacks, the
// file system, the network, other workers. docs/tensorflow.md explains each family and its
// severity; ops not listed here only compute on tensors.
#pragma once

#include <string_view>

namespace mg::tensorflow {

enum class OpRisk {
  kPythonCallback,    // calls back into the Python interpreter of the serving process
  kFileRead,          // reads files named by an input or attr
  kFileWrite,         // creates or appends to files
  kNetwork,           // opens connections or contacts services
  kCheckpoint,        // checkpoint save/restore (the saver's own path is normal)
  kVocabularyFile,    // table initialisers that read a text file (normally an asset)
  kMemoryRegion,      // ImmutableConst: maps a region of a memmapped package
  kDistributed,       // collectives, remote calls, send/recv between workers
  kDebugUrls,         // tfdbg ops: file:// or grpc:// in attr debug_urls
  kPrintStream,       // PrintV2: attr output_stream "file://..." appends to a file
  kProtoDescriptor,   // DecodeProtoV2/EncodeProto: attr descriptor_source may name a file
};

struct OpInfo {
  std::string_view op;
  OpRisk risk;
  std::string_view effect;  // what the op does, for messages ("reads the whole file ...")
};

// The entry for `op`, or nullptr for an op that only computes.
const OpInfo* ClassifyOp(std::string_view op);

}  // namespace mg::tensorflow
