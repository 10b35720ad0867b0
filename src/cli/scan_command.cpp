// `modelgate scan [options] PATH...` (docs/cli.md).
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/render_report.h"
#include "engine/engine.h"
#include "sandbox/scan_confinement.h"

namespace mg::cli {

namespace {

// Nesting is analysed by recursion; this keeps the stack bounded whatever the user asks.
constexpr std::uint32_t kMaxDepthCeiling = 64;
constexpr unsigned kMaxJobs = 1024;
constexpr double kMaxTimeoutSeconds = 7 * 24 * 3600.0;

struct ScanArgs {
  std::vector<std::string> paths;
  std::string format = "text";
  std::string output;
  std::string fail_on = "medium";
  std::string min_severity = "info";
  std::string color = "auto";
  bool quiet = false;
  bool sha256 = false;
  bool no_self_confine = false;
  unsigned jobs = 0;
  Limits limits;
  double timeout_seconds = std::chrono::duration<double>(Limits{}.max_time_per_file).count();
};

// One line on stderr when the report went to a file, so that CI logs still say what happened.
void PrintSummaryLine(const ScanArgs& args, const Report& report) {
  const Summary summary = report.Summarize();
  std::cerr << "modelgate: wrote " << args.output << ": " << summary.targets
            << (summary.targets == 1 ? " file, " : " files, ") << summary.findings
            << (summary.findings == 1 ? " finding" : " findings") << ", highest severity "
            << (summary.max_severity ? SeverityName(*summary.max_severity) : "none") << "\n";
}

// The report as shown: findings below --min-severity left out (statuses are kept, so that an
// incomplete file still says so).
Report Shown(const Report& report, Severity min_severity) {
  Report shown = report;
  for (auto& target : shown.targets) {
    std::erase_if(target.findings,
                  [&](const Finding& finding) { return finding.severity < min_severity; });
  }
  return shown;
}

// Landlock read-only on the targets, seccomp without exec or network (docs/sandbox.md).
Confinement ConfineUnlessAskedNot(const ScanArgs& args) {
  if (args.no_self_confine) {
    Confinement off;
    off.requested = false;
    off.detail = "--no-self-confine";
    return off;
  }
  return sandbox::ConfineScan(args.paths);
}

bool WriteReport(const ScanArgs& args, std::ofstream& file, const std::string& text) {
  if (!file.is_open()) return WriteOutput(args.output, text);
  file << text << std::flush;
  if (!file) {
    std::cerr << "modelgate: cannot write " << args.output << ": " << std::strerror(errno) << "\n";
    return false;
  }
  return true;
}

int RunScan(const ScanArgs& args) {
  // The report file is opened before confining, so that Landlock can deny every write.
  std::ofstream file;
  if (!args.output.empty() && args.output != "-") {
    file.open(args.output, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::cerr << "modelgate: cannot write " << args.output << ": " << std::strerror(errno)
                << "\n";
      return kExitError;
    }
  }
  ScanOptions options;
  // Counted before confinement: the count may come from /sys, which Landlock then closes.
  options.jobs = args.jobs != 0 ? args.jobs : std::max(1u, std::thread::hardware_concurrency());
  options.sha256 = args.sha256;
  options.limits = args.limits;
  options.limits.max_time_per_file = std::chrono::milliseconds(
      static_cast<std::int64_t>(args.timeout_seconds * 1000.0));

  // Before the engine starts its threads: Landlock covers only threads created after it.
  const Confinement confinement = ConfineUnlessAskedNot(args);
  ScanOutcome outcome = Scan(args.paths, options);
  outcome.report.confinement = confinement;
  for (const auto& error : outcome.errors) std::cerr << "modelgate: " << error << "\n";
  const Report shown = Shown(outcome.report, *ParseSeverity(args.min_severity));
  const std::string text = RenderReport(shown, args.format, args.color, args.output);
  if (!WriteReport(args, file, text)) return kExitError;
  if (!args.quiet && !args.output.empty() && args.output != "-") PrintSummaryLine(args, shown);
  // The exit code considers every finding, shown or not.
  if (!outcome.errors.empty()) return kExitError;
  if (args.fail_on == "none") return kExitOk;
  const auto max = outcome.report.Summarize().max_severity;
  return max && *max >= *ParseSeverity(args.fail_on) ? kExitFindings : kExitOk;
}

// A CLI11 validator for sizes such as 64G; the parsed value is stored by the option callback.
CLI::Validator ByteSize() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        unsigned long long bytes = 0;
        if (ParseByteSize(text, bytes)) return {};
        return "not a size: " + text + " (bytes, or a number followed by K, M, G or T)";
      },
      "SIZE");
}

void AddSizeOption(CLI::App* cmd, const std::string& name, std::uint64_t& target,
                   const std::string& description) {
  cmd->add_option_function<std::string>(
         name,
         [&target](const std::string& text) {
           unsigned long long bytes = 0;
           ParseByteSize(text, bytes);  // checked by the validator first
           target = bytes;
         },
         description + " (default " + FormatByteSize(target) + ")")
      ->check(ByteSize())
      ->option_text("SIZE")
      ->group("Limits");
}

void AddLimitOptions(CLI::App* cmd, ScanArgs& args) {
  AddSizeOption(cmd, "--max-file-size", args.limits.max_file_size,
                "Largest file analysed; larger files are reported incomplete");
  AddSizeOption(cmd, "--max-decompressed", args.limits.max_decompressed_bytes,
                "Bytes decompressed or decoded per file, all members together");
  cmd->add_option("--max-depth", args.limits.max_depth,
                  "Deepest nesting of archives and embedded payloads, 0-64 (default " +
                      std::to_string(args.limits.max_depth) + ")")
      ->check(CLI::Range(0u, kMaxDepthCeiling))
      ->option_text("N")
      ->group("Limits");
  cmd->add_option("--max-members", args.limits.max_members,
                  "Members taken from one archive (default " +
                      std::to_string(args.limits.max_members) + ")")
      ->check(CLI::Range(1u, 0xFFFFFFFFu))
      ->option_text("N")
      ->group("Limits");
  cmd->add_option("--max-compression-ratio", args.limits.max_compression_ratio,
                  "Largest decompressed/compressed size ratio of one stream (default " +
                      std::to_string(args.limits.max_compression_ratio) + ")")
      ->check(CLI::Range(1u, 0xFFFFFFFFu))
      ->option_text("N")
      ->group("Limits");
  cmd->add_option("--max-opcodes", args.limits.max_pickle_opcodes,
                  "Opcodes executed per pickle stream (default " +
                      std::to_string(args.limits.max_pickle_opcodes) + ")")
      ->check(CLI::Range(std::uint64_t{1}, ~std::uint64_t{0}))
      ->option_text("N")
      ->group("Limits");
  cmd->add_option("--timeout", args.timeout_seconds,
                  "Time spent on one file, its members included, in seconds (default " +
                      std::to_string(static_cast<long long>(args.timeout_seconds)) + ")")
      ->check(CLI::Range(0.001, kMaxTimeoutSeconds))
      ->option_text("SECONDS")
      ->group("Limits");
}

}  // namespace

void AddScanCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ScanArgs>();
  CLI::App* cmd = app.add_subcommand(
      "scan", "Analyse model files and folders without loading them; report findings");
  cmd->add_option("PATH", args->paths, "Files or folders to scan (folders recursively)")
      ->required();
  cmd->add_option("-f,--format", args->format, "Report format: text, json or sarif (default text)")
      ->check(CLI::IsMember({"text", "json", "sarif"}))
      ->option_text("FORMAT")
      ->group("Output");
  cmd->add_option("-o,--output", args->output, "Write the report to FILE instead of stdout")
      ->option_text("FILE")
      ->group("Output");
  cmd->add_option("--fail-on", args->fail_on,
                  "Exit 1 when a finding is at or above SEVERITY: info, low, medium, high, "
                  "critical, or none for never (default medium)")
      ->check(CLI::IsMember({"info", "low", "medium", "high", "critical", "none"}))
      ->option_text("SEVERITY")
      ->group("Output");
  cmd->add_option("--min-severity", args->min_severity,
                  "Leave findings below SEVERITY out of the report, e.g. low to drop info "
                  "facts from SARIF; the exit code still counts them (default info)")
      ->check(CLI::IsMember({"info", "low", "medium", "high", "critical"}))
      ->option_text("SEVERITY")
      ->group("Output");
  cmd->add_option("--color", args->color,
                  "Colour in the text report: auto (on a terminal unless NO_COLOR is set), "
                  "always or never (default auto)")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->option_text("WHEN")
      ->group("Output");
  cmd->add_flag("-q,--quiet", args->quiet,
                "No summary line on stderr when the report goes to --output")
      ->group("Output");
  cmd->add_flag("--sha256", args->sha256,
                "Put each file's SHA-256 in the report (reads every byte: a 10 GB model takes "
                "seconds instead of milliseconds)")
      ->group("Output");
  cmd->add_flag("--no-self-confine", args->no_self_confine,
                "Parse without confining the scanner (Landlock read-only on the PATHs, seccomp "
                "without exec or network); the report says which confinement applied");
  cmd->add_option("-j,--jobs", args->jobs,
                  "Files analysed in parallel, 0-1024; 0 (default): one per core")
      ->check(CLI::Range(0u, kMaxJobs))
      ->option_text("N");
  AddLimitOptions(cmd, *args);
  cmd->footer(
      "Sizes are bytes or a number followed by K, M, G or T (powers of 1024).\n"
      "Exit codes: 0 nothing at or above --fail-on; 1 a finding at or above --fail-on;\n"
      "2 usage error, missing path or unreadable file. See docs/cli.md.");
  cmd->callback([args, &exit_code] { exit_code = RunScan(*args); });
}

}  // namespace mg::cli
