// How a sandboxed run ended (a closed set, as sandbox2's Result does) and the report that says
// what ran, what it tried, how it ended and how well it was isolated. Pure data; rendered by
// run_report.cpp. Separate from the scanner's Report on purpose: different subjects.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sandbox/config.h"

namespace mg::sandbox {

enum class Outcome : std::uint8_t {
  kOk,          // the command ran and exited (any exit status) and nothing was blocked
  kViolation,   // the command exited, but the monitor saw blocked attempts
  kSignaled,    // the command was killed by a signal (a crash, or its own kill)
  kLimit,       // killed for exceeding an rlimit (SIGXCPU, SIGXFSZ)
  kTimeout,     // the wall-clock timeout expired; the whole sandbox was killed
  kSetupError,  // the sandbox could not be built, or the command could not be started
};

std::string_view OutcomeName(Outcome outcome);  // "OK", "VIOLATION", ...

// One system call the monitor saw.
struct Attempt {
  std::string syscall;  // "execve", "connect", "openat", "ptrace", ...
  std::string detail;   // path, address or argument summary; may be empty
  int pid = 0;          // as seen from the supervisor (host PID namespace)
  bool allowed = false;
};

// The layers that were actually applied.
struct Isolation {
  bool namespaces = false;       // user, mount, PID, network, IPC, UTS + the minimal root
  std::string fallback;          // why namespaces were not used; empty when they were
  int landlock_abi = 0;          // 0: Landlock not available
  bool landlock = false;         // filesystem rules enforced
  bool landlock_tcp = false;     // TCP bind/connect denied (ABI >= 4)
  bool landlock_scoped = false;  // signals and abstract sockets scoped (ABI >= 6)
  bool seccomp = false;
  bool monitor = false;
  bool no_new_privs = false;
  bool capabilities_dropped = false;
  bool rlimits = false;
  std::string Level() const;  // "full", "landlock+seccomp", "none"
};

struct RunReport {
  std::vector<std::string> command;
  std::string resolved_command;  // the path executed inside the sandbox
  Mode mode = Mode::kEnforce;
  std::vector<ModelMount> models;
  std::string output_dir;
  Outcome outcome = Outcome::kSetupError;
  std::string message;             // the setup error or a note on the outcome
  std::optional<int> exit_status;  // when the command exited
  int signal = 0;                  // when it was killed
  double wall_seconds = 0;
  double cpu_seconds = 0;  // user + system, every process of the sandbox
  long max_rss_kib = 0;    // largest resident set of any process of the sandbox
  Isolation isolation;
  RunLimits limits;
  std::vector<Attempt> attempts;
  std::size_t attempts_dropped = 0;  // beyond the recording cap
  // SETUP_ERROR because the namespaces could not be built (nothing ran): a caller that asked
  // for namespaces may try the fallback itself (policy/trial_load.cpp does).
  bool namespaces_unusable = false;
};

// Exit codes of `modelgate run` besides the command's own (docs/cli.md, "run").
inline constexpr int kRunExitViolation = 123;
inline constexpr int kRunExitTimeout = 124;
inline constexpr int kRunExitSetupError = 125;

// The command's exit status when it exited (OK), 128 + signal when it was killed, or one of the
// codes above.
int RunExitCode(const RunReport& report);

std::string RenderRunText(const RunReport& report);
std::string RenderRunJson(const RunReport& report);

}  // namespace mg::sandbox
