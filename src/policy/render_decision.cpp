#include "policy/render_decision.h"

#include <ctime>
#include <nlohmann/json.hpp>

#include "engine/rule_catalog.h"
#include "render/escape.h"
#include "render/render.h"

namespace mg::policy {

namespace {

using Json = nlohmann::ordered_json;

std::string Dump(const Json& json, int indent) {
  return json.dump(indent, ' ', false, Json::error_handler_t::replace);
}

std::string Rfc3339(std::chrono::system_clock::time_point when) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

Json SignerJson(const Evidence& evidence) {
  const auto& outcome = evidence.verification;
  if (!outcome || !outcome->signer || !outcome->verified()) return nullptr;
  return {{"method", outcome->signer->method},
          {"identity", outcome->signer->identity},
          {"issuer", outcome->signer->issuer}};
}

Json SummaryJson(const Report& report) {
  const Summary summary = report.Summarize();
  Json counts = Json::object();
  for (int i = kSeverityCount - 1; i >= 0; --i) {
    counts[std::string(SeverityName(static_cast<Severity>(i)))] = summary.counts[i];
  }
  return {
      {"targets", summary.targets},
      {"findings", summary.findings},
      {"max_severity", summary.max_severity ? Json(std::string(SeverityName(*summary.max_severity)))
                                            : Json(nullptr)},
      {"by_severity", counts}};
}

Json ExceptionsJson(const std::vector<AppliedException>& exceptions) {
  Json list = Json::array();
  for (const AppliedException& exception : exceptions) {
    list.push_back({{"line", exception.line},
                    {"reason", exception.reason},
                    {"expires", exception.expires},
                    {"detail", exception.waived}});
  }
  return list;
}

Json DecisionJson(const CheckResult& result) {
  Json reasons = Json::array();
  for (const Reason& reason : result.decision.reasons) {
    Json item = {{"clause", reason.clause}, {"detail", reason.detail}};
    if (!reason.rule.empty()) item["rule"] = reason.rule;
    reasons.push_back(item);
  }
  return {{"decision", VerdictName(result.decision.verdict)},
          {"reasons", reasons},
          {"exceptions_applied", ExceptionsJson(result.decision.exceptions_applied)},
          {"exceptions_expired", ExceptionsJson(result.decision.exceptions_expired)}};
}

Json VerificationJson(const Evidence& evidence) {
  if (!evidence.verification) return nullptr;
  const auto& outcome = *evidence.verification;
  return {{"verified", outcome.verified()},
          {"stage", integrity::VerifyStageName(outcome.stage)},
          {"message", outcome.message},
          {"signer", SignerJson(evidence)}};
}

Json RootDigestJson(const Evidence& evidence) {
  if (!evidence.digest || evidence.digest->root_digest.empty()) return nullptr;
  return evidence.digest->root_digest;
}

ToolInfo Tool() {
  ToolInfo tool;
  tool.version = MODELGATE_VERSION;
  return tool;
}

bool AllAllowed(const std::vector<CheckResult>& results) {
  for (const CheckResult& result : results) {
    if (!result.decision.allowed()) return false;
  }
  return true;
}

// Pipes and newlines would break a markdown table row or list item.
std::string MarkdownSafe(std::string_view raw) {
  std::string text = TerminalSafe(raw, 400);
  std::string out;
  for (char c : text) {
    if (c == '|' || c == '`' || c == '*' || c == '_' || c == '<' || c == '>' || c == '[' ||
        c == ']') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

}  // namespace

std::string RenderCheckText(const Policy& policy, const std::vector<CheckResult>& results) {
  std::string text;
  for (const CheckResult& result : results) {
    const Decision& decision = result.decision;
    text += (decision.allowed() ? "ALLOW " : "BLOCK ") + TerminalSafe(result.evidence.model_path) +
            "\n";
    for (const Reason& reason : decision.reasons) {
      text += "  [" + reason.clause + "] " + TerminalSafe(reason.detail, 400) + "\n";
    }
    for (const AppliedException& exception : decision.exceptions_applied) {
      text += "  exception (policy line " + std::to_string(exception.line) + ", until " +
              exception.expires + ", " + TerminalSafe(exception.reason) +
              ") waived: " + TerminalSafe(exception.waived, 400) + "\n";
    }
    for (const AppliedException& exception : decision.exceptions_expired) {
      text += "  exception (policy line " + std::to_string(exception.line) + ") expired on " +
              exception.expires + " and no longer applies\n";
    }
  }
  text += "policy " + TerminalSafe(policy.file.string()) + " (" + policy.digest +
          "): " + (AllAllowed(results) ? "allow" : "block") + "\n";
  return text;
}

std::string RenderCheckJson(const Policy& policy, const std::vector<CheckResult>& results) {
  Json models = Json::array();
  for (const CheckResult& result : results) {
    Json item = {{"model", result.evidence.model_path}};
    item.update(DecisionJson(result));
    item["root_digest"] = RootDigestJson(result.evidence);
    item["verification"] = VerificationJson(result.evidence);
    item["summary"] = SummaryJson(result.evidence.scan);
    item["report"] = Json::parse(RenderJson(result.evidence.scan, Tool()), nullptr, false);
    models.push_back(item);
  }
  const Json json = {{"tool", std::string(kToolName)},
                     {"version", MODELGATE_VERSION},
                     {"policy", {{"file", policy.file.string()}, {"digest", policy.digest}}},
                     {"decision", AllAllowed(results) ? "allow" : "block"},
                     {"models", models}};
  return Dump(json, 2) + "\n";
}

std::string RenderCheckSarif(const Policy& policy, const std::vector<CheckResult>& results) {
  Report combined;
  for (const CheckResult& result : results) {
    for (const Target& target : result.evidence.scan.targets) combined.targets.push_back(target);
  }
  Json sarif = Json::parse(RenderSarif(combined, Tool(), AllRules()), nullptr, false);
  if (sarif.is_discarded() || !sarif.contains("runs") || sarif["runs"].empty()) return "";
  Json& run = sarif["runs"][0];
  // The decision as a result of its own, so that a dashboard shows why a model was blocked.
  Json& rules = run["tool"]["driver"]["rules"];
  rules.push_back(
      {{"id", "POLICY-DECISION"},
       {"shortDescription", {{"text", "Policy decision for a model"}}},
       {"fullDescription",
        {{"text", "modelgate check judged the model against " + policy.file.filename().string() +
                      " (" + policy.digest + ")."}}}});
  for (const CheckResult& result : results) {
    std::string message = "Policy decision: " + std::string(VerdictName(result.decision.verdict));
    for (const Reason& reason : result.decision.reasons) {
      message += "; [" + reason.clause + "] " + reason.detail;
    }
    run["results"].push_back(
        {{"ruleId", "POLICY-DECISION"},
         {"ruleIndex", rules.size() - 1},
         {"level", result.decision.allowed() ? "note" : "error"},
         {"message", {{"text", message}}},
         {"locations",
          Json::array({{{"physicalLocation",
                         {{"artifactLocation", {{"uri", result.evidence.model_path}}}}}}})}});
  }
  return Dump(sarif, 2) + "\n";
}

std::string RenderCheckMarkdown(const Policy& policy, const std::vector<CheckResult>& results,
                                std::chrono::system_clock::time_point now) {
  std::string md = "# Model risk assessment\n\n";
  md += "- Policy: " + MarkdownSafe(policy.file.string()) + " (`" + policy.digest + "`)\n";
  md += "- Assessed: " + Rfc3339(now) + " by modelgate " + MODELGATE_VERSION + "\n";
  md += std::string("- Overall decision: **") + (AllAllowed(results) ? "ALLOW" : "BLOCK") + "**\n";
  for (const CheckResult& result : results) {
    const Evidence& evidence = result.evidence;
    md += "\n## " + MarkdownSafe(evidence.model_path) + "\n\n### Identity\n\n";
    md += "- Root digest (OMS): " +
          (evidence.digest && !evidence.digest->root_digest.empty()
               ? "`" + evidence.digest->root_digest + "`"
               : std::string("not computed")) +
          "\n";
    md += "\n| File | Format | Contains | Size | Status |\n|---|---|---|---|---|\n";
    for (const Target& target : evidence.scan.targets) {
      std::string contains;
      for (const std::string& format : target.embedded_formats) {
        contains += (contains.empty() ? "" : ", ") + format;
      }
      md += "| " + MarkdownSafe(target.path) + " | " + target.format + " | " + contains + " | " +
            (target.size ? std::to_string(*target.size) : "-") + " | " +
            std::string(TargetStatusName(target.status)) + " |\n";
    }
    md += "\n### Provenance\n\n";
    if (!evidence.verification) {
      md += "Signature not checked (the policy does not require one).\n";
    } else if (evidence.verification->verified() && evidence.verification->signer) {
      const auto& signer = *evidence.verification->signer;
      md += "Signed (" + signer.method + ") by " + MarkdownSafe(signer.identity) +
            (signer.issuer.empty() ? "" : ", issuer " + MarkdownSafe(signer.issuer)) + ".\n";
    } else {
      md += "Not verified (" +
            std::string(integrity::VerifyStageName(evidence.verification->stage)) +
            "): " + MarkdownSafe(evidence.verification->message) + "\n";
    }
    md += "\n### Findings\n\n";
    bool any = false;
    for (const Target& target : evidence.scan.targets) {
      for (const Finding& finding : target.findings) {
        any = true;
        md += "- **" + std::string(SeverityName(finding.severity)) + "** " + finding.rule + " at " +
              MarkdownSafe(finding.location.Display()) + ": " + MarkdownSafe(finding.message) +
              "\n";
        if (!finding.evidence.empty())
          md += "  - evidence: " + MarkdownSafe(finding.evidence) + "\n";
      }
    }
    if (!any) md += "None.\n";
    md += "\n### Trial load\n\n";
    md += policy.trial_load.required
              ? "Required by the policy; the sandbox is not available in this build, so none ran.\n"
              : "Not required by the policy.\n";
    md += std::string("\n### Decision: **") + (result.decision.allowed() ? "ALLOW" : "BLOCK") +
          "**\n\n";
    for (const Reason& reason : result.decision.reasons) {
      md += "- [" + reason.clause + "] " + MarkdownSafe(reason.detail) + "\n";
    }
    for (const AppliedException& exception : result.decision.exceptions_applied) {
      md += "- Exception (policy line " + std::to_string(exception.line) + ", until " +
            exception.expires + "): " + MarkdownSafe(exception.reason) + "; waived " +
            MarkdownSafe(exception.waived) + "\n";
    }
    for (const AppliedException& exception : result.decision.exceptions_expired) {
      md += "- Exception (policy line " + std::to_string(exception.line) + ") expired on " +
            exception.expires + " and no longer applies\n";
    }
  }
  return md;
}

std::string AuditRecord(const Policy& policy, const CheckResult& result,
                        std::chrono::system_clock::time_point now) {
  const Json record = {{"time", Rfc3339(now)},
                       {"model", result.evidence.model_path},
                       {"root_digest", RootDigestJson(result.evidence)},
                       {"signer", SignerJson(result.evidence)},
                       {"policy", policy.file.string()},
                       {"policy_digest", policy.digest},
                       {"findings", SummaryJson(result.evidence.scan)},
                       {"decision", DecisionJson(result)}};
  return Dump(record, -1) + "\n";
}

}  // namespace mg::policy
