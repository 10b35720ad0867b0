// `modelgate rules [--format markdown|json]`: the rule catalogue. docs/rules.md is this
// command's markdown output (tests/unit/rules_doc_test.cpp keeps the two in step).
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "engine/rule_catalog.h"
#include "render/render.h"

namespace mg::cli {

void AddRulesCommand(CLI::App& app, int& exit_code) {
  auto format = std::make_shared<std::string>("markdown");
  CLI::App* cmd = app.add_subcommand(
      "rules", "Print the catalogue of rule IDs with severity, description and example");
  cmd->add_option("--format", *format, "markdown (docs/rules.md) or json")
      ->check(CLI::IsMember({"markdown", "json"}))
      ->capture_default_str();
  cmd->callback([format, &exit_code] {
    const auto rules = AllRules();
    std::cout << (*format == "json" ? RenderRulesJson(rules) : RenderRulesMarkdown(rules))
              << std::flush;
    exit_code = std::cout ? kExitOk : kExitError;
  });
}

}  // namespace mg::cli
