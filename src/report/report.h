// The report: pure data that the renderers turn into text, JSON or SARIF.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report/finding.h"
#include "report/severity.h"

namespace mg {

// How far analysis of a target got. `incomplete` always comes with a finding saying why.
enum class TargetStatus : std::uint8_t { kComplete, kIncomplete, kError };

std::string_view TargetStatusName(TargetStatus status);

struct Target {
  std::string path;
  std::string format;  // detected from content: "pickle", "zip", "unknown", ...
  std::optional<std::uint64_t> size;  // nullopt when the file was never opened
  std::string sha256;                 // empty unless hashing was asked for (ScanOptions::sha256)
  TargetStatus status = TargetStatus::kComplete;
  std::vector<Finding> findings;
  // Formats of the payloads found inside (a torch zip holds "pickle"), sorted, without
  // repeats; a policy can require a signature for any pickle-based content, however nested.
  std::vector<std::string> embedded_formats;
};

struct Summary {
  std::uint64_t targets = 0;
  std::uint64_t findings = 0;
  std::array<std::uint64_t, kSeverityCount> counts{};  // indexed by Severity
  std::optional<Severity> max_severity;                // nullopt = "none"
};

// How `scan` confined itself while it parsed (docs/sandbox.md, "Self-confinement").
struct Confinement {
  bool requested = true;  // false: the user passed --no-self-confine
  int landlock_abi = 0;   // the kernel's Landlock ABI; 0: none, or not probed (not requested)
  bool landlock = false;  // read-only on the scanned paths, no writes, no TCP
  bool seccomp = false;   // no exec, no network sockets, the sandbox's deny list
  std::string detail;     // why a part did not apply; empty when all of it did
};

struct Report {
  std::vector<Target> targets;
  // Set by `scan`; the renderers leave it out when absent (library use, render tests).
  std::optional<Confinement> confinement;

  Summary Summarize() const;
};

inline constexpr std::string_view kToolName = "modelgate";
inline constexpr std::string_view kReportSchemaVersion = "1.1";

}  // namespace mg
