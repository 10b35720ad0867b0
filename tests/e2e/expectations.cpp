#include "e2e/expectations.h"

#include <algorithm>
#include <set>

#include "support/test_paths.h"

namespace mg::test {

namespace {

constexpr std::chrono::seconds kDefaultMaxSeconds{60};

bool IsRuleId(const std::string& id) {
  if (id.empty() || id.front() == '-' || id.back() == '-') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

std::vector<std::string> ValidateRequirement(const Json& requirement) {
  static const std::set<std::string> kKeys = {"rule_any_of",       "min_severity",
                                              "evidence_contains", "evidence_any_of",
                                              "member_contains",   "min_member_depth"};
  std::vector<std::string> problems;
  for (const auto& [key, value] : requirement.items()) {
    if (!kKeys.contains(key)) problems.push_back("unknown requirement key " + key);
  }
  if (!requirement.contains("rule_any_of") || !requirement["rule_any_of"].is_array() ||
      requirement["rule_any_of"].empty()) {
    problems.push_back("requirement without a rule_any_of list");
  } else {
    for (const Json& rule : requirement["rule_any_of"]) {
      if (!rule.is_string() || !IsRuleId(rule.get<std::string>())) {
        problems.push_back("not a rule ID: " + rule.dump());
      }
    }
  }
  if (!requirement.contains("min_severity") || !requirement["min_severity"].is_string() ||
      SeverityRank(requirement["min_severity"].get<std::string>()) < 0) {
    problems.push_back("requirement without a valid min_severity");
  }
  return problems;
}

std::string Join(const Json& members) {
  std::string chain;
  for (const Json& member : members)
    chain += (chain.empty() ? "" : " > ") + member.get<std::string>();
  return chain;
}

bool Satisfies(const Json& finding, const Json& requirement) {
  const Json& rules = requirement["rule_any_of"];
  if (std::find(rules.begin(), rules.end(), finding["rule"]) == rules.end()) return false;
  if (SeverityRank(finding["severity"].get<std::string>()) <
      SeverityRank(requirement["min_severity"].get<std::string>())) {
    return false;
  }
  const std::string evidence = finding["evidence"].get<std::string>();
  if (requirement.contains("evidence_contains") &&
      evidence.find(requirement["evidence_contains"].get<std::string>()) == std::string::npos) {
    return false;
  }
  if (requirement.contains("evidence_any_of")) {
    const Json& options = requirement["evidence_any_of"];
    if (std::none_of(options.begin(), options.end(), [&](const Json& option) {
          return evidence.find(option.get<std::string>()) != std::string::npos;
        })) {
      return false;
    }
  }
  const Json& members = finding["location"]["member"];
  if (requirement.contains("min_member_depth") &&
      members.size() < requirement["min_member_depth"].get<std::size_t>()) {
    return false;
  }
  if (requirement.contains("member_contains") &&
      Join(members).find(requirement["member_contains"].get<std::string>()) == std::string::npos) {
    return false;
  }
  return true;
}

std::string Describe(const Json& target) {
  std::string out = "status " + target["status"].get<std::string>() + ", findings:";
  for (const Json& finding : target["findings"]) {
    out += "\n    " + finding["rule"].get<std::string>() + " " +
           finding["severity"].get<std::string>() + " [" + Join(finding["location"]["member"]) +
           "] " + finding["evidence"].get<std::string>();
  }
  return out;
}

void JudgeTarget(const Json& entry, const Json& target, std::vector<std::string>& problems) {
  if (entry.contains("format") && target["format"] != entry["format"]) {
    problems.push_back("format is " + target["format"].dump() + ", expected " +
                       entry["format"].dump());
  }
  const std::string expect = entry["expect"];
  if (expect == "clean") {
    if (target["status"] != "complete") problems.push_back("status is not complete");
    for (const Json& finding : target["findings"]) {
      if (SeverityRank(finding["severity"].get<std::string>()) >= SeverityRank("medium")) {
        problems.push_back("finding at medium or above: " + finding["rule"].get<std::string>());
      }
    }
  } else if (expect == "findings") {
    for (const Json& requirement : entry["required"]) {
      const Json& findings = target["findings"];
      if (std::none_of(findings.begin(), findings.end(),
                       [&](const Json& f) { return Satisfies(f, requirement); })) {
        problems.push_back("no finding satisfies " + requirement.dump());
      }
    }
  }
  if (!problems.empty()) problems.push_back("the scan gave " + Describe(target));
}

}  // namespace

std::vector<std::filesystem::path> ExpectationFiles() {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(FixturesDir(), error)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("expectations") && name.ends_with(".json")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<FixtureExpectation> LoadExpectations() {
  std::vector<FixtureExpectation> out;
  for (const auto& file : ExpectationFiles()) {
    const Json document = ParseJson(ReadFile(file));
    if (document.is_discarded() || !document.contains("fixtures")) continue;
    for (const Json& entry : document["fixtures"]) {
      out.push_back({entry.value("path", std::string()), entry});
    }
  }
  return out;
}

std::vector<std::string> ValidateEntry(const Json& entry) {
  static const std::set<std::string> kKeys = {
      "path",          "expect",      "format",           "required",
      "pending_issue", "max_seconds", "max_output_bytes", "note"};
  std::vector<std::string> problems;
  if (!entry.is_object()) return {"entry is not an object"};
  for (const auto& [key, value] : entry.items()) {
    if (!kKeys.contains(key)) problems.push_back("unknown key " + key);
  }
  if (!entry.contains("path") || !entry["path"].is_string()) problems.push_back("no path");
  const std::string expect = entry.value("expect", std::string());
  if (expect != "clean" && expect != "findings" && expect != "robust") {
    problems.push_back("expect must be clean, findings or robust");
  }
  const bool has_required = entry.contains("required");
  if (expect == "findings" &&
      (!has_required || !entry["required"].is_array() || entry["required"].empty())) {
    problems.push_back("expect findings without a non-empty required list");
  }
  if (expect != "findings" && has_required) problems.push_back("required only goes with findings");
  if (has_required && entry["required"].is_array()) {
    for (const Json& requirement : entry["required"]) {
      for (auto& problem : ValidateRequirement(requirement)) problems.push_back(problem);
    }
  }
  return problems;
}

std::vector<std::string> JudgeScan(const Json& entry, const CliRun& run) {
  std::vector<std::string> problems;
  const auto max_seconds = std::chrono::seconds(
      entry.value("max_seconds", static_cast<std::int64_t>(kDefaultMaxSeconds.count())));
  if (run.timed_out || run.elapsed > max_seconds) {
    problems.push_back("took " + std::to_string(run.elapsed.count()) + " ms, limit " +
                       std::to_string(max_seconds.count()) + " s");
  }
  if (run.term_signal != 0) {
    problems.push_back("killed by signal " + std::to_string(run.term_signal));
  }
  if (run.exit_code != 0 && run.exit_code != 1) {
    problems.push_back("exit code " + std::to_string(run.exit_code) + ": " + run.err);
  }
  if (entry.contains("max_output_bytes") &&
      run.out.size() > entry["max_output_bytes"].get<std::size_t>()) {
    problems.push_back("report of " + std::to_string(run.out.size()) + " bytes");
  }
  if (!problems.empty()) return problems;
  const Json report = ParseJson(run.out);
  if (report.is_discarded() || !report.contains("targets") || report["targets"].empty()) {
    return {"the report is not JSON with targets"};
  }
  if (report["targets"].size() == 1) {
    JudgeTarget(entry, report["targets"][0], problems);
    return problems;
  }
  // A folder fixture: its files are judged together, as one model. `format`, if given, is
  // the format some target must have.
  Json merged = {{"status", "complete"}, {"findings", Json::array()}};
  bool format_seen = !entry.contains("format");
  for (const Json& target : report["targets"]) {
    if (target["status"] != "complete") merged["status"] = target["status"];
    if (entry.contains("format") && target["format"] == entry["format"]) format_seen = true;
    for (const Json& finding : target["findings"]) merged["findings"].push_back(finding);
  }
  if (!format_seen) problems.push_back("no target has format " + entry["format"].dump());
  Json without_format = entry;
  without_format.erase("format");
  JudgeTarget(without_format, merged, problems);
  return problems;
}

std::filesystem::path FixturePath(const std::string& name) {
  return name.starts_with("examples/") ? SourceDir() / name : FixturesDir() / name;
}

std::vector<std::string> ScanArgumentsFor(const std::string& name) {
  return {"scan", "--format", "json", FixturePath(name).string()};
}

}  // namespace mg::test
