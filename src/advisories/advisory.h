// The advisory list: which versions of which model-loading libraries have a known way to run
// code (or read files) while loading a model. The list is data (data/advisories.json, embedded
// into the binary at build time); docs/advisories.md describes the format and how to update it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "advisories/version.h"
#include "core/byte_view.h"
#include "core/result.h"
#include "report/severity.h"

namespace mg::advisories {

// One comparison of a range: "<2.6.0", ">=3.0.0", "==1.2.3", "!=1.0".
struct Constraint {
  enum class Op : std::uint8_t { kLess, kLessEqual, kGreater, kGreaterEqual, kEqual, kNotEqual };
  Op op = Op::kLess;
  Version version;
};

// A comma-separated list of constraints, all of which must hold (">=3.0.0,<3.9.0").
struct VersionRange {
  std::string text;
  std::vector<Constraint> constraints;

  // Pure version order: a pre-release of the fixed version (2.6.0rc1 for "<2.6.0") counts as
  // affected, since whether it carries the fix is unknown (fail closed).
  bool Contains(const Version& version) const;
};

Result<VersionRange> ParseRange(Ecosystem ecosystem, std::string_view text);

struct Advisory {
  std::string id;                    // CVE or GHSA id, or the project's issue key
  std::vector<std::string> aliases;  // the other ids of the same issue
  std::string package;               // PEP 503-normalised name, or "spark" for Spark's jars
  Ecosystem ecosystem = Ecosystem::kPypi;
  std::vector<VersionRange> affected;  // any of them
  std::string fixed;                   // first fixed version; empty when no release fixes it
  Severity severity = Severity::kHigh;
  std::string loading_path;  // the loading API it affects: "torch.load(weights_only=True)"
  std::string summary;
  std::string source;  // where the facts were checked

  bool Affects(const Version& version) const;
};

// A library that loads models, listed so that audit-env reports it when present (info),
// with what it does with a model (`note`), whether or not an advisory names it.
struct WatchedPackage {
  std::string name;  // normalised
  Ecosystem ecosystem = Ecosystem::kPypi;
  std::string note;
  // Other distribution names that ship the same code with the same version numbers
  // ("tensorflow-gpu" for tensorflow), normalised: installed or pinned under one of them, the
  // package is matched against `name`'s advisories.
  std::vector<std::string> distributions;
};

struct AdvisoryList {
  std::vector<Advisory> advisories;
  std::vector<WatchedPackage> packages;

  // The watched package named `name` or distributed under it, if any.
  const WatchedPackage* FindPackage(Ecosystem ecosystem, std::string_view name) const;
  // The name advisories use for `name`: the watched package's own name when `name` is one of
  // its other distributions, else `name` itself.
  std::string AdvisoryName(Ecosystem ecosystem, std::string_view name) const;
  // The advisories that affect `version` of `name`.
  std::vector<const Advisory*> Matching(Ecosystem ecosystem, std::string_view name,
                                        const Version& version) const;
};

// Documented limits for a user-supplied list (--advisories FILE).
inline constexpr std::uint64_t kMaxAdvisoryFileBytes = 4 << 20;
inline constexpr std::size_t kMaxAdvisories = 10'000;

// Parses the JSON list; an entry with a missing field, an unknown ecosystem or severity, or a
// range that does not parse makes the whole list an error (a silently dropped advisory would
// be a silent pass).
Result<AdvisoryList> ParseAdvisories(ByteView json);

// The list compiled into this binary (data/advisories.json at build time).
const AdvisoryList& BundledAdvisories();
std::string_view BundledAdvisoriesJson();

// PEP 503 name normalisation: lower case, runs of '-', '_' and '.' become one '-'.
std::string NormalizePackageName(std::string_view name);

}  // namespace mg::advisories
