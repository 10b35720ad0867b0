// Human report. Strings that come from a scanned file (names, evidence) are escaped so that a
// file cannot write terminal control sequences to the reader's screen.
#include <array>
#include <cstdio>
#include <string>

#include "render/render.h"

namespace mg {

namespace {

constexpr std::array<std::string_view, kSeverityCount> kColors = {
    "\x1b[2m",     // info: dim
    "\x1b[36m",    // low: cyan
    "\x1b[33m",    // medium: yellow
    "\x1b[31m",    // high: red
    "\x1b[1;31m",  // critical: bold red
};
constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kBold = "\x1b[1m";

// Escapes bytes below 0x20 (but tab) and DEL as \xNN; keeps UTF-8 as it is.
std::string Printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && byte != '\t') || byte == 0x7f) {
      char buf[5];
      std::snprintf(buf, sizeof(buf), "\\x%02x", byte);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
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

std::string UpperSeverity(Severity severity) {
  std::string name(SeverityName(severity));
  for (char& c : name) c = static_cast<char>(c - 'a' + 'A');
  return name;
}

void WriteFinding(Writer& w, const Finding& finding) {
  std::string label = UpperSeverity(finding.severity);
  label.resize(10, ' ');
  w.Plain("  ");
  w.Styled(kColors[static_cast<std::size_t>(finding.severity)], label);
  w.Plain(finding.rule);
  if (!finding.location.member.empty()) {
    w.Plain("  in ");
    std::string chain;
    for (const auto& member : finding.location.member) {
      if (!chain.empty()) chain += " > ";
      chain += member;
    }
    w.Plain(Printable(chain));
  }
  if (finding.location.offset) w.Plain("  at offset " + std::to_string(*finding.location.offset));
  w.Plain("\n            " + Printable(finding.message) + "\n");
  if (!finding.evidence.empty()) {
    w.Plain("            ");
    w.Styled(kBold, Printable(finding.evidence));
    w.Plain("\n");
  }
}

}  // namespace

std::string RenderText(const Report& report, const TextOptions& options) {
  Writer w(options.color);
  for (const auto& target : report.targets) {
    w.Styled(kBold, Printable(target.path));
    w.Plain("  [" + Printable(target.format) + ", " + HumanSize(target.size));
    if (target.status != TargetStatus::kComplete) {
      w.Plain(", ");
      w.Styled(kColors[static_cast<std::size_t>(Severity::kMedium)],
               std::string(TargetStatusName(target.status)));
    }
    w.Plain("]");
    w.Plain(target.findings.empty() ? "  no findings\n" : "\n");
    for (const auto& finding : target.findings) WriteFinding(w, finding);
  }
  const Summary summary = report.Summarize();
  std::string line = "\nScanned " + std::to_string(summary.targets) +
                     (summary.targets == 1 ? " file: " : " files: ") +
                     std::to_string(summary.findings) +
                     (summary.findings == 1 ? " finding" : " findings");
  std::string counts;
  for (int i = kSeverityCount - 1; i >= 0; --i) {
    if (summary.counts[i] == 0) continue;
    if (!counts.empty()) counts += ", ";
    counts += std::to_string(summary.counts[i]) + " " +
              std::string(SeverityName(static_cast<Severity>(i)));
  }
  if (!counts.empty()) line += " (" + counts + ")";
  w.Plain(line + "; highest severity: ");
  if (summary.max_severity) {
    w.Styled(kColors[static_cast<std::size_t>(*summary.max_severity)],
             std::string(SeverityName(*summary.max_severity)));
  } else {
    w.Plain("none");
  }
  w.Plain(".\n");
  return w.Take();
}

}  // namespace mg
