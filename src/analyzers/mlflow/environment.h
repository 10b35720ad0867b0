// The environment files MLflow writes beside MLmodel (requirements.txt, conda.yaml,
// python_env.yaml): mlflow models serve, build-docker and spark_udf install from them.
#pragma once

#include "analyzers/mlflow/model_folder.h"
#include "analyzers/mlflow/requirements.h"
#include "engine/scan_context.h"

namespace mg::mlflow {

// Collects the requirements of every environment file present in `folder`; files that could not be
// read are named in `unreadable` with the reason.
struct Environment {
  RequirementList requirements;
  std::vector<std::pair<std::string, std::string>> unreadable;  // file, why
};
Environment ReadEnvironment(const ModelFolder& folder);

// Reports the requirement lines that install from outside an index, and unreadable files.
void CheckEnvironment(ScanContext& ctx, const ModelFolder& folder);

}  // namespace mg::mlflow
