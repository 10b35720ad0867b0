// The policy's sparkml_classes and pyspark_modules lists (engine/name_lists.h) applied to stage
// classes: allowed names drop the unknown/Python class findings, denied names are findings of
// their own, and JDK classes or dangerous Python callables are never allowed.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "analyzers/sparkml/rules.h"
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

Target ScanLineWith(const std::string& line, const NameLists& names) {
  Target target;
  target.path = "part-00000";
  ScanContext ctx(target, Limits{}, &names.lists());
  AnalyzeBuffer(ctx, ByteView(line), sparkml::kFormatName);
  return target;
}

std::string Meta(const std::string& cls, bool python_writer = false) {
  return R"({"class":")" + cls +
         R"(","timestamp":1,"sparkVersion":"3.5.1","uid":"stage_0123456789ab","paramMap":)" +
         (python_writer ? R"({"language":"Python"})" : "{}") + R"(,"defaultParamMap":{}})";
}

TEST(SparkmlPolicyNames, AnAllowedClassIsNotUnknown) {
  const std::string custom = Meta("com.acme.ml.CustomStage");
  ASSERT_TRUE(Has(ScanLineWith(custom, NameLists()), "SPARKML-UNKNOWN-CLASS"));
  for (const auto entry : {"com.acme.ml.CustomStage", "com.acme.*", "com.acme.ml."}) {
    const Target target = ScanLineWith(custom, NameLists().Allow(NameKind::kSparkMlClass, {entry}));
    EXPECT_FALSE(Has(target, "SPARKML-UNKNOWN-CLASS")) << entry;
    EXPECT_EQ(target.findings.size(), 1u) << entry;  // SPARKML-SPARK-VERSION (info) only
  }
  // A PySpark module entry does not vouch for a class the JVM may load.
  EXPECT_TRUE(
      Has(ScanLineWith(custom, NameLists().Allow(NameKind::kPysparkModule, {"com.acme.ml"})),
          "SPARKML-UNKNOWN-CLASS"));
  // Nested JVM classes are named with '$'.
  const Target nested = ScanLineWith(Meta("com.acme.ml.Stage$Model"),
                                     NameLists().Allow(NameKind::kSparkMlClass, {"com.acme.ml.*"}));
  EXPECT_FALSE(Has(nested, "SPARKML-UNKNOWN-CLASS"));
}

TEST(SparkmlPolicyNames, AnAllowedPysparkModuleCoversItsPythonStages) {
  const std::string stage = Meta("mylab.stages.Scaler", true);
  ASSERT_TRUE(Has(ScanLineWith(stage, NameLists()), "SPARKML-PYTHON-CLASS"));
  for (const auto entry : {"mylab.stages", "mylab.*"}) {
    const Target target = ScanLineWith(stage, NameLists().Allow(NameKind::kPysparkModule, {entry}));
    EXPECT_FALSE(Has(target, "SPARKML-PYTHON-CLASS")) << entry;
  }
  // The class list covers Python classes too; a sibling module is not covered.
  EXPECT_FALSE(
      Has(ScanLineWith(stage, NameLists().Allow(NameKind::kSparkMlClass, {"mylab.stages.Scaler"})),
          "SPARKML-PYTHON-CLASS"));
  EXPECT_TRUE(Has(ScanLineWith(Meta("mylab.other.Scaler", true),
                               NameLists().Allow(NameKind::kPysparkModule, {"mylab.stages"})),
                  "SPARKML-PYTHON-CLASS"));
}

TEST(SparkmlPolicyNames, DangerousClassesStayCriticalWhenAllowed) {
  const NameLists names = NameLists()
                              .Allow(NameKind::kSparkMlClass, {"java.*", "subprocess.Popen"})
                              .Allow(NameKind::kPysparkModule, {"subprocess", "builtins"});
  const Target jdk = ScanLineWith(Meta("java.io.FileOutputStream"), names);
  ASSERT_TRUE(Has(jdk, "SPARKML-JDK-CLASS"));
  EXPECT_EQ(WithRule(jdk, "SPARKML-JDK-CLASS")[0]->severity, Severity::kCritical);
  for (const auto cls : {"subprocess.Popen", "builtins.eval"}) {
    const Target python = ScanLineWith(Meta(cls, true), names);
    ASSERT_TRUE(Has(python, "SPARKML-PYTHON-CLASS")) << cls;
    EXPECT_EQ(WithRule(python, "SPARKML-PYTHON-CLASS")[0]->severity, Severity::kCritical);
  }
}

TEST(SparkmlPolicyNames, DeniedClassesAndModulesAreReported) {
  const Target spark = ScanLineWith(
      Meta("org.apache.spark.ml.feature.SQLTransformer"),
      NameLists().Deny(NameKind::kSparkMlClass, {"org.apache.spark.ml.feature.SQLTransformer"}));
  const auto denied = WithRule(spark, "SPARKML-POLICY-DENIED-CLASS");
  ASSERT_EQ(denied.size(), 1u);
  EXPECT_EQ(denied[0]->severity, Severity::kCritical);
  EXPECT_EQ(denied[0]->evidence,
            "/class: org.apache.spark.ml.feature.SQLTransformer (policy deny entry "
            "'org.apache.spark.ml.feature.SQLTransformer')");
  const Target module = ScanLineWith(Meta("pyspark.ml.feature.Tokenizer", true),
                                     NameLists().Deny(NameKind::kPysparkModule, {"pyspark.ml.*"}));
  const auto module_denied = WithRule(module, "SPARKML-POLICY-DENIED-MODULE");
  ASSERT_EQ(module_denied.size(), 1u);
  EXPECT_EQ(module_denied[0]->evidence,
            "/class: pyspark.ml.feature.Tokenizer (policy deny entry 'pyspark.ml.*')");
  EXPECT_FALSE(Has(module, "SPARKML-POLICY-DENIED-CLASS"));
}

TEST(SparkmlPolicyNames, ADeniedStageOfARealPipelineFolderIsReported) {
  ScanOptions options;
  options.jobs = 1;
  auto names = std::make_shared<OrgNameLists>(
      NameLists().Deny(NameKind::kSparkMlClass, {"org.apache.spark.ml.classification.*"}).lists());
  options.name_lists = names;
  const ScanOutcome outcome =
      Scan({(test::FixturesDir() / "clean" / "sparkml" / "pipeline_lr").string()}, options);
  ASSERT_TRUE(outcome.errors.empty());
  int denied = 0;
  for (const Target& target : outcome.report.targets) {
    for (const Finding* finding : WithRule(target, "SPARKML-POLICY-DENIED-CLASS")) {
      ++denied;
      EXPECT_NE(finding->evidence.find("LogisticRegressionModel"), std::string::npos);
    }
  }
  EXPECT_EQ(denied, 1);
}

}  // namespace
}  // namespace mg
