// Tests of the TensorFlow analyzer on messages encoded here by hand (field numbers from the
// TensorFlow .proto files), for the cases the fixtures do not cover: protobuf merge rules, name
// sniffing, each op family's attr-dependent judgement, limits.
#include <gtest/gtest.h>

#include <string>

#include "analyzers/tensorflow/ops.h"
#include "engine/analyzer.h"
#include "engine/scan_context.h"
#include "support/findings.h"

namespace mg {
namespace {

using test::Has;
using test::WithRule;

std::string Varint(std::uint64_t value) {
  std::string out;
  for (; value >= 0x80; value >>= 7) out += static_cast<char>((value & 0x7f) | 0x80);
  return out + static_cast<char>(value);
}
std::string Ld(std::uint32_t number, const std::string& payload) {
  return Varint(number << 3 | 2) + Varint(payload.size()) + payload;
}
std::string Vint(std::uint32_t number, std::uint64_t value) {
  return Varint(number << 3) + Varint(value);
}
std::string Entry(std::uint32_t number, const std::string& key, const std::string& value) {
  return Ld(number, Ld(1, key) + Ld(2, value));
}
std::string AttrS(const std::string& text) { return Ld(2, text); }
std::string StringConst(const std::string& name, const std::string& text) {
  return Ld(1, name) + Ld(2, "Const") + Entry(5, "value", Ld(8, Vint(1, 7) + Ld(8, text)));
}
// A GraphDef of these NodeDefs (field 1).
std::string Graph(const std::vector<std::string>& nodes) {
  std::string out;
  for (const auto& node : nodes) out += Ld(1, node);
  return out;
}
std::string SavedModelOf(const std::string& graph, const std::string& meta_extra = {}) {
  return Vint(1, 1) + Ld(2, Ld(2, graph) + meta_extra);
}

Target Analyze(const std::string& name, const std::string& bytes) {
  Target target;
  target.path = name;
  ScanContext ctx(target, Limits{});
  target.format = AnalyzeBuffer(ctx, ByteView(bytes), "tensorflow");
  return target;
}

TEST(TensorflowOps, ClassifiesTheFamilies) {
  using tensorflow::ClassifyOp;
  using tensorflow::OpRisk;
  ASSERT_NE(ClassifyOp("PyFunc"), nullptr);
  EXPECT_EQ(ClassifyOp("EagerPyFunc")->risk, OpRisk::kPythonCallback);
  EXPECT_EQ(ClassifyOp("WriteFile")->risk, OpRisk::kFileWrite);
  EXPECT_EQ(ClassifyOp("MatchingFiles")->risk, OpRisk::kFileRead);
  EXPECT_EQ(ClassifyOp("RpcClient")->risk, OpRisk::kNetwork);
  EXPECT_EQ(ClassifyOp("RestoreV2")->risk, OpRisk::kCheckpoint);
  EXPECT_EQ(ClassifyOp("_Send")->risk, OpRisk::kDistributed);
  EXPECT_EQ(ClassifyOp("MatMul"), nullptr);
  EXPECT_EQ(ClassifyOp("pyfunc"), nullptr);  // op names are case-sensitive
  EXPECT_EQ(ClassifyOp(""), nullptr);
}

TEST(TensorflowSniff, UsesTheNameAndAPlausibleFirstField) {
  const Analyzer* tf = FindAnalyzer("tensorflow");
  ASSERT_NE(tf, nullptr);
  const std::string model = SavedModelOf(Graph({Ld(1, "x") + Ld(2, "Placeholder")}));
  EXPECT_EQ(tf->Sniff(ByteView(model)), 0);
  EXPECT_EQ(tf->SniffNamed("export/1/saved_model.pb", ByteView(model)), 90);
  EXPECT_EQ(tf->SniffNamed("export/1/model.bin", ByteView(model)), 0);
  // An ONNX ModelProto (ir_version = 1 first) under a .pb name is not a GraphDef.
  EXPECT_EQ(tf->SniffNamed("model.pb", ByteView(Vint(1, 8) + Ld(2, "pytorch"))), 0);
  EXPECT_EQ(tf->SniffNamed("frozen.pb", ByteView(Graph({Ld(1, "x") + Ld(2, "Const")}))), 60);
  EXPECT_EQ(tf->SniffNamed("saved_model.pb", ByteView(std::string("\xff\xff", 2))), 0);
  EXPECT_EQ(tf->SniffNamed("fingerprint.pb", ByteView(Vint(1, 5) + Vint(2, 6))), 90);
  EXPECT_EQ(tf->SniffNamed("a.zip!keras_metadata.pb", ByteView(Ld(1, Ld(5, "{}")))), 90);
}

TEST(TensorflowCrafted, TheLastOpFieldWinsAsInLibprotobuf) {
  const std::string node = Ld(1, "n") + Ld(2, "Identity") + Ld(2, "PyFunc");
  const Target target = Analyze("saved_model.pb", SavedModelOf(Graph({node})));
  EXPECT_TRUE(Has(target, "TF-PYTHON-CALLBACK"));
}

TEST(TensorflowCrafted, EveryLibraryOccurrenceIsWalked) {
  const auto function = [](const std::string& name, const std::string& op) {
    return Ld(1, Ld(1, Ld(1, name)) + Ld(3, Ld(1, "n") + Ld(2, op)));
  };
  const std::string graph = Ld(2, function("f1", "MatMul")) + Ld(2, function("f2", "ReadFile"));
  const Target target = Analyze("saved_model.pb", SavedModelOf(graph));
  const auto found = WithRule(target, "TF-FILE-READ");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->evidence, "function f2: node 'n' op ReadFile");
}

TEST(TensorflowCrafted, AttrDependentOpsAreJudgedByTheirAttrs) {
  const std::string print_stderr =
      Ld(1, "p1") + Ld(2, "PrintV2") + Entry(5, "output_stream", AttrS("stderr"));
  const std::string decode_local =
      Ld(1, "d1") + Ld(2, "DecodeProtoV2") + Entry(5, "descriptor_source", AttrS("local://"));
  const std::string decode_file = Ld(1, "d2") + Ld(2, "DecodeProtoV2") +
                                  Entry(5, "descriptor_source", AttrS("/tmp/desc.pb"));
  const std::string debug_none = Ld(1, "g") + Ld(2, "DebugIdentity");
  const std::string immutable = Ld(1, "w") + Ld(2, "ImmutableConst") +
                                Entry(5, "memory_region_name", AttrS("memmapped_package://w"));
  const Target target = Analyze(
      "saved_model.pb",
      SavedModelOf(Graph({print_stderr, decode_local, decode_file, debug_none, immutable})));
  const auto reads = WithRule(target, "TF-FILE-READ");
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_EQ(reads[0]->severity, Severity::kMedium);
  EXPECT_NE(reads[0]->evidence.find("'/tmp/desc.pb'"), std::string::npos);
  EXPECT_FALSE(Has(target, "TF-FILE-WRITE"));
  EXPECT_FALSE(Has(target, "TF-NETWORK-OP"));
  ASSERT_TRUE(Has(target, "TF-MEMORY-REGION"));
  // "memmapped_package://" has an underscore, which RFC 3986 schemes do not: not a URL.
  EXPECT_FALSE(Has(target, "TF-URL-STRING"));
}

TEST(TensorflowCrafted, VocabularyFilesAreLowUnlessOutsideTheModel) {
  const auto init = [](const std::string& name, const std::string& file_node) {
    return Ld(1, name) + Ld(2, "InitializeTableFromTextFileV2") + Ld(3, "table") +
           Ld(3, file_node + ":0");
  };
  const Target target = Analyze(
      "saved_model.pb",
      SavedModelOf(Graph({StringConst("vocab", "assets/vocab.txt"), init("i1", "vocab"),
                          StringConst("shadow", "/etc/shadow"), init("i2", "shadow")})));
  const auto low = WithRule(target, "TF-VOCABULARY-FILE");
  ASSERT_EQ(low.size(), 1u);
  EXPECT_EQ(low[0]->severity, Severity::kLow);
  const auto high = WithRule(target, "TF-FILE-READ");
  ASSERT_EQ(high.size(), 1u);
  EXPECT_NE(high[0]->evidence.find("'/etc/shadow'"), std::string::npos);
}

TEST(TensorflowCrafted, SaverFilenameConstantIsTheNormalTf1Pattern) {
  // TF 1 Saver: save/Const holds the default filename and SaverDef names it.
  const std::string graph =
      Graph({StringConst("save/Const", "model"),
             Ld(1, "save/RestoreV2") + Ld(2, "RestoreV2") + Ld(3, "save/Const")});
  const std::string saver = Ld(3, Ld(1, "save/Const:0"));
  const Target with_saver = Analyze("saved_model.pb", SavedModelOf(graph, saver));
  EXPECT_FALSE(Has(with_saver, "TF-CHECKPOINT-FIXED-PATH"));
  EXPECT_TRUE(Has(with_saver, "TF-CHECKPOINT-OPS"));
  const Target without = Analyze("saved_model.pb", SavedModelOf(graph));
  EXPECT_TRUE(Has(without, "TF-CHECKPOINT-FIXED-PATH"));
}

TEST(TensorflowCrafted, AssetPathsAndLegacyKerasMetadata) {
  const std::string asset = Ld(6, Ld(2, "../../../etc/passwd"));
  const std::string user = Ld(4, Ld(1, "_tf_keras_model") + Ld(3, "{\"class_name\": \"M\"}"));
  const std::string objects = Ld(7, Ld(1, Ld(1, Vint(1, 1)) + user));
  const Target target =
      Analyze("saved_model.pb", SavedModelOf(Graph({Ld(1, "x")}), asset + objects));
  ASSERT_TRUE(Has(target, "TF-ASSET-PATH"));
  if (FindAnalyzer("keras") == nullptr) {
    const auto missing = WithRule(target, "TF-KERAS-METADATA-UNANALYSED");
    ASSERT_EQ(missing.size(), 1u);
    EXPECT_NE(missing[0]->message.find("<object graph node 0 metadata>"), std::string::npos);
  }
}

TEST(TensorflowCrafted, FingerprintWithForeignFieldsIsLow) {
  const Target target = Analyze("fingerprint.pb", Vint(1, 5) + Ld(9, "x"));
  const auto found = WithRule(target, "TF-MALFORMED");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->severity, Severity::kLow);
  EXPECT_EQ(target.status, TargetStatus::kComplete);
}

TEST(TensorflowCrafted, TooManyAttrsOnOneNodeIsALimit) {
  std::string node = Ld(1, "n") + Ld(2, "NoOp");
  for (int i = 0; i < 10001; ++i) node += Entry(5, "a", AttrS(""));
  const Target target = Analyze("saved_model.pb", SavedModelOf(Graph({node})));
  EXPECT_TRUE(Has(target, "TF-LIMIT"));
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
}

TEST(TensorflowCrafted, FindingsAreCappedPerRule) {
  std::vector<std::string> nodes;
  for (int i = 0; i < 30; ++i) {
    std::string name(1, 'r');  // appended: GCC 12 -Wrestrict misfires on "r" + std::string&&
    name += std::to_string(i);
    nodes.push_back(Ld(1, name) + Ld(2, "ReadFile"));
  }
  const Target target = Analyze("saved_model.pb", SavedModelOf(Graph(nodes)));
  EXPECT_EQ(WithRule(target, "TF-FILE-READ").size(), 20u);
  ASSERT_TRUE(Has(target, "TF-FINDINGS-CAPPED"));
  EXPECT_NE(WithRule(target, "TF-FINDINGS-CAPPED")[0]->message.find("10 more"),
            std::string::npos);
}

}  // namespace
}  // namespace mg
