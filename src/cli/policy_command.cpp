// `modelgate policy init` (a commented starting policy) and `modelgate policy test --policy P
// FOLDER` (what the policy would decide for every model in FOLDER, to roll a policy out
// safely). docs/policy.md documents every key.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "policy/gather.h"
#include "policy/parse.h"
#include "policy/render_decision.h"

namespace mg::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kStartingPolicy =
    R"(# modelgate policy (docs/policy.md lists every key with its type and default).
# Check it with: modelgate policy test --policy policy.yaml MODELS_FOLDER
version: 1

# Who must have signed a model (modelgate sign). Paths are relative to this file.
signatures:
  required: false
  # methods: [key, certificate]
  # keys: [keys/release.pub.pem]
  # certificate_roots: [roots/ca.pem]

# An approved-models list, for teams that pin rather than sign (digest: modelgate hash).
# pinned_digests:
#   unlisted: block
#   models:
#     - model: bert-base
#       digest: sha256:<64 hex digits>

formats:
  # Recognised but not analysable: they could carry code nobody checked.
  forbidden: [java-serialization, onnxruntime-ort]
  # require_signature: [pickle]   # needs keys or certificate_roots above

findings:
  block_at: high            # info, low, medium, high, critical
  incomplete_blocks: true   # a file that could not be fully analysed blocks

# allow:                    # names your own code uses (never overrides the dangerous lists)
#   pickle_globals: ["mylab.*"]
# deny:                     # names that block even when modelgate finds them harmless
#   sparkml_classes: [org.apache.spark.ml.feature.SQLTransformer]

# limits:                   # the scan's limits (docs/cli.md, "Limits")
#   max_file_size: 64G
#   max_time_per_file: 300

# audit_env:                # advisories for the installed torch, Keras, Spark... (audit-env)
#   required: true
#   block_at: high

# exceptions:               # waive findings for a path or a signer, until a date
#   - path: "models/legacy-*"
#     rules: [PICKLE-UNKNOWN-GLOBAL]
#     reason: "reviewed in SEC-123"
#     expires: 2026-12-31

# audit_log: decisions.jsonl   # one JSON line per decision
)";

struct PolicyArgs {
  std::string output;
  std::string policy;
  std::string folder;
};

int RunInit(const PolicyArgs& args) {
  if (!args.output.empty() && args.output != "-" && fs::exists(args.output)) {
    std::cerr << "modelgate: " << args.output << " exists; not overwriting it\n";
    return kExitError;
  }
  return WriteOutput(args.output, std::string(kStartingPolicy)) ? kExitOk : kExitError;
}

int RunTest(const PolicyArgs& args) {
  const policy::PolicyLoad load = policy::LoadPolicy(args.policy);
  if (!load.policy) {
    for (const auto& error : load.errors) {
      std::cerr << "modelgate: policy error: " << error.ToString() << "\n";
    }
    return kExitError;
  }
  std::error_code ec;
  std::vector<std::string> models;
  for (const auto& entry : fs::directory_iterator(args.folder, ec)) {
    models.push_back(entry.path().string());
  }
  if (ec) {
    std::cerr << "modelgate: cannot list " << args.folder << ": " << ec.message() << "\n";
    return kExitError;
  }
  std::sort(models.begin(), models.end());
  const auto now = std::chrono::system_clock::now();
  std::vector<policy::CheckResult> results;
  bool failed = false;
  for (const std::string& model : models) {
    policy::Gathered gathered = policy::GatherEvidence(*load.policy, model);
    for (const std::string& error : gathered.errors) {
      std::cerr << "modelgate: " << model << ": " << error << "\n";
      failed = true;
    }
    policy::Decision decision = policy::Decide(*load.policy, gathered.evidence, now);
    results.push_back({std::move(gathered.evidence), std::move(decision)});
  }
  const auto allowed = std::count_if(results.begin(), results.end(),
                                     [](const auto& result) { return result.decision.allowed(); });
  std::cout << policy::RenderCheckText(*load.policy, results) << allowed << " allowed, "
            << results.size() - static_cast<std::size_t>(allowed) << " blocked\n";
  return failed ? kExitError : kExitOk;
}

}  // namespace

void AddPolicyCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<PolicyArgs>();
  CLI::App* cmd = app.add_subcommand("policy", "Write or try out a policy (docs/policy.md)");
  cmd->require_subcommand(1);
  CLI::App* init = cmd->add_subcommand("init", "Write a commented starting policy");
  init->add_option("-o,--output", args->output, "Write it to FILE (never overwritten)")
      ->option_text("FILE");
  init->callback([args, &exit_code] { exit_code = RunInit(*args); });
  CLI::App* test = cmd->add_subcommand(
      "test", "Show what the policy would decide for every model (entry) in FOLDER");
  test->add_option("--policy", args->policy, "The policy file")->required()->option_text("FILE");
  test->add_option("FOLDER", args->folder, "A folder whose entries are models")->required();
  test->footer("Exit codes: 0 decided (allow or block) for every entry; 2 policy or I/O error.");
  test->callback([args, &exit_code] { exit_code = RunTest(*args); });
}

}  // namespace mg::cli
