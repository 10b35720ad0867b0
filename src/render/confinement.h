// The report's "confinement" part, shared by the JSON and SARIF renderers and the text summary.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "report/report.h"

namespace mg {

// {"requested", "landlock", "landlock_abi", "seccomp", "detail"} (docs/report-format.md).
nlohmann::ordered_json ConfinementToJson(const Confinement& confinement);

// "Self-confinement: Landlock ABI 7 and seccomp." (not yet terminal-escaped).
std::string ConfinementLine(const Confinement& confinement);

}  // namespace mg
