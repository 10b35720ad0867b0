// The engine: walks the paths given, analyses each file (in parallel, in a deterministic
// order) and returns the report.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/limits.h"
#include "engine/name_lists.h"
#include "report/report.h"

namespace mg {

struct ScanOptions {
  Limits limits;
  unsigned jobs = 0;  // 0 = one per core
  // Whole-file SHA-256 in Target::sha256. Off by default: hashing reads every byte, which for
  // a 10 GB safetensors file costs seconds while its analysis reads only the header.
  bool sha256 = false;
  // The policy's extra allowed and denied names (`modelgate check`); null: none. Shared
  // read-only by every worker thread.
  std::shared_ptr<const OrgNameLists> name_lists;
};

struct ScanOutcome {
  Report report;
  // Problems with the paths themselves (missing, unreadable): each makes the exit code 2.
  std::vector<std::string> errors;
};

// Expands folders recursively (symlinks are never followed out of a folder), then analyses
// every file. A path that does not exist is an error in ScanOutcome::errors.
ScanOutcome Scan(const std::vector<std::string>& paths, const ScanOptions& options);

// Analyses one file into a Target (used by Scan and by tests); hashes it when `sha256`.
// `name_lists`, when given, must outlive the call.
Target ScanFile(const std::string& path, const Limits& limits, bool sha256 = false,
                const OrgNameLists* name_lists = nullptr);

}  // namespace mg
