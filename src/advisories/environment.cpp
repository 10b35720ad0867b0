// Environment inspection: folder listings and small metadata files, never an import.
#include "advisories/environment.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <system_error>

#include "advisories/advisory.h"
#include "core/mapped_file.h"

namespace mg::advisories {

namespace fs = std::filesystem;

namespace {

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string_view TrimSpace(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

// Sorted entries of a folder (at most kMaxFolderEntries); empty on any error.
std::vector<fs::directory_entry> Entries(const fs::path& folder, std::error_code& ec) {
  std::vector<fs::directory_entry> out;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    if (out.size() >= kMaxFolderEntries) break;
    out.push_back(*it);
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.path() < b.path(); });
  return out;
}

// Folders under `parent` whose name starts with `prefix`, each joined with `tail`, that exist.
void AddMatching(const fs::path& parent, std::string_view prefix, const fs::path& tail,
                 std::vector<std::string>& out) {
  std::error_code ec;
  for (const auto& entry : Entries(parent, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.substr(0, prefix.size()) != prefix) continue;
    const fs::path candidate = entry.path() / tail;
    if (fs::is_directory(candidate, ec)) out.push_back(candidate.string());
  }
}

// "torch-1.13.1.dist-info" -> "torch" (the name part before the version, normalised).
std::string NameFromFolder(std::string_view folder_name) {
  const std::size_t dash = folder_name.find('-');
  std::string_view name = folder_name.substr(0, dash);
  if (dash == std::string_view::npos) name = folder_name.substr(0, folder_name.rfind('.'));
  return NormalizePackageName(name);
}

void ReadDistribution(const fs::directory_entry& entry, Environment& env) {
  const std::string folder_name = entry.path().filename().string();
  std::error_code ec;
  fs::path metadata_path;
  if (EndsWith(folder_name, ".dist-info")) {
    metadata_path = entry.path() / "METADATA";
  } else if (entry.is_directory(ec)) {
    metadata_path = entry.path() / "PKG-INFO";
  } else {
    metadata_path = entry.path();  // an egg-info file is PKG-INFO itself
  }
  auto file = MappedFile::Open(metadata_path.string());
  if (!file) {
    env.problems.push_back({entry.path().string(), NameFromFolder(folder_name),
                            "no readable " + metadata_path.filename().string()});
    return;
  }
  const DistMetadata metadata = ParseDistMetadata(file->view().Prefix(kMaxMetadataBytes));
  if (metadata.name.empty() || metadata.version.empty()) {
    env.problems.push_back({entry.path().string(), NameFromFolder(folder_name),
                            metadata_path.filename().string() + " has no Name or Version"});
    return;
  }
  env.packages.push_back({metadata.name, NormalizePackageName(metadata.name), Ecosystem::kPypi,
                          metadata.version, entry.path().string()});
}

void ReadSitePackages(const fs::path& folder, Environment& env, std::error_code& ec) {
  const auto entries = Entries(folder, ec);
  if (ec) return;
  env.searched.push_back(folder.string());
  for (const auto& entry : entries) {
    const std::string name = entry.path().filename().string();
    if (EndsWith(name, ".dist-info") || EndsWith(name, ".egg-info")) ReadDistribution(entry, env);
  }
}

// One package per distinct Spark version found among the jars (core, sql, mllib normally
// agree); the evidence is the first jar of that version.
void ReadSparkJars(const fs::path& jars, Environment& env) {
  std::error_code ec;
  const auto entries = Entries(jars, ec);
  if (ec) return;
  env.searched.push_back(jars.string());
  std::map<std::string, std::string> first_jar_by_version;
  for (const auto& entry : entries) {
    const auto version = SparkVersionFromJarName(entry.path().filename().string());
    if (version) first_jar_by_version.emplace(*version, entry.path().string());
  }
  for (const auto& [version, jar] : first_jar_by_version) {
    env.packages.push_back({"spark", "spark", Ecosystem::kMaven, version, jar});
  }
}

void ReadSparkHome(const fs::path& home, Environment& env, std::vector<std::string>& errors) {
  std::error_code ec;
  if (!fs::is_directory(home, ec)) {
    errors.push_back("not a folder: " + home.string());
    return;
  }
  const std::size_t before = env.packages.size();
  ReadSparkJars(home / "jars", env);
  if (env.packages.size() != before) return;
  // No jar with a version: a distribution's RELEASE file still says which Spark it is.
  auto release = MappedFile::Open((home / "RELEASE").string());
  const auto version =
      release ? SparkVersionFromRelease(release->view().Prefix(4096).AsStringView())
              : std::nullopt;
  if (version) {
    env.packages.push_back(
        {"spark", "spark", Ecosystem::kMaven, *version, (home / "RELEASE").string()});
  } else {
    env.problems.push_back({home.string(), "spark", "no spark-core/sql/mllib jar and no RELEASE"});
  }
}

}  // namespace

DistMetadata ParseDistMetadata(ByteView data) {
  DistMetadata out;
  std::string_view text = data.AsStringView();
  while (!text.empty()) {
    const std::size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // the body (long description) follows the first empty line
    if (line.front() == ' ' || line.front() == '\t') continue;  // a continuation line
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view key = line.substr(0, colon);
    const std::string_view value = TrimSpace(line.substr(colon + 1));
    // Core metadata: Name and Version occur once; the first occurrence is kept.
    if ((key == "Name" || key == "name") && out.name.empty()) out.name = std::string(value);
    if ((key == "Version" || key == "version") && out.version.empty()) {
      out.version = std::string(value);
    }
  }
  return out;
}

std::optional<std::string> SparkVersionFromJarName(std::string_view file_name) {
  if (!EndsWith(file_name, ".jar")) return std::nullopt;
  file_name.remove_suffix(4);
  for (const std::string_view module : {"spark-core_", "spark-sql_", "spark-mllib_"}) {
    if (file_name.substr(0, module.size()) != module) continue;
    // spark-mllib_<scala version>-<spark version>: the Scala version has no '-'.
    const std::size_t dash = file_name.find('-', module.size());
    if (dash == std::string_view::npos || dash + 1 >= file_name.size()) return std::nullopt;
    const std::string_view version = file_name.substr(dash + 1);
    if (version.size() > kMaxVersionLength || !Version::Parse(Ecosystem::kMaven, version)) {
      return std::nullopt;
    }
    if (version.front() < '0' || version.front() > '9') return std::nullopt;
    return std::string(version);
  }
  return std::nullopt;
}

std::optional<std::string> SparkVersionFromRelease(std::string_view text) {
  text = text.substr(0, text.find('\n'));
  if (text.substr(0, 6) != "Spark ") return std::nullopt;
  text.remove_prefix(6);
  const std::string_view version = text.substr(0, text.find(' '));
  if (version.empty() || version.front() < '0' || version.front() > '9' ||
      !Version::Parse(Ecosystem::kMaven, version)) {
    return std::nullopt;
  }
  return std::string(version);
}

std::vector<std::string> DetectSitePackages() {
  std::vector<std::string> out;
  std::error_code ec;
  if (fs::is_directory("/usr/lib/python3/dist-packages", ec)) {
    out.push_back("/usr/lib/python3/dist-packages");
  }
  AddMatching("/usr/local/lib", "python3", "dist-packages", out);
  AddMatching("/usr/local/lib", "python3", "site-packages", out);
  AddMatching("/usr/lib", "python3", "site-packages", out);
  if (const char* venv = std::getenv("VIRTUAL_ENV"); venv != nullptr && *venv != '\0') {
    AddMatching(fs::path(venv) / "lib", "python", "site-packages", out);
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    AddMatching(fs::path(home) / ".local" / "lib", "python", "site-packages", out);
  }
  return out;
}

Environment InspectEnvironment(const EnvironmentOptions& options,
                               std::vector<std::string>& errors) {
  Environment env;
  std::vector<std::string> folders = options.python_paths;
  if (folders.empty() && options.detect_python) folders = DetectSitePackages();
  for (const std::string& folder : folders) {
    std::error_code ec;
    ReadSitePackages(folder, env, ec);
    if (ec && !options.python_paths.empty()) {
      errors.push_back("cannot read " + folder + ": " + ec.message());
    }
    // pip's pyspark carries Spark's own jars.
    if (!ec && fs::is_directory(fs::path(folder) / "pyspark" / "jars", ec)) {
      ReadSparkJars(fs::path(folder) / "pyspark" / "jars", env);
    }
  }
  std::string spark_home = options.spark_home;
  if (spark_home.empty()) {
    if (const char* env_home = std::getenv("SPARK_HOME"); env_home != nullptr) {
      spark_home = env_home;
    }
  }
  if (!spark_home.empty()) ReadSparkHome(spark_home, env, errors);
  return env;
}

}  // namespace mg::advisories
