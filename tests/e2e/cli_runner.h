// Runs the modelgate binary as a child process for end-to-end tests: arguments in, exit
// status, stdout and stderr out. Nothing goes through a shell, so paths need no quoting.
#pragma once

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace mg::test {

struct CliRun {
  int exit_code = -1;   // the child's exit status; -1 when it did not exit normally
  int term_signal = 0;  // the signal that ended it (a crash, or our kill on timeout)
  bool timed_out = false;
  std::string out;
  std::string err;
  std::chrono::milliseconds elapsed{0};
};

struct CliOptions {
  std::filesystem::path working_dir;  // empty: the test's own working directory
  std::chrono::seconds timeout{120};  // the child is killed (SIGKILL) after this
};

// The CLI under test (MODELGATE_BINARY from the build).
std::filesystem::path CliBinary();

// Runs `program` with `args` (argv[0] is added) and collects everything it writes.
CliRun RunProgram(const std::filesystem::path& program, const std::vector<std::string>& args,
                  const CliOptions& options = {});

// Runs `modelgate args...`.
CliRun RunCli(const std::vector<std::string>& args, const CliOptions& options = {});

// Parses a JSON document; on a syntax error returns a discarded value (check is_discarded()).
nlohmann::ordered_json ParseJson(const std::string& text);

// Severity name ("info" ... "critical") to its rank 0..4; -1 for anything else.
int SeverityRank(const std::string& name);

// A scratch folder under the system temp dir, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Writes `content` to `path` (creating parent folders).
void WriteFile(const std::filesystem::path& path, const std::string& content);

}  // namespace mg::test
