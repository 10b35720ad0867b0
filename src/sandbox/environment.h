// The environment the sandboxed command sees: an allowlist of the caller's variables, the ones
// named with --env, the ones set with --setenv, and fixed values for PATH, HOME and TMPDIR.
// Credentials never pass by name (docs/sandbox.md, "Environment").
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace mg::sandbox {

// True for names that carry credentials or reach outside the sandbox: cloud keys, tokens,
// passwords, agent sockets. --env refuses them.
bool IsSecretName(std::string_view name);

// True for names passed without being asked for: LANG, LANGUAGE, LC_*, TERM, TZ, NO_COLOR,
// COLUMNS, LINES.
bool IsAllowlistedName(std::string_view name);

// Builds "NAME=VALUE" strings from `host_env` (environ-style). Errors on an --env name that is
// secret or malformed and on a malformed --setenv name.
Result<std::vector<std::string>> BuildEnvironment(
    const std::vector<std::string>& host_env, const std::vector<std::string>& pass_names,
    const std::vector<std::pair<std::string, std::string>>& set_values);

// The caller's environment as a vector (for BuildEnvironment).
std::vector<std::string> HostEnvironment();

}  // namespace mg::sandbox
