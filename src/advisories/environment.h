// What is installed, found without running anything: Python distributions from their
// *.dist-info/METADATA and *.egg-info/PKG-INFO files, Spark from its jar names and RELEASE file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "advisories/version.h"
#include "core/byte_view.h"

namespace mg::advisories {

struct InstalledPackage {
  std::string name;        // as the metadata spells it
  std::string normalized;  // PEP 503 ("spark" for Spark's jars)
  Ecosystem ecosystem = Ecosystem::kPypi;
  std::string version;     // as written
  std::string evidence;    // the dist-info / egg-info path, or the jar
};

// Something found that could not be read: the package it seems to be (from the folder name)
// and why.
struct EnvironmentProblem {
  std::string path;
  std::string name;  // normalised, from the folder or file name; may be empty
  std::string why;
};

struct Environment {
  std::vector<std::string> searched;  // folders actually read
  std::vector<InstalledPackage> packages;
  std::vector<EnvironmentProblem> problems;
};

struct EnvironmentOptions {
  std::vector<std::string> python_paths;  // empty: DetectSitePackages()
  std::string spark_home;                 // empty: $SPARK_HOME, if set
  bool detect_python = true;              // false: only python_paths
};

// Documented limits: METADATA headers are read from the first 256 KiB only (the long
// description that follows them is never needed); a folder contributes at most 100,000 entries.
inline constexpr std::uint64_t kMaxMetadataBytes = 256 << 10;
inline constexpr std::size_t kMaxFolderEntries = 100'000;

struct DistMetadata {
  std::string name;
  std::string version;
};

// The Name and Version headers of a core-metadata file (RFC 822 style: headers up to the first
// empty line; continuation lines start with whitespace). Fields missing when absent.
DistMetadata ParseDistMetadata(ByteView data);

// "spark-mllib_2.13-4.0.0-preview1.jar" -> "4.0.0-preview1" for the Spark modules that load
// models (spark-core, spark-sql, spark-mllib); nullopt for other names.
std::optional<std::string> SparkVersionFromJarName(std::string_view file_name);

// "Spark 3.5.1 built for Hadoop 3.3.4" (first line of $SPARK_HOME/RELEASE) -> "3.5.1".
std::optional<std::string> SparkVersionFromRelease(std::string_view text);

// The usual site-packages folders of this machine that exist: Debian's dist-packages, the
// VIRTUAL_ENV's, the user's ~/.local ones.
std::vector<std::string> DetectSitePackages();

// Reads every given or detected folder. A folder the user named that cannot be read is an
// error (returned in `errors`); detected ones that vanish are skipped.
Environment InspectEnvironment(const EnvironmentOptions& options,
                               std::vector<std::string>& errors);

}  // namespace mg::advisories
