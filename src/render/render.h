// Renderers: a Report in, bytes out. They know nothing of analysis.
#pragma once

#include <span>
#include <string>

#include "report/report.h"
#include "report/rule.h"

namespace mg {

struct ToolInfo {
  std::string name = std::string(kToolName);
  std::string version;
};

struct TextOptions {
  bool color = false;  // ANSI colours for severities (the CLI enables them on a TTY)
};

// For people: grouped by file, evidence shown, a one-line summary at the end.
std::string RenderText(const Report& report, const TextOptions& options);

// The versioned JSON report documented in docs/report-format.md.
std::string RenderJson(const Report& report, const ToolInfo& tool);

// SARIF 2.1.0 for code-scanning dashboards; `rules` becomes the driver's rule table.
std::string RenderSarif(const Report& report, const ToolInfo& tool,
                        std::span<const RuleInfo> rules);

}  // namespace mg
