#include "analyzers/mlflow/requirements.h"

#include <algorithm>
#include <array>

namespace mg::mlflow {
namespace {

constexpr std::size_t kMaxEvidenceChars = 200;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return lower;
}

bool HasUrlScheme(std::string_view lower) {
  for (std::string_view scheme : {"http://", "https://", "ftp://", "file:", "s3://", "gs://"}) {
    if (lower.find(scheme) != std::string_view::npos) return true;
  }
  return false;
}

// pip's VCS schemes (pip docs, "VCS Support"): git+, hg+, svn+, bzr+.
bool IsVcs(std::string_view lower) {
  for (std::string_view prefix : {"git+", "hg+", "svn+", "bzr+", "git://"}) {
    if (lower.find(prefix) != std::string_view::npos) return true;
  }
  return false;
}

bool IsLocalPath(std::string_view text) {
  if (text.starts_with("/") || text.starts_with("./") || text.starts_with("../") ||
      text.starts_with("~") || text.starts_with("\\") || text == "." || text == "..") {
    return true;
  }
  if (text.size() > 2 && text[1] == ':' && (text[2] == '\\' || text[2] == '/')) return true;
  const std::string lower = Lower(text);
  for (std::string_view suffix : {".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz"}) {
    if (lower.ends_with(suffix)) return true;
  }
  return false;
}

// Options that change where pip looks (pip docs, "Requirements File Format").
std::string_view IndexOption(std::string_view lower) {
  constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kOptions = {{
      {"--index-url", "a different package index"},
      {"-i", "a different package index"},
      {"--extra-index-url", "an extra package index"},
      {"--find-links", "a find-links location"},
      {"-f", "a find-links location"},
      {"--trusted-host", "a host trusted without TLS checks"},
      {"--editable", "an editable (local or VCS) install"},
      {"-e", "an editable (local or VCS) install"},
  }};
  for (const auto& [option, why] : kOptions) {
    if (lower == option || lower.starts_with(std::string(option) + " ") ||
        lower.starts_with(std::string(option) + "=") ||
        (option.size() == 2 && lower.starts_with(option) && lower.size() > 2 && lower[2] != '-')) {
      return why;
    }
  }
  return {};
}

void AddSource(std::string_view file, std::uint32_t line, std::string_view text, std::string why,
               RequirementList& out) {
  out.sources.push_back(RequirementSource{
      std::string(file), line, std::string(text.substr(0, kMaxEvidenceChars)), std::move(why)});
}

}  // namespace

void ParseRequirementLine(std::string_view file, std::uint32_t line, std::string_view raw,
                          RequirementList& out) {
  std::string_view text = Trim(raw);
  // pip: a # preceded by whitespace (or at the start) begins a comment.
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t')) {
      text = Trim(text.substr(0, i));
      break;
    }
  }
  if (text.empty()) return;
  const std::string lower = Lower(text);
  if (text.front() == '-') {
    const std::string_view why = IndexOption(lower);
    if (!why.empty()) return AddSource(file, line, text, std::string(why), out);
    // -r / -c other.txt: a relative file inside the model folder is what MLflow writes ("-r
    // requirements.txt", "-c constraints.txt"); a URL or an outside path is not.
    const std::size_t space = text.find_first_of(" =");
    const std::string_view target =
        space == std::string_view::npos ? std::string_view{} : Trim(text.substr(space + 1));
    if (HasUrlScheme(Lower(target)) || target.starts_with("/") ||
        target.find("..") != std::string_view::npos) {
      AddSource(file, line, text, "a requirements file outside the model folder", out);
    }
    return;
  }
  if (IsVcs(lower)) return AddSource(file, line, text, "a VCS reference", out);
  // PEP 508 direct reference: "name @ https://...".
  if (HasUrlScheme(lower)) return AddSource(file, line, text, "a URL", out);
  if (IsLocalPath(text)) return AddSource(file, line, text, "a local path", out);
  std::size_t name_end = 0;
  while (name_end < text.size()) {
    const char c = text[name_end];
    const bool name_char = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    if (!name_char) break;
    ++name_end;
  }
  if (name_end == 0) return;
  if (text.find('/') != std::string_view::npos || text.find('\\') != std::string_view::npos) {
    return AddSource(file, line, text, "a local path", out);
  }
  out.pins.push_back(Requirement{std::string(file), line, std::string(text.substr(0, name_end)),
                                 std::string(Trim(text.substr(name_end)))});
}

bool ParseRequirementsText(std::string_view file, ByteView data, RequirementList& out) {
  if (data.size() > kMaxRequirementsBytes) return false;
  const std::string_view text(reinterpret_cast<const char*>(data.data()),
                              static_cast<std::size_t>(data.size()));
  std::size_t start = 0;
  std::uint32_t line = 0;
  std::string joined;  // pip joins a line ending in a backslash with the next
  while (start < text.size()) {
    if (++line > kMaxRequirementLines) return false;
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view current = text.substr(start, end - start);
    start = end + 1;
    if (!current.empty() && current.back() == '\r') current.remove_suffix(1);
    if (!current.empty() && current.back() == '\\') {
      joined.append(current.substr(0, current.size() - 1));
      continue;
    }
    joined.append(current);
    ParseRequirementLine(file, line, joined, out);
    joined.clear();
  }
  if (!joined.empty()) ParseRequirementLine(file, line, joined, out);
  return true;
}

}  // namespace mg::mlflow
