#include "policy/render_html.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <utility>

#include "integrity/encoding.h"
#include "render/escape.h"

namespace mg::policy {

namespace {

// Limits on what one cell shows; TerminalSafe says how much was cut.
constexpr std::size_t kPathBytes = 1000;
constexpr std::size_t kEvidenceBytes = 2000;

// Print keeps the colours (print-color-adjust) and also marks the decision with a thick border,
// so that a grey-scale print still tells allow from block.
constexpr std::string_view kStyle = R"css(
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, sans-serif; color: #1a1a1a; margin: 2em auto; max-width: 70em;
  padding: 0 1em; }
h1 { font-size: 1.6em; margin: 0 0 .4em; }
h2 { font-size: 1.3em; border-bottom: 2px solid #444; padding-bottom: .2em; margin-top: 2em;
  overflow-wrap: anywhere; }
h3 { font-size: 1.05em; margin: 1.4em 0 .4em; }
code, pre, .mono { font-family: ui-monospace, monospace; font-size: .92em; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .4em 0; }
th, td { border: 1px solid #bbb; padding: .25em .5em; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; }
th { background: #eee; white-space: nowrap; }
td.sev, td.rule { overflow-wrap: normal; white-space: nowrap; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15em 1em; margin: .4em 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.banner { padding: .6em 1em; border: 3px solid; border-radius: 4px; margin: .6em 0; }
.banner .verdict { font-size: 1.4em; font-weight: 700; letter-spacing: .05em; }
.banner ul { margin: .4em 0 0; padding-left: 1.4em; }
.allow { background: #e6f4ea; border-color: #1e7b34; }
.block { background: #fce8e6; border-color: #b3261e; }
.sev { font-weight: 700; text-transform: uppercase; font-size: .85em; }
.sev-critical { color: #fff; background: #8b0000; }
.sev-high { color: #fff; background: #c5221f; }
.sev-medium { background: #f9ab00; }
.sev-low { background: #fde293; }
.sev-info { background: #e8eaed; }
.blocked { color: #b3261e; font-weight: 700; }
.muted { color: #555; }
footer { margin-top: 3em; font-size: .85em; color: #555; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  section.model { break-before: page; }
  section.model:first-of-type { break-before: auto; }
  tr, .banner, dl.facts { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  .block { border-width: 6px; border-style: double; }
}
)css";

std::string VerdictWord(bool allowed) { return allowed ? "allow" : "block"; }

// <tag>escaped text</tag>
std::string Tag(std::string_view tag, std::string_view raw, std::size_t max_bytes = kPathBytes) {
  return "<" + std::string(tag) + ">" + HtmlSafe(raw, max_bytes) + "</" + std::string(tag) + ">";
}

std::string Fact(std::string_view label, const std::string& html_value) {
  return "<dt>" + std::string(label) + "</dt><dd>" + html_value + "</dd>\n";
}

std::string SeverityCell(Severity severity) {
  const std::string name(SeverityName(severity));
  return "<td class=\"sev sev-" + name + "\">" + name + "</td>";
}

std::string DecisionBanner(const CheckResult& result) {
  const Decision& decision = result.decision;
  const std::string verdict = VerdictWord(decision.allowed());
  std::string html =
      "<div class=\"banner decision " + verdict + "\" data-decision=\"" + verdict +
      "\">\n<div class=\"verdict\">Decision: " + (decision.allowed() ? "ALLOW" : "BLOCK") +
      "</div>\n";
  if (!decision.reasons.empty()) {
    html += "<ul class=\"reasons\">\n";
    for (const Reason& reason : decision.reasons) {
      html += "<li><code>[" + HtmlSafe(reason.clause) + "]</code> " + HtmlSafe(reason.detail);
      if (!reason.rule.empty()) html += " (rule <code>" + HtmlSafe(reason.rule) + "</code>)";
      html += "</li>\n";
    }
    html += "</ul>\n";
  } else if (decision.allowed()) {
    html += "<div>Every clause of the policy is satisfied.</div>\n";
  }
  return html + "</div>\n";
}

std::string ResourceTable(const integrity::Manifest& manifest) {
  std::string html =
      "<table class=\"signed-files\">\n<tr><th>Signed file</th><th>Algorithm</th>"
      "<th>Digest</th></tr>\n";
  for (const integrity::Resource& resource : manifest.resources) {
    html += "<tr>" + Tag("td", resource.name) + Tag("td", resource.algorithm) +
            "<td class=\"mono\">" + integrity::HexEncode(resource.digest) + "</td></tr>\n";
  }
  return html + "</table>\n";
}

std::string IdentitySection(const Evidence& evidence) {
  std::string html = "<h3>Identity and digests</h3>\n<dl class=\"facts\">\n";
  html += Fact("Model", Tag("code", evidence.model_path));
  if (evidence.digest && !evidence.digest->root_digest.empty()) {
    html += Fact("Root digest (OMS)", Tag("code", evidence.digest->root_digest));
  } else if (evidence.digest) {
    html += Fact("Root digest (OMS)", "not computed: " + HtmlSafe(evidence.digest->error));
  } else {
    html += Fact("Root digest (OMS)", "not computed (the policy pins no digests)");
  }
  // The scan hashes files only when asked to; without hashes the column would be all dashes.
  const bool hashed = std::any_of(evidence.scan.targets.begin(), evidence.scan.targets.end(),
                                  [](const Target& target) { return !target.sha256.empty(); });
  html +=
      "</dl>\n<table class=\"files\">\n<tr><th>File</th><th>Format</th><th>Contains</th>"
      "<th>Size (bytes)</th>" +
      std::string(hashed ? "<th>SHA-256</th>" : "") + "<th>Analysis</th></tr>\n";
  for (const Target& target : evidence.scan.targets) {
    std::string contains;
    for (const std::string& format : target.embedded_formats) {
      contains += (contains.empty() ? "" : ", ") + format;
    }
    html += "<tr>" + Tag("td", target.path) + Tag("td", target.format) + Tag("td", contains) +
            "<td>" + (target.size ? std::to_string(*target.size) : "-") + "</td>" +
            (hashed ? "<td class=\"mono\">" + HtmlSafe(target.sha256) + "</td>" : "") +
            Tag("td", TargetStatusName(target.status)) + "</tr>\n";
  }
  return html + "</table>\n";
}

std::string ManifestDiffList(const integrity::ManifestDiff& diff) {
  std::string html;
  const auto list = [&html](std::string_view label, const std::vector<std::string>& names) {
    for (const std::string& name : names) {
      html += "<li>" + std::string(label) + ": <code>" + HtmlSafe(name) + "</code></li>\n";
    }
  };
  list("modified", diff.modified);
  list("not signed", diff.added);
  list("missing", diff.removed);
  return html.empty() ? "" : "<ul class=\"manifest-diff\">\n" + html + "</ul>\n";
}

std::string ProvenanceSection(const Evidence& evidence) {
  std::string html = "<h3>Provenance</h3>\n";
  if (!evidence.verification) {
    return html + "<p>Signature not checked (the policy does not require one).</p>\n";
  }
  const integrity::VerifyOutcome& outcome = *evidence.verification;
  if (outcome.verified() && outcome.signer) {
    const integrity::VerifiedSigner& signer = *outcome.signer;
    html += "<dl class=\"facts\">\n" + Fact("Signature", "verified") +
            Fact("Method", HtmlSafe(signer.method)) +
            Fact("Signed by", Tag("code", signer.identity)) +
            Fact("Issuer", signer.issuer.empty() ? "-" : HtmlSafe(signer.issuer)) +
            Fact("Signed at", signer.signed_at.empty() ? "no trusted signing time for this method"
                                                       : HtmlSafe(signer.signed_at));
    for (const std::string& warning : signer.warnings) html += Fact("Warning", HtmlSafe(warning));
    html += "</dl>\n";
    if (outcome.signed_manifest) html += ResourceTable(*outcome.signed_manifest);
    return html;
  }
  html += "<dl class=\"facts\">\n" +
          Fact("Signature", "<span class=\"blocked\">not verified</span>") +
          Fact("Stopped at", HtmlSafe(integrity::VerifyStageName(outcome.stage))) +
          Fact("Why", HtmlSafe(outcome.message)) + "</dl>\n";
  return html + ManifestDiffList(outcome.diff);
}

std::string SeverityCounts(const Report& report) {
  const Summary summary = report.Summarize();
  std::string html = "<p class=\"summary\">" + std::to_string(summary.findings) + " finding" +
                     (summary.findings == 1 ? "" : "s") + " in " + std::to_string(summary.targets) +
                     " file" + (summary.targets == 1 ? "" : "s");
  std::string counts;
  for (int i = kSeverityCount - 1; i >= 0; --i) {
    if (summary.counts[i] == 0) continue;
    counts += (counts.empty() ? "" : ", ") + std::to_string(summary.counts[i]) + " " +
              std::string(SeverityName(static_cast<Severity>(i)));
  }
  return html + (counts.empty() ? "" : " (" + counts + ")") + ".</p>\n";
}

// Most severe first; within a severity, in report order.
std::string FindingsTable(const Report& report) {
  std::vector<const Finding*> findings;
  for (const Target& target : report.targets) {
    for (const Finding& finding : target.findings) findings.push_back(&finding);
  }
  std::stable_sort(findings.begin(), findings.end(),
                   [](const Finding* a, const Finding* b) { return a->severity > b->severity; });
  std::string html = SeverityCounts(report);
  if (findings.empty()) return html;
  html +=
      "<table class=\"findings\">\n<tr><th>Severity</th><th>Rule</th><th>Location</th>"
      "<th>Finding</th><th>Evidence</th></tr>\n";
  for (const Finding* finding : findings) {
    const std::string location = finding->location.Display();
    html += "<tr>" + SeverityCell(finding->severity) + "<td class=\"rule\"><code>" +
            HtmlSafe(finding->rule) + "</code></td><td><code>" + HtmlSafe(location, kPathBytes) +
            "</code></td>" + Tag("td", finding->message, kEvidenceBytes) +
            "<td class=\"evidence\"><pre>" + HtmlSafe(finding->evidence, kEvidenceBytes) +
            "</pre></td></tr>\n";
  }
  return html + "</table>\n";
}

std::string ExceptionRows(const std::vector<AppliedException>& exceptions, bool expired) {
  std::string html;
  for (const AppliedException& exception : exceptions) {
    html += "<tr><td>" +
            std::string(expired ? "<span class=\"blocked\">expired</span>" : "applied") +
            "</td><td>" + std::to_string(exception.line) + "</td>" + Tag("td", exception.expires) +
            Tag("td", exception.reason) +
            Tag("td", expired ? "no longer applies" : exception.waived, kEvidenceBytes) + "</tr>\n";
  }
  return html;
}

std::string ExceptionsSection(const Decision& decision) {
  std::string html = "<h3>Exceptions</h3>\n";
  if (decision.exceptions_applied.empty() && decision.exceptions_expired.empty()) {
    return html + "<p>None of the policy's exceptions matched this model.</p>\n";
  }
  return html +
         "<table class=\"exceptions\">\n<tr><th>Status</th><th>Policy line</th><th>Expires</th>"
         "<th>Reason</th><th>Waived</th></tr>\n" +
         ExceptionRows(decision.exceptions_applied, false) +
         ExceptionRows(decision.exceptions_expired, true) + "</table>\n";
}

std::string JoinCommand(const std::vector<std::string>& command) {
  std::string joined;
  for (const std::string& part : command) joined += (joined.empty() ? "" : " ") + part;
  return joined;
}

std::string RunEnding(const sandbox::RunReport& run) {
  if (run.exit_status) return "exited with status " + std::to_string(*run.exit_status);
  if (run.signal != 0) {
    const char* abbrev = sigabbrev_np(run.signal);
    return "killed by " + (abbrev != nullptr ? "SIG" + std::string(abbrev)
                                             : "signal " + std::to_string(run.signal));
  }
  return "did not run";
}

std::string IsolationLayers(const sandbox::Isolation& isolation) {
  const std::pair<bool, const char*> layers[] = {
      {isolation.namespaces, "namespaces"},
      {isolation.landlock, "landlock"},
      {isolation.landlock_tcp, "landlock-tcp"},
      {isolation.landlock_scoped, "landlock-scope"},
      {isolation.seccomp, "seccomp"},
      {isolation.no_new_privs, "no-new-privs"},
      {isolation.capabilities_dropped, "capabilities-dropped"},
      {isolation.rlimits, "rlimits"},
      {isolation.monitor, "monitor"}};
  std::string joined;
  for (const auto& [applied, name] : layers) {
    if (applied) joined += (joined.empty() ? "" : ", ") + std::string(name);
  }
  return joined.empty() ? "none" : joined;
}

std::string AttemptsTable(const sandbox::RunReport& run) {
  if (run.attempts.empty()) {
    return std::string("<p>No attempts recorded") +
           (run.isolation.monitor ? "." : " (the monitor was not running).") + "</p>\n";
  }
  std::string html =
      "<table class=\"attempts\">\n<tr><th>Verdict</th><th>System call</th>"
      "<th>Detail</th><th>PID</th></tr>\n";
  for (const sandbox::Attempt& attempt : run.attempts) {
    html += std::string("<tr><td") + (attempt.allowed ? ">allowed" : " class=\"blocked\">BLOCKED") +
            "</td><td><code>" + HtmlSafe(attempt.syscall) + "</code></td><td><pre>" +
            HtmlSafe(attempt.detail, kPathBytes) + "</pre></td><td>" + std::to_string(attempt.pid) +
            "</td></tr>\n";
  }
  html += "</table>\n";
  if (run.attempts_dropped > 0) {
    html +=
        "<p>" + std::to_string(run.attempts_dropped) + " more attempts were not recorded.</p>\n";
  }
  return html;
}

std::string RunFacts(const sandbox::RunReport& run) {
  char resources[160];
  std::snprintf(resources, sizeof(resources), "wall %.3f s, cpu %.3f s, max rss %ld KiB",
                run.wall_seconds, run.cpu_seconds, run.max_rss_kib);
  std::string html = "<dl class=\"facts\">\n";
  html += Fact("Command", Tag("code", JoinCommand(run.command), kEvidenceBytes));
  if (!run.resolved_command.empty()) html += Fact("Executed", Tag("code", run.resolved_command));
  html += Fact("Mode", run.mode == sandbox::Mode::kEnforce ? "enforce" : "observe");
  html +=
      Fact("Outcome", "<strong class=\"outcome\">" + HtmlSafe(sandbox::OutcomeName(run.outcome)) +
                          "</strong> (" + RunEnding(run) + ")");
  if (!run.message.empty()) html += Fact("Note", HtmlSafe(run.message));
  html += Fact("Resources", resources);
  html += Fact("Isolation", "<strong class=\"isolation\">" + HtmlSafe(run.isolation.Level()) +
                                "</strong> (" + IsolationLayers(run.isolation) + "; Landlock ABI " +
                                std::to_string(run.isolation.landlock_abi) + ")");
  if (!run.isolation.fallback.empty()) {
    html += Fact("No namespaces", HtmlSafe(run.isolation.fallback));
  }
  return html + "</dl>\n";
}

std::string TrialLoadSection(const Policy& policy, const Evidence& evidence) {
  std::string html = "<h3>Trial load</h3>\n<div class=\"trial-load\">\n";
  if (!evidence.trial_load) {
    html += policy.trial_load.required
                ? "<p><span class=\"blocked\">Did not run</span>: required by the policy, but no "
                  "trial load was made.</p>\n"
                : "<p>Not required by the policy.</p>\n";
    return html + "</div>\n";
  }
  const TrialLoadEvidence& trial = *evidence.trial_load;
  html += std::string("<p>") +
          (trial.passed ? "<strong>Passed</strong>" : "<strong class=\"blocked\">Failed</strong>") +
          (trial.detail.empty() ? "" : ": " + HtmlSafe(trial.detail)) + "</p>\n";
  if (!policy.trial_load.loader.empty()) {
    std::string loader;
    for (const std::string& argument : policy.trial_load.loader) {
      loader += (loader.empty() ? "" : " ") + argument;
    }
    html += "<p class=\"muted\">Loader from the policy: <code>" + HtmlSafe(loader) +
            "</code>, timeout " +
            std::to_string(policy.trial_load.timeout.count()) + " s.</p>\n";
  }
  if (!trial.run)
    return html + "<p>The sandbox did not start, so there is no run report.</p>\n</div>\n";
  return html + RunFacts(*trial.run) + AttemptsTable(*trial.run) + "</div>\n";
}

std::string ModelSection(const Policy& policy, const CheckResult& result, std::size_t index) {
  const Evidence& evidence = result.evidence;
  std::string html = "<section class=\"model\" id=\"model-" + std::to_string(index) + "\">\n" +
                     Tag("h2", evidence.model_path) + "\n" + DecisionBanner(result) +
                     IdentitySection(evidence) + ProvenanceSection(evidence) +
                     "<h3>Findings</h3>\n" + FindingsTable(evidence.scan) +
                     ExceptionsSection(result.decision) + TrialLoadSection(policy, evidence);
  if (evidence.audit_env) {
    html += "<h3>Environment audit</h3>\n" + FindingsTable(*evidence.audit_env);
  }
  return html + "</section>\n";
}

}  // namespace

std::string HtmlSafe(std::string_view raw, std::size_t max_bytes) {
  const std::string text = TerminalSafe(raw, max_bytes);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string RenderCheckHtml(const Policy& policy, const std::vector<CheckResult>& results,
                            std::chrono::system_clock::time_point now) {
  const bool allowed = AllAllowed(results);
  const std::string verdict = allowed ? "ALLOW" : "BLOCK";
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>Model risk assessment: " +
      verdict + "</title>\n<style>" + std::string(kStyle) +
      "</style>\n</head>\n<body>\n<header>\n<h1>Model risk assessment</h1>\n";
  html += "<div class=\"banner overall " + VerdictWord(allowed) + "\" id=\"overall-decision\" " +
          "data-decision=\"" + VerdictWord(allowed) +
          "\"><div class=\"verdict\">Overall decision: " + verdict + "</div><div>" +
          std::to_string(results.size()) + " model" + (results.size() == 1 ? "" : "s") +
          " judged against the policy.</div></div>\n";
  html += "<dl class=\"facts\">\n" + Fact("Policy", Tag("code", policy.file.string())) +
          Fact("Policy digest", Tag("code", policy.digest)) + Fact("Assessed", Rfc3339(now)) +
          Fact("Tool", std::string("modelgate ") + MODELGATE_VERSION) + "</dl>\n</header>\n";
  for (std::size_t i = 0; i < results.size(); ++i) html += ModelSection(policy, results[i], i + 1);
  html += "<footer>Generated by modelgate " + std::string(MODELGATE_VERSION) +
          ". Strings from the model are shown escaped; control and invisible characters appear "
          "as \\xNN or \\u{XXXX}.</footer>\n</body>\n</html>\n";
  return html;
}

}  // namespace mg::policy
