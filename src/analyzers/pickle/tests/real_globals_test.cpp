#include <gtest/gtest.h>

#include <span>
#include <string_view>

#include "analyzers/pickle/globals.h"

namespace mg::pickle {
namespace {

struct Global {
  std::string_view module;
  std::string_view name;
};

// Globals resolved while loading pickles written by the installed libraries: Debian 12's
// /usr/bin/python3 (3.11.2) with torch 1.13.0a0, numpy 1.24.2, scikit-learn 1.2.1, joblib 1.2.0,
// scipy 1.10.1, xgboost 1.7.4 and pandas 1.5.3 (python3-pandas). A throwaway script saved
// each object with pickle.dumps (protocols 0/2/4/5), joblib.dump (default, protocol 2,
// compress=3) and torch.save (zip and legacy formats, protocols 2 and 4), then recorded every
// (module, name) that pickle.Unpickler.find_class received plus every GLOBAL opcode
// (pickletools.genops). Names are as written in the files, before the Python 2 mapping.
// Objects: torch state_dicts and whole nn.Sequential/ModuleDict models (conv, norm, pooling,
// RNN, transformer, quantized), parameters, sparse/quantized/meta tensors, optimizer state;
// numpy arrays (numeric, object, structured, masked, matrix, record), scalars, dtypes, random
// generators; 73 fitted scikit-learn estimators and pipelines; scipy sparse matrices/arrays;
// XGBoost sklearn wrappers and Booster; pandas frames, series and indexes of every dtype.
// clang-format off
constexpr Global kPythonGlobals[] = {
    {"UserDict", "IterableUserDict"}, {"__builtin__", "Ellipsis"},
    {"__builtin__", "NotImplemented"}, {"__builtin__", "bool"}, {"__builtin__", "bytearray"},
    {"__builtin__", "bytes"}, {"__builtin__", "complex"}, {"__builtin__", "dict"},
    {"__builtin__", "float"}, {"__builtin__", "frozenset"}, {"__builtin__", "list"},
    {"__builtin__", "long"}, {"__builtin__", "object"}, {"__builtin__", "set"},
    {"__builtin__", "slice"}, {"__builtin__", "tuple"}, {"__builtin__", "unicode"},
    {"__builtin__", "xrange"}, {"_codecs", "encode"}, {"argparse", "Namespace"},
    {"array", "_array_reconstructor"}, {"array", "array"}, {"builtins", "Ellipsis"},
    {"builtins", "NotImplemented"}, {"builtins", "bool"}, {"builtins", "bytearray"},
    {"builtins", "bytes"}, {"builtins", "complex"}, {"builtins", "dict"}, {"builtins", "float"},
    {"builtins", "int"}, {"builtins", "list"}, {"builtins", "object"}, {"builtins", "range"},
    {"builtins", "slice"}, {"builtins", "str"}, {"builtins", "tuple"}, {"collections", "ChainMap"},
    {"collections", "Counter"}, {"collections", "OrderedDict"}, {"collections", "UserDict"},
    {"collections", "defaultdict"}, {"collections", "deque"}, {"copy_reg", "_reconstructor"},
    {"copyreg", "_reconstructor"}, {"datetime", "date"}, {"datetime", "datetime"},
    {"datetime", "time"}, {"datetime", "timedelta"}, {"datetime", "timezone"},
    {"decimal", "Decimal"}, {"fractions", "Fraction"}, {"pathlib", "PurePosixPath"},
    {"re", "_compile"}, {"types", "SimpleNamespace"}, {"uuid", "UUID"},
};
constexpr Global kTorchGlobals[] = {
    {"torch", "BFloat16Storage"}, {"torch", "BoolStorage"}, {"torch", "ByteStorage"},
    {"torch", "CharStorage"}, {"torch", "ComplexDoubleStorage"}, {"torch", "ComplexFloatStorage"},
    {"torch", "DoubleStorage"}, {"torch", "FloatStorage"}, {"torch", "HalfStorage"},
    {"torch", "IntStorage"}, {"torch", "LongStorage"}, {"torch", "QInt8Storage"},
    {"torch", "QUInt8Storage"}, {"torch", "ScriptObject"}, {"torch", "ShortStorage"},
    {"torch", "Size"}, {"torch", "bfloat16"}, {"torch", "bool"}, {"torch", "complex128"},
    {"torch", "complex32"}, {"torch", "complex64"}, {"torch", "device"}, {"torch", "float16"},
    {"torch", "float32"}, {"torch", "float64"}, {"torch", "int16"}, {"torch", "int32"},
    {"torch", "int64"}, {"torch", "int8"}, {"torch", "per_channel_affine"},
    {"torch", "per_tensor_affine"}, {"torch", "qint32"}, {"torch", "qint8"}, {"torch", "quint4x2"},
    {"torch", "quint8"}, {"torch", "uint8"}, {"torch._tensor", "_rebuild_from_type_v2"},
    {"torch._utils", "_rebuild_meta_tensor_no_storage"}, {"torch._utils", "_rebuild_parameter"},
    {"torch._utils", "_rebuild_qtensor"}, {"torch._utils", "_rebuild_sparse_csr_tensor"},
    {"torch._utils", "_rebuild_sparse_tensor"}, {"torch._utils", "_rebuild_tensor_v2"},
    {"torch.ao.nn.quantized.dynamic.modules.linear", "Linear"},
    {"torch.ao.nn.quantized.modules.linear", "LinearPackedParams"},
    {"torch.nn.functional", "relu"}, {"torch.nn.modules.activation", "GELU"},
    {"torch.nn.modules.activation", "LeakyReLU"},
    {"torch.nn.modules.activation", "MultiheadAttention"},
    {"torch.nn.modules.activation", "PReLU"}, {"torch.nn.modules.activation", "ReLU"},
    {"torch.nn.modules.activation", "SiLU"}, {"torch.nn.modules.activation", "Sigmoid"},
    {"torch.nn.modules.activation", "Softmax"}, {"torch.nn.modules.activation", "Tanh"},
    {"torch.nn.modules.batchnorm", "BatchNorm1d"}, {"torch.nn.modules.batchnorm", "BatchNorm2d"},
    {"torch.nn.modules.container", "ModuleDict"}, {"torch.nn.modules.container", "ModuleList"},
    {"torch.nn.modules.container", "Sequential"}, {"torch.nn.modules.conv", "Conv1d"},
    {"torch.nn.modules.conv", "Conv2d"}, {"torch.nn.modules.conv", "ConvTranspose2d"},
    {"torch.nn.modules.dropout", "Dropout"}, {"torch.nn.modules.dropout", "Dropout2d"},
    {"torch.nn.modules.flatten", "Flatten"}, {"torch.nn.modules.linear", "Bilinear"},
    {"torch.nn.modules.linear", "Identity"}, {"torch.nn.modules.linear", "Linear"},
    {"torch.nn.modules.linear", "NonDynamicallyQuantizableLinear"},
    {"torch.nn.modules.normalization", "GroupNorm"},
    {"torch.nn.modules.normalization", "LayerNorm"},
    {"torch.nn.modules.pooling", "AdaptiveAvgPool2d"}, {"torch.nn.modules.pooling", "AvgPool2d"},
    {"torch.nn.modules.pooling", "MaxPool2d"}, {"torch.nn.modules.rnn", "GRU"},
    {"torch.nn.modules.rnn", "LSTM"}, {"torch.nn.modules.rnn", "RNN"},
    {"torch.nn.modules.sparse", "Embedding"}, {"torch.nn.modules.sparse", "EmbeddingBag"},
    {"torch.nn.modules.transformer", "TransformerDecoderLayer"},
    {"torch.nn.modules.transformer", "TransformerEncoderLayer"},
    {"torch.nn.modules.upsampling", "Upsample"}, {"torch.serialization", "_get_layout"},
};
constexpr Global kNumpyGlobals[] = {
    {"numpy", "bool_"}, {"numpy", "chararray"}, {"numpy", "dtype"}, {"numpy", "float64"},
    {"numpy", "int32"}, {"numpy", "int64"}, {"numpy", "matrix"}, {"numpy", "ndarray"},
    {"numpy", "recarray"}, {"numpy", "record"}, {"numpy.core.multiarray", "_reconstruct"},
    {"numpy.core.multiarray", "scalar"}, {"numpy.core.numeric", "_frombuffer"},
    {"numpy.ma.core", "MaskedArray"}, {"numpy.ma.core", "_mareconstruct"},
    {"numpy.polynomial.polynomial", "Polynomial"},
    {"numpy.random._pickle", "__bit_generator_ctor"}, {"numpy.random._pickle", "__generator_ctor"},
    {"numpy.random._pickle", "__randomstate_ctor"}, {"numpy.random.bit_generator", "SeedSequence"},
    {"numpy.random.bit_generator", "__pyx_unpickle_SeedSequence"},
};
constexpr Global kSklearnGlobals[] = {
    {"sklearn._loss._loss", "CyHalfBinomialLoss"}, {"sklearn._loss._loss", "CyHalfSquaredError"},
    {"sklearn._loss._loss", "__pyx_unpickle_CyHalfBinomialLoss"},
    {"sklearn._loss._loss", "__pyx_unpickle_CyHalfSquaredError"},
    {"sklearn._loss.link", "IdentityLink"}, {"sklearn._loss.link", "Interval"},
    {"sklearn._loss.link", "LogitLink"}, {"sklearn._loss.loss", "HalfBinomialLoss"},
    {"sklearn._loss.loss", "HalfSquaredError"}, {"sklearn.calibration", "CalibratedClassifierCV"},
    {"sklearn.calibration", "_CalibratedClassifier"},
    {"sklearn.calibration", "_SigmoidCalibration"}, {"sklearn.cluster._dbscan", "DBSCAN"},
    {"sklearn.cluster._kmeans", "KMeans"}, {"sklearn.cluster._kmeans", "MiniBatchKMeans"},
    {"sklearn.compose._column_transformer", "ColumnTransformer"},
    {"sklearn.compose._target", "TransformedTargetRegressor"},
    {"sklearn.decomposition._kernel_pca", "KernelPCA"}, {"sklearn.decomposition._nmf", "NMF"},
    {"sklearn.decomposition._pca", "PCA"},
    {"sklearn.decomposition._truncated_svd", "TruncatedSVD"},
    {"sklearn.discriminant_analysis", "LinearDiscriminantAnalysis"},
    {"sklearn.discriminant_analysis", "QuadraticDiscriminantAnalysis"},
    {"sklearn.dummy", "DummyClassifier"}, {"sklearn.dummy", "DummyRegressor"},
    {"sklearn.ensemble._bagging", "BaggingClassifier"},
    {"sklearn.ensemble._forest", "ExtraTreesClassifier"},
    {"sklearn.ensemble._forest", "RandomForestClassifier"},
    {"sklearn.ensemble._forest", "RandomForestRegressor"},
    {"sklearn.ensemble._gb", "GradientBoostingClassifier"},
    {"sklearn.ensemble._gb", "GradientBoostingRegressor"},
    {"sklearn.ensemble._gb_losses", "BinomialDeviance"},
    {"sklearn.ensemble._gb_losses", "LeastSquaresError"},
    {"sklearn.ensemble._gb_losses", "MultinomialDeviance"},
    {"sklearn.ensemble._hist_gradient_boosting.binning", "_BinMapper"},
    {"sklearn.ensemble._hist_gradient_boosting.gradient_boosting", "HistGradientBoostingClassifier"},
    {"sklearn.ensemble._hist_gradient_boosting.gradient_boosting", "HistGradientBoostingRegressor"},
    {"sklearn.ensemble._hist_gradient_boosting.predictor", "TreePredictor"},
    {"sklearn.ensemble._iforest", "IsolationForest"},
    {"sklearn.ensemble._stacking", "StackingClassifier"},
    {"sklearn.ensemble._voting", "VotingClassifier"},
    {"sklearn.ensemble._weight_boosting", "AdaBoostClassifier"},
    {"sklearn.feature_extraction.text", "CountVectorizer"},
    {"sklearn.feature_extraction.text", "HashingVectorizer"},
    {"sklearn.feature_extraction.text", "TfidfTransformer"},
    {"sklearn.feature_extraction.text", "TfidfVectorizer"},
    {"sklearn.feature_selection._rfe", "RFE"},
    {"sklearn.feature_selection._univariate_selection", "SelectKBest"},
    {"sklearn.feature_selection._univariate_selection", "f_classif"},
    {"sklearn.feature_selection._variance_threshold", "VarianceThreshold"},
    {"sklearn.impute._base", "SimpleImputer"}, {"sklearn.impute._knn", "KNNImputer"},
    {"sklearn.isotonic", "IsotonicRegression"}, {"sklearn.kernel_approximation", "RBFSampler"},
    {"sklearn.linear_model._base", "LinearRegression"},
    {"sklearn.linear_model._bayes", "BayesianRidge"},
    {"sklearn.linear_model._coordinate_descent", "ElasticNet"},
    {"sklearn.linear_model._coordinate_descent", "Lasso"},
    {"sklearn.linear_model._huber", "HuberRegressor"},
    {"sklearn.linear_model._logistic", "LogisticRegression"},
    {"sklearn.linear_model._perceptron", "Perceptron"}, {"sklearn.linear_model._ridge", "Ridge"},
    {"sklearn.linear_model._sgd_fast", "Hinge"},
    {"sklearn.linear_model._stochastic_gradient", "SGDClassifier"},
    {"sklearn.linear_model._stochastic_gradient", "SGDRegressor"},
    {"sklearn.metrics._dist_metrics", "EuclideanDistance"},
    {"sklearn.metrics._dist_metrics", "newObj"},
    {"sklearn.metrics._scorer", "_passthrough_scorer"},
    {"sklearn.mixture._gaussian_mixture", "GaussianMixture"},
    {"sklearn.model_selection._search", "GridSearchCV"},
    {"sklearn.multiclass", "OneVsRestClassifier"}, {"sklearn.naive_bayes", "GaussianNB"},
    {"sklearn.naive_bayes", "MultinomialNB"}, {"sklearn.neighbors._ball_tree", "BallTree"},
    {"sklearn.neighbors._ball_tree", "newObj"},
    {"sklearn.neighbors._classification", "KNeighborsClassifier"},
    {"sklearn.neighbors._kd_tree", "KDTree"}, {"sklearn.neighbors._kd_tree", "newObj"},
    {"sklearn.neighbors._regression", "KNeighborsRegressor"},
    {"sklearn.neighbors._unsupervised", "NearestNeighbors"},
    {"sklearn.neural_network._multilayer_perceptron", "MLPClassifier"},
    {"sklearn.neural_network._multilayer_perceptron", "MLPRegressor"},
    {"sklearn.neural_network._stochastic_optimizers", "AdamOptimizer"},
    {"sklearn.neural_network._stochastic_optimizers", "SGDOptimizer"},
    {"sklearn.pipeline", "FeatureUnion"}, {"sklearn.pipeline", "Pipeline"},
    {"sklearn.preprocessing._data", "KernelCenterer"},
    {"sklearn.preprocessing._data", "MinMaxScaler"}, {"sklearn.preprocessing._data", "Normalizer"},
    {"sklearn.preprocessing._data", "PowerTransformer"},
    {"sklearn.preprocessing._data", "QuantileTransformer"},
    {"sklearn.preprocessing._data", "RobustScaler"},
    {"sklearn.preprocessing._data", "StandardScaler"},
    {"sklearn.preprocessing._discretization", "KBinsDiscretizer"},
    {"sklearn.preprocessing._encoders", "OneHotEncoder"},
    {"sklearn.preprocessing._encoders", "OrdinalEncoder"},
    {"sklearn.preprocessing._function_transformer", "FunctionTransformer"},
    {"sklearn.preprocessing._label", "LabelBinarizer"},
    {"sklearn.preprocessing._label", "LabelEncoder"},
    {"sklearn.preprocessing._polynomial", "PolynomialFeatures"},
    {"sklearn.svm._classes", "LinearSVC"}, {"sklearn.svm._classes", "SVC"},
    {"sklearn.svm._classes", "SVR"}, {"sklearn.tree._classes", "DecisionTreeClassifier"},
    {"sklearn.tree._classes", "DecisionTreeRegressor"},
    {"sklearn.tree._classes", "ExtraTreeClassifier"},
    {"sklearn.tree._classes", "ExtraTreeRegressor"}, {"sklearn.tree._tree", "Tree"},
    {"sklearn.utils._bunch", "Bunch"},
};
constexpr Global kJoblibGlobals[] = {
    {"joblib.numpy_pickle", "NumpyArrayWrapper"},
};
constexpr Global kScipyGlobals[] = {
    {"scipy.sparse._arrays", "bsr_array"}, {"scipy.sparse._arrays", "coo_array"},
    {"scipy.sparse._arrays", "csc_array"}, {"scipy.sparse._arrays", "csr_array"},
    {"scipy.sparse._arrays", "dia_array"}, {"scipy.sparse._arrays", "dok_array"},
    {"scipy.sparse._arrays", "lil_array"}, {"scipy.sparse._bsr", "bsr_matrix"},
    {"scipy.sparse._coo", "coo_matrix"}, {"scipy.sparse._csc", "csc_matrix"},
    {"scipy.sparse._csr", "csr_matrix"}, {"scipy.sparse._dia", "dia_matrix"},
    {"scipy.sparse._dok", "dok_matrix"}, {"scipy.sparse._lil", "lil_matrix"},
    {"scipy.spatial._ckdtree", "cKDTree"},
};
constexpr Global kXgboostGlobals[] = {
    {"xgboost.core", "Booster"}, {"xgboost.sklearn", "XGBClassifier"},
    {"xgboost.sklearn", "XGBRFClassifier"}, {"xgboost.sklearn", "XGBRanker"},
    {"xgboost.sklearn", "XGBRegressor"},
};
constexpr Global kPandasGlobals[] = {
    {"pandas._libs.arrays", "__pyx_unpickle_NDArrayBacked"},
    {"pandas._libs.internals", "_unpickle_block"},
    {"pandas._libs.interval", "__pyx_unpickle_IntervalMixin"}, {"pandas._libs.missing", "NA"},
    {"pandas._libs.sparse", "IntIndex"}, {"pandas._libs.tslibs.nattype", "__nat_unpickle"},
    {"pandas._libs.tslibs.offsets", "Day"}, {"pandas._libs.tslibs.offsets", "MonthEnd"},
    {"pandas._libs.tslibs.timedeltas", "_timedelta_unpickle"},
    {"pandas._libs.tslibs.timestamps", "_unpickle_timestamp"},
    {"pandas.core.arrays.boolean", "BooleanArray"}, {"pandas.core.arrays.boolean", "BooleanDtype"},
    {"pandas.core.arrays.categorical", "Categorical"},
    {"pandas.core.arrays.datetimes", "DatetimeArray"},
    {"pandas.core.arrays.integer", "Int64Dtype"}, {"pandas.core.arrays.integer", "IntegerArray"},
    {"pandas.core.arrays.interval", "IntervalArray"}, {"pandas.core.arrays.period", "PeriodArray"},
    {"pandas.core.arrays.sparse.array", "SparseArray"},
    {"pandas.core.arrays.sparse.dtype", "SparseDtype"},
    {"pandas.core.arrays.string_", "StringArray"}, {"pandas.core.arrays.string_", "StringDtype"},
    {"pandas.core.arrays.timedeltas", "TimedeltaArray"},
    {"pandas.core.dtypes.dtypes", "CategoricalDtype"},
    {"pandas.core.dtypes.dtypes", "DatetimeTZDtype"},
    {"pandas.core.dtypes.dtypes", "IntervalDtype"}, {"pandas.core.dtypes.dtypes", "PeriodDtype"},
    {"pandas.core.frame", "DataFrame"}, {"pandas.core.indexes.base", "Index"},
    {"pandas.core.indexes.base", "_new_Index"},
    {"pandas.core.indexes.category", "CategoricalIndex"},
    {"pandas.core.indexes.datetimes", "DatetimeIndex"},
    {"pandas.core.indexes.datetimes", "_new_DatetimeIndex"},
    {"pandas.core.indexes.multi", "MultiIndex"}, {"pandas.core.indexes.numeric", "Float64Index"},
    {"pandas.core.indexes.numeric", "Int64Index"}, {"pandas.core.indexes.range", "RangeIndex"},
    {"pandas.core.internals.managers", "BlockManager"},
    {"pandas.core.internals.managers", "SingleBlockManager"}, {"pandas.core.series", "Series"},
    {"pytz", "_UTC"}, {"pytz", "_p"},
};
// clang-format on

void ExpectAllAllowed(std::span<const Global> globals) {
  for (const Global& global : globals) {
    const GlobalVerdict verdict = JudgeGlobal(global.module, global.name);
    EXPECT_EQ(verdict.kind, GlobalKind::kAllowed)
        << global.module << "." << global.name << " -> " << GlobalKindName(verdict.kind) << " ("
        << verdict.module << "." << verdict.name << ": " << verdict.reason << ")";
  }
}

TEST(PickleGlobalsRealPickles, PythonValuesAreAllowed) { ExpectAllAllowed(kPythonGlobals); }
TEST(PickleGlobalsRealPickles, TorchGlobalsAreAllowed) { ExpectAllAllowed(kTorchGlobals); }
TEST(PickleGlobalsRealPickles, NumpyGlobalsAreAllowed) { ExpectAllAllowed(kNumpyGlobals); }
TEST(PickleGlobalsRealPickles, SklearnGlobalsAreAllowed) { ExpectAllAllowed(kSklearnGlobals); }
TEST(PickleGlobalsRealPickles, JoblibGlobalsAreAllowed) { ExpectAllAllowed(kJoblibGlobals); }
TEST(PickleGlobalsRealPickles, ScipyGlobalsAreAllowed) { ExpectAllAllowed(kScipyGlobals); }
TEST(PickleGlobalsRealPickles, XgboostGlobalsAreAllowed) { ExpectAllAllowed(kXgboostGlobals); }
TEST(PickleGlobalsRealPickles, PandasGlobalsAreAllowed) { ExpectAllAllowed(kPandasGlobals); }

// The same run produced these; they are dangerous by design and stay denied: plain
// pickle.dumps of a torch tensor embeds torch.load of bytes, and zoneinfo objects and (Python
// 3.11) enum members pickle as getattr(class, "name"), which the VM can resolve.
TEST(PickleGlobalsRealPickles, RealButDangerousGlobalsAreDenied) {
  const GlobalVerdict load_from_bytes = JudgeGlobal("torch.storage", "_load_from_bytes");
  EXPECT_EQ(load_from_bytes.kind, GlobalKind::kDenied);
  EXPECT_EQ(load_from_bytes.category, GlobalCategory::kNestedDeserializer);
  EXPECT_EQ(load_from_bytes.payload, NestedPayload::kTorchSaveBytes);
  const GlobalVerdict getattr_verdict = JudgeGlobal("__builtin__", "getattr");
  EXPECT_EQ(getattr_verdict.kind, GlobalKind::kDenied);
  EXPECT_EQ(getattr_verdict.resolves, GlobalResolution::kAttribute);
  // Python 3.11.2: an IntFlag combination pickles as _operator.or_(getattr(...), getattr(...)).
  EXPECT_EQ(JudgeGlobal("_operator", "or_").kind, GlobalKind::kAllowed);
}

}  // namespace
}  // namespace mg::pickle
