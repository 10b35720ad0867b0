// Helpers shared by the `modelgate check` end-to-end tests.
#pragma once

#include <string>

#include "e2e/cli_runner.h"

namespace mg::test {

// Whether the first model of a `check --format json` report was blocked by `clause` with a
// reason whose detail contains `part`.
inline bool HasReason(const nlohmann::ordered_json& json, const std::string& clause,
                      const std::string& part) {
  for (const auto& reason : json["models"][0]["reasons"]) {
    if (reason["clause"] == clause &&
        reason["detail"].get<std::string>().find(part) != std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace mg::test
