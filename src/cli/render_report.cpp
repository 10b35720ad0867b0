#include "cli/render_report.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <system_error>

#include "engine/rule_catalog.h"
#include "render/render.h"

namespace mg::cli {
namespace {

bool UseColor(const std::string& color, const std::string& output) {
  if (color == "always") return true;
  if (color == "never" || (!output.empty() && output != "-")) return false;
  // https://no-color.org: a non-empty NO_COLOR turns colour off unless asked for explicitly.
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string_view(term) == "dumb") return false;
  return ::isatty(STDOUT_FILENO) == 1;
}

}  // namespace

std::string RenderReport(const Report& report, const std::string& format,
                         const std::string& color, const std::string& output) {
  ToolInfo tool;
  tool.version = MODELGATE_VERSION;
  if (format == "json") return RenderJson(report, tool);
  if (format == "sarif") {
    SarifOptions options;
    std::error_code ec;
    // GitHub resolves artifact URIs against the repository root: CI runs from there.
    options.source_root = std::filesystem::current_path(ec).string();
    return RenderSarif(report, tool, AllRules(), options);
  }
  TextOptions options;
  options.color = UseColor(color, output);
  return RenderText(report, options);
}

}  // namespace mg::cli
