#include "sandbox/environment.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>

#include "sandbox/config.h"

extern char** environ;

namespace mg::sandbox {

namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// POSIX: names are letters, digits and '_', not starting with a digit.
bool IsValidName(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

std::string Upper(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper;
}

}  // namespace

bool IsSecretName(std::string_view name) {
  const std::string upper = Upper(name);
  // Provider prefixes: every variable of these families may hold a credential or point at one.
  static constexpr std::array<std::string_view, 12> kPrefixes = {
      "AWS_", "AZURE_",        "GOOGLE_", "GCLOUD_",    "GCP_",    "CLOUDSDK_",
      "HF_",  "HUGGING_FACE_", "OPENAI_", "ANTHROPIC_", "DOCKER_", "KUBE"};
  for (std::string_view prefix : kPrefixes) {
    if (StartsWith(upper, prefix)) return true;
  }
  static constexpr std::array<std::string_view, 9> kParts = {"TOKEN",  "SECRET",     "PASSWORD",
                                                             "PASSWD", "CREDENTIAL", "API_KEY",
                                                             "APIKEY", "PRIVATE",    "AUTH"};
  for (std::string_view part : kParts) {
    if (Contains(upper, part)) return true;
  }
  static constexpr std::array<std::string_view, 6> kNames = {
      "SSH_AUTH_SOCK", "SSH_AGENT_PID", "GPG_AGENT_INFO", "KRB5CCNAME", "NETRC", "PGPASS"};
  return std::find(kNames.begin(), kNames.end(), upper) != kNames.end() ||
         (upper.size() > 4 && upper.ends_with("_KEY"));
}

bool IsAllowlistedName(std::string_view name) {
  static constexpr std::array<std::string_view, 7> kNames = {"LANG",     "LANGUAGE", "TERM", "TZ",
                                                             "NO_COLOR", "COLUMNS",  "LINES"};
  if (std::find(kNames.begin(), kNames.end(), name) != kNames.end()) return true;
  return name.size() > 3 && StartsWith(name, "LC_") && IsValidName(name);
}

Result<std::vector<std::string>> BuildEnvironment(
    const std::vector<std::string>& host_env, const std::vector<std::string>& pass_names,
    const std::vector<std::pair<std::string, std::string>>& set_values) {
  for (const std::string& name : pass_names) {
    if (!IsValidName(name)) {
      return Error{ErrorCode::kInvalidArgument, 0, "--env: not a variable name: " + name};
    }
    if (IsSecretName(name)) {
      return Error{ErrorCode::kInvalidArgument, 0,
                   "--env: " + name +
                       " looks like a credential and never passes into the "
                       "sandbox (use --setenv to give the command a value of your choice)"};
    }
  }
  std::map<std::string, std::string> chosen;
  chosen["PATH"] = kSandboxPath;
  chosen["HOME"] = "/tmp";  // no home directory: the private /tmp stands in for it
  chosen["TMPDIR"] = "/tmp";
  for (const std::string& entry : host_env) {
    const std::size_t eq = entry.find('=');
    if (eq == std::string::npos) continue;
    const std::string name = entry.substr(0, eq);
    const bool asked = std::find(pass_names.begin(), pass_names.end(), name) != pass_names.end();
    if (asked || (IsAllowlistedName(name) && !IsSecretName(name))) {
      chosen[name] = entry.substr(eq + 1);
    }
  }
  for (const auto& [name, value] : set_values) {
    if (!IsValidName(name)) {
      return Error{ErrorCode::kInvalidArgument, 0, "--setenv: not a variable name: " + name};
    }
    chosen[name] = value;
  }
  std::vector<std::string> result;
  result.reserve(chosen.size());
  for (const auto& [name, value] : chosen) result.push_back(name + "=" + value);
  return result;
}

std::vector<std::string> HostEnvironment() {
  std::vector<std::string> result;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    result.emplace_back(*entry);
  }
  return result;
}

}  // namespace mg::sandbox
