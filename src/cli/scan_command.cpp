// `modelgate scan [options] PATH...` (docs/cli.md).
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <map>
#include <memory>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "engine/engine.h"
#include "engine/rule_catalog.h"
#include "render/render.h"

namespace mg::cli {

namespace {

struct ScanArgs {
  std::vector<std::string> paths;
  std::string format = "text";
  std::string output;
  std::string fail_on = "medium";
  std::string color = "auto";
  unsigned jobs = 0;
  std::string max_file_size;
  std::string max_decompressed;
  std::uint32_t max_depth = Limits{}.max_depth;
  std::uint64_t max_opcodes = Limits{}.max_pickle_opcodes;
  double timeout_seconds =
      std::chrono::duration<double>(Limits{}.max_time_per_file).count();
};

bool UseColor(const ScanArgs& args) {
  if (args.color == "always") return true;
  if (args.color == "never" || !args.output.empty()) return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  return ::isatty(STDOUT_FILENO) == 1;
}

int RunScan(const ScanArgs& args) {
  ScanOptions options;
  options.jobs = args.jobs;
  options.limits.max_depth = args.max_depth;
  options.limits.max_pickle_opcodes = args.max_opcodes;
  options.limits.max_time_per_file = std::chrono::milliseconds(
      static_cast<std::int64_t>(args.timeout_seconds * 1000.0));
  unsigned long long bytes = 0;
  if (!args.max_file_size.empty()) {
    if (!ParseByteSize(args.max_file_size, bytes)) {
      std::cerr << "modelgate: --max-file-size: not a size: " << args.max_file_size << "\n";
      return kExitError;
    }
    options.limits.max_file_size = bytes;
  }
  if (!args.max_decompressed.empty()) {
    if (!ParseByteSize(args.max_decompressed, bytes)) {
      std::cerr << "modelgate: --max-decompressed: not a size: " << args.max_decompressed
                << "\n";
      return kExitError;
    }
    options.limits.max_decompressed_bytes = bytes;
  }
  const Severity fail_on = *ParseSeverity(args.fail_on);

  ScanOutcome outcome = Scan(args.paths, options);
  for (const auto& error : outcome.errors) std::cerr << "modelgate: " << error << "\n";

  ToolInfo tool;
  tool.version = MODELGATE_VERSION;
  std::string rendered;
  if (args.format == "json") {
    rendered = RenderJson(outcome.report, tool);
  } else if (args.format == "sarif") {
    const auto rules = AllRules();
    rendered = RenderSarif(outcome.report, tool, rules);
  } else {
    rendered = RenderText(outcome.report, TextOptions{UseColor(args)});
  }
  if (!WriteOutput(args.output, rendered)) return kExitError;
  if (!outcome.errors.empty()) return kExitError;
  const auto max = outcome.report.Summarize().max_severity;
  return max && *max >= fail_on ? kExitFindings : kExitOk;
}

}  // namespace

void AddScanCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ScanArgs>();
  CLI::App* cmd = app.add_subcommand(
      "scan", "Analyse model files and folders without loading them; report findings");
  cmd->add_option("PATH", args->paths, "Files or folders to scan (folders recursively)")
      ->required();
  cmd->add_option("--format", args->format, "Report format")
      ->check(CLI::IsMember({"text", "json", "sarif"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", args->output, "Write the report to FILE instead of stdout");
  cmd->add_option("--fail-on", args->fail_on,
                  "Exit 1 when a finding is at or above this severity")
      ->check(CLI::IsMember({"info", "low", "medium", "high", "critical"}))
      ->capture_default_str();
  cmd->add_option("-j,--jobs", args->jobs, "Files analysed in parallel (0 = one per core)")
      ->capture_default_str();
  cmd->add_option("--color", args->color, "Colour in the text report")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  cmd->add_option("--max-file-size", args->max_file_size,
                  "Largest file analysed, in bytes or with K/M/G/T (default 64G)");
  cmd->add_option("--max-depth", args->max_depth,
                  "Deepest nesting of archives and embedded payloads")
      ->capture_default_str();
  cmd->add_option("--max-decompressed", args->max_decompressed,
                  "Bytes decompressed or decoded per file (default 4G)");
  cmd->add_option("--max-opcodes", args->max_opcodes, "Opcodes executed per pickle stream")
      ->capture_default_str();
  cmd->add_option("--timeout", args->timeout_seconds, "Seconds spent on one file")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->callback([args, &exit_code] { exit_code = RunScan(*args); });
}

}  // namespace mg::cli
