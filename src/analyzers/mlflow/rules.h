// Rule IDs of the MLflow model analyzer; descriptions and examples in rules.cpp.
#pragma once

#include <span>
#include <string_view>

#include "report/rule.h"

namespace mg::mlflow {

inline constexpr std::string_view kFormatName = "mlflow";

namespace rule {
inline constexpr std::string_view kMalformed = "MLFLOW-MALFORMED";
inline constexpr std::string_view kLoaderModule = "MLFLOW-LOADER-MODULE";
inline constexpr std::string_view kCodePath = "MLFLOW-CODE-PATH";
inline constexpr std::string_view kModuleShadowing = "MLFLOW-MODULE-SHADOWING";
inline constexpr std::string_view kPythonModel = "MLFLOW-PYTHON-MODEL";
inline constexpr std::string_view kModelCode = "MLFLOW-MODEL-CODE";
inline constexpr std::string_view kPathEscape = "MLFLOW-PATH-ESCAPE";
inline constexpr std::string_view kMissingFile = "MLFLOW-MISSING-FILE";
inline constexpr std::string_view kPickleModule = "MLFLOW-PICKLE-MODULE";
inline constexpr std::string_view kSparkModelClass = "MLFLOW-SPARK-MODEL-CLASS";
inline constexpr std::string_view kPickledModel = "MLFLOW-PICKLED-MODEL";
inline constexpr std::string_view kSkopsTrusted = "MLFLOW-SKOPS-TRUSTED";
inline constexpr std::string_view kUnknownFlavor = "MLFLOW-UNKNOWN-FLAVOR";
inline constexpr std::string_view kYamlAlias = "MLFLOW-YAML-ALIAS";
inline constexpr std::string_view kYamlPythonTag = "MLFLOW-YAML-PYTHON-TAG";
inline constexpr std::string_view kRequirementSource = "MLFLOW-REQUIREMENT-SOURCE";
inline constexpr std::string_view kRequirementAdvisory = "MLFLOW-REQUIREMENT-ADVISORY";
inline constexpr std::string_view kEnvMalformed = "MLFLOW-ENV-MALFORMED";
inline constexpr std::string_view kNotLookedUp = "MLFLOW-FILES-NOT-LOOKED-UP";
}  // namespace rule

std::span<const RuleInfo> Rules();

}  // namespace mg::mlflow
