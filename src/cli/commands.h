// One function per subcommand, each in its own file; main.cpp only wires them up.
#pragma once

#include <CLI/CLI.hpp>

namespace mg::cli {

// Each adds its subcommand to `app`; when it runs, its exit code is stored in `exit_code`.
void AddScanCommand(CLI::App& app, int& exit_code);
void AddRulesCommand(CLI::App& app, int& exit_code);
void AddHashCommand(CLI::App& app, int& exit_code);
void AddAuditEnvCommand(CLI::App& app, int& exit_code);
void AddSignCommand(CLI::App& app, int& exit_code);
void AddVerifyCommand(CLI::App& app, int& exit_code);
void AddRunCommand(CLI::App& app, int& exit_code);
void AddCheckCommand(CLI::App& app, int& exit_code);
void AddPolicyCommand(CLI::App& app, int& exit_code);

}  // namespace mg::cli
