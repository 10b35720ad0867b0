// Tests of the TensorFlow analyzer on the SavedModel folders of tests/fixtures (written by
// tests/fixtures/tensorflow/make_fixtures.py): the clean exports are clean and complete, each
// malicious one is caught with the node, op, function and file as evidence, and each
// malformed one is `incomplete` with the offset of the problem.
#include <gtest/gtest.h>

#include <string>

#include "engine/analyzer.h"
#include "engine/engine.h"
#include "support/findings.h"
#include "support/test_paths.h"

namespace mg {
namespace {

using test::WithRule;

Target Scan(const std::string& relative) {
  return ScanFile((test::FixturesDir() / relative).string(), Limits{});
}

const Finding* Only(const Target& target, std::string_view rule) {
  const auto found = WithRule(target, rule);
  EXPECT_EQ(found.size(), 1u) << rule;
  return found.size() == 1 ? found[0] : nullptr;
}

std::string Dump(const Target& target) {
  std::string out;
  for (const auto& f : target.findings) out += f.rule + " | " + f.message + " | " + f.evidence + "\n";
  return out;
}

void ExpectCleanAndComplete(const std::string& relative) {
  const Target target = Scan(relative);
  EXPECT_EQ(target.format, "tensorflow") << relative;
  EXPECT_EQ(target.status, TargetStatus::kComplete) << relative << "\n" << Dump(target);
  for (const auto& finding : target.findings) {
    EXPECT_EQ(finding.severity, Severity::kInfo) << relative << "\n" << Dump(target);
  }
}

TEST(TensorflowFixtures, CleanExportsAreCleanAndComplete) {
  ExpectCleanAndComplete("clean/tensorflow/dense_savedmodel/saved_model.pb");
  ExpectCleanAndComplete("clean/tensorflow/dense_savedmodel/fingerprint.pb");
  ExpectCleanAndComplete("clean/tensorflow/frozen_graph.pb");
}

TEST(TensorflowFixtures, CheckpointOpsOfTheSaverAreCountedNotFlagged) {
  const Target target = Scan("clean/tensorflow/dense_savedmodel/saved_model.pb");
  const Finding* ops = Only(target, "TF-CHECKPOINT-OPS");
  ASSERT_NE(ops, nullptr);
  // SaveV2 and MergeV2Checkpoints in __inference__traced_save_95, RestoreV2 in the restore.
  EXPECT_NE(ops->message.find("3 checkpoint"), std::string::npos) << ops->message;
  const Finding* summary = Only(target, "TF-SUMMARY");
  ASSERT_NE(summary, nullptr);
  // 9 in the main graph, 28 in the four functions.
  EXPECT_NE(summary->message.find("37 nodes"), std::string::npos) << summary->message;
  EXPECT_NE(summary->message.find("4 library functions"), std::string::npos);
  EXPECT_NE(summary->evidence.find("tags serve; TensorFlow 2.15.0"), std::string::npos);
  // The traced save's StaticRegexFullMatch pattern "^s3://.*" is not a URL.
  EXPECT_TRUE(WithRule(target, "TF-URL-STRING").empty());
}

TEST(TensorflowFixtures, PyFuncInTheMainGraphIsCritical) {
  const Target target = Scan("malicious/tensorflow/pyfunc_graph/saved_model.pb");
  const Finding* py = Only(target, "TF-PYTHON-CALLBACK");
  ASSERT_NE(py, nullptr);
  EXPECT_EQ(py->severity, Severity::kCritical);
  EXPECT_EQ(py->evidence, "graph: node 'PyFunc' op PyFunc; token 'pyfunc_0'");
  ASSERT_TRUE(py->location.offset.has_value());
  EXPECT_GT(*py->location.offset, 0u);
  EXPECT_EQ(target.status, TargetStatus::kComplete);
}

TEST(TensorflowFixtures, EagerPyFuncInANestedFunctionNamesTheFunction) {
  const Target target = Scan("malicious/tensorflow/eager_pyfunc_nested/saved_model.pb");
  const Finding* py = Only(target, "TF-PYTHON-CALLBACK");
  ASSERT_NE(py, nullptr);
  EXPECT_EQ(py->evidence,
            "function __inference_preprocess_77: node 'EagerPyFunc' op EagerPyFunc; token "
            "'pyfunc_3'");
}

TEST(TensorflowFixtures, FileReadAndWriteNameTheirFiles) {
  const Target read = Scan("malicious/tensorflow/read_passwd/saved_model.pb");
  const Finding* file_read = Only(read, "TF-FILE-READ");
  ASSERT_NE(file_read, nullptr);
  EXPECT_EQ(file_read->severity, Severity::kHigh);
  EXPECT_EQ(file_read->evidence,
            "function __inference_call_41: node 'ReadFile' op ReadFile; input 0 "
            "'ReadFile/filename:output:0' = '/etc/passwd'");

  const Target write = Scan("malicious/tensorflow/write_bashrc/saved_model.pb");
  const Finding* file_write = Only(write, "TF-FILE-WRITE");
  ASSERT_NE(file_write, nullptr);
  EXPECT_NE(file_write->evidence.find("= '~/.bashrc'"), std::string::npos)
      << file_write->evidence;
  const Finding* url = Only(write, "TF-URL-STRING");
  ASSERT_NE(url, nullptr);
  EXPECT_EQ(url->severity, Severity::kLow);
  EXPECT_NE(url->evidence.find("http://attacker.invalid/x"), std::string::npos);
}

TEST(TensorflowFixtures, DebugUrlsAndPrintToFileAreExfiltration) {
  const Target target = Scan("malicious/tensorflow/debug_exfiltration/saved_model.pb");
  const Finding* network = Only(target, "TF-NETWORK-OP");
  ASSERT_NE(network, nullptr);
  EXPECT_NE(network->evidence.find("debug_url 'grpc://attacker.invalid:6064'"),
            std::string::npos);
  const Finding* print = Only(target, "TF-FILE-WRITE");
  ASSERT_NE(print, nullptr);
  EXPECT_NE(print->evidence.find("output_stream 'file:///tmp/.cache/leak.txt'"),
            std::string::npos);
  // Judged by the precise rules, not again as plain URLs.
  EXPECT_TRUE(WithRule(target, "TF-URL-STRING").empty()) << Dump(target);
}

TEST(TensorflowFixtures, CheckpointRestoreFromAConstantPathIsFlagged) {
  const Target target = Scan("malicious/tensorflow/checkpoint_fixed_path/saved_model.pb");
  const Finding* fixed = Only(target, "TF-CHECKPOINT-FIXED-PATH");
  ASSERT_NE(fixed, nullptr);
  EXPECT_EQ(fixed->severity, Severity::kHigh);
  EXPECT_NE(fixed->evidence.find("'/var/tmp/attacker/ckpt'"), std::string::npos);
  EXPECT_NE(fixed->evidence.find("function __inference__traced_restore_120"), std::string::npos);
}

TEST(TensorflowFixtures, FrozenGraphWithPyFuncIsCritical) {
  const Target target = Scan("malicious/tensorflow/frozen_pyfunc.pb");
  EXPECT_EQ(target.format, "tensorflow");
  const Finding* py = Only(target, "TF-PYTHON-CALLBACK");
  ASSERT_NE(py, nullptr);
  EXPECT_EQ(py->evidence, "graph: node 'py' op PyFuncStateless; token 'pyfunc_1'");
}

TEST(TensorflowFixtures, KerasMetadataJsonGoesToTheKerasAnalyzer) {
  const Target target = Scan("malicious/tensorflow/keras_lambda/keras_metadata.pb");
  EXPECT_EQ(target.format, "tensorflow");
  if (FindAnalyzer("keras") == nullptr) {
    const Finding* missing = Only(target, "TF-KERAS-METADATA-UNANALYSED");
    ASSERT_NE(missing, nullptr);
    EXPECT_NE(missing->message.find("<keras metadata node 0>"), std::string::npos);
    EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  } else {
    // With the Keras analyzer merged, its findings sit in the member of the JSON.
    EXPECT_NE(test::AtMember(target, {"<keras metadata node 0>"}, "KERAS"), nullptr)
        << Dump(target);
  }
}

TEST(TensorflowFixtures, MalformedFilesAreIncompleteWithTheOffset) {
  struct Case {
    const char* path;
    const char* rule;
    std::uint64_t offset;
  };
  const Case cases[] = {
      // 08 01 12 <varint 2^40>: the length is read at offset 3 and the payload starts at 9.
      {"malicious/tensorflow/malformed_bad_length/saved_model.pb", "TF-MALFORMED", 9},
      // 08 01 then key (2 << 3 | 7) at offset 2.
      {"malicious/tensorflow/malformed_bad_wire_type/saved_model.pb", "TF-MALFORMED", 2},
      {"malicious/tensorflow/malformed_truncated/saved_model.pb", "TF-MALFORMED", 0},
      {"malicious/tensorflow/malformed_deep_nesting/saved_model.pb", "TF-LIMIT", 0},
  };
  for (const Case& c : cases) {
    const Target target = Scan(c.path);
    EXPECT_EQ(target.format, "tensorflow") << c.path;
    EXPECT_EQ(target.status, TargetStatus::kIncomplete) << c.path << "\n" << Dump(target);
    const Finding* finding = Only(target, c.rule);
    ASSERT_NE(finding, nullptr) << c.path << "\n" << Dump(target);
    EXPECT_EQ(finding->severity, Severity::kMedium);
    ASSERT_TRUE(finding->location.offset.has_value());
    if (c.offset != 0) {
      EXPECT_EQ(*finding->location.offset, c.offset) << c.path;
    } else {
      EXPECT_GT(*finding->location.offset, 0u) << c.path;
    }
  }
}

}  // namespace
}  // namespace mg
