// Renderers: a Report in, bytes out. They know nothing of analysis and are deterministic: the
// same Report always gives the same bytes (goldens in tests/unit/render_golden/ rely on it).
#pragma once

#include <cstddef>
#include <span>
#include <string>

#include "report/report.h"
#include "report/rule.h"

namespace mg {

struct ToolInfo {
  std::string name = std::string(kToolName);
  std::string version;
  std::string information_uri;  // SARIF tool.driver.informationUri; omitted when empty
};

struct TextOptions {
  bool color = false;  // ANSI colours for severities (the CLI enables them on a TTY)
  // Evidence is cut after this many bytes of escaped text; the cut says how much was left out.
  std::size_t max_evidence_bytes = 240;
  // Files with nothing above `info` are listed by name, up to this many, then counted.
  std::size_t max_quiet_files_listed = 10;
};

// For people: files with findings first, each with its findings (worst first), evidence and
// member chain; the other files in a compact list; a one-line summary at the end. Every string
// that comes from a scanned file is escaped (see render/terminal_text.h).
std::string RenderText(const Report& report, const TextOptions& options);

// The versioned JSON report documented in docs/report-format.md.
std::string RenderJson(const Report& report, const ToolInfo& tool);

struct SarifOptions {
  // Absolute folder that artifact URIs are made relative to (GitHub resolves relative URIs
  // against the repository root; the CLI passes its working directory). Paths under it become
  // relative URIs with uriBaseId %SRCROOT%; others become file:// URIs. Empty: paths are
  // written as given (relative ones stay relative).
  std::string source_root;
};

// SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning's subset); `rules` becomes the
// driver's rule table. The mapping is documented in docs/report-format.md.
std::string RenderSarif(const Report& report, const ToolInfo& tool,
                        std::span<const RuleInfo> rules, const SarifOptions& options = {});

// The rule catalogue, as docs/rules.md (markdown) and as a JSON array (`modelgate rules`).
std::string RenderRulesMarkdown(std::span<const RuleInfo> rules);
std::string RenderRulesJson(std::span<const RuleInfo> rules);

}  // namespace mg
