#include "analyzers/sparkml/catalog.h"

#include <algorithm>
#include <array>
#include <string>

namespace mg::sparkml {
namespace {

// Keyed by the name relative to the package root, in PySpark's spelling: the JVM's
// org.apache.spark.ml.Pipeline is pyspark.ml.pipeline.Pipeline, every other class keeps its
// subpackage (org.apache.spark.ml.feature.Tokenizer <-> pyspark.ml.feature.Tokenizer).
// The Spark 3.5 pyspark.ml.connect classes (their own metadata.json format) are "connect.*".
// Sorted (CatalogIsSorted, checked by a test): looked up by bisection. The releases that added
// or removed a class come from the @Since annotations of Spark's sources and its release notes
// (2.1: LSH; 2.2: Imputer, FPGrowth, LinearSVC; 2.3: FeatureHasher, VectorSizeHint,
// OneHotEncoderEstimator, ClusteringEvaluator; 3.0: FM models, RobustScaler, the multilabel and
// ranking evaluators, OneHotEncoderEstimator renamed; 3.1: the univariate and variance selectors;
// 3.5: pyspark.ml.connect; 4.0: TargetEncoder).
constexpr std::array<CatalogEntry, 132> kCatalog = {{
    {"classification.DecisionTreeClassificationModel", StageRole::kModel, Layout::kPlain},
    {"classification.DecisionTreeClassifier", StageRole::kEstimator, Layout::kPlain},
    {"classification.FMClassificationModel", StageRole::kModel, Layout::kPlain, 300, 0},
    {"classification.FMClassifier", StageRole::kEstimator, Layout::kPlain, 300, 0},
    {"classification.GBTClassificationModel", StageRole::kModel, Layout::kTreeEnsemble},
    {"classification.GBTClassifier", StageRole::kEstimator, Layout::kPlain},
    {"classification.LinearSVC", StageRole::kEstimator, Layout::kPlain, 202, 0},
    {"classification.LinearSVCModel", StageRole::kModel, Layout::kPlain, 202, 0},
    {"classification.LogisticRegression", StageRole::kEstimator, Layout::kPlain},
    {"classification.LogisticRegressionModel", StageRole::kModel, Layout::kPlain},
    {"classification.MultilayerPerceptronClassificationModel", StageRole::kModel, Layout::kPlain},
    {"classification.MultilayerPerceptronClassifier", StageRole::kEstimator, Layout::kPlain},
    {"classification.NaiveBayes", StageRole::kEstimator, Layout::kPlain},
    {"classification.NaiveBayesModel", StageRole::kModel, Layout::kPlain},
    {"classification.OneVsRest", StageRole::kEstimator, Layout::kOneVsRest},
    {"classification.OneVsRestModel", StageRole::kModel, Layout::kOneVsRestModel},
    {"classification.RandomForestClassificationModel", StageRole::kModel, Layout::kTreeEnsemble},
    {"classification.RandomForestClassifier", StageRole::kEstimator, Layout::kPlain},
    {"clustering.BisectingKMeans", StageRole::kEstimator, Layout::kPlain},
    {"clustering.BisectingKMeansModel", StageRole::kModel, Layout::kPlain},
    {"clustering.DistributedLDAModel", StageRole::kModel, Layout::kPlain},
    {"clustering.GaussianMixture", StageRole::kEstimator, Layout::kPlain},
    {"clustering.GaussianMixtureModel", StageRole::kModel, Layout::kPlain},
    {"clustering.KMeans", StageRole::kEstimator, Layout::kPlain},
    {"clustering.KMeansModel", StageRole::kModel, Layout::kPlain},
    {"clustering.LDA", StageRole::kEstimator, Layout::kPlain},
    {"clustering.LocalLDAModel", StageRole::kModel, Layout::kPlain},
    {"connect.classification.LogisticRegression", StageRole::kEstimator, Layout::kPlain, 305, 0},
    {"connect.classification.LogisticRegressionModel", StageRole::kModel, Layout::kPlain, 305, 0},
    {"connect.evaluation.BinaryClassificationEvaluator",
     StageRole::kEvaluator, Layout::kPlain, 305, 0},
    {"connect.evaluation.MulticlassClassificationEvaluator",
     StageRole::kEvaluator, Layout::kPlain, 305, 0},
    {"connect.evaluation.RegressionEvaluator", StageRole::kEvaluator, Layout::kPlain, 305, 0},
    {"connect.feature.MaxAbsScaler", StageRole::kEstimator, Layout::kPlain, 305, 0},
    {"connect.feature.MaxAbsScalerModel", StageRole::kModel, Layout::kPlain, 305, 0},
    {"connect.feature.StandardScaler", StageRole::kEstimator, Layout::kPlain, 305, 0},
    {"connect.feature.StandardScalerModel", StageRole::kModel, Layout::kPlain, 305, 0},
    {"connect.pipeline.Pipeline", StageRole::kPipeline, Layout::kPlain, 305, 0},
    {"connect.pipeline.PipelineModel", StageRole::kPipelineModel, Layout::kPlain, 305, 0},
    {"connect.tuning.CrossValidator", StageRole::kEstimator, Layout::kPlain, 305, 0},
    {"connect.tuning.CrossValidatorModel", StageRole::kModel, Layout::kPlain, 305, 0},
    {"evaluation.BinaryClassificationEvaluator", StageRole::kEvaluator, Layout::kPlain},
    {"evaluation.ClusteringEvaluator", StageRole::kEvaluator, Layout::kPlain, 203, 0},
    {"evaluation.MulticlassClassificationEvaluator", StageRole::kEvaluator, Layout::kPlain},
    {"evaluation.MultilabelClassificationEvaluator", StageRole::kEvaluator, Layout::kPlain, 300, 0},
    {"evaluation.RankingEvaluator", StageRole::kEvaluator, Layout::kPlain, 300, 0},
    {"evaluation.RegressionEvaluator", StageRole::kEvaluator, Layout::kPlain},
    {"feature.Binarizer", StageRole::kTransformer, Layout::kPlain},
    {"feature.BucketedRandomProjectionLSH", StageRole::kEstimator, Layout::kPlain, 201, 0},
    {"feature.BucketedRandomProjectionLSHModel", StageRole::kModel, Layout::kPlain, 201, 0},
    {"feature.Bucketizer", StageRole::kTransformer, Layout::kPlain},
    {"feature.ChiSqSelector", StageRole::kEstimator, Layout::kPlain},
    {"feature.ChiSqSelectorModel", StageRole::kModel, Layout::kPlain},
    {"feature.ColumnPruner", StageRole::kTransformer, Layout::kPlain},
    {"feature.CountVectorizer", StageRole::kEstimator, Layout::kPlain},
    {"feature.CountVectorizerModel", StageRole::kModel, Layout::kPlain},
    {"feature.DCT", StageRole::kTransformer, Layout::kPlain},
    {"feature.ElementwiseProduct", StageRole::kTransformer, Layout::kPlain},
    {"feature.FeatureHasher", StageRole::kTransformer, Layout::kPlain, 203, 0},
    {"feature.HashingTF", StageRole::kTransformer, Layout::kPlain},
    {"feature.IDF", StageRole::kEstimator, Layout::kPlain},
    {"feature.IDFModel", StageRole::kModel, Layout::kPlain},
    {"feature.Imputer", StageRole::kEstimator, Layout::kPlain, 202, 0},
    {"feature.ImputerModel", StageRole::kModel, Layout::kPlain, 202, 0},
    {"feature.IndexToString", StageRole::kTransformer, Layout::kPlain},
    {"feature.Interaction", StageRole::kTransformer, Layout::kPlain},
    {"feature.MaxAbsScaler", StageRole::kEstimator, Layout::kPlain},
    {"feature.MaxAbsScalerModel", StageRole::kModel, Layout::kPlain},
    {"feature.MinHashLSH", StageRole::kEstimator, Layout::kPlain, 201, 0},
    {"feature.MinHashLSHModel", StageRole::kModel, Layout::kPlain, 201, 0},
    {"feature.MinMaxScaler", StageRole::kEstimator, Layout::kPlain},
    {"feature.MinMaxScalerModel", StageRole::kModel, Layout::kPlain},
    {"feature.NGram", StageRole::kTransformer, Layout::kPlain},
    {"feature.Normalizer", StageRole::kTransformer, Layout::kPlain},
    {"feature.OneHotEncoder", StageRole::kEstimator, Layout::kPlain},
    {"feature.OneHotEncoderEstimator", StageRole::kEstimator, Layout::kPlain, 203, 300},
    {"feature.OneHotEncoderModel", StageRole::kModel, Layout::kPlain, 203, 0},
    {"feature.PCA", StageRole::kEstimator, Layout::kPlain},
    {"feature.PCAModel", StageRole::kModel, Layout::kPlain},
    {"feature.PolynomialExpansion", StageRole::kTransformer, Layout::kPlain},
    {"feature.QuantileDiscretizer", StageRole::kEstimator, Layout::kPlain},
    {"feature.RFormula", StageRole::kEstimator, Layout::kPlain},
    {"feature.RFormulaModel", StageRole::kModel, Layout::kRFormulaModel},
    {"feature.RegexTokenizer", StageRole::kTransformer, Layout::kPlain},
    {"feature.RobustScaler", StageRole::kEstimator, Layout::kPlain, 300, 0},
    {"feature.RobustScalerModel", StageRole::kModel, Layout::kPlain, 300, 0},
    {"feature.SQLTransformer", StageRole::kTransformer, Layout::kPlain},
    {"feature.StandardScaler", StageRole::kEstimator, Layout::kPlain},
    {"feature.StandardScalerModel", StageRole::kModel, Layout::kPlain},
    {"feature.StopWordsRemover", StageRole::kTransformer, Layout::kPlain},
    {"feature.StringIndexer", StageRole::kEstimator, Layout::kPlain},
    {"feature.StringIndexerModel", StageRole::kModel, Layout::kPlain},
    {"feature.TargetEncoder", StageRole::kEstimator, Layout::kPlain, 400, 0},
    {"feature.TargetEncoderModel", StageRole::kModel, Layout::kPlain, 400, 0},
    {"feature.Tokenizer", StageRole::kTransformer, Layout::kPlain},
    {"feature.UnivariateFeatureSelector", StageRole::kEstimator, Layout::kPlain, 301, 0},
    {"feature.UnivariateFeatureSelectorModel", StageRole::kModel, Layout::kPlain, 301, 0},
    {"feature.VarianceThresholdSelector", StageRole::kEstimator, Layout::kPlain, 301, 0},
    {"feature.VarianceThresholdSelectorModel", StageRole::kModel, Layout::kPlain, 301, 0},
    {"feature.VectorAssembler", StageRole::kTransformer, Layout::kPlain},
    {"feature.VectorAttributeRewriter", StageRole::kTransformer, Layout::kPlain},
    {"feature.VectorIndexer", StageRole::kEstimator, Layout::kPlain},
    {"feature.VectorIndexerModel", StageRole::kModel, Layout::kPlain},
    {"feature.VectorSizeHint", StageRole::kTransformer, Layout::kPlain, 203, 0},
    {"feature.VectorSlicer", StageRole::kTransformer, Layout::kPlain},
    {"feature.Word2Vec", StageRole::kEstimator, Layout::kPlain},
    {"feature.Word2VecModel", StageRole::kModel, Layout::kPlain},
    {"fpm.FPGrowth", StageRole::kEstimator, Layout::kPlain, 202, 0},
    {"fpm.FPGrowthModel", StageRole::kModel, Layout::kPlain, 202, 0},
    {"pipeline.Pipeline", StageRole::kPipeline, Layout::kPipeline},
    {"pipeline.PipelineModel", StageRole::kPipelineModel, Layout::kPipeline},
    {"recommendation.ALS", StageRole::kEstimator, Layout::kPlain},
    {"recommendation.ALSModel", StageRole::kModel, Layout::kPlain},
    {"regression.AFTSurvivalRegression", StageRole::kEstimator, Layout::kPlain},
    {"regression.AFTSurvivalRegressionModel", StageRole::kModel, Layout::kPlain},
    {"regression.DecisionTreeRegressionModel", StageRole::kModel, Layout::kPlain},
    {"regression.DecisionTreeRegressor", StageRole::kEstimator, Layout::kPlain},
    {"regression.FMRegressionModel", StageRole::kModel, Layout::kPlain, 300, 0},
    {"regression.FMRegressor", StageRole::kEstimator, Layout::kPlain, 300, 0},
    {"regression.GBTRegressionModel", StageRole::kModel, Layout::kTreeEnsemble},
    {"regression.GBTRegressor", StageRole::kEstimator, Layout::kPlain},
    {"regression.GeneralizedLinearRegression", StageRole::kEstimator, Layout::kPlain},
    {"regression.GeneralizedLinearRegressionModel", StageRole::kModel, Layout::kPlain},
    {"regression.IsotonicRegression", StageRole::kEstimator, Layout::kPlain},
    {"regression.IsotonicRegressionModel", StageRole::kModel, Layout::kPlain},
    {"regression.LinearRegression", StageRole::kEstimator, Layout::kPlain},
    {"regression.LinearRegressionModel", StageRole::kModel, Layout::kPlain},
    {"regression.RandomForestRegressionModel", StageRole::kModel, Layout::kTreeEnsemble},
    {"regression.RandomForestRegressor", StageRole::kEstimator, Layout::kPlain},
    {"tuning.CrossValidator", StageRole::kEstimator, Layout::kValidator},
    {"tuning.CrossValidatorModel", StageRole::kModel, Layout::kValidatorModel},
    {"tuning.TrainValidationSplit", StageRole::kEstimator, Layout::kValidator},
    {"tuning.TrainValidationSplitModel", StageRole::kModel, Layout::kValidatorModel},
}};

constexpr std::string_view kJvmRoot = "org.apache.spark.ml.";
constexpr std::string_view kPythonRoot = "pyspark.ml.";

std::optional<std::string> RelativeName(std::string_view class_name) {
  if (class_name.starts_with(kJvmRoot)) {
    const std::string_view relative = class_name.substr(kJvmRoot.size());
    if (relative == "Pipeline" || relative == "PipelineModel") {
      return "pipeline." + std::string(relative);
    }
    if (relative.starts_with("pipeline.")) return std::nullopt;  // not a JVM package
    return std::string(relative);
  }
  if (class_name.starts_with(kPythonRoot)) {
    return std::string(class_name.substr(kPythonRoot.size()));
  }
  return std::nullopt;
}

// Classes whose role changed between releases: before `until`, the class had `earlier_role`.
struct RoleChange {
  std::string_view name;
  SparkRelease until;
  StageRole earlier_role;
};
constexpr std::array<RoleChange, 1> kRoleChanges = {{
    {"feature.OneHotEncoder", 300, StageRole::kTransformer},
}};

}  // namespace

std::optional<SparkRelease> ParseSparkRelease(std::string_view version) {
  int parts[2] = {0, 0};
  std::size_t pos = 0;
  for (int& part : parts) {
    const std::size_t start = pos;
    while (pos < version.size() && pos - start < 3 && version[pos] >= '0' &&
           version[pos] <= '9') {
      part = part * 10 + (version[pos++] - '0');
    }
    if (pos == start) return std::nullopt;
    if (&part == &parts[0]) {
      if (pos >= version.size() || version[pos] != '.') return std::nullopt;
      ++pos;
    }
  }
  if (parts[1] > 99) return std::nullopt;
  return static_cast<SparkRelease>(parts[0] * 100 + parts[1]);
}

bool ShippedIn(const CatalogEntry& entry, SparkRelease release) {
  return release >= entry.since && (entry.until == 0 || release < entry.until);
}

std::string ReleaseText(SparkRelease release) {
  return std::to_string(release / 100) + "." + std::to_string(release % 100);
}

std::optional<CatalogEntry> LookUpSparkClass(std::string_view class_name,
                                             std::optional<SparkRelease> release) {
  const std::optional<std::string> relative = RelativeName(class_name);
  if (!relative) return std::nullopt;
  const auto it = std::lower_bound(
      kCatalog.begin(), kCatalog.end(), *relative,
      [](const CatalogEntry& entry, const std::string& key) { return entry.name < key; });
  if (it == kCatalog.end() || it->name != *relative) return std::nullopt;
  CatalogEntry entry = *it;
  for (const RoleChange& change : kRoleChanges) {
    if (release && change.name == entry.name && *release < change.until) {
      entry.role = change.earlier_role;
    }
  }
  return entry;
}

bool IsTransformerRole(StageRole role) {
  return role == StageRole::kTransformer || role == StageRole::kModel ||
         role == StageRole::kPipelineModel;
}

std::string_view RoleName(StageRole role) {
  switch (role) {
    case StageRole::kTransformer:
      return "a transformer";
    case StageRole::kModel:
      return "a model";
    case StageRole::kEstimator:
      return "an estimator";
    case StageRole::kEvaluator:
      return "an evaluator";
    case StageRole::kPipeline:
      return "a Pipeline (an estimator)";
    case StageRole::kPipelineModel:
      return "a PipelineModel";
  }
  return "a stage";
}

bool IsSqlTransformer(std::string_view class_name) {
  return class_name == "org.apache.spark.ml.feature.SQLTransformer" ||
         class_name == "pyspark.ml.feature.SQLTransformer";
}

bool IsJdkClass(std::string_view class_name) {
  // Packages of the Java platform and of the Scala runtime that can reach processes, files,
  // class loading or reflection.
  constexpr std::array<std::string_view, 10> kPrefixes = {
      "java.", "javax.", "jdk.", "sun.", "com.sun.", "scala.sys.", "scala.reflect.",
      "scala.tools.", "scala.io.", "org.apache.spark.deploy."};
  return std::any_of(kPrefixes.begin(), kPrefixes.end(),
                     [&](std::string_view prefix) { return class_name.starts_with(prefix); });
}

std::size_t CatalogSize() { return kCatalog.size(); }

bool CatalogIsSorted() {
  return std::adjacent_find(kCatalog.begin(), kCatalog.end(),
                            [](const CatalogEntry& a, const CatalogEntry& b) {
                              return a.name >= b.name;
                            }) == kCatalog.end();
}

}  // namespace mg::sparkml
