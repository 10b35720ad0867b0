// modelgate-full: every subcommand, one file each. The `modelgate` command users call
// (src/front/main.cpp) runs `run` itself and hands every other command line to this binary.
#include <CLI/CLI.hpp>
#include <string_view>
#include <utility>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

int main(int argc, char** argv) {
  CLI::App app;
  mg::cli::DescribeApp(app);
  int exit_code = mg::cli::kExitOk;
  using Adder = void (*)(CLI::App&, int&);
  static constexpr std::pair<std::string_view, Adder> kCommands[] = {
      {"scan", mg::cli::AddScanCommand},         {"rules", mg::cli::AddRulesCommand},
      {"hash", mg::cli::AddHashCommand},         {"audit-env", mg::cli::AddAuditEnvCommand},
      {"sign", mg::cli::AddSignCommand},         {"verify", mg::cli::AddVerifyCommand},
      {"run", mg::cli::AddRunCommand},           {"check", mg::cli::AddCheckCommand},
      {"policy", mg::cli::AddPolicyCommand},
  };
  // Only the named subcommand's options are built when argv[1] names one (building all of them
  // costs about a millisecond). Anything else (no subcommand, --help, a typo) builds them all,
  // so the usage text and CLI11's errors list every subcommand.
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
  return mg::cli::ParseAndRun(app, argc, argv, exit_code);
}
