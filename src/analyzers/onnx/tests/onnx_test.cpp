// Tests of the ONNX analyzer on the fixtures made by tests/fixtures/onnx/make_fixtures.py:
// models written by onnx 1.12 and torch.onnx must scan clean and complete, each malicious
// model gets its finding with the evidence that names it, malformed ones are incomplete.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "analyzers/onnx/rules.h"
#include "engine/engine.h"
#include "support/findings.h"
#include "support/test_paths.h"

namespace mg {
namespace {

using test::WithRule;

std::filesystem::path Clean(const std::string& name) {
  return test::FixturesDir() / "clean" / "onnx" / name;
}
std::filesystem::path Malicious(const std::string& name) {
  return test::FixturesDir() / "malicious" / "onnx" / name;
}

Target Scan(const std::filesystem::path& path) { return ScanFile(path.string(), Limits{}); }

std::string Describe(const Target& target) {
  std::string out;
  for (const auto& finding : target.findings) {
    out += "\n  " + finding.rule + " " + std::string(SeverityName(finding.severity)) + " " +
           finding.message + " [" + finding.evidence + "]";
  }
  return out;
}

// The one finding of `rule`, or a test failure.
const Finding* Only(const Target& target, std::string_view rule) {
  const auto found = WithRule(target, rule);
  EXPECT_EQ(found.size(), 1u) << rule << Describe(target);
  return found.size() == 1 ? found[0] : nullptr;
}

TEST(OnnxAnalyzerTest, RealModelsAreCleanAndComplete) {
  for (const char* name :
       {"mlp.onnx", "if_loop.onnx", "function.onnx", "external_data.onnx", "torch_mlp.onnx"}) {
    const Target target = Scan(Clean(name));
    EXPECT_EQ(target.format, "onnx") << name;
    EXPECT_EQ(target.status, TargetStatus::kComplete) << name << Describe(target);
    for (const auto& finding : target.findings) {
      EXPECT_EQ(finding.severity, Severity::kInfo) << name << Describe(target);
    }
  }
}

TEST(OnnxAnalyzerTest, ExternalDataBesideTheModelIsNotedOnce) {
  // onnx.save wrote all four initializers into one file: one note, no problem.
  const Target target = Scan(Clean("external_data.onnx"));
  const Finding* note = Only(target, onnx::rule::kExternalData);
  ASSERT_NE(note, nullptr);
  EXPECT_EQ(note->evidence, "location=external_data.onnx.data");
  EXPECT_EQ(target.findings.size(), 1u) << Describe(target);
}

TEST(OnnxAnalyzerTest, RuntimeContribOperatorIsLow) {
  const Target target = Scan(Clean("contrib_op.onnx"));
  EXPECT_EQ(target.status, TargetStatus::kComplete);
  const Finding* contrib = Only(target, onnx::rule::kContribOp);
  ASSERT_NE(contrib, nullptr);
  EXPECT_EQ(contrib->severity, Severity::kLow);
  EXPECT_EQ(contrib->evidence, "com.microsoft::FusedMatMul");
  EXPECT_FALSE(test::Has(target, onnx::rule::kCustomOp)) << Describe(target);
}

TEST(OnnxAnalyzerTest, ExternalDataOutsideTheFolderIsCritical) {
  const std::pair<const char*, const char*> cases[] = {
      {"external_absolute.onnx", "location=/etc/passwd"},
      {"external_parent.onnx", "location=../../.ssh/id_rsa"},
      {"external_nested_parent.onnx", "location=weights/../../../etc/passwd"},
      {"external_windows.onnx", "location=C:\\Windows\\System32\\config\\SAM"},
      {"external_url.onnx", "location=https://attacker.invalid/weights.bin"},
      {"external_in_subgraph.onnx", "location=/etc/passwd"},
      {"external_in_function.onnx", "location=../../../../root/.aws/credentials"},
  };
  for (const auto& [name, evidence] : cases) {
    const Target target = Scan(Malicious(name));
    EXPECT_EQ(target.format, "onnx") << name;
    const Finding* path = Only(target, onnx::rule::kExternalPath);
    ASSERT_NE(path, nullptr) << name;
    EXPECT_EQ(path->severity, Severity::kCritical) << name;
    EXPECT_EQ(path->evidence, evidence) << name;
    ASSERT_TRUE(path->location.offset.has_value()) << name;
    // Nothing is looked up on disk for a location that escapes.
    EXPECT_FALSE(test::Has(target, onnx::rule::kExternalMissing)) << name << Describe(target);
  }
}

TEST(OnnxAnalyzerTest, ModelInAnArchiveIsFoundByItsMemberName) {
  const Target target = Scan(Malicious("external_in_zip.zip"));
  EXPECT_EQ(target.format, "zip");
  const Finding* path = Only(target, onnx::rule::kExternalPath);
  ASSERT_NE(path, nullptr);
  EXPECT_EQ(path->severity, Severity::kCritical);
  EXPECT_EQ(path->location.member, std::vector<std::string>{"exported/model.onnx"});
  EXPECT_EQ(path->evidence, "location=../../../etc/shadow");
}

TEST(OnnxAnalyzerTest, MissingExternalFileIsMedium) {
  const Target target = Scan(Malicious("external_missing.onnx"));
  const Finding* missing = Only(target, onnx::rule::kExternalMissing);
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(missing->severity, Severity::kMedium);
  EXPECT_EQ(missing->evidence, "location=weights_not_shipped.bin");
  EXPECT_NE(missing->message.find("'w1'"), std::string::npos) << missing->message;
}

TEST(OnnxAnalyzerTest, CustomDomainOperatorIsMedium) {
  const Target target = Scan(Malicious("custom_op.onnx"));
  const Finding* custom = Only(target, onnx::rule::kCustomOp);
  ASSERT_NE(custom, nullptr);
  EXPECT_EQ(custom->severity, Severity::kMedium);
  EXPECT_EQ(custom->evidence, "com.example.customops::Exfiltrate");
  EXPECT_NE(custom->message.find("'custom'"), std::string::npos) << custom->message;
  EXPECT_EQ(target.status, TargetStatus::kComplete);
}

TEST(OnnxAnalyzerTest, PythonOperatorIsHighWithItsTarget) {
  const Target target = Scan(Malicious("python_op.onnx"));
  const Finding* python = Only(target, onnx::rule::kPythonOp);
  ASSERT_NE(python, nullptr);
  EXPECT_EQ(python->severity, Severity::kHigh);
  EXPECT_EQ(python->evidence, "pyop.custom::PyOp class_name=system compute=echo pwned module=os")
      << python->evidence;
  // Its domain is not reported a second time as a merely custom one.
  EXPECT_FALSE(test::Has(target, onnx::rule::kCustomOp)) << Describe(target);
}

TEST(OnnxAnalyzerTest, MalformedModelsAreIncompleteWithOffsets) {
  const std::pair<const char*, std::string_view> cases[] = {
      {"truncated.onnx", onnx::rule::kMalformed},
      {"bad_varint.onnx", onnx::rule::kMalformed},
      {"length_beyond.onnx", onnx::rule::kMalformed},
      {"deep_nesting.onnx", onnx::rule::kLimit},
  };
  for (const auto& [name, rule] : cases) {
    const Target target = Scan(Malicious(name));
    EXPECT_EQ(target.format, "onnx") << name;
    EXPECT_EQ(target.status, TargetStatus::kIncomplete) << name << Describe(target);
    const Finding* finding = Only(target, rule);
    ASSERT_NE(finding, nullptr) << name;
    EXPECT_GE(finding->severity, Severity::kMedium);
    EXPECT_TRUE(finding->location.offset.has_value()) << name;
  }
  // bad_varint: ir_version's varint starts at offset 1 and its 10th byte is at 10.
  const Target bad = Scan(Malicious("bad_varint.onnx"));
  EXPECT_EQ(Only(bad, onnx::rule::kMalformed)->location.offset, 10u);
  // length_beyond: the graph's payload would start at offset 6.
  const Target beyond = Scan(Malicious("length_beyond.onnx"));
  EXPECT_EQ(Only(beyond, onnx::rule::kMalformed)->location.offset, 6u);
}

TEST(OnnxAnalyzerTest, EveryReportedRuleIsInTheTable) {
  std::set<std::string_view> known;
  for (const RuleInfo& rule : onnx::Rules()) known.insert(rule.id);
  for (const auto& folder : {Clean(""), Malicious("")}) {
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
      if (entry.path().extension() != ".onnx") continue;
      for (const auto& finding : Scan(entry.path()).findings) {
        if (finding.rule.starts_with("ONNX-")) {
          EXPECT_TRUE(known.contains(finding.rule)) << finding.rule;
        }
      }
    }
  }
}

}  // namespace
}  // namespace mg
