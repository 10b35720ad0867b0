// The parts of the ONNX analyzer on hand-encoded protobuf: location judgement, sniffing,
// the walk's handling of unknown fields, functions, limits, and the checks of external data
// files beside a model on disk (in a temporary folder).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <unistd.h>
#include <string>

#include "analyzers/onnx/external_data.h"
#include "analyzers/onnx/model.h"
#include "analyzers/onnx/rules.h"
#include "analyzers/onnx/schema.h"
#include "analyzers/onnx/sniff.h"
#include "engine/analyzer.h"
#include "engine/engine.h"
#include "engine/scan_context.h"
#include "engine/sniff.h"
#include "support/findings.h"
#include "support/test_paths.h"

namespace mg::onnx {
namespace {

namespace fs = std::filesystem;
using test::Has;
using test::WithRule;

// --- a tiny protobuf encoder, independent of the reader under test --------------------------

std::string Varint(std::uint64_t value) {
  std::string out;
  while (value >= 0x80) {
    out += static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  out += static_cast<char>(value);
  return out;
}
std::string Int(std::uint32_t number, std::uint64_t value) {
  return Varint(number << 3) + Varint(value);
}
std::string Bytes(std::uint32_t number, const std::string& payload) {
  return Varint((number << 3) | 2) + Varint(payload.size()) + payload;
}
std::string Entry(const std::string& key, const std::string& value) {
  return Bytes(field::kTensorExternalData, Bytes(1, key) + Bytes(2, value));
}
std::string Node(const std::string& op, const std::string& domain, const std::string& extra = {}) {
  return Bytes(field::kGraphNode, Bytes(field::kNodeOpType, op) +
                                      Bytes(field::kNodeDomain, domain) +
                                      Bytes(field::kNodeName, op + "_node") + extra);
}
std::string Model(const std::string& graph, const std::string& extra = {}) {
  return Int(field::kModelIrVersion, 8) + Bytes(field::kModelGraph, graph) +
         Bytes(field::kModelOpsetImport, Bytes(field::kOpsetDomain, "") + Int(2, 13)) + extra;
}

Target Analyze(const std::string& bytes) {
  Target target;
  target.path.assign("memory.onnx");
  ScanContext ctx(target, Limits{});
  AnalyzeBuffer(ctx, ByteView(std::string_view(bytes)), "onnx");
  return target;
}

// --- locations ------------------------------------------------------------------------------

TEST(OnnxLocationTest, EscapesAreTold) {
  for (const char* location :
       {"/etc/passwd", "../x", "a/../../x", "./../x", "C:\\x", "c:x", "..\\x", "\\\\server\\s",
        "http://attacker.invalid/x", "file:///etc/passwd", "a/b/../../..", "//host/share"}) {
    EXPECT_EQ(JudgeLocation(location).risk, LocationRisk::kEscapes) << location;
  }
}

TEST(OnnxLocationTest, InsideAndSuspicious) {
  for (const char* location : {"model.onnx.data", "weights/w.bin", "./w.bin", "a//b", "ab:c"}) {
    EXPECT_EQ(JudgeLocation(location).risk, LocationRisk::kInside) << location;
  }
  EXPECT_EQ(JudgeLocation("a/../b.bin").risk, LocationRisk::kSuspicious);
  EXPECT_EQ(JudgeLocation(std::string("w.bin\0../x", 10)).risk, LocationRisk::kSuspicious);
  EXPECT_EQ(JudgeLocation("w\n.bin").risk, LocationRisk::kSuspicious);
}

TEST(OnnxLocationTest, DecimalsAsOnnxWritesThem) {
  EXPECT_EQ(ParseDecimal("0"), 0u);
  EXPECT_EQ(ParseDecimal("18446744073709551615"), ~0ULL);
  EXPECT_FALSE(ParseDecimal("18446744073709551616"));
  for (const char* bad : {"", "-1", "+1", " 1", "0x10", "1_000", "1.0"}) {
    EXPECT_FALSE(ParseDecimal(bad)) << bad;
  }
}

// --- sniffing -------------------------------------------------------------------------------

TEST(OnnxSniffTest, ClaimsModelsAndLeavesOtherDataAlone) {
  const std::string model = Model(Node("Relu", ""));
  EXPECT_EQ(SniffModel(ByteView(std::string_view(model))), kContentScore);
  EXPECT_EQ(SniffNamedModel("dir/m.ONNX", ByteView(std::string_view(model))), kNamedScore);
  // A SavedModel starts with schema version 1 then meta_graphs: not ONNX by content.
  EXPECT_EQ(SniffModel(ByteView(std::string_view("\x08\x01\x12\x05hello"))), 0);
  // Only a name makes a model without ir_version first plausible.
  const std::string graph_first = Bytes(field::kModelGraph, Node("Relu", ""));
  EXPECT_EQ(SniffModel(ByteView(std::string_view(graph_first))), 0);
  EXPECT_EQ(SniffNamedModel("m.onnx", ByteView(std::string_view(graph_first))), kNamedScore);
  // A pickle or text named .onnx is not claimed.
  EXPECT_EQ(SniffNamedModel("m.onnx", ByteView(std::string_view("\x80\x02}q\x00."))), 0);
  EXPECT_EQ(SniffNamedModel("m.onnx", ByteView(std::string_view("hello world"))), 0);

  std::mt19937 random(12345);
  int claimed = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string bytes(64, '\0');
    for (char& c : bytes) c = static_cast<char>(random());
    claimed += SniffModel(ByteView(std::string_view(bytes))) > 0;
  }
  EXPECT_EQ(claimed, 0);
}

TEST(OnnxSniffTest, TheEnginePicksOnnxForModels) {
  const std::string model = test::ReadFile(test::FixturesDir() / "clean" / "onnx" / "mlp.onnx");
  const Analyzer* by_content = SniffAnalyzer(ByteView(std::string_view(model)), "x.bin");
  ASSERT_NE(by_content, nullptr);
  EXPECT_EQ(by_content->Name(), "onnx");
}

// --- the walk -------------------------------------------------------------------------------

TEST(OnnxWalkTest, UnknownFieldsAndMismatchedWireTypesAreSkipped) {
  // Field 99 (unknown), graph as a varint (a wire type libprotobuf treats as unknown), a
  // group: none of them stop the walk, which still finds the custom operator.
  const std::string model = Model(Node("Foo", "x.custom") + Int(1, 5), Int(99, 1) +
                                  Int(field::kModelGraph, 3) + Varint((50 << 3) | 3) +
                                  Varint((50 << 3) | 4));
  const Target target = Analyze(model);
  EXPECT_EQ(target.status, TargetStatus::kComplete);
  ASSERT_EQ(WithRule(target, rule::kCustomOp).size(), 1u);
  EXPECT_EQ(WithRule(target, rule::kCustomOp)[0]->evidence, "x.custom::Foo");
}

TEST(OnnxWalkTest, LocalFunctionCallsAreNotCustomOperators) {
  const std::string function = Bytes(field::kFunctionName, "Double") +
                               Bytes(field::kFunctionDomain, "my.functions") +
                               Bytes(field::kFunctionNode, Bytes(field::kNodeOpType, "Evil") +
                                                               Bytes(field::kNodeDomain, "bad.ops"));
  const std::string model =
      Model(Node("Double", "my.functions"),
            Bytes(field::kModelOpsetImport, Bytes(field::kOpsetDomain, "my.functions")) +
                Bytes(field::kModelFunctions, function));
  const Target target = Analyze(model);
  // Only the operator inside the function body is custom.
  ASSERT_EQ(WithRule(target, rule::kCustomOp).size(), 1u);
  EXPECT_EQ(WithRule(target, rule::kCustomOp)[0]->evidence, "bad.ops::Evil");
}

TEST(OnnxWalkTest, UnusedCustomOpsetIsReported) {
  const std::string model =
      Model(Node("Relu", ""), Bytes(field::kModelOpsetImport, Bytes(field::kOpsetDomain, "org.x")));
  const Target target = Analyze(model);
  ASSERT_EQ(WithRule(target, rule::kCustomOp).size(), 1u);
  EXPECT_EQ(WithRule(target, rule::kCustomOp)[0]->evidence, "org.x");
}

TEST(OnnxWalkTest, PythonOpOfOrtModuleIsHighWhateverTheDomain) {
  const std::string attribute = Bytes(field::kNodeAttribute, Bytes(field::kAttrName, "func_name") +
                                                                  Bytes(field::kAttrS, "evil.Fn"));
  const Target target = Analyze(Model(Node("PythonOp", "com.microsoft", attribute)));
  ASSERT_EQ(WithRule(target, rule::kPythonOp).size(), 1u);
  EXPECT_EQ(WithRule(target, rule::kPythonOp)[0]->evidence,
            "com.microsoft::PythonOp func_name=evil.Fn");
  EXPECT_FALSE(Has(target, rule::kContribOp));
}

TEST(OnnxWalkTest, ManyCustomOperatorsAreCapped) {
  std::string graph;
  for (int i = 0; i < 300; ++i) graph += Node("Op" + std::to_string(i), "x.custom");
  const Target target = Analyze(Model(graph));
  const auto custom = WithRule(target, rule::kCustomOp);
  ASSERT_EQ(custom.size(), kMaxReportedOperators + 1);
  EXPECT_NE(custom.back()->message.find("172 more nodes"), std::string::npos);
}

TEST(OnnxWalkTest, SparseAndListTensorsAreChecked) {
  const std::string tensor = Bytes(field::kTensorName, "t") + Entry("location", "/etc/shadow") +
                             Int(field::kTensorDataLocation, 1);
  const std::string sparse = Bytes(field::kSparseValues, tensor);
  const std::string attribute = Bytes(field::kAttrName, "value") + Bytes(field::kAttrTensors, tensor) +
                                Bytes(field::kAttrSparseTensor, sparse);
  const Target target =
      Analyze(Model(Node("Constant", "", Bytes(field::kNodeAttribute, attribute)) +
                    Bytes(field::kGraphSparseInitializer, sparse)));
  // One finding per location, whichever tensors name it.
  ASSERT_EQ(WithRule(target, rule::kExternalPath).size(), 1u);
  EXPECT_EQ(WithRule(target, rule::kExternalPath)[0]->severity, Severity::kCritical);
}

TEST(OnnxWalkTest, InvalidExternalEntries) {
  const std::string tensor = Bytes(field::kTensorName, "t") + Int(field::kTensorDataLocation, 1) +
                             Entry("location", "w.bin") + Entry("offset", "0x10") +
                             Entry("__class__", "x");
  const Target target = Analyze(Model(Bytes(field::kGraphInitializer, tensor)));
  const auto invalid = WithRule(target, rule::kExternalInvalid);
  ASSERT_EQ(invalid.size(), 2u);
  EXPECT_EQ(invalid[0]->evidence, "__class__");
  EXPECT_EQ(invalid[1]->evidence, "offset=0x10 length=");

  const std::string no_location = Bytes(field::kTensorName, "t") + Int(field::kTensorDataLocation, 1);
  EXPECT_TRUE(Has(Analyze(Model(Bytes(field::kGraphInitializer, no_location))),
                  rule::kExternalInvalid));
}

TEST(OnnxWalkTest, DeepGraphsStopAtTheLimit) {
  std::string graph = Node("Relu", "");
  for (std::uint32_t level = 0; level <= kMaxGraphDepth; ++level) {
    const std::string attribute = Bytes(field::kAttrName, "body") + Bytes(field::kAttrG, graph);
    graph = Node("Loop", "", Bytes(field::kNodeAttribute, attribute));
  }
  const Target at_limit = Analyze(Model(graph));
  EXPECT_EQ(at_limit.status, TargetStatus::kIncomplete);
  EXPECT_TRUE(Has(at_limit, rule::kLimit));
}

// --- external files on disk -----------------------------------------------------------------

class OnnxDiskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() / ("modelgate_onnx_" + std::to_string(::getpid()));
    fs::remove_all(folder_);
    fs::create_directories(folder_ / "model");
  }
  void TearDown() override { fs::remove_all(folder_); }

  void Write(const fs::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
  }
  // A model whose initializer reads `length` bytes at `offset` of `location`.
  Target ScanModel(const std::string& location, const std::string& offset,
                   const std::string& length) {
    const std::string tensor = Bytes(field::kTensorName, "w") +
                               Int(field::kTensorDataLocation, 1) + Entry("location", location) +
                               Entry("offset", offset) + Entry("length", length);
    Write(folder_ / "model" / "m.onnx", Model(Bytes(field::kGraphInitializer, tensor)));
    return ScanFile((folder_ / "model" / "m.onnx").string(), Limits{});
  }

  fs::path folder_;
};

TEST_F(OnnxDiskTest, DataThatFitsIsFine) {
  Write(folder_ / "model" / "w.bin", std::string(64, 'x'));
  const Target target = ScanModel("w.bin", "32", "32");
  EXPECT_FALSE(Has(target, rule::kExternalMissing));
  EXPECT_TRUE(Has(target, rule::kExternalData));
}

TEST_F(OnnxDiskTest, MissingOrShortFilesAreMedium) {
  EXPECT_TRUE(Has(ScanModel("w.bin", "0", "4"), rule::kExternalMissing));
  Write(folder_ / "model" / "w.bin", std::string(64, 'x'));
  const Target short_file = ScanModel("w.bin", "32", "33");
  ASSERT_EQ(WithRule(short_file, rule::kExternalMissing).size(), 1u);
  EXPECT_NE(WithRule(short_file, rule::kExternalMissing)[0]->evidence.find("file size=64"),
            std::string::npos);
  fs::create_directories(folder_ / "model" / "dir.bin");
  EXPECT_TRUE(Has(ScanModel("dir.bin", "0", "1"), rule::kExternalMissing));
}

TEST_F(OnnxDiskTest, SymlinkOutOfTheFolderIsReported) {
  Write(folder_ / "secret", std::string(64, 's'));
  fs::create_directory_symlink(folder_, folder_ / "model" / "link");
  const Target target = ScanModel("link/secret", "0", "8");
  ASSERT_EQ(WithRule(target, rule::kExternalSymlink).size(), 1u);
  // A link that stays inside the folder is fine.
  fs::create_directories(folder_ / "model" / "real");
  Write(folder_ / "model" / "real" / "w.bin", std::string(8, 'w'));
  fs::create_directory_symlink(folder_ / "model" / "real", folder_ / "model" / "inner");
  EXPECT_FALSE(Has(ScanModel("inner/w.bin", "0", "8"), rule::kExternalSymlink));
}

TEST_F(OnnxDiskTest, ModelsInsideArchivesAreJudgedByNameOnly) {
  const std::string tensor = Bytes(field::kTensorName, "w") + Int(field::kTensorDataLocation, 1) +
                             Entry("location", "w.bin");
  const std::string model = Model(Bytes(field::kGraphInitializer, tensor));
  Target target;
  target.path = (folder_ / "model" / "archive.zip").string();
  Write(target.path, "not read");
  ScanContext ctx(target, Limits{});
  ctx.ScanEmbedded("m.onnx", ByteView(std::string_view(model)), "onnx");
  EXPECT_TRUE(Has(target, rule::kExternalData));
  EXPECT_FALSE(Has(target, rule::kExternalMissing));
}

}  // namespace
}  // namespace mg::onnx
