#include "cli/app.h"

#include <string>

#include "cli/exit_codes.h"

namespace mg::cli {

void DescribeApp(CLI::App& app) {
  app.description("modelgate: scan machine-learning models for code execution before loading them");
  app.set_version_flag("--version", std::string("modelgate ") + MODELGATE_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Run 'modelgate COMMAND --help' for a command's options.\n"
      "Exit codes: 0 success, 1 findings at or above --fail-on, 2 usage or I/O error.");
}

int ParseAndRun(CLI::App& app, int argc, char** argv, const int& exit_code) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    // Help and --version are successes; any other parse problem is a usage error.
    return code == 0 ? kExitOk : kExitError;
  }
  return exit_code;
}

}  // namespace mg::cli
