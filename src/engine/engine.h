// The engine: walks the paths given, analyses each file (in parallel, in a deterministic
// order) and returns the report.
#pragma once

#include <string>
#include <vector>

#include "core/limits.h"
#include "report/report.h"

namespace mg {

struct ScanOptions {
  Limits limits;
  unsigned jobs = 0;  // 0 = one per core
};

struct ScanOutcome {
  Report report;
  // Problems with the paths themselves (missing, unreadable): each makes the exit code 2.
  std::vector<std::string> errors;
};

// Expands folders recursively (symlinks are never followed out of a folder), then analyses
// every file. A path that does not exist is an error in ScanOutcome::errors.
ScanOutcome Scan(const std::vector<std::string>& paths, const ScanOptions& options);

// Analyses one file into a Target (used by Scan and by tests).
Target ScanFile(const std::string& path, const Limits& limits);

}  // namespace mg
