// What every modelgate binary's command line shares: the description, --version, the footer,
// and turning CLI11's parse errors into exit codes.
#pragma once

#include <CLI/CLI.hpp>

namespace mg::cli {

// Sets the program's description, --version flag, one-subcommand rule and help footer.
void DescribeApp(CLI::App& app);

// Parses the command line, which runs the chosen subcommand's callback (it sets `exit_code`).
// Returns the process's exit code: `exit_code` after a successful parse, 0 after --help or
// --version, kExitError after any other parse error (CLI11 has printed it).
int ParseAndRun(CLI::App& app, int argc, char** argv, const int& exit_code);

}  // namespace mg::cli
