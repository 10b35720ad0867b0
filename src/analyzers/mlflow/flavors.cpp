#include "analyzers/mlflow/flavors.h"

#include <cstdint>

namespace mg::mlflow {
namespace {

// FLAVOR_NAME of each module under mlflow/ (MLflow 1.x to 3.x).
constexpr std::string_view kFlavors[] = {
    "python_function", "sklearn",     "pytorch",      "spark",
    "keras",           "tensorflow",  "xgboost",      "lightgbm",
    "catboost",        "onnx",        "transformers", "sentence_transformers",
    "langchain",       "llama_index", "dspy",         "openai",
    "statsmodels",     "prophet",     "pmdarima",     "h2o",
    "spacy",           "fastai",      "gluon",        "paddle",
    "mleap",           "diviner",     "johnsnowlabs", "shap",
    "promptflow",      "pyspark.ml",  "crate"};

// Every flavor module above is its own pyfunc loader (pyfunc.add_to_model(loader_module=
// "mlflow.<flavor>")), plus the custom-model and models-from-code loaders of mlflow.pyfunc.
// Checked against MLflow's save functions: Keras 3 (mlflow/keras/save.py) and TensorFlow also
// register "mlflow.keras" / "mlflow.tensorflow", not their load submodules.
constexpr std::string_view kLoaderModules[] = {"mlflow.sklearn",
                                               "mlflow.pytorch",
                                               "mlflow.spark",
                                               "mlflow.keras",
                                               "mlflow.tensorflow",
                                               "mlflow.xgboost",
                                               "mlflow.lightgbm",
                                               "mlflow.catboost",
                                               "mlflow.onnx",
                                               "mlflow.transformers",
                                               "mlflow.sentence_transformers",
                                               "mlflow.langchain",
                                               "mlflow.llama_index",
                                               "mlflow.dspy",
                                               "mlflow.openai",
                                               "mlflow.statsmodels",
                                               "mlflow.prophet",
                                               "mlflow.pmdarima",
                                               "mlflow.h2o",
                                               "mlflow.spacy",
                                               "mlflow.fastai",
                                               "mlflow.gluon",
                                               "mlflow.paddle",
                                               "mlflow.diviner",
                                               "mlflow.johnsnowlabs",
                                               "mlflow.shap",
                                               "mlflow.promptflow",
                                               "mlflow.pyfunc.model",
                                               "mlflow.pyfunc.loaders.chat_model",
                                               "mlflow.pyfunc.loaders.chat_agent",
                                               "mlflow.pyfunc.loaders.responses_agent",
                                               "mlflow.pyfunc.loaders.code_model"};

// Keys whose value a loader unpickles or runs (all flavors), then keys read as data.
constexpr std::string_view kCodeKeys[] = {
    "code", "code_paths", "python_model", "model_code_path", "pickled_model", "model_pickle"};
constexpr std::string_view kDataKeys[] = {
    "data",       "model_data", "saved_model_dir", "model_binary", "path",     "conda",
    "virtualenv", "env",        "artifact_path",   "model_path",   "data_path"};

template <typename List>
bool Contains(const List& list, std::string_view value) {
  for (std::string_view item : list) {
    if (item == value) return true;
  }
  return false;
}

}  // namespace

bool IsKnownFlavor(std::string_view flavor) { return Contains(kFlavors, flavor); }

bool IsMlflowLoaderModule(std::string_view module) { return Contains(kLoaderModules, module); }

PathUse FlavorKeyUse(std::string_view flavor, std::string_view key) {
  if (Contains(kCodeKeys, key)) return PathUse::kCode;
  if (!Contains(kDataKeys, key)) return PathUse::kNone;
  // Loaders that unpickle their data file: pyfunc's data goes to the loader module; the pytorch and
  // statsmodels data, the langchain/dspy model_data are pickles.
  if ((key == "data" || key == "model_data") &&
      (flavor == "python_function" || flavor == "pytorch" || flavor == "statsmodels" ||
       flavor == "langchain" || flavor == "dspy" || flavor == "pmdarima")) {
    return PathUse::kCode;
  }
  return PathUse::kData;
}

}  // namespace mg::mlflow
