// SARIF 2.1.0 (OASIS) in the subset GitHub code scanning reads ("SARIF support for code
// scanning"): one reportingDescriptor per rule ID with text and markdown help and a
// security-severity; results with a level, a message, one physical location whose URI is
// relative to the repository root, and partialFingerprints. Mapping: docs/report-format.md.
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "core/sha256.h"
#include "render/confinement.h"
#include "render/escape.h"
#include "render/render.h"

namespace mg {

namespace {

using Json = nlohmann::ordered_json;

// Evidence can be megabytes (a long string argument); SARIF files have upload size limits.
constexpr std::size_t kMaxSarifEvidenceBytes = 1000;
constexpr std::string_view kSourceRootId = "%SRCROOT%";
constexpr std::string_view kFingerprintKey = "modelgateFinding/v1";

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

// GitHub turns security-severity scores into its labels: over 9.0 critical, 7.0-8.9 high,
// 4.0-6.9 medium, 0.1-3.9 low. Info findings are facts, not security problems: no score.
std::optional<std::string_view> SecuritySeverity(Severity severity) {
  switch (severity) {
    case Severity::kCritical: return "9.5";
    case Severity::kHigh: return "8.0";
    case Severity::kMedium: return "5.5";
    case Severity::kLow: return "3.0";
    case Severity::kInfo: return std::nullopt;
  }
  return std::nullopt;
}

// RFC 3986: percent-encodes every byte but unreserved characters and '/'.
std::string PercentEncode(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    const bool keep = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                      (byte >= '0' && byte <= '9') ||
                      std::string_view("-._~/").find(c) != std::string_view::npos;
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

std::string FileUri(const std::filesystem::path& absolute) {
  return "file://" + PercentEncode(absolute.generic_string());
}

// The artifactLocation for a path as given on the command line.
Json ArtifactLocation(const std::string& path, const SarifOptions& options) {
  namespace fs = std::filesystem;
  const fs::path given(path);
  if (options.source_root.empty()) {
    if (given.is_absolute()) return Json{{"uri", FileUri(given.lexically_normal())}};
    return Json{{"uri", PercentEncode(given.lexically_normal().generic_string())}};
  }
  const fs::path root = fs::path(options.source_root).lexically_normal();
  const fs::path absolute = (given.is_absolute() ? given : root / given).lexically_normal();
  const fs::path relative = absolute.lexically_relative(root);
  if (relative.empty() || *relative.begin() == "..") return Json{{"uri", FileUri(absolute)}};
  return Json{{"uri", PercentEncode(relative.generic_string())}, {"uriBaseId", kSourceRootId}};
}

// "ScanSymlinkEscape" for SCAN-SYMLINK-ESCAPE: SARIF wants an identifier-like rule name.
std::string PascalName(std::string_view id) {
  std::string out;
  bool upper = true;
  for (const char c : id) {
    if (c == '-' || c == '_') {
      upper = true;
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    out += static_cast<char>(upper ? std::toupper(byte) : std::tolower(byte));
    upper = false;
  }
  return out;
}

// The analyzer prefix of a rule ID in lower case ("pickle" for PICKLE-DANGEROUS-CALL).
std::string RuleFamily(std::string_view id) {
  std::string family(id.substr(0, id.find('-')));
  for (char& c : family) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return family;
}

Json RuleToJson(const RuleInfo& rule) {
  std::string text = std::string(rule.description);
  std::string markdown = "**" + std::string(rule.title) + "** (default severity: " +
                         std::string(SeverityName(rule.severity)) + ")\n\n" +
                         std::string(rule.description);
  if (!rule.example.empty()) {
    text += "\n\nExample: " + std::string(rule.example);
    markdown += "\n\nExample:\n\n```\n" + std::string(rule.example) + "\n```";
  }
  Json tags = Json::array();
  if (rule.severity > Severity::kInfo) tags.push_back("security");
  tags.push_back(RuleFamily(rule.id));
  Json properties = {{"tags", std::move(tags)}};
  if (const auto score = SecuritySeverity(rule.severity)) properties["security-severity"] = *score;
  return Json{{"id", rule.id},
              {"name", PascalName(rule.id)},
              {"shortDescription", {{"text", rule.title}}},
              {"fullDescription", {{"text", rule.description}}},
              {"help", {{"text", std::move(text)}, {"markdown", std::move(markdown)}}},
              {"defaultConfiguration", {{"level", SarifLevel(rule.severity)}}},
              {"properties", std::move(properties)}};
}

// For a finding whose rule is missing from the catalogue (a bug, but the report must not lose
// the finding): a descriptor that says so.
RuleInfo UncataloguedRule(const Finding& finding) {
  return RuleInfo{finding.rule, finding.severity, finding.rule,
                  "This rule ID is not in this build's rule catalogue.", ""};
}

std::string MessageText(const Finding& finding) {
  std::string text = finding.message;
  if (!finding.location.member.empty()) {
    text += " (in ";
    for (std::size_t i = 0; i < finding.location.member.size(); ++i) {
      if (i != 0) text += " > ";
      text += finding.location.member[i];
    }
    text += ")";
  }
  if (finding.location.offset) {
    text += " At offset " + std::to_string(*finding.location.offset) + ".";
  }
  if (!finding.evidence.empty()) {
    text += " Evidence: " + Utf8Truncate(finding.evidence, kMaxSarifEvidenceBytes);
  }
  return text;
}

// Stable across runs and independent of offsets (a rebuilt model shifts them): what was found
// and where, plus an occurrence number so that identical findings stay distinct alerts.
std::string Fingerprint(const Finding& finding, const std::string& uri,
                        std::map<std::string, int>& occurrences) {
  std::string key = finding.rule + '\0' + uri;
  for (const auto& member : finding.location.member) key += '\0' + member;
  key += '\0' + (finding.evidence.empty() ? finding.message : finding.evidence);
  const int occurrence = occurrences[key]++;
  key += '\0' + std::to_string(occurrence);
  return Sha256Hex(ByteView(key)).substr(0, 32);
}

Json ResultToJson(const Finding& finding, std::size_t rule_index, const SarifOptions& options,
                  std::map<std::string, int>& occurrences) {
  Json artifact = ArtifactLocation(finding.location.path, options);
  const std::string uri = artifact["uri"];
  // Model files have no lines: line 1 stands for the file (GitHub wants a startLine); the byte
  // offset and the member chain are in the message and the properties.
  Json physical = {{"artifactLocation", std::move(artifact)}, {"region", {{"startLine", 1}}}};
  Json result = {{"ruleId", finding.rule},
                 {"ruleIndex", rule_index},
                 {"level", SarifLevel(finding.severity)},
                 {"message", {{"text", MessageText(finding)}}},
                 {"locations", Json::array({{{"physicalLocation", std::move(physical)}}})},
                 {"partialFingerprints",
                  {{kFingerprintKey, Fingerprint(finding, uri, occurrences)}}}};
  Json properties = {{"severity", SeverityName(finding.severity)}};
  if (const auto score = SecuritySeverity(finding.severity)) {
    properties["security-severity"] = *score;
  }
  properties["member"] = finding.location.member;
  properties["offset"] =
      finding.location.offset ? Json(*finding.location.offset) : Json(nullptr);
  if (!finding.evidence.empty()) {
    properties["evidence"] = Utf8Truncate(finding.evidence, kMaxSarifEvidenceBytes);
  }
  result["properties"] = std::move(properties);
  return result;
}

}  // namespace

std::string RenderSarif(const Report& report, const ToolInfo& tool,
                        std::span<const RuleInfo> rules, const SarifOptions& options) {
  std::vector<RuleInfo> table(rules.begin(), rules.end());
  std::map<std::string, std::size_t, std::less<>> index_of;
  for (std::size_t i = 0; i < table.size(); ++i) index_of.emplace(std::string(table[i].id), i);
  Json results = Json::array();
  std::map<std::string, int> occurrences;
  for (const auto& target : report.targets) {
    for (const auto& finding : target.findings) {
      auto [it, added] = index_of.emplace(finding.rule, table.size());
      if (added) table.push_back(UncataloguedRule(finding));
      results.push_back(ResultToJson(finding, it->second, options, occurrences));
    }
  }
  Json rule_table = Json::array();
  for (const auto& rule : table) rule_table.push_back(RuleToJson(rule));

  Json driver = {{"name", tool.name}, {"version", tool.version}};
  if (!tool.version.empty()) driver["semanticVersion"] = tool.version;
  if (!tool.information_uri.empty()) driver["informationUri"] = tool.information_uri;
  driver["rules"] = std::move(rule_table);
  Json run = {{"tool", {{"driver", std::move(driver)}}}};
  if (!options.source_root.empty()) {
    std::string root_uri = FileUri(std::filesystem::path(options.source_root).lexically_normal());
    if (root_uri.back() != '/') root_uri += '/';
    run["originalUriBaseIds"] = {{kSourceRootId, {{"uri", root_uri}}}};
  }
  run["results"] = std::move(results);
  // A run property bag (SARIF 2.1.0 §3.8): how the scanner confined itself while parsing.
  if (report.confinement) {
    run["properties"] = {{"confinement", ConfinementToJson(*report.confinement)}};
  }
  Json out = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", Json::array({std::move(run)})}};
  return out.dump(2, ' ', true, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace mg
