// Judging what a model asks to be loaded with (a pip requirement such as "torch==2.5.1" or
// "keras>=3.0,<3.5" from an MLflow model's requirements.txt) against the advisory list.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "advisories/advisory.h"

namespace mg::advisories {

// The versions a PEP 440 specifier allows, as one interval (lower and upper bounds, either
// open-ended). "!=" clauses are ignored (they only remove single versions).
struct AllowedVersions {
  std::optional<Version> lower;
  bool lower_inclusive = true;
  std::optional<Version> upper;
  bool upper_inclusive = true;
};

// Parses a requirement's specifier part ("[extra]==2.5.1 ; python_version>'3'" included):
// ==, ===, ~=, !=, <, <=, >, >= and the ==V.* prefix form. nullopt when a clause is not
// understood or the specifier is over kMaxVersionLength * 8 bytes.
std::optional<AllowedVersions> ParseSpecifier(std::string_view spec);

// The advisories (with a fixed release) for which EVERY version the specifier allows is
// affected: a pin to an affected version, or a range whose upper bound stays inside an
// affected range. A specifier that also allows a fixed version is not reported: the installer
// may pick the fixed one. Advisories without a fixed release are left out, since no pin can
// avoid them (the scan judges such models by their content).
std::vector<const Advisory*> AdvisoriesForRequirement(const AdvisoryList& list,
                                                      std::string_view name,
                                                      std::string_view spec);

// The same for an exact version a model records (Keras keras_version, Spark sparkVersion).
std::vector<const Advisory*> AdvisoriesForVersion(const AdvisoryList& list, Ecosystem ecosystem,
                                                  std::string_view name,
                                                  std::string_view version);

// What a finding says about matched advisories: "CVE-2025-1550 (keras.models.load_model),
// CVE-2025-8747 (...); all fixed in 3.11.0": each id with its loading path, then the first
// release that fixes every one of them (the highest fixed version). `matching` is not empty.
std::string DescribeAdvisories(Ecosystem ecosystem, const std::vector<const Advisory*>& matching);

// For a finding about the release a model records (Keras keras_version, Spark sparkVersion):
// "a release affected by " + DescribeAdvisories(...) for the bundled list's advisories with a
// fixed release that affect `version` of `name`; empty when none does or it is no version.
std::string DescribeRecordedRelease(Ecosystem ecosystem, std::string_view name,
                                    std::string_view version);

// The highest severity among `matching`, capped at `cap`.
Severity HighestSeverity(const std::vector<const Advisory*>& matching, Severity cap);

}  // namespace mg::advisories
