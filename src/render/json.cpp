// JSON report (docs/report-format.md). Field order is fixed so that output is byte-stable.
#include <array>
#include <nlohmann/json.hpp>

#include "render/confinement.h"
#include "render/render.h"

namespace mg {

namespace {

using Json = nlohmann::ordered_json;

Json FindingToJson(const Finding& finding) {
  Json location = {{"path", finding.location.path}, {"member", finding.location.member}};
  location["offset"] = finding.location.offset ? Json(*finding.location.offset) : Json(nullptr);
  return Json{{"rule", finding.rule},
              {"severity", SeverityName(finding.severity)},
              {"message", finding.message},
              {"location", std::move(location)},
              {"evidence", finding.evidence}};
}

Json TargetToJson(const Target& target) {
  Json findings = Json::array();
  for (const auto& finding : target.findings) findings.push_back(FindingToJson(finding));
  // A target that was never opened (unreadable file, escaping symlink) has a null size; the
  // digest is null too unless it was computed (scan --sha256), rather than a misleading "".
  return Json{{"path", target.path},
              {"format", target.format},
              {"size", target.size ? Json(*target.size) : Json(nullptr)},
              {"sha256", target.sha256.empty() ? Json(nullptr) : Json(target.sha256)},
              {"status", TargetStatusName(target.status)},
              {"findings", std::move(findings)},
              {"embedded_formats", target.embedded_formats}};
}

Json SummaryToJson(const Report& report) {
  const Summary summary = report.Summarize();
  Json counts = Json::object();
  for (int i = 0; i < kSeverityCount; ++i) {
    counts[std::string(SeverityName(static_cast<Severity>(i)))] = summary.counts[i];
  }
  std::array<std::uint64_t, 3> by_status{};
  for (const auto& target : report.targets) ++by_status[static_cast<std::size_t>(target.status)];
  Json statuses = Json::object();
  for (std::size_t i = 0; i < by_status.size(); ++i) {
    statuses[std::string(TargetStatusName(static_cast<TargetStatus>(i)))] = by_status[i];
  }
  return Json{{"targets", summary.targets},
              {"findings", summary.findings},
              {"counts", std::move(counts)},
              {"max_severity",
               summary.max_severity ? SeverityName(*summary.max_severity) : "none"},
              {"statuses", std::move(statuses)}};
}

}  // namespace

std::string RenderJson(const Report& report, const ToolInfo& tool) {
  Json targets = Json::array();
  for (const auto& target : report.targets) targets.push_back(TargetToJson(target));
  Json out = {{"schema_version", kReportSchemaVersion},
              {"tool", {{"name", tool.name}, {"version", tool.version}}},
              {"targets", std::move(targets)},
              {"summary", SummaryToJson(report)}};
  if (report.confinement) out["confinement"] = ConfinementToJson(*report.confinement);
  // ASCII only (\uXXXX escapes), so that printing the report on a terminal is as safe as the
  // text renderer; invalid UTF-8 from a file (a name, evidence) becomes U+FFFD, never an error.
  return out.dump(2, ' ', true, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace mg
