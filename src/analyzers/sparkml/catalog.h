// Spark's own ML classes (org.apache.spark.ml.* and their pyspark.ml mirrors), with what kind of
// stage each is, for class resolution and for checking the class expected at a nested position
// (spark-ml-format.md §1, §7 rules 1-2). Names come from Spark 2.4-4.0's ml packages, including
// the private RFormula stages (VectorAttributeRewriter, ColumnPruner) that RFormulaModel saves.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mg::sparkml {

enum class StageRole : std::uint8_t {
  kTransformer,    // a plain Transformer (Tokenizer, SQLTransformer ...)
  kModel,          // a fitted Model (LogisticRegressionModel ...)
  kEstimator,      // an Estimator (LogisticRegression, CrossValidator ...)
  kEvaluator,      // an Evaluator
  kPipeline,       // org.apache.spark.ml.Pipeline (an Estimator)
  kPipelineModel,  // org.apache.spark.ml.PipelineModel (a Model)
};

// What the loader does with the nested folders of a class (which positions to check).
enum class Layout : std::uint8_t {
  kPlain,
  kPipeline,        // stages/<idx>_<uid> from paramMap.stageUids
  kRFormulaModel,   // pipelineModel/
  kValidator,       // CrossValidator/TrainValidationSplit: estimator/, evaluator/, epm_*
  kValidatorModel,  // ... plus bestModel/, subModels/
  kOneVsRest,       // classifier/
  kOneVsRestModel,  // classifier/, model_<i>
  kTreeEnsemble,    // treesMetadata/
};

// A Spark release as major * 100 + minor (2.4.8 -> 204, 4.0.0-preview2 -> 400).
using SparkRelease = std::uint16_t;

struct CatalogEntry {
  std::string_view name;  // the class name relative to the package root (see catalog.cpp)
  StageRole role;
  Layout layout;
  SparkRelease since = 0;  // first release that ships it (0: every release from 2.0)
  SparkRelease until = 0;  // first release that no longer ships it (0: still shipped)
};

// The release in a metadata "sparkVersion" ("3.5.1", "4.0.0-preview1", PySpark's "3.3.2.dev0"),
// or nothing when it does not start with <major>.<minor>.
std::optional<SparkRelease> ParseSparkRelease(std::string_view version);

// The entry for `class_name` in either spelling (org.apache.spark.ml.feature.Tokenizer or
// pyspark.ml.feature.Tokenizer), or nothing when Spark does not ship it. With a release, the
// role is the one the class had in that release: OneHotEncoder was a plain transformer before
// Spark 3.0 and is an estimator since (SPARK-26133 renamed OneHotEncoderEstimator to it).
std::optional<CatalogEntry> LookUpSparkClass(std::string_view class_name,
                                             std::optional<SparkRelease> release = std::nullopt);

// True when `release` ships the entry's class; "major.minor" text for messages.
bool ShippedIn(const CatalogEntry& entry, SparkRelease release);
std::string ReleaseText(SparkRelease release);

// A transformer or model (what a PipelineModel stage, bestModel or model_<i> may be).
bool IsTransformerRole(StageRole role);
std::string_view RoleName(StageRole role);

// True for the SQLTransformer class in either spelling.
bool IsSqlTransformer(std::string_view class_name);

// True for classes of the JDK or Scala runtime (java.*, javax.*, sun.*, jdk.*, scala.sys.* ...):
// never a stage, always a gadget when constructed by reflection with a string.
bool IsJdkClass(std::string_view class_name);

// Number of catalogued classes (for tests); the list is sorted and free of duplicates when
// CatalogIsSorted() is true.
std::size_t CatalogSize();
bool CatalogIsSorted();

}  // namespace mg::sparkml
