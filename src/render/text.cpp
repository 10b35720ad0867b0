// Human report. Every string that comes from a scanned file (paths, member names, evidence) goes
// through TerminalSafe so that a file cannot write control sequences to the reader's terminal.
#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include "render/confinement.h"
#include "render/escape.h"
#include "render/render.h"

namespace mg {

namespace {

constexpr std::array<std::string_view, kSeverityCount> kSeverityStyles = {
    "\x1b[2m",     // info: dim
    "\x1b[36m",    // low: cyan
    "\x1b[33m",    // medium: yellow
    "\x1b[31m",    // high: red
    "\x1b[1;31m",  // critical: bold red
};
constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kDim = "\x1b[2m";
constexpr std::string_view kFindingIndent = "            ";  // under the rule ID

std::string_view SeverityStyle(Severity severity) {
  return kSeverityStyles[static_cast<std::size_t>(severity)];
}

std::string_view StatusStyle(TargetStatus status) {
  return status == TargetStatus::kError ? SeverityStyle(Severity::kHigh)
                                        : SeverityStyle(Severity::kMedium);
}

std::string HumanSize(std::uint64_t bytes) {
  constexpr std::array<const char*, 5> kUnits = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1024 && unit + 1 < kUnits.size()) {
    value /= 1024;
    ++unit;
  }
  char buf[32];
  if (unit == 0) {
    std::snprintf(buf, sizeof(buf), "%llu B", static_cast<unsigned long long>(bytes));
  } else {
    std::snprintf(buf, sizeof(buf), "%.1f %s", value, kUnits[unit]);
  }
  return buf;
}

std::string Plural(std::uint64_t count, std::string_view noun) {
  return std::to_string(count) + " " + std::string(noun) + (count == 1 ? "" : "s");
}

class Writer {
 public:
  explicit Writer(bool color) : color_(color) {}
  void Styled(std::string_view style, std::string_view text) {
    if (color_) out_ += style;
    out_ += text;
    if (color_) out_ += kReset;
  }
  void Plain(std::string_view text) { out_ += text; }
  std::string Take() { return std::move(out_); }

 private:
  bool color_;
  std::string out_;
};

// A target needs a detailed block when something in it is above info or it was not fully read.
bool NeedsDetail(const Target& target) {
  if (target.status != TargetStatus::kComplete) return true;
  return std::any_of(target.findings.begin(), target.findings.end(),
                     [](const Finding& f) { return f.severity > Severity::kInfo; });
}

// "(pickle, 1.2 KiB, incomplete)": what the file is; the size only when it was read.
void WriteTargetFacts(Writer& w, const Target& target) {
  w.Plain("(");
  w.Plain(TerminalSafe(target.format));
  if (target.size) w.Plain(", " + HumanSize(*target.size));
  if (target.status != TargetStatus::kComplete) {
    w.Plain(", ");
    w.Styled(StatusStyle(target.status), TargetStatusName(target.status));
  }
  w.Plain(")");
}

std::string UpperSeverity(Severity severity) {
  std::string name(SeverityName(severity));
  for (char& c : name) c = static_cast<char>(c - 'a' + 'A');
  return name;
}

void WriteFinding(Writer& w, const Finding& finding, const TextOptions& options) {
  std::string label = UpperSeverity(finding.severity);
  label.resize(kFindingIndent.size() - 2, ' ');
  w.Plain("  ");
  w.Styled(SeverityStyle(finding.severity), label);
  w.Plain(TerminalSafe(finding.rule));
  if (!finding.location.member.empty()) {
    std::string chain;
    for (const auto& member : finding.location.member) {
      if (!chain.empty()) chain += " > ";
      chain += TerminalSafe(member, options.max_evidence_bytes);
    }
    w.Plain(" in " + chain);
  }
  if (finding.location.offset) w.Plain(" at offset " + std::to_string(*finding.location.offset));
  w.Plain("\n");
  w.Plain(std::string(kFindingIndent) + TerminalSafe(finding.message) + "\n");
  if (!finding.evidence.empty()) {
    w.Plain(std::string(kFindingIndent));
    w.Styled(kDim, "evidence: ");
    w.Styled(kBold, TerminalSafe(finding.evidence, options.max_evidence_bytes));
    w.Plain("\n");
  }
}

void WriteDetailedTarget(Writer& w, const Target& target, const TextOptions& options) {
  w.Styled(kBold, TerminalSafe(target.path));
  w.Plain("  ");
  WriteTargetFacts(w, target);
  w.Plain("\n");
  // Worst first; findings of equal severity keep the analyzer's order (usually by offset).
  std::vector<const Finding*> sorted;
  for (const auto& finding : target.findings) sorted.push_back(&finding);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Finding* a, const Finding* b) {
    return a->severity > b->severity;
  });
  for (const Finding* finding : sorted) WriteFinding(w, *finding, options);
  w.Plain("\n");
}

void WriteQuietTargets(Writer& w, const std::vector<const Target*>& quiet,
                       const TextOptions& options) {
  if (quiet.empty()) return;
  w.Plain("No findings above info in " + Plural(quiet.size(), "file") + ":\n");
  const std::size_t listed = std::min(quiet.size(), options.max_quiet_files_listed);
  for (std::size_t i = 0; i < listed; ++i) {
    const Target& target = *quiet[i];
    w.Plain("  " + TerminalSafe(target.path) + "  ");
    WriteTargetFacts(w, target);
    std::vector<std::string> rules;
    for (const auto& finding : target.findings) {
      std::string rule = TerminalSafe(finding.rule);
      if (std::find(rules.begin(), rules.end(), rule) == rules.end()) rules.push_back(rule);
    }
    if (!rules.empty()) {
      std::string joined;
      for (const auto& rule : rules) {
        if (!joined.empty()) joined += ", ";
        joined += rule;
      }
      w.Styled(kDim, "  info: " + joined);
    }
    w.Plain("\n");
  }
  if (listed < quiet.size()) w.Plain("  ... and " + std::to_string(quiet.size() - listed) +
                                     " more\n");
  w.Plain("\n");
}

void WriteSummary(Writer& w, const Report& report) {
  const Summary summary = report.Summarize();
  std::string line = "Scanned " + Plural(summary.targets, "file") + ": " +
                     Plural(summary.findings, "finding");
  std::string counts;
  for (int i = kSeverityCount - 1; i >= 0; --i) {
    if (summary.counts[i] == 0) continue;
    if (!counts.empty()) counts += ", ";
    counts += std::to_string(summary.counts[i]) + " " +
              std::string(SeverityName(static_cast<Severity>(i)));
  }
  if (!counts.empty()) line += " (" + counts + ")";
  std::uint64_t incomplete = 0, unreadable = 0;
  for (const auto& target : report.targets) {
    if (target.status == TargetStatus::kIncomplete) ++incomplete;
    if (target.status == TargetStatus::kError) ++unreadable;
  }
  w.Plain(line);
  if (incomplete != 0) {
    w.Plain("; ");
    w.Styled(StatusStyle(TargetStatus::kIncomplete),
             Plural(incomplete, "file") + " not fully analysed");
  }
  if (unreadable != 0) {
    w.Plain("; ");
    w.Styled(StatusStyle(TargetStatus::kError), Plural(unreadable, "file") + " unreadable");
  }
  w.Plain("; highest severity: ");
  if (summary.max_severity) {
    w.Styled(SeverityStyle(*summary.max_severity), SeverityName(*summary.max_severity));
  } else {
    w.Plain("none");
  }
  w.Plain(".\n");
  // The detail can hold a scanned path (a Landlock error names it).
  if (report.confinement) w.Plain(TerminalSafe(ConfinementLine(*report.confinement)) + "\n");
}

}  // namespace

std::string RenderText(const Report& report, const TextOptions& options) {
  Writer w(options.color);
  std::vector<const Target*> quiet;
  for (const auto& target : report.targets) {
    if (NeedsDetail(target)) {
      WriteDetailedTarget(w, target, options);
    } else {
      quiet.push_back(&target);
    }
  }
  WriteQuietTargets(w, quiet, options);
  WriteSummary(w, report);
  return w.Take();
}

}  // namespace mg
