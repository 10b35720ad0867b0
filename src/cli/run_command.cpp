// `modelgate run [options] --model PATH... -- COMMAND [ARGS...]` (docs/cli.md, docs/sandbox.md).
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "sandbox/environment.h"
#include "sandbox/sandbox.h"

namespace mg::cli {

namespace {

constexpr double kMaxTimeoutSeconds = 7 * 24 * 3600.0;

struct RunArgs {
  std::vector<std::string> models;
  std::vector<std::string> models_at;  // PATH:/dest
  std::vector<std::string> command;
  std::vector<std::string> setenv;
  bool observe = false;
  bool enforce = false;
  bool no_monitor = false;
  bool no_namespaces = false;
  bool require_namespaces = false;
  double timeout_seconds = 600;
  std::string max_file_size = "1G";
  std::string max_memory = "4G";
  std::string max_address_space = "0";
  std::string tmp_size = "256M";
  std::string format = "text";
  std::string report_path;
  sandbox::RunConfig config;
};

bool Usage(const std::string& message) {
  std::cerr << "modelgate run: " << message << "\n";
  return false;
}

bool ParseSize(const std::string& option, const std::string& text, std::uint64_t& out) {
  unsigned long long value = 0;
  if (!ParseByteSize(text, value)) return Usage(option + ": not a size: " + text);
  out = value;
  return true;
}

// Turns the parsed strings into the RunConfig. False (message printed) on a usage error.
bool Finish(RunArgs& args) {
  sandbox::RunConfig& config = args.config;
  config.command = args.command;
  if (args.observe && args.enforce) return Usage("--enforce and --observe exclude each other");
  config.mode = args.observe ? sandbox::Mode::kObserve : sandbox::Mode::kEnforce;
  config.monitor = !args.no_monitor;
  config.await_teardown = false;  // the process exits once the report is written
  if (args.no_namespaces && args.require_namespaces) {
    return Usage("--no-namespaces and --require-namespaces exclude each other");
  }
  config.isolation = args.no_namespaces        ? sandbox::IsolationRequest::kNoNamespaces
                     : args.require_namespaces ? sandbox::IsolationRequest::kNamespaces
                                               : sandbox::IsolationRequest::kAuto;
  for (const std::string& path : args.models) config.models.push_back({path, ""});
  for (const std::string& spec : args.models_at) {
    const std::size_t colon = spec.rfind(":/");
    if (colon == std::string::npos || colon == 0) {
      return Usage("--model-at: expected PATH:/DEST, got " + spec);
    }
    config.models.push_back({spec.substr(0, colon), spec.substr(colon + 1)});
  }
  for (const std::string& name : config.pass_env) {
    if (sandbox::IsSecretName(name)) {
      return Usage("--env: " + name +
                   " looks like a credential and never passes into the "
                   "sandbox (--setenv gives the command a value of your choice)");
    }
  }
  for (const std::string& assignment : args.setenv) {
    const std::size_t eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Usage("--setenv: expected NAME=VALUE, got " + assignment);
    }
    config.set_env.emplace_back(assignment.substr(0, eq), assignment.substr(eq + 1));
  }
  if (!(args.timeout_seconds > 0 && args.timeout_seconds <= kMaxTimeoutSeconds)) {
    return Usage("--timeout: must be more than 0 and at most 7 days");
  }
  config.limits.wall_timeout =
      std::chrono::milliseconds(static_cast<long long>(args.timeout_seconds * 1000.0 + 0.5));
  return ParseSize("--max-file-size", args.max_file_size, config.limits.max_file_size) &&
         ParseSize("--max-memory", args.max_memory, config.limits.max_data) &&
         ParseSize("--max-address-space", args.max_address_space,
                   config.limits.max_address_space) &&
         ParseSize("--tmp-size", args.tmp_size, config.limits.tmp_size);
}

int Execute(RunArgs& args) {
  if (!Finish(args)) return kExitError;
  const sandbox::RunReport report = sandbox::RunSandboxed(args.config);
  const std::string rendered =
      args.format == "json" ? sandbox::RenderRunJson(report) : sandbox::RenderRunText(report);
  // The command's own stdout and stderr pass through; the report goes to stderr or --report.
  if (args.report_path.empty() || args.report_path == "-") {
    std::cerr << rendered << std::flush;
  } else if (!WriteOutput(args.report_path, rendered)) {
    return kExitError;
  }
  return sandbox::RunExitCode(report);
}

}  // namespace

void AddRunCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<RunArgs>();
  sandbox::RunLimits& limits = args->config.limits;
  CLI::App* run = app.add_subcommand(
      "run", "Run a model loader in a sandbox and report what it tried (docs/sandbox.md)");
  run->add_option("--model", args->models, "A model file or folder, read-only at /model/NAME")
      ->allow_extra_args(false);
  run->add_option("--model-at", args->models_at, "PATH:/DEST: a model read-only at /DEST")
      ->allow_extra_args(false);
  run->add_option("--output", args->config.output_dir, "A host folder writable at /output");
  run->add_flag("--enforce", args->enforce,
                "Deny exec of anything but the command, all network (default)");
  run->add_flag("--observe", args->observe,
                "Let execs run inside the sandbox to show the whole chain (still no network)");
  run->add_option("--timeout", args->timeout_seconds,
                  "Wall-clock seconds before the whole sandbox is killed (default 600)");
  run->add_option("--cpu-time", limits.cpu_seconds, "RLIMIT_CPU in seconds (default 600)");
  run->add_option("--max-processes", limits.max_processes, "RLIMIT_NPROC (default 256)");
  run->add_option("--max-open-files", limits.max_open_files, "RLIMIT_NOFILE (default 1024)");
  run->add_option("--max-file-size", args->max_file_size, "RLIMIT_FSIZE (default 1G)");
  run->add_option("--max-memory", args->max_memory, "RLIMIT_DATA (default 4G)");
  run->add_option("--max-address-space", args->max_address_space, "RLIMIT_AS (default 0: not set)");
  run->add_option("--tmp-size", args->tmp_size, "Size of the private /tmp (default 256M)");
  run->add_option("--env", args->config.pass_env, "Pass this variable of the caller's")
      ->allow_extra_args(false);
  run->add_option("--setenv", args->setenv, "NAME=VALUE: set a variable")->allow_extra_args(false);
  run->add_flag("--no-monitor", args->no_monitor, "No seccomp user-notification monitor");
  run->add_flag("--no-namespaces", args->no_namespaces,
                "Use the fallback (Landlock + seccomp only) even where namespaces work");
  run->add_flag("--require-namespaces", args->require_namespaces,
                "Fail instead of falling back when namespaces are not usable");
  run->add_option("--format", args->format, "Report format")
      ->check(CLI::IsMember({"text", "json"}));
  run->add_option("--report", args->report_path, "Write the report here (default: stderr)");
  run->add_option("command", args->command, "The loader command and its arguments, after --")
      ->required();
  run->callback([args, &exit_code] { exit_code = Execute(*args); });
}

}  // namespace mg::cli
