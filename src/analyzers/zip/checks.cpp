#include "analyzers/zip/checks.h"

#include <cstdio>

#include "analyzers/zip/parser.h"
#include "analyzers/zip/rules.h"
#include "engine/scan_context.h"

namespace mg::zip {


namespace {

bool IsDotDot(std::string_view component) { return component == ".."; }

// True when any '/' or '\' separated component is "..": Windows extractors split on both.
bool HasParentComponent(std::string_view name) {
  std::size_t start = 0;
  while (start <= name.size()) {
    const std::size_t stop = name.find_first_of("/\\", start);
    const std::size_t end = stop == std::string_view::npos ? name.size() : stop;
    if (IsDotDot(name.substr(start, end - start))) return true;
    if (stop == std::string_view::npos) break;
    start = stop + 1;
  }
  return false;
}

}  // namespace

void CheckName(Findings& findings, ByteView name_bytes, std::uint64_t header_offset) {
  const std::string_view name = name_bytes.AsStringView();
  const std::string shown = DisplayName(name_bytes);
  const bool absolute = !name.empty() && (name[0] == '/' || name[0] == '\\');
  const bool drive = name.size() >= 2 && name[1] == ':' &&
                     ((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z'));
  if (HasParentComponent(name) || absolute || drive) {
    const char* why = HasParentComponent(name) ? "a '..' component"
                      : absolute               ? "an absolute path"
                                               : "a drive letter";
    findings.Report(rule::kPathTraversal, Severity::kHigh,
                    "Member name '" + shown + "' has " + why +
                        "; extracting it writes outside the target folder.",
                    header_offset, shown);
  }
  bool control = false;
  for (char c : name) control |= static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
  const bool backslash = name.find('\\') != std::string_view::npos;
  if (control || backslash) {
    findings.Report(rule::kSuspiciousName, Severity::kMedium,
                    "Member name '" + shown + "' contains " +
                        (control ? "NUL or control characters" : "backslashes") +
                        ", which readers and extractors interpret differently.",
                    header_offset, shown);
  }
}

void CheckReservedFlags(Findings& findings, std::uint16_t flags, std::string_view member,
                        std::uint64_t header_offset) {
  if ((flags & kFlagReservedMask) == 0) return;
  findings.Report(rule::kReservedFlags, Severity::kLow,
                  "Member '" + std::string(member) + "' sets reserved general purpose flag bits (" +
                      Hex(flags) + ").",
                  header_offset, Hex(flags));
}

std::string Hex(std::uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof(text), "0x%llx", static_cast<unsigned long long>(value));
  return text;
}

std::string HexPrefix(ByteView bytes, std::uint64_t count) {
  std::string out;
  const ByteView shown = bytes.Prefix(count);
  for (std::uint64_t i = 0; i < shown.size(); ++i) {
    char text[4];
    std::snprintf(text, sizeof(text), "%02x", shown[i]);
    if (!out.empty()) out += ' ';
    out += text;
  }
  if (bytes.size() > count) out += " ...";
  return out;
}

}  // namespace mg::zip
