#include "policy/render_decision.h"

#include <algorithm>
#include <ctime>
#include <nlohmann/json.hpp>

#include "engine/rule_catalog.h"
#include "render/escape.h"
#include "render/render.h"
#include "sandbox/outcome.h"

namespace mg::policy {

std::string Rfc3339(std::chrono::system_clock::time_point when) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

bool AllAllowed(const std::vector<CheckResult>& results) {
  return std::all_of(results.begin(), results.end(),
                     [](const CheckResult& result) { return result.decision.allowed(); });
}

namespace {

using Json = nlohmann::ordered_json;

std::string Dump(const Json& json, int indent) {
  return json.dump(indent, ' ', false, Json::error_handler_t::replace);
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

std::string JoinCommand(const std::vector<std::string>& command) {
  std::string joined;
  for (const std::string& argument : command) joined += (joined.empty() ? "" : " ") + argument;
  return joined;
}

std::size_t BlockedAttempts(const sandbox::RunReport& run) {
  std::size_t blocked = 0;
  for (const sandbox::Attempt& attempt : run.attempts) blocked += attempt.allowed ? 0 : 1;
  return blocked;
}

// "VIOLATION, exit status 1, 3 attempts (1 blocked), isolation full".
std::string TrialSummary(const TrialLoadEvidence& trial) {
  if (!trial.run) return trial.detail;
  const sandbox::RunReport& run = *trial.run;
  std::string text(sandbox::OutcomeName(run.outcome));
  if (run.exit_status) text += ", exit status " + std::to_string(*run.exit_status);
  if (run.signal != 0) text += ", signal " + std::to_string(run.signal);
  text += ", " + std::to_string(run.attempts.size()) + " attempt" +
          (run.attempts.size() == 1 ? "" : "s") + " (" + std::to_string(BlockedAttempts(run)) +
          " blocked), isolation " + run.isolation.Level();
  return text;
}

// The trial load: whether it passed, why, and the sandbox's whole run report (modelgate run's
// JSON, docs/sandbox.md): command, outcome, exit status or signal, isolation, every attempt.
Json TrialLoadJson(const Evidence& evidence) {
  if (!evidence.trial_load) return nullptr;
  const TrialLoadEvidence& trial = *evidence.trial_load;
  Json run = nullptr;
  if (trial.run) {
    run = Json::parse(sandbox::RenderRunJson(*trial.run), nullptr, false);
    if (run.is_discarded()) run = nullptr;
  }
  return {{"passed", trial.passed}, {"detail", trial.detail}, {"run", run}};
}

// The audit record keeps the trial load short: whether it passed, its outcome, its one-line
// summary and how many attempts were blocked (the full run is in the JSON report).
Json TrialLoadAuditJson(const Evidence& evidence) {
  if (!evidence.trial_load) return nullptr;
  const TrialLoadEvidence& trial = *evidence.trial_load;
  Json out = {{"passed", trial.passed}, {"summary", TrialSummary(trial)}};
  if (trial.run) {
    out["outcome"] = std::string(sandbox::OutcomeName(trial.run->outcome));
    out["blocked_attempts"] = BlockedAttempts(*trial.run);
  }
  return out;
}

// What ran, how it was isolated, how it ended, and a table of every attempt.
std::string TrialLoadMarkdown(const Policy& policy, const Evidence& evidence) {
  if (!policy.trial_load.required) return "Not required by the policy.\n";
  if (!evidence.trial_load) return "Required by the policy, but none ran.\n";
  const TrialLoadEvidence& trial = *evidence.trial_load;
  std::string md = std::string("Required by the policy: **") +
                   (trial.passed ? "passed" : "failed") + "** (" + MarkdownSafe(trial.detail) +
                   ").\n\n";
  if (!trial.run) return md;
  const sandbox::RunReport& run = *trial.run;
  md += "- Command: " + MarkdownSafe(JoinCommand(run.command)) + "\n";
  md += "- Isolation: " + run.isolation.Level() +
        (run.isolation.fallback.empty() ? "" : " (" + MarkdownSafe(run.isolation.fallback) + ")") +
        "\n";
  md += "- Outcome: " + MarkdownSafe(TrialSummary(trial)) +
        (run.message.empty() ? "" : "; " + MarkdownSafe(run.message)) + "\n";
  if (run.attempts.empty()) return md + "- Attempts: none recorded\n";
  md += "\n| System call | Detail | PID | Result |\n|---|---|---|---|\n";
  for (const sandbox::Attempt& attempt : run.attempts) {
    md += "| " + MarkdownSafe(attempt.syscall) + " | " + MarkdownSafe(attempt.detail) + " | " +
          std::to_string(attempt.pid) + " | " + (attempt.allowed ? "allowed" : "**blocked**") +
          " |\n";
  }
  if (run.attempts_dropped != 0) {
    md += "\n" + std::to_string(run.attempts_dropped) + " more attempts were not recorded.\n";
  }
  return md;
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
    if (result.evidence.trial_load) {
      text += "  trial load: " + TerminalSafe(TrialSummary(*result.evidence.trial_load), 400) +
              "\n";
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
    item["trial_load"] = TrialLoadJson(result.evidence);
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
    md += TrialLoadMarkdown(policy, evidence);
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
                       {"trial_load", TrialLoadAuditJson(result.evidence)},
                       {"decision", DecisionJson(result)}};
  return Dump(record, -1) + "\n";
}

}  // namespace mg::policy
