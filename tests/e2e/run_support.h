// Helpers for the `modelgate run` end-to-end tests: run the CLI with a JSON report, skip where
// the kernel cannot build a sandbox, look for recorded attempts, and a host-side TCP listener
// that must never be contacted.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "e2e/cli_runner.h"

namespace mg::test {

namespace fs = std::filesystem;

inline fs::path Escape(const std::string& name) { return fs::path(MODELGATE_ESCAPES_DIR) / name; }

// An AddressSanitizer build of modelgate supervises the sandbox too, with two adjustments made
// by RunSandbox: ASan reserves terabytes of address space for its shadow memory, so the
// forked, still-instrumented child would fail every allocation after it applies RLIMIT_DATA
// ("Failed to mmap"); the default limit is therefore lifted (`--max-memory 0`) unless a test
// sets its own. Tests that depend on the limit, or that run the instrumented CLI itself as the
// sandboxed command (LeakSanitizer needs ptrace, which the sandbox denies), skip there.
inline std::optional<std::string> SanitizerBuild() {
#if defined(__SANITIZE_ADDRESS__)
  return "not in an AddressSanitizer build: ASan's shadow reservation defeats the memory limit "
         "applied before exec, and LeakSanitizer needs ptrace (tests/e2e/run_support.h)";
#else
  return std::nullopt;
#endif
}

struct SandboxRun {
  CliRun cli;
  nlohmann::ordered_json report;
};

// Runs `modelgate run --format json --report FILE args...` and parses the report.
inline SandboxRun RunSandbox(const std::vector<std::string>& args, const TempDir& scratch,
                             std::chrono::seconds timeout = std::chrono::seconds(60)) {
  const fs::path report_path = scratch.path() / "report.json";
  std::error_code ec;
  fs::remove(report_path, ec);
  std::vector<std::string> full = {"run", "--format", "json", "--report", report_path.string()};
  if (SanitizerBuild() &&
      std::find(args.begin(), args.end(), "--max-memory") == args.end()) {
    full.insert(full.end(), {"--max-memory", "0"});  // see SanitizerBuild()
  }
  full.insert(full.end(), args.begin(), args.end());
  SandboxRun run;
  CliOptions options;
  options.timeout = timeout;
  run.cli = RunCli(full, options);
  std::ifstream in(report_path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  run.report = ParseJson(text);
  return run;
}

#define SKIP_IN_SANITIZER_BUILD() \
  if (const auto reason = SanitizerBuild()) GTEST_SKIP() << *reason

// Why the full sandbox cannot run here, or nothing when it can (probed once with /bin/true).
// Without namespaces the fallback still runs, but paths like /model and a private /tmp do not
// exist: tests written for the full sandbox skip, and RunFallback.* cover the fallback.
inline const std::optional<std::string>& SandboxUnavailable() {
  static const std::optional<std::string> reason = []() -> std::optional<std::string> {
    TempDir scratch;
    const SandboxRun run = RunSandbox({"--", "/bin/true"}, scratch);
    if (run.report.is_discarded()) return "no report: " + run.cli.err;
    if (run.report["outcome"] == "SETUP_ERROR") {
      return "the kernel cannot build the sandbox: " + run.report["message"].get<std::string>();
    }
    if (run.report["isolation"]["namespaces"] != true) {
      return "namespaces are not usable here (" +
             run.report["isolation"]["fallback"].get<std::string>() + "); only the fallback runs";
    }
    return std::nullopt;
  }();
  return reason;
}

#define SKIP_WITHOUT_SANDBOX() \
  if (const auto& reason = SandboxUnavailable()) GTEST_SKIP() << *reason

inline bool HasAttempt(const nlohmann::ordered_json& report, const std::string& syscall,
                       const std::string& detail_part, bool allowed) {
  for (const auto& attempt : report["attempts"]) {
    if (attempt["syscall"] == syscall && attempt["allowed"] == allowed &&
        attempt["detail"].get<std::string>().find(detail_part) != std::string::npos) {
      return true;
    }
  }
  return false;
}

// A TCP listener on 127.0.0.1 (host side) that must never see a connection.
class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        ::listen(fd_, 8) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      port_ = 0;
      return;
    }
    port_ = ntohs(address.sin_port);
  }
  ~Listener() {
    if (fd_ >= 0) ::close(fd_);
  }
  int port() const { return port_; }
  bool WasContacted() const {
    const int client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client >= 0) ::close(client);
    return client >= 0;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace mg::test
