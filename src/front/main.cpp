// modelgate: the command users call. `modelgate run` is handled here; every other command line
// is handed unchanged (execv) to modelgate-full, the binary beside this one.
//
// Why two binaries: `modelgate run` starts a sandbox for every model load, and its start-up is
// measured against bubblewrap (issue 6, docs/performance.md "Sandbox start-up"). The dynamic
// loader's work for OpenSSL (Debian links libcrypto with BIND_NOW: thousands of symbol
// bindings), the five decompression libraries and yaml-cpp, and forking a process with all of
// them mapped, cost `run` about 4 ms. This binary is linked with --as-needed from the sandbox
// code alone, with libstdc++ linked in (CMakeLists.txt says why), so it loads only libseccomp
// and libc (tests/e2e/front_test.cpp checks its DT_NEEDED entries); the other commands pay one
// extra exec (about 2 ms) instead.
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace {

constexpr char kFullBinaryName[] = "modelgate-full";

// The folder this binary lives in: from /proc/self/exe, else from argv[0] when it holds a path
// (a bare name was found on PATH, and searching PATH again could find another installation).
std::string OwnDirectory(const char* argv0) {
  char buffer[PATH_MAX];
  const ssize_t length = ::readlink("/proc/self/exe", buffer, sizeof(buffer) - 1);
  std::string self = length > 0 ? std::string(buffer, static_cast<size_t>(length)) : argv0;
  const size_t slash = self.rfind('/');
  return slash == std::string::npos ? std::string() : self.substr(0, slash + 1);
}

int HandToFullBinary(char** argv) {
  const std::string directory = OwnDirectory(argv[0]);
  if (directory.empty()) {
    std::cerr << "modelgate: cannot find " << kFullBinaryName
              << ": /proc/self/exe is unreadable and argv[0] holds no folder\n";
    return mg::cli::kExitError;
  }
  const std::string full = directory + kFullBinaryName;
  ::execv(full.c_str(), argv);
  std::cerr << "modelgate: cannot start " << full << " (every command but 'run' lives there): "
            << std::strerror(errno) << '\n';
  return mg::cli::kExitError;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string_view(argv[1]) != "run") return HandToFullBinary(argv);
  CLI::App app;
  mg::cli::DescribeApp(app);
  int exit_code = mg::cli::kExitOk;
  mg::cli::AddRunCommand(app, exit_code);
  return mg::cli::ParseAndRun(app, argc, argv, exit_code);
}
