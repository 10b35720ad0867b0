#include "analyzers/tensorflow/ops.h"

#include <algorithm>
#include <array>

namespace mg::tensorflow {
namespace {

using R = OpRisk;

// Op names as registered by REGISTER_OP in tensorflow/core/ops/*.cc (io_ops, script_ops,
// dataset_ops, experimental_dataset_ops, lookup_ops, summary_ops, debug_ops, logging_ops,
// collective_ops, functional_ops, sendrecv_ops, checkpoint_ops, rpc_ops), the distributed RPC
// ops of tensorflow/distribute/experimental/rpc, and the GCS/BigQuery ops of
// tensorflow/contrib/cloud (TF 1.x). Kept sorted by name (tested).
constexpr std::array kOps = {
    OpInfo{"BigQueryReader", R::kNetwork, "reads rows from a BigQuery table over the network"},
    OpInfo{"CSVDataset", R::kFileRead, "reads the CSV files named by its input"},
    OpInfo{"CSVDatasetV2", R::kFileRead, "reads the CSV files named by its input"},
    OpInfo{"CollectiveAllToAllV2", R::kDistributed, "exchanges tensors with other workers"},
    OpInfo{"CollectiveAllToAllV3", R::kDistributed, "exchanges tensors with other workers"},
    OpInfo{"CollectiveAssignGroupV2", R::kDistributed, "joins a group of workers"},
    OpInfo{"CollectiveBcastRecv", R::kDistributed, "receives a tensor from another worker"},
    OpInfo{"CollectiveBcastRecvV2", R::kDistributed, "receives a tensor from another worker"},
    OpInfo{"CollectiveBcastSend", R::kDistributed, "sends a tensor to other workers"},
    OpInfo{"CollectiveBcastSendV2", R::kDistributed, "sends a tensor to other workers"},
    OpInfo{"CollectiveGather", R::kDistributed, "gathers tensors from other workers"},
    OpInfo{"CollectiveGatherV2", R::kDistributed, "gathers tensors from other workers"},
    OpInfo{"CollectiveInitializeCommunicator", R::kDistributed,
           "opens a communicator with other workers"},
    OpInfo{"CollectiveReduce", R::kDistributed, "reduces tensors across workers"},
    OpInfo{"CollectiveReduceV2", R::kDistributed, "reduces tensors across workers"},
    OpInfo{"CollectiveReduceV3", R::kDistributed, "reduces tensors across workers"},
    OpInfo{"CreateSummaryDbWriter", R::kFileWrite, "opens an SQLite database to write summaries"},
    OpInfo{"CreateSummaryFileWriter", R::kFileWrite,
           "creates event files in the log directory named by its input"},
    OpInfo{"DataServiceDataset", R::kNetwork, "reads a dataset from a tf.data service address"},
    OpInfo{"DataServiceDatasetV2", R::kNetwork, "reads a dataset from a tf.data service address"},
    OpInfo{"DataServiceDatasetV3", R::kNetwork, "reads a dataset from a tf.data service address"},
    OpInfo{"DataServiceDatasetV4", R::kNetwork, "reads a dataset from a tf.data service address"},
    OpInfo{"DatasetToTFRecord", R::kFileWrite, "writes a dataset to the TFRecord file named"},
    OpInfo{"DebugIdentity", R::kDebugUrls, "sends the tensor to its debug URLs"},
    OpInfo{"DebugIdentityV2", R::kDebugUrls, "sends the tensor to its debug URLs"},
    OpInfo{"DebugNanCount", R::kDebugUrls, "sends a NaN count to its debug URLs"},
    OpInfo{"DebugNumericSummary", R::kDebugUrls, "sends a tensor summary to its debug URLs"},
    OpInfo{"DecodeProtoV2", R::kProtoDescriptor, "decodes protobufs with a descriptor source"},
    OpInfo{"DistributedSave", R::kNetwork,
           "has a tf.data service write a dataset to a directory"},
    OpInfo{"EagerPyFunc", R::kPythonCallback,
           "calls the Python function registered under its token (tf.py_function)"},
    OpInfo{"EncodeProto", R::kProtoDescriptor, "encodes protobufs with a descriptor source"},
    OpInfo{"ExperimentalCSVDataset", R::kFileRead, "reads the CSV files named by its input"},
    OpInfo{"ExperimentalDatasetToTFRecord", R::kFileWrite,
           "writes a dataset to the TFRecord file named"},
    OpInfo{"ExperimentalLMDBDataset", R::kFileRead, "reads the LMDB files named by its input"},
    OpInfo{"ExperimentalSqlDataset", R::kFileRead, "queries the SQLite database named"},
    OpInfo{"FixedLengthRecordDataset", R::kFileRead, "reads the files named by its input"},
    OpInfo{"FixedLengthRecordDatasetV2", R::kFileRead, "reads the files named by its input"},
    OpInfo{"FixedLengthRecordReader", R::kFileRead, "reads the files its queue names"},
    OpInfo{"FixedLengthRecordReaderV2", R::kFileRead, "reads the files its queue names"},
    OpInfo{"GcsConfigureBlockCache", R::kNetwork, "configures the Google Cloud Storage client"},
    OpInfo{"GcsConfigureCredentials", R::kNetwork,
           "installs Google Cloud credentials in the process"},
    OpInfo{"GenerateVocabRemapping", R::kFileRead, "reads the two vocabulary files named"},
    OpInfo{"ImmutableConst", R::kMemoryRegion,
           "maps a named region of the memmapped file system as a tensor"},
    OpInfo{"InitializeTableFromTextFile", R::kVocabularyFile,
           "fills a lookup table from the text file named by its input"},
    OpInfo{"InitializeTableFromTextFileV2", R::kVocabularyFile,
           "fills a lookup table from the text file named by its input"},
    OpInfo{"LMDBDataset", R::kFileRead, "reads the LMDB files named by its input"},
    OpInfo{"LMDBReader", R::kFileRead, "reads the LMDB files its queue names"},
    OpInfo{"LoadAndRemapMatrix", R::kFileRead, "reads a matrix from the checkpoint named"},
    OpInfo{"LoadDataset", R::kFileRead, "loads a saved dataset from the directory named"},
    OpInfo{"MatchingFiles", R::kFileRead, "lists the files matching a glob pattern"},
    OpInfo{"MergeV2Checkpoints", R::kCheckpoint, "merges checkpoint shards into a prefix"},
    OpInfo{"PrintV2", R::kPrintStream, "prints to its output stream"},
    OpInfo{"PyFunc", R::kPythonCallback,
           "calls the Python function registered under its token (tf.py_func)"},
    OpInfo{"PyFuncStateless", R::kPythonCallback,
           "calls the Python function registered under its token (tf.py_func)"},
    OpInfo{"ReadFile", R::kFileRead, "reads the whole file named by its input"},
    OpInfo{"RegisterDataset", R::kNetwork, "registers a dataset with a tf.data service"},
    OpInfo{"RegisterDatasetV2", R::kNetwork, "registers a dataset with a tf.data service"},
    OpInfo{"RemoteCall", R::kDistributed, "runs a function on another (possibly remote) device"},
    OpInfo{"Restore", R::kCheckpoint, "reads tensors from a checkpoint"},
    OpInfo{"RestoreSlice", R::kCheckpoint, "reads tensor slices from a checkpoint"},
    OpInfo{"RestoreV2", R::kCheckpoint, "reads tensors from a checkpoint"},
    OpInfo{"Rpc", R::kNetwork, "sends RPC requests to the address in its input"},
    OpInfo{"RpcCall", R::kNetwork, "calls a method on an RPC server"},
    OpInfo{"RpcClient", R::kNetwork, "connects to the RPC server address in its input"},
    OpInfo{"RpcServer", R::kNetwork, "creates an RPC server on the address in its input"},
    OpInfo{"RpcServerRegister", R::kNetwork, "exposes a function on an RPC server"},
    OpInfo{"RpcServerStart", R::kNetwork, "starts listening for RPC requests"},
    OpInfo{"Save", R::kCheckpoint, "writes tensors to a checkpoint"},
    OpInfo{"SaveDataset", R::kFileWrite, "writes a dataset to the directory named"},
    OpInfo{"SaveDatasetV2", R::kFileWrite, "writes a dataset to the directory named"},
    OpInfo{"SaveSlices", R::kCheckpoint, "writes tensor slices to a checkpoint"},
    OpInfo{"SaveV2", R::kCheckpoint, "writes tensors to a checkpoint"},
    OpInfo{"SnapshotDataset", R::kFileWrite, "writes and reads dataset snapshots in a directory"},
    OpInfo{"SnapshotDatasetV2", R::kFileWrite,
           "writes and reads dataset snapshots in a directory"},
    OpInfo{"SqlDataset", R::kFileRead, "queries the SQLite database named"},
    OpInfo{"TFRecordDataset", R::kFileRead, "reads the TFRecord files named by its input"},
    OpInfo{"TFRecordDatasetV2", R::kFileRead, "reads the TFRecord files named by its input"},
    OpInfo{"TFRecordReader", R::kFileRead, "reads the TFRecord files its queue names"},
    OpInfo{"TFRecordReaderV2", R::kFileRead, "reads the TFRecord files its queue names"},
    OpInfo{"TextLineDataset", R::kFileRead, "reads the text files named by its input"},
    OpInfo{"TextLineReader", R::kFileRead, "reads the text files its queue names"},
    OpInfo{"TextLineReaderV2", R::kFileRead, "reads the text files its queue names"},
    OpInfo{"TryRpc", R::kNetwork, "sends RPC requests to the address in its input"},
    OpInfo{"WholeFileReader", R::kFileRead, "reads whole files its queue names"},
    OpInfo{"WholeFileReaderV2", R::kFileRead, "reads whole files its queue names"},
    OpInfo{"WriteFile", R::kFileWrite, "writes its contents input to the file named"},
    OpInfo{"_HostRecv", R::kDistributed, "receives a tensor from another device or worker"},
    OpInfo{"_HostSend", R::kDistributed, "sends a tensor to another device or worker"},
    OpInfo{"_Recv", R::kDistributed, "receives a tensor from another device or worker"},
    OpInfo{"_Send", R::kDistributed, "sends a tensor to another device or worker"},
};

constexpr bool Sorted() {
  for (std::size_t i = 1; i < kOps.size(); ++i) {
    if (!(kOps[i - 1].op < kOps[i].op)) return false;
  }
  return true;
}
static_assert(Sorted(), "kOps must stay sorted by name for the binary search");

}  // namespace

const OpInfo* ClassifyOp(std::string_view op) {
  const auto found = std::lower_bound(kOps.begin(), kOps.end(), op,
                                      [](const OpInfo& info, std::string_view name) {
                                        return info.op < name;
                                      });
  return found != kOps.end() && found->op == op ? &*found : nullptr;
}

}  // namespace mg::tensorflow
