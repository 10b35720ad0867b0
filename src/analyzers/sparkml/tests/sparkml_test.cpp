// Tests of the Spark ML model analyzer: the catalogue and helpers, the metadata rules on
// in-memory lines, and the model folders made by tests/fixtures/sparkml/make_fixtures.py.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analyzers/sparkml/catalog.h"
#include "analyzers/sparkml/folder.h"
#include "analyzers/sparkml/metadata.h"
#include "analyzers/sparkml/rules.h"
#include "engine/analyzer.h"
#include "engine/engine.h"
#include "engine/scan_context.h"
#include "engine/sniff.h"
#include "support/findings.h"
#include "support/test_paths.h"

namespace mg {
namespace {

using sparkml::LookUpSparkClass;
using sparkml::StageRole;

// Analyses one metadata line as a part file that is not on disk (no folder checks).
Target ScanLine(const std::string& line) {
  Target target;
  target.path = "part-00000";
  ScanContext ctx(target, Limits{});
  AnalyzeBuffer(ctx, ByteView(line), sparkml::kFormatName);
  return target;
}

std::string Meta(const std::string& cls, const std::string& uid = "stage_0123456789ab",
                 const std::string& params = "{}") {
  return R"({"class":")" + cls + R"(","timestamp":1,"sparkVersion":"3.5.1","uid":")" + uid +
         R"(","paramMap":)" + params + R"(,"defaultParamMap":{}})";
}

struct FolderFinding {
  std::string file;
  Finding finding;
};

// Scans a fixture folder the way `modelgate scan <folder>` does; every file's findings.
// Malicious folders may hold files the engine cannot fully analyse (a Java serialization
// stream is a known format without an analyzer): only clean ones must be complete.
std::vector<FolderFinding> ScanFolder(const std::string& relative, bool require_complete = false) {
  ScanOptions options;
  options.jobs = 1;
  const ScanOutcome outcome = Scan({(test::FixturesDir() / relative).string()}, options);
  EXPECT_TRUE(outcome.errors.empty());
  std::vector<FolderFinding> out;
  for (const Target& target : outcome.report.targets) {
    if (require_complete) {
      EXPECT_EQ(target.status, TargetStatus::kComplete) << target.path;
    }
    for (const Finding& finding : target.findings) out.push_back({target.path, finding});
  }
  return out;
}

const Finding* Find(const std::vector<FolderFinding>& found, std::string_view rule,
                    std::string_view evidence = {}) {
  for (const FolderFinding& item : found) {
    if (item.finding.rule == rule && item.finding.evidence.find(evidence) != std::string::npos) {
      return &item.finding;
    }
  }
  return nullptr;
}

TEST(SparkmlCatalogTest, BothSpellingsAndRoles) {
  EXPECT_TRUE(sparkml::CatalogIsSorted());
  EXPECT_GT(sparkml::CatalogSize(), 100u);
  const auto jvm = LookUpSparkClass("org.apache.spark.ml.PipelineModel");
  const auto python = LookUpSparkClass("pyspark.ml.pipeline.PipelineModel");
  ASSERT_TRUE(jvm && python);
  EXPECT_EQ(jvm->role, StageRole::kPipelineModel);
  EXPECT_EQ(python->layout, sparkml::Layout::kPipeline);
  EXPECT_EQ(LookUpSparkClass("org.apache.spark.ml.feature.ColumnPruner")->role,
            StageRole::kTransformer);
  EXPECT_EQ(LookUpSparkClass("pyspark.ml.tuning.CrossValidatorModel")->layout,
            sparkml::Layout::kValidatorModel);
  EXPECT_EQ(LookUpSparkClass("org.apache.spark.ml.evaluation.RegressionEvaluator")->role,
            StageRole::kEvaluator);
  EXPECT_FALSE(LookUpSparkClass("org.apache.spark.ml.pipeline.PipelineModel"));
  EXPECT_FALSE(LookUpSparkClass("org.apache.spark.ml.feature.Evil"));
  EXPECT_FALSE(LookUpSparkClass("java.io.FileOutputStream"));
  EXPECT_TRUE(sparkml::IsJdkClass("java.lang.ProcessBuilder"));
  EXPECT_TRUE(sparkml::IsJdkClass("scala.sys.process.ProcessBuilder"));
  EXPECT_FALSE(sparkml::IsJdkClass("javascript.Thing"));
}

TEST(SparkmlCatalogTest, ReleasesAndRolesByRelease) {
  EXPECT_EQ(sparkml::ParseSparkRelease("2.4.4"), 204);
  EXPECT_EQ(sparkml::ParseSparkRelease("4.0.0-preview2"), 400);
  EXPECT_EQ(sparkml::ParseSparkRelease("3.3.2.dev0"), 303);
  EXPECT_EQ(sparkml::ParseSparkRelease("10.1"), 1001);
  for (const char* bad : {"", "3", "3.", ".5", "x.5", "3.x", "1234.1", "3.100"}) {
    EXPECT_FALSE(sparkml::ParseSparkRelease(bad)) << bad;
  }
  const auto encoder = LookUpSparkClass("org.apache.spark.ml.feature.TargetEncoderModel");
  ASSERT_TRUE(encoder);
  EXPECT_FALSE(sparkml::ShippedIn(*encoder, 305));
  EXPECT_TRUE(sparkml::ShippedIn(*encoder, 400));
  const auto renamed = LookUpSparkClass("pyspark.ml.feature.OneHotEncoderEstimator");
  ASSERT_TRUE(renamed);
  EXPECT_FALSE(sparkml::ShippedIn(*renamed, 202));
  EXPECT_TRUE(sparkml::ShippedIn(*renamed, 204));
  EXPECT_FALSE(sparkml::ShippedIn(*renamed, 300));
  const char* one_hot = "org.apache.spark.ml.feature.OneHotEncoder";
  EXPECT_EQ(LookUpSparkClass(one_hot, 204)->role, StageRole::kTransformer);
  EXPECT_EQ(LookUpSparkClass(one_hot, 300)->role, StageRole::kEstimator);
  EXPECT_EQ(LookUpSparkClass(one_hot)->role, StageRole::kEstimator);
}

TEST(SparkmlHelpersTest, UidsPathsAndStageNames) {
  EXPECT_TRUE(sparkml::IsPlainUid("strIdx_930e3f3b922c"));
  EXPECT_TRUE(sparkml::IsPlainUid("PipelineModel-1"));
  EXPECT_FALSE(sparkml::IsPlainUid(""));
  EXPECT_FALSE(sparkml::IsPlainUid("../evil"));
  EXPECT_FALSE(sparkml::IsPlainUid(std::string(129, 'a')));
  for (const char* escape : {"/etc/passwd", "../x", "a/../../b", "file:///tmp", "s3a://b/k",
                             "C:\\x", "~/x", "..", "hdfs://nn/x"}) {
    EXPECT_TRUE(sparkml::IsPathEscape(escape)) << escape;
  }
  for (const char* plain : {"features", "\\s+", "a:b", "y ~ a + b", "epm_x0", "words", "/",
                            "x..y", "[a-z]:/"}) {
    EXPECT_FALSE(sparkml::IsPathEscape(plain)) << plain;
  }
  EXPECT_EQ(sparkml::StageFolderName(3, 6, "u"), "3_u");
  EXPECT_EQ(sparkml::StageFolderName(3, 10, "u"), "03_u");
  EXPECT_EQ(sparkml::StageFolderName(42, 100, "u"), "042_u");
}

TEST(SparkmlHelpersTest, ParquetFraming) {
  const std::string footer("\x15\x02\x00", 3);
  std::string file = "PAR1" + footer + std::string("\x03\x00\x00\x00", 4) + "PAR1";
  const ByteView view(file);
  EXPECT_TRUE(sparkml::ParquetFrameIsSane(view.Prefix(4), view.Tail(view.size() - 8), view.size()));
  std::string long_footer = file;
  long_footer[7] = '\x40';  // footer length 64 > file size - 12
  const ByteView bad(long_footer);
  EXPECT_FALSE(sparkml::ParquetFrameIsSane(bad.Prefix(4), bad.Tail(bad.size() - 8), bad.size()));
  const std::string text = "PAR1 not parquet";
  const ByteView t(text);
  EXPECT_FALSE(sparkml::ParquetFrameIsSane(t.Prefix(4), t.Tail(t.size() - 8), t.size()));
}

TEST(SparkmlRulesTest, EverySqlKindHasARule) {
  std::vector<std::string> ids;
  for (const RuleInfo& info : sparkml::Rules()) ids.emplace_back(info.id);
  for (int kind = 0; kind <= static_cast<int>(sparksql::SqlIssueKind::kTooLarge); ++kind) {
    const std::string id = sparkml::SqlRuleId(static_cast<sparksql::SqlIssueKind>(kind));
    EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id;
  }
  EXPECT_EQ(sparkml::SqlRuleId(sparksql::SqlIssueKind::kScriptTransform),
            "SPARKML-SQL-SCRIPT-TRANSFORM");
}

TEST(SparkmlSniffTest, MetadataPartByNameAndShape) {
  const std::string line = Meta("org.apache.spark.ml.feature.Tokenizer");
  EXPECT_EQ(SniffAnalyzer(ByteView(line), "m/metadata/part-00000")->Name(), "spark-ml");
  EXPECT_EQ(SniffAnalyzer(ByteView(line), "m/metadata/part-00000-0f8c-c000.txt")->Name(),
            "spark-ml");
  const Analyzer* crc = SniffAnalyzer(ByteView(line), "m/metadata/.part-00000.crc");
  EXPECT_TRUE(crc == nullptr || crc->Name() != "spark-ml");
  const Analyzer* hidden = SniffAnalyzer(ByteView(line), "m/metadata/_SUCCESS");
  EXPECT_TRUE(hidden == nullptr || hidden->Name() != "spark-ml");
  const Analyzer* elsewhere = SniffAnalyzer(ByteView(line), "m/data/part-00000");
  EXPECT_TRUE(elsewhere == nullptr || elsewhere->Name() != "spark-ml");
  const std::string other = R"({"model_type":"bert"})";
  const Analyzer* not_spark = SniffAnalyzer(ByteView(other), "m/metadata/part-00000");
  EXPECT_TRUE(not_spark == nullptr || not_spark->Name() != "spark-ml");
}

TEST(SparkmlMetadataTest, SparkClassesAreClean) {
  const Target target = ScanLine(Meta("org.apache.spark.ml.feature.HashingTF", "hashingTF_1",
                                      R"({"numFeatures":100,"inputCol":"words"})"));
  ASSERT_EQ(target.findings.size(), 1u);
  EXPECT_EQ(target.findings[0].rule, "SPARKML-SPARK-VERSION");
  EXPECT_EQ(target.findings[0].severity, Severity::kInfo);
}

TEST(SparkmlMetadataTest, ClassResolution) {
  const Target jdk = ScanLine(Meta("java.io.FileOutputStream"));
  ASSERT_TRUE(test::Has(jdk, "SPARKML-JDK-CLASS"));
  EXPECT_EQ(test::WithRule(jdk, "SPARKML-JDK-CLASS")[0]->severity, Severity::kCritical);
  EXPECT_EQ(test::WithRule(jdk, "SPARKML-JDK-CLASS")[0]->evidence,
            "/class: java.io.FileOutputStream");
  const Target python = ScanLine(Meta("subprocess.Popen"));
  ASSERT_TRUE(test::Has(python, "SPARKML-PYTHON-CLASS"));
  EXPECT_EQ(test::WithRule(python, "SPARKML-PYTHON-CLASS")[0]->severity, Severity::kCritical);
  const Target unknown = ScanLine(Meta("com.example.CustomStage"));
  ASSERT_TRUE(test::Has(unknown, "SPARKML-UNKNOWN-CLASS"));
  EXPECT_EQ(test::WithRule(unknown, "SPARKML-UNKNOWN-CLASS")[0]->severity, Severity::kHigh);
  const Target pyspark_like = ScanLine(Meta("pyspark.ml.evil.Stage"));
  EXPECT_EQ(test::WithRule(pyspark_like, "SPARKML-PYTHON-CLASS")[0]->severity, Severity::kHigh);
}

TEST(SparkmlMetadataTest, ClassOutsideItsRelease) {
  const Target early = ScanLine(Meta("org.apache.spark.ml.feature.TargetEncoderModel"));
  const auto release = test::WithRule(early, "SPARKML-CLASS-RELEASE");
  ASSERT_EQ(release.size(), 1u);
  EXPECT_EQ(release[0]->severity, Severity::kLow);
  EXPECT_EQ(release[0]->evidence,
            "/class: org.apache.spark.ml.feature.TargetEncoderModel (sparkVersion 3.5)");
  EXPECT_NE(release[0]->message.find("added in Spark 4.0"), std::string::npos);
  const Target removed = ScanLine(Meta("pyspark.ml.feature.OneHotEncoderEstimator"));
  ASSERT_TRUE(test::Has(removed, "SPARKML-CLASS-RELEASE"));
  EXPECT_NE(test::WithRule(removed, "SPARKML-CLASS-RELEASE")[0]->message.find(
                "removed in Spark 3.0"),
            std::string::npos);
  EXPECT_FALSE(test::Has(ScanLine(Meta("org.apache.spark.ml.feature.Tokenizer")),
                         "SPARKML-CLASS-RELEASE"));
}

TEST(SparkmlMetadataTest, UidsAndParamPaths) {
  const Target uid = ScanLine(Meta("org.apache.spark.ml.PipelineModel", "p_1",
                                   R"({"stageUids":["tok_1","../../tmp/x","a b"]})"));
  const auto bad = test::WithRule(uid, "SPARKML-BAD-UID");
  ASSERT_EQ(bad.size(), 2u);
  EXPECT_EQ(bad[0]->severity, Severity::kHigh);
  EXPECT_EQ(bad[0]->evidence, "/paramMap/stageUids/1: ../../tmp/x");
  EXPECT_EQ(bad[1]->severity, Severity::kMedium);
  const Target path = ScanLine(Meta("org.apache.spark.ml.feature.HashingTF", "h_1",
                                    R"({"inputCol":"hdfs://attacker.invalid/x"})"));
  ASSERT_TRUE(test::Has(path, "SPARKML-PATH-VALUE"));
  EXPECT_EQ(test::WithRule(path, "SPARKML-PATH-VALUE")[0]->evidence,
            "/paramMap/inputCol: hdfs://attacker.invalid/x");
}

TEST(SparkmlMetadataTest, EstimatorParamMapFolders) {
  // Scala writes value and isJson JSON-encoded; PySpark writes them raw.
  const Target scala = ScanLine(Meta(
      "org.apache.spark.ml.tuning.CrossValidatorModel", "cv_1",
      R"({"estimatorParamMaps":[[{"parent":"lr","name":"w","value":"\"epm_w0\"","isJson":"false"},)"
      R"({"parent":"lr","name":"x","value":"\"../x\"","isJson":"false"},)"
      R"({"parent":"lr","name":"r","value":"0.1","isJson":"true"}]]})"));
  const auto epm = test::WithRule(scala, "SPARKML-EPM-PATH");
  ASSERT_EQ(epm.size(), 1u);
  EXPECT_EQ(epm[0]->evidence, "/paramMap/estimatorParamMaps/0/1/value: ../x");
  const Target python = ScanLine(Meta(
      "pyspark.ml.tuning.CrossValidatorModel", "cv_1",
      R"({"estimatorParamMaps":[[{"parent":"lr","name":"x","value":"/abs","isJson":false}]]})"));
  EXPECT_TRUE(test::Has(python, "SPARKML-EPM-PATH"));
}

TEST(SparkmlMetadataTest, SqlTransformerStatement) {
  const Target reflect = ScanLine(Meta(
      "org.apache.spark.ml.feature.SQLTransformer", "sql_1",
      R"({"statement":"SELECT reflect('java.lang.Runtime','getRuntime') FROM __THIS__"})"));
  const auto found = test::WithRule(reflect, "SPARKML-SQL-REFLECTION");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->severity, Severity::kCritical);
  EXPECT_NE(found[0]->evidence.find("/paramMap/statement"), std::string::npos);
  EXPECT_NE(found[0]->evidence.find("reflect"), std::string::npos);
  const Target clean = ScanLine(Meta("org.apache.spark.ml.feature.SQLTransformer", "sql_1",
                                     R"({"statement":"SELECT a * 2 AS b FROM __THIS__"})"));
  EXPECT_EQ(clean.findings.size(), 1u);  // the version only
}

TEST(SparkmlMetadataTest, MalformedAndAmbiguous) {
  const Target broken = ScanLine("{\"class\": 1, \"uid\": \"x\"}");
  EXPECT_TRUE(test::Has(broken, "SPARKML-MALFORMED-METADATA"));
  EXPECT_EQ(broken.status, TargetStatus::kIncomplete);
  const Target lines = ScanLine(Meta("org.apache.spark.ml.feature.Tokenizer") + "\n" +
                                Meta("java.lang.ProcessBuilder") + "\n");
  EXPECT_TRUE(test::Has(lines, "SPARKML-MULTIPLE-LINES"));
  EXPECT_TRUE(test::Has(lines, "SPARKML-JDK-CLASS"));
  const Target duplicate =
      ScanLine(R"({"class":"org.apache.spark.ml.feature.Tokenizer","uid":"t_1","class":"x.Y"})");
  EXPECT_TRUE(test::Has(duplicate, "SPARKML-DUPLICATE-KEY"));
  const Target many = ScanLine(
      R"({"class":"org.apache.spark.ml.classification.OneVsRestModel","uid":"o_1","numClasses":99999999})");
  EXPECT_TRUE(test::Has(many, "SPARKML-LIMIT"));
}

TEST(SparkmlMetadataTest, SparkConnectMetadataJson) {
  const std::string json =
      R"({"class":"pyspark.ml.connect.pipeline.PipelineModel","uid":"p_1","sparkVersion":"3.5.1",)"
      R"("type":"spark_connect","stages":[{"class":"pyspark.ml.connect.feature.MaxAbsScalerModel",)"
      R"("uid":"m_1","core_model_path":"pipeline_stage_0.MaxAbsScalerModel.sklearn.pkl"},)"
      R"({"class":"builtins.eval","uid":"e_1","core_model_path":"../../x.pkl"}]})";
  EXPECT_EQ(SniffAnalyzer(ByteView(json), "model/metadata.json")->Name(), "spark-ml");
  Target target;
  target.path = "model/metadata.json";
  ScanContext ctx(target, Limits{});
  AnalyzeBuffer(ctx, ByteView(json), sparkml::kFormatName);
  const auto python = test::WithRule(target, "SPARKML-PYTHON-CLASS");
  ASSERT_EQ(python.size(), 1u);
  EXPECT_EQ(python[0]->evidence, "/stages/1/class: builtins.eval");
  EXPECT_EQ(python[0]->severity, Severity::kCritical);
  const auto path = test::WithRule(target, "SPARKML-PATH-VALUE");
  ASSERT_EQ(path.size(), 1u);
  EXPECT_EQ(path[0]->evidence, "/stages/1/core_model_path: ../../x.pkl");
}

TEST(SparkmlFolderTest, CleanModelsScanClean) {
  for (const char* model : {"clean/sparkml/pipeline_lr", "clean/sparkml/rformula_model",
                            "clean/sparkml/gbt_classifier", "clean/sparkml/cross_validator_model",
                            "clean/sparkml/pyspark4_pipeline", "clean/sparkml/connect_pipeline",
                            "clean/sparkml/onehot_pipeline_24"}) {
    const std::vector<FolderFinding> found = ScanFolder(model, true);
    std::size_t versions = 0;
    for (const FolderFinding& item : found) {
      EXPECT_LT(item.finding.severity, Severity::kLow)
          << model << ": " << item.file << " " << item.finding.rule << " " << item.finding.evidence;
      versions += item.finding.rule == "SPARKML-SPARK-VERSION" ? 1 : 0;
    }
    EXPECT_GE(versions, 1u) << model << ": the metadata files were not analysed as Spark ML";
  }
}

TEST(SparkmlFolderTest, PipelineStageFolders) {
  const auto missing = ScanFolder("malicious/sparkml/missing_stage");
  EXPECT_TRUE(Find(missing, "SPARKML-MISSING-STAGE", "stages/1_hashingTF_0b8e4d2c6a91"));
  const auto extra = ScanFolder("malicious/sparkml/extra_stage");
  EXPECT_TRUE(Find(extra, "SPARKML-EXTRA-STAGE", "stages/3_sql_6e5d4c3b2a10"));
  const auto uid = ScanFolder("malicious/sparkml/uid_traversal");
  EXPECT_TRUE(Find(uid, "SPARKML-BAD-UID", "../../../../tmp/evil"));
  const auto python = ScanFolder("malicious/sparkml/python_stages");
  for (const char* module : {"subprocess.Popen", "os.system", "pickle.loads"}) {
    const Finding* finding = Find(python, "SPARKML-PYTHON-CLASS", module);
    ASSERT_TRUE(finding) << module;
    EXPECT_EQ(finding->severity, Severity::kCritical) << module;
  }
}

TEST(SparkmlFolderTest, PositionsPartsAndData) {
  const auto best = ScanFolder("malicious/sparkml/bestmodel_estimator");
  const Finding* mismatch = Find(best, "SPARKML-POSITION-MISMATCH", "bestModel/metadata");
  ASSERT_TRUE(mismatch);
  EXPECT_EQ(mismatch->severity, Severity::kHigh);
  const auto one_hot = ScanFolder("malicious/sparkml/onehot_estimator_stage");
  EXPECT_TRUE(Find(one_hot, "SPARKML-POSITION-MISMATCH", "OneHotEncoder"));
  const auto rformula = ScanFolder("malicious/sparkml/rformula_uid_mismatch");
  const Finding* uid = Find(rformula, "SPARKML-UID-MISMATCH");
  ASSERT_TRUE(uid);
  EXPECT_EQ(uid->evidence, "pipelineModel/metadata/part-00000: uid pipeline_0d9e8f7a6b5c");
  EXPECT_EQ(uid->severity, Severity::kLow);
  const auto epm = ScanFolder("malicious/sparkml/epm_path");
  EXPECT_TRUE(Find(epm, "SPARKML-EPM-PATH", "../x"));
  const auto parts = ScanFolder("malicious/sparkml/two_metadata_parts");
  const Finding* two = Find(parts, "SPARKML-MULTIPLE-PARTS");
  ASSERT_TRUE(two);
  EXPECT_EQ(two->evidence, "metadata/: part-00000, part-00001");
  const auto parquet = ScanFolder("malicious/sparkml/broken_parquet");
  EXPECT_TRUE(Find(parquet, "SPARKML-BROKEN-PARQUET", "data/part-00000-"));
  const auto java = ScanFolder("malicious/sparkml/java_serialized_data");
  EXPECT_TRUE(Find(java, "SPARKML-JAVA-SERIALIZED", "data/part-00000-"));
  const auto complex = ScanFolder("malicious/sparkml/complex_params");
  EXPECT_TRUE(Find(complex, "SPARKML-COMPLEX-PARAMS"));
  const auto limit = ScanFolder("malicious/sparkml/num_classes_limit");
  EXPECT_TRUE(Find(limit, "SPARKML-LIMIT", "/numClasses"));
  std::size_t missing = 0;
  for (const FolderFinding& item : limit) missing += item.finding.rule == "SPARKML-MISSING-STAGE";
  EXPECT_LE(missing, 17u);  // capped, then one summary
}

// sparkVersion against the advisory list: SPARK-52122 affects 4.0.0 snapshots and release
// candidates only (docs/advisories.md).
TEST(SparkMlVersionAdvisory, ReleaseCandidateIsReportedReleasesAreNot) {
  std::string rc = Meta("org.apache.spark.ml.feature.Binarizer");
  rc.replace(rc.find("3.5.1"), 5, "4.0.0-rc4");
  const Target affected = ScanLine(rc);
  const auto found = test::WithRule(affected, "SPARKML-VERSION-ADVISORY");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->severity, Severity::kLow);
  EXPECT_NE(found[0]->message.find("SPARK-52122"), std::string::npos) << found[0]->message;
  EXPECT_NE(found[0]->message.find("fixed in 4.0.0"), std::string::npos) << found[0]->message;
  EXPECT_EQ(found[0]->evidence, "/sparkVersion: 4.0.0-rc4");
  for (const char* release : {"3.5.1", "4.0.0", "4.0.0-preview2", "not a version"}) {
    std::string line = Meta("org.apache.spark.ml.feature.Binarizer");
    line.replace(line.find("3.5.1"), 5, release);
    EXPECT_TRUE(test::WithRule(ScanLine(line), "SPARKML-VERSION-ADVISORY").empty()) << release;
  }
}

}  // namespace
}  // namespace mg
