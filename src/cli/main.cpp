// modelgate: treat machine-learning models as code. Subcommands live in one file each.
#include <CLI/CLI.hpp>
#include <iostream>

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
  mg::cli::AddScanCommand(app, exit_code);
  mg::cli::AddRulesCommand(app, exit_code);
  mg::cli::AddHashCommand(app, exit_code);
  mg::cli::AddAuditEnvCommand(app, exit_code);
  mg::cli::AddSignCommand(app, exit_code);
  mg::cli::AddVerifyCommand(app, exit_code);
  mg::cli::AddRunCommand(app, exit_code);
  mg::cli::AddCheckCommand(app, exit_code);
  mg::cli::AddPolicyCommand(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    // Help and --version are successes; any other parse problem is a usage error.
    return code == 0 ? mg::cli::kExitOk : mg::cli::kExitError;
  }
  return exit_code;
}
