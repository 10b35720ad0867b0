// `modelgate check --policy P MODEL...`: gathers the evidence the policy asks for, decides
// allow or block for each model (src/policy/), renders the decision and appends the audit
// record. Exit 0 when every model is allowed, 1 when one is blocked, 2 on any error.
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "policy/gather.h"
#include "policy/parse.h"
#include "policy/render_decision.h"
#include "policy/render_html.h"

namespace mg::cli {

namespace {

struct CheckArgs {
  std::string policy;
  std::string format = "text";
  std::string output;
  std::vector<std::string> models;
};

bool AppendAuditLog(const policy::Policy& policy, const std::vector<policy::CheckResult>& results,
                    std::chrono::system_clock::time_point now) {
  std::ofstream log(policy.audit_log, std::ios::app | std::ios::binary);
  for (const policy::CheckResult& result : results) log << policy::AuditRecord(policy, result, now);
  log.flush();
  if (!log) {
    std::cerr << "modelgate: cannot append to the audit log " << policy.audit_log << "\n";
    return false;
  }
  return true;
}

std::string Render(const CheckArgs& args, const policy::Policy& policy,
                   const std::vector<policy::CheckResult>& results,
                   std::chrono::system_clock::time_point now) {
  if (args.format == "json") return policy::RenderCheckJson(policy, results);
  if (args.format == "sarif") return policy::RenderCheckSarif(policy, results);
  if (args.format == "markdown") return policy::RenderCheckMarkdown(policy, results, now);
  if (args.format == "html") return policy::RenderCheckHtml(policy, results, now);
  return policy::RenderCheckText(policy, results);
}

int RunCheck(const CheckArgs& args) {
  const policy::PolicyLoad load = policy::LoadPolicy(args.policy);
  if (!load.policy) {
    for (const policy::PolicyError& error : load.errors) {
      std::cerr << "modelgate: policy error: " << error.ToString() << "\n";
    }
    return kExitError;
  }
  const policy::Policy& policy = *load.policy;
  const auto now = std::chrono::system_clock::now();
  std::vector<policy::CheckResult> results;
  bool failed = false;
  for (const std::string& model : args.models) {
    policy::Gathered gathered = policy::GatherEvidence(policy, model);
    for (const std::string& error : gathered.errors) {
      std::cerr << "modelgate: " << model << ": " << error << "\n";
      failed = true;
    }
    policy::Decision decision = policy::Decide(policy, gathered.evidence, now);
    results.push_back({std::move(gathered.evidence), std::move(decision)});
  }
  if (!WriteOutput(args.output, Render(args, policy, results, now))) return kExitError;
  if (!policy.audit_log.empty() && !AppendAuditLog(policy, results, now)) return kExitError;
  if (failed) return kExitError;
  for (const policy::CheckResult& result : results) {
    if (!result.decision.allowed()) return kExitFindings;
  }
  return kExitOk;
}

}  // namespace

void AddCheckCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<CheckArgs>();
  CLI::App* cmd = app.add_subcommand(
      "check", "Decide with a policy file whether each model may be loaded (docs/policy.md)");
  cmd->add_option("--policy", args->policy, "The policy file (YAML)")
      ->required()
      ->option_text("FILE");
  cmd->add_option("-f,--format", args->format, "text, json, sarif, markdown or html (default text)")
      ->check(CLI::IsMember({"text", "json", "sarif", "markdown", "html"}))
      ->option_text("FORMAT");
  cmd->add_option("-o,--output", args->output, "Write the report to FILE instead of stdout")
      ->option_text("FILE");
  cmd->add_option("MODEL", args->models, "Model folders or files")->required();
  cmd->footer(
      "Exit codes: 0 every model allowed; 1 a model blocked; 2 policy error, unreadable model "
      "or\nunusable trust material.");
  cmd->callback([args, &exit_code] { exit_code = RunCheck(*args); });
}

}  // namespace mg::cli
