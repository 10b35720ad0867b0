// SARIF 2.1.0 (OASIS) as GitHub code scanning reads it: one reportingDescriptor per rule ID,
// results with a level, a file location and the modelgate severity as security-severity.
#include <nlohmann/json.hpp>

#include "render/render.h"

namespace mg {

namespace {

using Json = nlohmann::ordered_json;

std::string_view SarifLevel(Severity severity) {
  switch (severity) {
    case Severity::kCritical:
    case Severity::kHigh: return "error";
    case Severity::kMedium: return "warning";
    case Severity::kLow:
    case Severity::kInfo: return "note";
  }
  return "note";
}

// GitHub maps security-severity scores to its own labels: >= 9.0 critical, 7.0-8.9 high,
// 4.0-6.9 medium, 0.1-3.9 low.
std::string_view SecuritySeverity(Severity severity) {
  switch (severity) {
    case Severity::kCritical: return "9.5";
    case Severity::kHigh: return "8.0";
    case Severity::kMedium: return "5.5";
    case Severity::kLow: return "3.0";
    case Severity::kInfo: return "0.0";
  }
  return "0.0";
}

// SARIF artifact locations are URI references: percent-encode what a URI may not hold raw.
std::string UriReference(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    const bool keep = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                      (byte >= '0' && byte <= '9') || std::string_view("-._~/").find(c) !=
                                                          std::string_view::npos;
    if (keep) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  return out;
}

Json RuleToJson(const RuleInfo& rule) {
  std::string help = std::string(rule.description);
  if (!rule.example.empty()) help += "\n\nExample: " + std::string(rule.example);
  return Json{{"id", rule.id},
              {"name", rule.title},
              {"shortDescription", {{"text", rule.title}}},
              {"fullDescription", {{"text", rule.description}}},
              {"help", {{"text", help}}},
              {"defaultConfiguration", {{"level", SarifLevel(rule.severity)}}},
              {"properties",
               {{"tags", {"security"}},
                {"security-severity", SecuritySeverity(rule.severity)}}}};
}

Json ResultToJson(const Finding& finding, const std::vector<std::string>& rule_ids) {
  std::string text = finding.message;
  if (!finding.location.member.empty()) {
    text += " (in ";
    for (std::size_t i = 0; i < finding.location.member.size(); ++i) {
      if (i != 0) text += " > ";
      text += finding.location.member[i];
    }
    text += ")";
  }
  if (!finding.evidence.empty()) text += " Evidence: " + finding.evidence;
  Json physical = {{"artifactLocation", {{"uri", UriReference(finding.location.path)}}}};
  // SARIF 3.30: a region may be given by bytes for binary files. Offsets inside archive
  // members are not offsets in the file, so they go only in properties.
  if (finding.location.offset && finding.location.member.empty()) {
    physical["region"] = {{"byteOffset", *finding.location.offset}};
  }
  Json result = {{"ruleId", finding.rule}};
  for (std::size_t i = 0; i < rule_ids.size(); ++i) {
    if (rule_ids[i] == finding.rule) result["ruleIndex"] = i;
  }
  result["level"] = SarifLevel(finding.severity);
  result["message"] = {{"text", text}};
  result["locations"] = Json::array({{{"physicalLocation", std::move(physical)}}});
  Json properties = {{"severity", SeverityName(finding.severity)},
                     {"member", finding.location.member}};
  if (finding.location.offset) properties["offset"] = *finding.location.offset;
  if (!finding.evidence.empty()) properties["evidence"] = finding.evidence;
  result["properties"] = std::move(properties);
  return result;
}

}  // namespace

std::string RenderSarif(const Report& report, const ToolInfo& tool,
                        std::span<const RuleInfo> rules) {
  Json rule_table = Json::array();
  std::vector<std::string> rule_ids;
  for (const auto& rule : rules) {
    rule_table.push_back(RuleToJson(rule));
    rule_ids.emplace_back(rule.id);
  }
  Json results = Json::array();
  for (const auto& target : report.targets) {
    for (const auto& finding : target.findings) {
      results.push_back(ResultToJson(finding, rule_ids));
    }
  }
  Json driver = {{"name", tool.name},
                 {"version", tool.version},
                 {"semanticVersion", tool.version},
                 {"rules", std::move(rule_table)}};
  Json run = {{"tool", {{"driver", std::move(driver)}}}, {"results", std::move(results)}};
  Json out = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", Json::array({std::move(run)})}};
  return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace mg
