// The policy's keras_modules lists (engine/name_lists.h) applied to the modules a Keras
// configuration makes the loader import: an allowed module drops the "outside Keras" findings,
// a denied one is KERAS-POLICY-DENIED-MODULE, dangerous references are never allowed.
#include <gtest/gtest.h>

#include <string>

#include "engine/analyzer.h"
#include "engine/engine.h"
#include "engine/scan_context.h"
#include "support/findings.h"
#include "support/name_lists.h"
#include "support/test_paths.h"

namespace mg {
namespace {

using test::Has;
using test::NameLists;
using test::WithRule;

Target ScanTextWith(std::string_view json, const NameLists& names) {
  Target target;
  target.path = "model.json";
  ScanContext ctx(target, Limits{}, &names.lists());
  target.format = AnalyzeBuffer(ctx, ByteView(json));
  return target;
}

constexpr std::string_view kOwnLayers =
    R"({"class_name": "Functional", "config": {"layers": [)"
    R"({"module": "mylab.layers", "class_name": "Gate", "config": {}},)"
    R"({"module": "keras.layers", "class_name": "Dense", "config": {}},)"
    R"({"module": "keras_hub.src.models.gemma", "class_name": "GemmaBackbone", "config": {}},)"
    R"({"module": "mylab.layers", "class_name": "Block", "registered_name": "mylab>Block",)"
    R"( "config": {}}]}})";

TEST(KerasPolicyNames, AnAllowedModuleIsNotExternal) {
  const Target plain = ScanTextWith(kOwnLayers, NameLists());
  ASSERT_EQ(plain.format, "keras");
  EXPECT_EQ(WithRule(plain, "KERAS-EXTERNAL-MODULE").size(), 1u);
  EXPECT_EQ(WithRule(plain, "KERAS-CUSTOM-OBJECT").size(), 1u);
  EXPECT_EQ(WithRule(plain, "KERAS-ECOSYSTEM-MODULE").size(), 1u);

  // "mylab.*" covers the module; the registered package "mylab" needs its own exact entry.
  Target target = ScanTextWith(kOwnLayers, NameLists().Allow(NameKind::kKerasModule, {"mylab.*"}));
  EXPECT_FALSE(Has(target, "KERAS-EXTERNAL-MODULE"));
  EXPECT_TRUE(Has(target, "KERAS-CUSTOM-OBJECT"));
  target = ScanTextWith(
      kOwnLayers, NameLists().Allow(NameKind::kKerasModule, {"mylab", "mylab.*", "keras_hub.*"}));
  EXPECT_TRUE(target.findings.empty()) << target.findings[0].rule;
  // An exact module entry does not cover its submodules; other kinds' lists do not count.
  target = ScanTextWith(kOwnLayers, NameLists()
                                        .Allow(NameKind::kKerasModule, {"mylab"})
                                        .Allow(NameKind::kPickleGlobal, {"mylab.*"}));
  EXPECT_TRUE(Has(target, "KERAS-EXTERNAL-MODULE"));
}

TEST(KerasPolicyNames, DangerousReferencesStayCriticalWhenAllowed) {
  const NameLists names =
      NameLists().Allow(NameKind::kKerasModule, {"os", "os.*", "subprocess", "keras", "keras.*"});
  const Target target = ScanTextWith(
      R"({"class_name": "Functional", "config": {"layers": [)"
      R"({"module": "subprocess", "class_name": "Popen", "config": {}},)"
      R"({"module": "os", "class_name": "function", "config": "system"},)"
      R"({"module": "keras.models", "class_name": "function", "config": "load_model"}]}})",
      names);
  const auto dangerous = WithRule(target, "KERAS-DANGEROUS-REFERENCE");
  ASSERT_EQ(dangerous.size(), 2u);
  EXPECT_EQ(dangerous[0]->severity, Severity::kCritical);
  EXPECT_TRUE(Has(target, "KERAS-UNSAFE-KERAS-FUNCTION"));
}

TEST(KerasPolicyNames, ADeniedModuleIsReportedEvenInsideKeras) {
  const Target target =
      ScanTextWith(kOwnLayers, NameLists().Deny(NameKind::kKerasModule, {"keras.layers", "mylab"}));
  const auto denied = WithRule(target, "KERAS-POLICY-DENIED-MODULE");
  // keras.layers (layer 1) and the registered package "mylab" (layer 3); "mylab.layers" is not
  // covered by the exact entry "mylab".
  ASSERT_EQ(denied.size(), 2u);
  EXPECT_EQ(denied[0]->severity, Severity::kCritical);
  EXPECT_EQ(denied[0]->evidence,
            "/config/layers/1: keras.layers (policy deny entry 'keras.layers')");
  EXPECT_EQ(denied[1]->evidence, "/config/layers/3: mylab (policy deny entry 'mylab')");
  // The other findings are unchanged.
  EXPECT_EQ(WithRule(target, "KERAS-EXTERNAL-MODULE").size(), 1u);
}

TEST(KerasPolicyNames, ADeniedModuleOfARealKerasArchiveIsReported) {
  OrgNameLists lists = NameLists().Deny(NameKind::kKerasModule, {"keras.initializers"}).lists();
  const Target target =
      ScanFile((test::FixturesDir() / "clean" / "keras" / "sequential.keras").string(), Limits{},
               false, &lists);
  const auto denied = WithRule(target, "KERAS-POLICY-DENIED-MODULE");
  ASSERT_FALSE(denied.empty());
  for (const Finding* finding : denied) {
    EXPECT_NE(finding->evidence.find("keras.initializers (policy deny entry"), std::string::npos);
    EXPECT_EQ(finding->location.member, std::vector<std::string>{"config.json"});
  }
  EXPECT_TRUE(
      ScanFile((test::FixturesDir() / "clean" / "keras" / "sequential.keras").string(), Limits{})
          .findings.size() < target.findings.size());
}

}  // namespace
}  // namespace mg
