// `modelgate audit-env [options]` (docs/cli.md): are the libraries that will load the model
// patched? Reads installed versions (never imports anything) and matches the advisory list.

#include <iostream>
#include <memory>

#include "advisories/audit.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/render_report.h"
#include "core/mapped_file.h"

namespace mg::cli {

namespace {

struct AuditEnvArgs {
  std::vector<std::string> python_paths;
  std::string spark_home;
  std::string advisories;
  std::string format = "text";
  std::string output;
  std::string fail_on = "medium";
  std::string color = "auto";
};

// The bundled list, or --advisories FILE; nullopt (with a message) when it cannot be used.
std::optional<advisories::AdvisoryList> LoadList(const AuditEnvArgs& args) {
  if (args.advisories.empty()) {
    const auto& bundled = advisories::BundledAdvisories();
    if (bundled.advisories.empty()) {
      std::cerr << "modelgate: the bundled advisory list did not load\n";
      return std::nullopt;
    }
    return bundled;
  }
  auto file = MappedFile::Open(args.advisories);
  if (!file) {
    std::cerr << "modelgate: " << file.error().message << "\n";
    return std::nullopt;
  }
  auto parsed = advisories::ParseAdvisories(file->view());
  if (!parsed) {
    std::cerr << "modelgate: " << args.advisories << ": " << parsed.error().message << "\n";
    return std::nullopt;
  }
  return std::move(*parsed);
}

int RunAuditEnv(const AuditEnvArgs& args) {
  const auto list = LoadList(args);
  if (!list) return kExitError;
  advisories::EnvironmentOptions options;
  options.python_paths = args.python_paths;
  options.spark_home = args.spark_home;
  std::vector<std::string> errors;
  const advisories::Environment environment = advisories::InspectEnvironment(options, errors);
  for (const auto& error : errors) std::cerr << "modelgate: " << error << "\n";
  const Report report = advisories::AuditEnvironment(*list, environment);
  const std::string text = RenderReport(report, args.format, args.color, args.output);
  if (!WriteOutput(args.output, text)) return kExitError;
  if (!errors.empty()) return kExitError;
  if (args.fail_on == "none") return kExitOk;
  const auto max = report.Summarize().max_severity;
  return max && *max >= *ParseSeverity(args.fail_on) ? kExitFindings : kExitOk;
}

}  // namespace

void AddAuditEnvCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<AuditEnvArgs>();
  CLI::App* cmd = app.add_subcommand(
      "audit-env",
      "Check the installed model-loading libraries (torch, keras, transformers, mlflow, "
      "Spark...) against known model-loading advisories, without running them");
  cmd->add_option("--python-path", args->python_paths,
                  "A site-packages folder to inspect (repeatable); default: the detected ones")
      ->option_text("DIR");
  cmd->add_option("--spark-home", args->spark_home,
                  "A Spark installation to inspect (its jars/ and RELEASE); default $SPARK_HOME")
      ->option_text("DIR");
  cmd->add_option("--advisories", args->advisories,
                  "Use this advisory list (JSON, docs/advisories.md) instead of the bundled one")
      ->option_text("FILE");
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
  cmd->add_option("--color", args->color, "Colour in the text report: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->option_text("WHEN")
      ->group("Output");
  cmd->footer(
      "Exit codes: 0 nothing at or above --fail-on; 1 a finding at or above --fail-on;\n"
      "2 usage error, unreadable --python-path/--spark-home or advisory list. See docs/cli.md.");
  cmd->callback([args, &exit_code] { exit_code = RunAuditEnv(*args); });
}

}  // namespace mg::cli
