// The model folder beside an MLmodel file on disk: where MLmodel's path values lead, and the Python
// files of a `code` folder. MLflow joins every path value to the model folder with os.path.join
// (mlflow/pyfunc/__init__.py, mlflow/utils/model_utils.py).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mg::mlflow {

// Why a path value is not a plain relative path inside the folder (empty when it is).
std::string PathEscapeReason(std::string_view value);

// Limits on listing a code folder (documented in docs/mlflow.md).
inline constexpr std::size_t kMaxCodeEntries = 2'000;
inline constexpr int kMaxCodeDepth = 8;

struct CodeListing {
  std::vector<std::string> python_files;     // relative to the model folder, sorted
  std::vector<std::string> top_level_names;  // module names importable from the folder
  bool truncated = false;                    // more entries than kMaxCodeEntries
};

enum class Presence : std::uint8_t { kPresent, kMissing, kOutside };

class ModelFolder {
 public:
  explicit ModelFolder(const std::filesystem::path& mlmodel_path);

  // Whether `relative` exists in the folder, and stays inside it once links are followed.
  Presence Lookup(std::string_view relative) const;
  // The Python files under the code folder `relative` (a folder or a single .py file).
  CodeListing ListCode(std::string_view relative) const;
  // Up to `max_bytes` of a small file in the folder; nullopt when absent or larger.
  std::optional<std::string> ReadSmall(std::string_view relative, std::uint64_t max_bytes) const;

 private:
  std::filesystem::path root_;       // the folder as given
  std::filesystem::path canonical_;  // with links resolved
};

// The standard-library or popular package a top-level module name would shadow, or empty.
std::string_view ShadowedModule(std::string_view name);

}  // namespace mg::mlflow
