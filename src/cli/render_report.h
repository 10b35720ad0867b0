// Rendering a Report the way every report-producing command does (scan, audit-env): JSON,
// SARIF with the whole rule catalogue, or text with colour decided by --color and the terminal.
#pragma once

#include <string>

#include "report/report.h"

namespace mg::cli {

// `format` is text, json or sarif; `color` is auto, always or never; `output` is the --output
// path (colour is off when the report goes to a file).
std::string RenderReport(const Report& report, const std::string& format,
                         const std::string& color, const std::string& output);

}  // namespace mg::cli
