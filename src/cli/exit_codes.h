// Exit codes shared by every subcommand (docs/cli.md, "Exit codes").
#pragma once

namespace mg::cli {

inline constexpr int kExitOk = 0;        // nothing at or above --fail-on
inline constexpr int kExitFindings = 1;  // a finding at or above --fail-on
inline constexpr int kExitError = 2;     // usage error, missing path, unreadable file

}  // namespace mg::cli
