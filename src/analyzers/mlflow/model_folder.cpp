#include "analyzers/mlflow/model_folder.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <set>

namespace mg::mlflow {
namespace fs = std::filesystem;

std::string PathEscapeReason(std::string_view value) {
  if (value.empty()) return {};
  // A URL scheme ("s3://", "dbfs:/", "runs:/", "file:"): two or more letters then ':'.
  const std::size_t colon = value.find(':');
  if (colon != std::string_view::npos && colon >= 2) {
    bool scheme = true;
    for (std::size_t i = 0; i < colon; ++i) {
      const char c = value[i];
      scheme = scheme && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '.' || c == '-')));
    }
    if (scheme) return "a URL (" + std::string(value.substr(0, colon)) + ":)";
  }
  if (value.front() == '/' || value.front() == '\\') return "an absolute path";
  if (value.size() >= 2 && value[1] == ':') return "an absolute Windows path";
  if (value.front() == '~') return "a path in a home folder";
  // Walk the components: ".." below the folder's own level leaves it.
  int depth = 0;
  std::size_t start = 0;
  while (start <= value.size()) {
    std::size_t end = value.find_first_of("/\\", start);
    if (end == std::string_view::npos) end = value.size();
    const std::string_view part = value.substr(start, end - start);
    if (part == "..") {
      if (--depth < 0) return "a path that climbs out with ..";
    } else if (!part.empty() && part != ".") {
      ++depth;
    }
    start = end + 1;
  }
  return {};
}

ModelFolder::ModelFolder(const fs::path& mlmodel_path) : root_(mlmodel_path.parent_path()) {
  if (root_.empty()) root_ = ".";
  std::error_code error;
  canonical_ = fs::weakly_canonical(root_, error);
  if (error) canonical_ = root_;
}

Presence ModelFolder::Lookup(std::string_view relative) const {
  std::error_code error;
  const fs::path joined = root_ / fs::path(std::string(relative));
  if (!fs::exists(fs::symlink_status(joined, error))) {
    return Presence::kMissing;
  }
  const fs::path resolved = fs::weakly_canonical(joined, error);
  if (error) return Presence::kMissing;
  const auto [mismatch, unused] =
      std::mismatch(canonical_.begin(), canonical_.end(), resolved.begin(), resolved.end());
  (void)unused;
  if (mismatch != canonical_.end()) return Presence::kOutside;
  return fs::exists(resolved, error) ? Presence::kPresent : Presence::kMissing;
}

CodeListing ModelFolder::ListCode(std::string_view relative) const {
  CodeListing listing;
  std::error_code error;
  const fs::path base = root_ / fs::path(std::string(relative));
  std::set<std::string> files;
  std::set<std::string> top;
  if (fs::is_regular_file(base, error)) {
    if (base.extension() == ".py") {
      files.insert(std::string(relative));
      top.insert(base.stem().string());
    }
  } else if (fs::is_directory(base, error)) {
    // Symbolic links to folders are not followed (the default of directory_options).
    fs::recursive_directory_iterator it(base, fs::directory_options::skip_permission_denied, error);
    std::size_t seen = 0;
    for (; !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
      if (++seen > kMaxCodeEntries) {
        listing.truncated = true;
        break;
      }
      if (it.depth() >= kMaxCodeDepth) it.disable_recursion_pending();
      const fs::path& path = it->path();
      const bool is_python = path.extension() == ".py" && it->is_regular_file(error);
      if (is_python)
        files.insert(
            (fs::path(std::string(relative)) / path.lexically_relative(base)).generic_string());
      if (it.depth() == 0) {
        if (is_python) top.insert(path.stem().string());
        if (it->is_directory(error)) top.insert(path.filename().string());
      }
    }
  }
  top.erase("__init__");
  top.erase("__main__");
  listing.python_files.assign(files.begin(), files.end());
  listing.top_level_names.assign(top.begin(), top.end());
  return listing;
}

std::optional<std::string> ModelFolder::ReadSmall(std::string_view relative,
                                                  std::uint64_t max_bytes) const {
  if (Lookup(relative) != Presence::kPresent) return std::nullopt;
  std::error_code error;
  const fs::path path = root_ / fs::path(std::string(relative));
  if (!fs::is_regular_file(path, error)) return std::nullopt;
  const std::uintmax_t size = fs::file_size(path, error);
  if (error || size > max_bytes) return std::nullopt;
  std::ifstream input(path, std::ios::binary);
  std::string content(static_cast<std::size_t>(size), '\0');
  if (!input.read(content.data(), static_cast<std::streamsize>(size))) return std::nullopt;
  return content;
}

std::string_view ShadowedModule(std::string_view name) {
  // Standard-library modules that model and loader code import, and the packages MLflow's loaders
  // and model code import first.
  static constexpr std::string_view kKnown[] = {
      "abc", "argparse", "ast", "asyncio", "base64", "builtins", "codecs", "collections",
      "contextlib", "copy", "copyreg", "ctypes", "dataclasses", "datetime", "encodings", "enum",
      "functools", "glob", "gzip", "hashlib", "http", "importlib", "inspect", "io", "itertools",
      "json", "logging", "marshal", "math", "multiprocessing", "os", "pathlib", "pickle",
      "platform", "posixpath", "random", "re", "shutil", "signal", "site", "sitecustomize",
      "socket", "sqlite3", "string", "struct", "subprocess", "sys", "tempfile", "threading", "time",
      "types", "typing", "urllib", "uuid", "warnings", "zipfile",
      // Popular packages.
      "cloudpickle", "dill", "joblib", "keras", "mlflow", "numpy", "pandas", "pyspark", "requests",
      "scipy", "sklearn", "tensorflow", "torch", "transformers", "xgboost", "yaml"};
  for (std::string_view known : kKnown) {
    if (known == name) return known;
  }
  return {};
}

}  // namespace mg::mlflow
