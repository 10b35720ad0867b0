#include "analyzers/tar/checks.h"

#include <array>
#include <cstdio>
#include <span>

#include "analyzers/tar/parser.h"
#include "analyzers/tar/rules.h"
#include "engine/scan_context.h"

namespace mg::tar {


namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t stop = path.find('/', start);
    const std::size_t end = stop == std::string_view::npos ? path.size() : stop;
    parts.push_back(path.substr(start, end - start));
    if (stop == std::string_view::npos) break;
    start = stop + 1;
  }
  return parts;
}

// Applies `path` to `base` lexically; false when a ".." climbs above the start. With `clamp`
// such a ".." is dropped instead (to see where a path ends up, not whether it escapes).
bool Apply(std::vector<std::string>& base, std::string_view path, bool clamp) {
  bool escaped = false;
  for (std::string_view part : Split(path)) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (base.empty()) {
        escaped = true;
        if (!clamp) return false;
      } else {
        base.pop_back();
      }
      continue;
    }
    base.emplace_back(part);
  }
  return !escaped;
}

// Components that mark a credential or secret, as consecutive path components anywhere in the
// resolved path. A directory pattern matches the directory and everything in it.
constexpr std::array<std::array<std::string_view, 2>, 20> kCredentialPatterns = {{
    {".ssh", ""},           {".gnupg", ""},         {".aws", ""},
    {".azure", ""},         {".kube", ""},          {".docker", "config.json"},
    {".config", "gcloud"},  {".netrc", ""},         {".pgpass", ""},
    {".git-credentials", ""}, {".pypirc", ""},      {".npmrc", ""},
    {"etc", "shadow"},      {"etc", "gshadow"},     {"etc", "sudoers"},
    {"etc", "master.passwd"}, {"id_rsa", ""},       {"id_ecdsa", ""},
    {"id_ed25519", ""},     {"environ", ""},
}};

bool MatchesAt(const std::vector<std::string>& parts, std::size_t at,
               const std::array<std::string_view, 2>& pattern) {
  if (parts[at] != pattern[0]) return false;
  if (pattern[1].empty()) return true;
  return at + 1 < parts.size() && parts[at + 1] == pattern[1];
}

}  // namespace

std::optional<std::vector<std::string>> NormalizePath(std::string_view path) {
  std::vector<std::string> parts;
  if (!Apply(parts, path, false)) return std::nullopt;
  return parts;
}

std::optional<std::string> NormalizedName(std::string_view path) {
  const auto parts = NormalizePath(path);
  if (!parts) return std::nullopt;
  std::string joined;
  for (const std::string& part : *parts) {
    if (!joined.empty()) joined += '/';
    joined += part;
  }
  return joined;
}

bool IsCredentialPath(std::string_view path) {
  std::vector<std::string> parts;
  Apply(parts, path, true);
  for (std::size_t at = 0; at < parts.size(); ++at) {
    for (const auto& pattern : kCredentialPatterns) {
      // /proc/<pid>/environ holds a process's secrets; a file named environ elsewhere is not.
      if (pattern[0] == "environ" && (at < 2 || parts[at - 2] != "proc")) continue;
      if (MatchesAt(parts, at, pattern)) return true;
    }
  }
  return false;
}

void CheckName(Findings& findings, std::string_view name, std::string_view source,
               std::uint64_t header_offset) {
  const std::string shown = DisplayName(name);
  const bool absolute = !name.empty() && (name[0] == '/' || name[0] == '\\');
  const bool drive = name.size() >= 2 && name[1] == ':' &&
                     ((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z'));
  // Windows extractors split on backslashes too, so ".." between them climbs as well.
  std::string slashed(name);
  for (char& c : slashed) c = c == '\\' ? '/' : c;
  const bool climbs = !NormalizePath(slashed).has_value();
  bool parent = false;
  for (std::string_view part : Split(slashed)) parent |= part == "..";
  if (absolute || drive || parent) {
    const char* why = absolute ? "is an absolute path"
                      : drive  ? "starts with a drive letter"
                      : climbs ? "climbs out of the extraction folder with '..'"
                               : "has '..' components";
    findings.Report(rule::kPathTraversal, Severity::kHigh,
                    "Member " + std::string(source) + " '" + shown + "' " + why +
                        "; extracting it can write outside the target folder.",
                    header_offset, shown);
  }
  bool control = false;
  for (char c : name) control |= static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
  const bool nul = name.find('\0') != std::string_view::npos;
  const bool backslash = name.find('\\') != std::string_view::npos;
  if (control || backslash) {
    findings.Report(rule::kSuspiciousName, Severity::kMedium,
                    "Member " + std::string(source) + " '" + shown + "' contains " +
                        (nul       ? "a NUL byte, where C readers and tarfile cut the name"
                         : control ? "control characters"
                                   : "backslashes, a path separator on Windows only") +
                        "; readers and extractors see different names.",
                    header_offset, shown);
  }
}

void CheckLink(Findings& findings, std::string_view member, std::string_view target,
               bool symlink, std::uint64_t header_offset) {
  const std::string kind = symlink ? "Symlink" : "Hard link";
  const std::string shown = DisplayName(member) + " -> " + DisplayName(target);
  const bool absolute = !target.empty() && target[0] == '/';
  bool escapes = absolute;
  if (!absolute) {
    std::vector<std::string> base;
    if (symlink) {
      // The link's own folder; a member name that already escapes escapes with its link.
      const auto folder = NormalizePath(member);
      if (folder) {
        base = *folder;
        if (!base.empty()) base.pop_back();
      }
    }
    escapes = !Apply(base, target, false);
  }
  if (escapes) {
    findings.Report(rule::kLinkOutside, Severity::kHigh,
                    kind + " '" + DisplayName(member) + "' points " +
                        (absolute ? "at an absolute path" : "outside the extraction folder") +
                        " ('" + DisplayName(target) + "').",
                    header_offset, shown);
  }
  if (IsCredentialPath(target)) {
    findings.Report(rule::kLinkCredentials, Severity::kHigh,
                    kind + " '" + DisplayName(member) + "' points at a credential file ('" +
                        DisplayName(target) + "').",
                    header_offset, shown);
  }
}

std::string Hex(std::uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof(text), "0x%llx", static_cast<unsigned long long>(value));
  return text;
}

}  // namespace mg::tar
