// JSON report (docs/report-format.md). Field order is fixed so that output is byte-stable.
#include <nlohmann/json.hpp>

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

Json SummaryToJson(const Summary& summary) {
  Json counts = Json::object();
  for (int i = 0; i < kSeverityCount; ++i) {
    counts[std::string(SeverityName(static_cast<Severity>(i)))] = summary.counts[i];
  }
  return Json{{"targets", summary.targets},
              {"findings", summary.findings},
              {"counts", std::move(counts)},
              {"max_severity",
               summary.max_severity ? SeverityName(*summary.max_severity) : "none"}};
}

}  // namespace

std::string RenderJson(const Report& report, const ToolInfo& tool) {
  Json targets = Json::array();
  for (const auto& target : report.targets) {
    Json findings = Json::array();
    for (const auto& finding : target.findings) findings.push_back(FindingToJson(finding));
    targets.push_back(Json{{"path", target.path},
                           {"format", target.format},
                           {"size", target.size},
                           {"sha256", target.sha256},
                           {"status", TargetStatusName(target.status)},
                           {"findings", std::move(findings)}});
  }
  Json out = {{"schema_version", kReportSchemaVersion},
              {"tool", {{"name", tool.name}, {"version", tool.version}}},
              {"targets", std::move(targets)},
              {"summary", SummaryToJson(report.Summarize())}};
  // Invalid UTF-8 from a file (a name, an evidence string) is replaced, never fatal.
  return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace mg
