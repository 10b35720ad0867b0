#include "policy/trial_load.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <utility>

#include "sandbox/sandbox.h"

namespace mg::policy {

namespace {

namespace fs = std::filesystem;

// Blocked attempts named in the detail; the report has every one.
constexpr std::size_t kDetailAttempts = 3;

std::string Ending(const sandbox::RunReport& run) {
  if (run.exit_status) return "exit status " + std::to_string(*run.exit_status);
  if (run.signal != 0) return "signal " + std::to_string(run.signal);
  return "did not run";
}

// While the loader runs, its stdout goes to our stderr and its stdin is /dev/null: check's
// stdout carries the report (JSON, SARIF), which the loader's prints must not corrupt, and
// check's stdin is not the loader's to read. The sandbox's processes inherit descriptors 0-2 at
// fork; every one of them has ended when RunSandboxed returns, so restoring is safe.
class LoaderStdio {
 public:
  LoaderStdio() {
    std::cout.flush();
    std::fflush(stdout);
    saved_in_ = ::fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
    saved_out_ = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_fd >= 0) {
      ::dup2(null_fd, STDIN_FILENO);
      ::close(null_fd);
    }
    ::dup2(STDERR_FILENO, STDOUT_FILENO);
  }
  ~LoaderStdio() {
    if (saved_in_ >= 0) {
      ::dup2(saved_in_, STDIN_FILENO);
      ::close(saved_in_);
    }
    if (saved_out_ >= 0) {
      ::dup2(saved_out_, STDOUT_FILENO);
      ::close(saved_out_);
    }
  }
  LoaderStdio(const LoaderStdio&) = delete;
  LoaderStdio& operator=(const LoaderStdio&) = delete;

 private:
  int saved_in_ = -1;
  int saved_out_ = -1;
};

}  // namespace

std::vector<std::string> TrialLoadArgv(const std::vector<std::string>& loader,
                                       const std::string& model_inside) {
  std::vector<std::string> argv;
  bool substituted = false;
  for (const std::string& argument : loader) {
    std::string out;
    std::size_t from = 0;
    for (std::size_t at = argument.find(kModelPlaceholder); at != std::string::npos;
         at = argument.find(kModelPlaceholder, from)) {
      out.append(argument, from, at - from).append(model_inside);
      from = at + kModelPlaceholder.size();
      substituted = true;
    }
    out.append(argument, from, std::string::npos);
    argv.push_back(std::move(out));
  }
  if (!substituted) argv.push_back(model_inside);
  return argv;
}

std::vector<std::string> SplitLoader(std::string_view text) {
  std::vector<std::string> words;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t start = text.find_first_not_of(" \t", at);
    if (start == std::string_view::npos) break;
    const std::size_t end = std::min(text.find_first_of(" \t", start), text.size());
    words.emplace_back(text.substr(start, end - start));
    at = end;
  }
  return words;
}

sandbox::RunConfig TrialLoadConfig(const TrialLoadClause& clause, const std::string& model,
                                   const std::string& model_inside,
                                   sandbox::IsolationRequest isolation) {
  sandbox::RunConfig config;
  config.command = TrialLoadArgv(clause.loader, model_inside);
  // In the fallback the model stays at its own path (docs/sandbox.md): no mount destination.
  const bool mounted = isolation != sandbox::IsolationRequest::kNoNamespaces;
  config.models.push_back({model, mounted ? model_inside : ""});
  config.mode = sandbox::Mode::kEnforce;
  config.isolation = isolation;
  config.monitor = true;
  config.limits.wall_timeout = clause.timeout;
  return config;
}

TrialLoadEvidence JudgeTrialLoad(sandbox::RunReport run) {
  TrialLoadEvidence evidence;
  std::string blocked;
  std::size_t blocked_count = 0;
  for (const sandbox::Attempt& attempt : run.attempts) {
    if (attempt.allowed) continue;
    if (++blocked_count > kDetailAttempts) continue;
    blocked +=
        "; " + attempt.syscall + (attempt.detail.empty() ? "" : " " + attempt.detail) + " blocked";
  }
  if (blocked_count > kDetailAttempts) {
    blocked += "; " + std::to_string(blocked_count - kDetailAttempts) + " more blocked";
  }
  const bool ok = run.outcome == sandbox::Outcome::kOk;
  evidence.passed = ok && run.exit_status == 0 && blocked_count == 0;
  std::string detail(sandbox::OutcomeName(run.outcome));
  if (run.outcome == sandbox::Outcome::kSetupError) {
    detail += ": the sandbox could not run the loader: " + run.message;
  } else {
    detail += ": " + Ending(run) + ", " + std::to_string(run.attempts.size()) + " attempt" +
              (run.attempts.size() == 1 ? "" : "s") + " recorded, isolation " +
              run.isolation.Level() + blocked;
    if (ok && !evidence.passed && blocked_count == 0) detail += "; the loader did not exit 0";
  }
  evidence.detail = std::move(detail);
  evidence.run = std::move(run);
  return evidence;
}

TrialLoadEvidence RunTrialLoad(const TrialLoadClause& clause, const std::string& model) {
  std::error_code ec;
  const fs::path canonical = fs::canonical(model, ec);
  if (ec) return {false, "SETUP_ERROR: cannot open the model: " + ec.message(), std::nullopt};
  const std::string host = canonical.string();
  const LoaderStdio stdio;
  // The loader's argv depends on where the model is, which depends on the isolation: namespaces
  // first, then (only when they cannot be built; nothing has run) the fallback with the host
  // path. Any other setup error (a loader that cannot be started) is final.
  sandbox::RunReport run =
      sandbox::RunSandboxed(TrialLoadConfig(clause, host, "/model/" + canonical.filename().string(),
                                            sandbox::IsolationRequest::kNamespaces));
  if (run.outcome == sandbox::Outcome::kSetupError && run.namespaces_unusable) {
    const std::string why = run.message;
    run = sandbox::RunSandboxed(
        TrialLoadConfig(clause, host, host, sandbox::IsolationRequest::kNoNamespaces));
    if (run.isolation.fallback.empty()) {
      run.isolation.fallback = "the attempt with namespaces failed before the loader ran: " + why;
    }
  }
  return JudgeTrialLoad(std::move(run));
}

}  // namespace mg::policy
