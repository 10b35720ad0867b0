// audit-env's findings.
#include "advisories/audit.h"

#include <array>

namespace mg::advisories {

namespace {

constexpr std::array kAuditRules = {
    RuleInfo{"AUDIT-ADVISORY", Severity::kHigh, "Installed library has a model-loading advisory",
             "An installed library that loads models is in the affected range of an advisory "
             "from the bundled list (docs/advisories.md): a model that is harmless under a "
             "patched version can run code or read files through this one. The severity is the "
             "advisory's. Upgrade to the fixed version named in the message.",
             "torch 1.13.1 is affected by CVE-2025-32434 (GHSA-53q9-r3pm-6pq6) through "
             "torch.load(weights_only=True): ... Fixed in 2.6.0."},
    RuleInfo{"AUDIT-PACKAGE-INSPECTED", Severity::kInfo, "Model-loading library inspected",
             "A library that loads models was found and its version checked against the "
             "advisory list; the message says what the library does with a model. Listed so "
             "that a clean report shows what was looked at.",
             "torch 2.6.0 is installed (torch.load unpickles unless weights_only=True); 2 "
             "advisories checked, none applies."},
    RuleInfo{"AUDIT-VERSION-UNPARSED", Severity::kMedium, "Version could not be compared",
             "The installed version of a model-loading library is not a valid PEP 440 (or "
             "Maven) version, so the advisories for it could not be checked. The package is "
             "reported incomplete.",
             "torch 'custom-build' is not a PEP 440 version; advisories checked: none of 2."},
    RuleInfo{"AUDIT-METADATA-UNREADABLE", Severity::kMedium, "Distribution metadata unreadable",
             "A dist-info or egg-info folder of a model-loading library has no readable "
             "METADATA/PKG-INFO, or no Name or Version in it: its version is unknown and it was "
             "not checked.",
             "keras-3.8.0.dist-info: no readable METADATA."},
    RuleInfo{"AUDIT-NOTHING-INSPECTED", Severity::kMedium, "No environment found",
             "No site-packages folder and no Spark installation could be read, so nothing was "
             "checked. Pass --python-path or --spark-home. Info instead when folders were read "
             "but held none of the model-loading libraries.",
             "No site-packages folder or Spark installation was found."},
};

Finding Make(std::string_view rule, Severity severity, std::string message,
             const std::string& path, std::string evidence = {}) {
  Finding finding;
  finding.rule = std::string(rule);
  finding.severity = severity;
  finding.message = std::move(message);
  finding.location.path = path;
  finding.evidence = std::move(evidence);
  return finding;
}

// "1 advisory", "2 advisories", "3 findings".
std::string Plural(std::size_t n, std::string word) {
  if (n != 1) {
    if (!word.empty() && word.back() == 'y') {
      word.back() = 'i';
      word += "es";
    } else {
      word += "s";
    }
  }
  return std::to_string(n) + " " + word;
}

Target PackageTarget(const AdvisoryList& list, const InstalledPackage& package,
                     const WatchedPackage& watched) {
  Target target;
  target.path = package.evidence;
  target.format = package.ecosystem == Ecosystem::kPypi ? "python-distribution" : "spark-jars";
  // tensorflow-gpu is judged by tensorflow's advisories (WatchedPackage::distributions).
  const std::string advisory_name = list.AdvisoryName(package.ecosystem, package.normalized);
  std::size_t checked = 0;
  for (const Advisory& advisory : list.advisories) {
    checked += advisory.ecosystem == package.ecosystem && advisory.package == advisory_name;
  }
  const std::string what = package.name + " " + package.version;
  const auto version = Version::Parse(package.ecosystem, package.version);
  if (!version) {
    target.status = TargetStatus::kIncomplete;
    target.findings.push_back(Make(
        kRuleVersionUnparsed, Severity::kMedium,
        package.name + " '" + package.version + "' is not a " +
            (package.ecosystem == Ecosystem::kPypi ? "PEP 440" : "Maven") +
            " version; advisories checked: none of " + std::to_string(checked) + ".",
        target.path, package.evidence));
    return target;
  }
  const auto matching = list.Matching(package.ecosystem, advisory_name, *version);
  std::string note = watched.note.empty() ? "" : " (" + watched.note + ")";
  target.findings.push_back(Make(
      kRuleInspected, Severity::kInfo,
      what + " is installed" + note + "; " + Plural(checked, "advisory") + " checked, " +
          (matching.empty() ? "none applies." : std::to_string(matching.size()) + " apply."),
      target.path, package.evidence));
  for (const Advisory* advisory : matching) {
    target.findings.push_back(Make(kRuleAdvisory, advisory->severity,
                                   AdvisoryMessage(*advisory, package.name, package.version),
                                   target.path, package.evidence));
  }
  return target;
}

}  // namespace

std::string AdvisoryMessage(const Advisory& advisory, std::string_view package,
                            std::string_view version) {
  std::string ids = advisory.id;
  if (!advisory.aliases.empty()) {
    ids += " (";
    for (std::size_t i = 0; i < advisory.aliases.size(); ++i) {
      ids += (i ? ", " : "") + advisory.aliases[i];
    }
    ids += ")";
  }
  std::string message = std::string(package) + " " + std::string(version) + " is affected by " +
                        ids + " through " + advisory.loading_path + ": " + advisory.summary;
  message += advisory.fixed.empty() ? " No release fixes it; load only trusted models."
                                    : " Fixed in " + advisory.fixed + ".";
  return message + " Source: " + advisory.source;
}

Report AuditEnvironment(const AdvisoryList& list, const Environment& environment) {
  Report report;
  bool any_watched = false;
  for (const InstalledPackage& package : environment.packages) {
    const WatchedPackage* watched = list.FindPackage(package.ecosystem, package.normalized);
    if (watched == nullptr) continue;
    any_watched = true;
    report.targets.push_back(PackageTarget(list, package, *watched));
  }
  for (const EnvironmentProblem& problem : environment.problems) {
    if (problem.name.empty() || !list.FindPackage(problem.name == "spark" ? Ecosystem::kMaven
                                                                          : Ecosystem::kPypi,
                                                  problem.name)) {
      continue;
    }
    Target target;
    target.path = problem.path;
    target.format = problem.name == "spark" ? "spark-jars" : "python-distribution";
    target.status = TargetStatus::kIncomplete;
    target.findings.push_back(Make(kRuleMetadataUnreadable, Severity::kMedium,
                                   problem.name + ": " + problem.why + "; not checked.",
                                   problem.path));
    report.targets.push_back(std::move(target));
  }
  for (const std::string& folder : environment.searched) {
    Target target;
    target.path = folder;
    target.format = "folder";
    report.targets.push_back(std::move(target));
  }
  if (environment.searched.empty()) {
    Target target;
    target.path = "(environment)";
    target.format = "folder";
    target.status = TargetStatus::kIncomplete;
    target.findings.push_back(Make(kRuleNothingInspected, Severity::kMedium,
                                   "No site-packages folder or Spark installation was found; "
                                   "pass --python-path or --spark-home.",
                                   target.path));
    report.targets.push_back(std::move(target));
  } else if (!any_watched && report.targets.size() == environment.searched.size()) {
    report.targets.front().findings.push_back(
        Make(kRuleNothingInspected, Severity::kInfo,
             "None of the " + Plural(list.packages.size(), "model-loading library") +
                 " on the advisory list is installed in the folders searched.",
             environment.searched.front()));
  }
  return report;
}

std::span<const RuleInfo> AuditRules() { return kAuditRules; }

}  // namespace mg::advisories
