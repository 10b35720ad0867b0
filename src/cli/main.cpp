// modelgate: treat machine-learning models as code. Subcommands live in one file each.
#include <CLI/CLI.hpp>
#include <iostream>
#include <string_view>
#include <utility>

#include "cli/commands.h"
#include "cli/exit_codes.h"

int main(int argc, char** argv) {
  CLI::App app{"modelgate: scan machine-learning models for code execution before loading them"};
  app.set_version_flag("--version", std::string("modelgate ") + MODELGATE_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Run 'modelgate COMMAND --help' for a command's options.\n"
      "Exit codes: 0 success, 1 findings at or above --fail-on, 2 usage or I/O error.");
  int exit_code = mg::cli::kExitOk;
  using Adder = void (*)(CLI::App&, int&);
  static constexpr std::pair<std::string_view, Adder> kCommands[] = {
      {"scan", mg::cli::AddScanCommand},         {"rules", mg::cli::AddRulesCommand},
      {"hash", mg::cli::AddHashCommand},         {"audit-env", mg::cli::AddAuditEnvCommand},
      {"sign", mg::cli::AddSignCommand},         {"verify", mg::cli::AddVerifyCommand},
      {"run", mg::cli::AddRunCommand},           {"check", mg::cli::AddCheckCommand},
      {"policy", mg::cli::AddPolicyCommand},
  };
  // Only the named subcommand's options are built when argv[1] names one: building every
  // subcommand's options costs about a millisecond, which `modelgate run` pays on every start
  // (docs/performance.md, "Sandbox start-up"). Anything else (no subcommand, --help, a typo)
  // builds them all, so the usage text and CLI11's errors list every subcommand.
  const std::string_view first = argc > 1 ? argv[1] : "";
  bool named = false;
  for (const auto& [name, add] : kCommands) {
    if (name == first) {
      add(app, exit_code);
      named = true;
    }
  }
  if (!named) {
    for (const auto& command : kCommands) command.second(app, exit_code);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    // Help and --version are successes; any other parse problem is a usage error.
    return code == 0 ? mg::cli::kExitOk : mg::cli::kExitError;
  }
  return exit_code;
}
