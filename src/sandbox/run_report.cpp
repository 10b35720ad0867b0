#include <csignal>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <sstream>

#include "render/escape.h"
#include "sandbox/outcome.h"

namespace mg::sandbox {

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kOk:
      return "OK";
    case Outcome::kViolation:
      return "VIOLATION";
    case Outcome::kSignaled:
      return "SIGNALED";
    case Outcome::kLimit:
      return "LIMIT";
    case Outcome::kTimeout:
      return "TIMEOUT";
    case Outcome::kSetupError:
      return "SETUP_ERROR";
  }
  return "SETUP_ERROR";
}

std::string Isolation::Level() const {
  if (namespaces && seccomp && (landlock || landlock_abi == 0)) return "full";
  if (landlock && seccomp) return "landlock+seccomp";
  if (namespaces || landlock || seccomp) return "partial";
  return "none";
}

int RunExitCode(const RunReport& report) {
  switch (report.outcome) {
    case Outcome::kOk:
      return report.exit_status.value_or(0);
    case Outcome::kViolation:
      return kRunExitViolation;
    case Outcome::kSignaled:
    case Outcome::kLimit:
      return 128 + report.signal;
    case Outcome::kTimeout:
      return kRunExitTimeout;
    case Outcome::kSetupError:
      return kRunExitSetupError;
  }
  return kRunExitSetupError;
}

namespace {

std::string SignalName(int signal) {
  const char* abbrev = sigabbrev_np(signal);
  return abbrev != nullptr ? std::string("SIG") + abbrev : "signal " + std::to_string(signal);
}

std::string Join(const std::vector<std::string>& parts) {
  std::string joined;
  for (const std::string& part : parts) {
    if (!joined.empty()) joined += ' ';
    joined += TerminalSafe(part, 512);
  }
  return joined;
}

std::vector<std::string> LayerNames(const Isolation& isolation) {
  std::vector<std::string> layers;
  if (isolation.namespaces) layers.emplace_back("namespaces");
  if (isolation.landlock) layers.emplace_back("landlock");
  if (isolation.landlock_tcp) layers.emplace_back("landlock-tcp");
  if (isolation.landlock_scoped) layers.emplace_back("landlock-scope");
  if (isolation.seccomp) layers.emplace_back("seccomp");
  if (isolation.no_new_privs) layers.emplace_back("no-new-privs");
  if (isolation.capabilities_dropped) layers.emplace_back("capabilities-dropped");
  if (isolation.rlimits) layers.emplace_back("rlimits");
  if (isolation.monitor) layers.emplace_back("monitor");
  return layers;
}

std::string Ending(const RunReport& report) {
  if (report.exit_status) return "exited with status " + std::to_string(*report.exit_status);
  if (report.signal != 0) return "killed by " + SignalName(report.signal);
  return "did not run";
}

}  // namespace

std::string RenderRunText(const RunReport& report) {
  std::ostringstream out;
  char times[160];
  std::snprintf(times, sizeof(times), "wall %.3f s, cpu %.3f s, max rss %ld KiB",
                report.wall_seconds, report.cpu_seconds, report.max_rss_kib);
  out << "modelgate run: " << OutcomeName(report.outcome) << "\n";
  out << "  command:   " << Join(report.command) << "\n";
  if (!report.resolved_command.empty())
    out << "  executed:  " << TerminalSafe(report.resolved_command) << "\n";
  out << "  mode:      " << (report.mode == Mode::kEnforce ? "enforce" : "observe") << "\n";
  for (const ModelMount& model : report.models) {
    out << "  model:     " << TerminalSafe(model.host_path) << " -> " << model.inside
        << " (read-only)\n";
  }
  if (!report.output_dir.empty()) {
    out << "  output:    " << report.output_dir << " -> " << kOutputInside << " (writable)\n";
  }
  out << "  result:    " << Ending(report) << "\n";
  if (!report.message.empty()) out << "  note:      " << report.message << "\n";
  out << "  resources: " << times << "\n";
  out << "  isolation: " << report.isolation.Level() << " (" << Join(LayerNames(report.isolation))
      << "; landlock abi " << report.isolation.landlock_abi << ")\n";
  if (!report.isolation.fallback.empty()) {
    out << "  fallback:  no namespaces: " << report.isolation.fallback << "\n";
  }
  if (report.attempts.empty()) {
    out << "  attempts:  none recorded" << (report.isolation.monitor ? "" : " (no monitor)")
        << "\n";
  } else {
    out << "  attempts:\n";
    for (const Attempt& attempt : report.attempts) {
      out << "    " << (attempt.allowed ? "allowed " : "BLOCKED ") << attempt.syscall;
      if (!attempt.detail.empty()) out << " " << TerminalSafe(attempt.detail, 512);
      out << " (pid " << attempt.pid << ")\n";
    }
    if (report.attempts_dropped > 0) {
      out << "    ... " << report.attempts_dropped << " more not recorded\n";
    }
  }
  return out.str();
}

std::string RenderRunJson(const RunReport& report) {
  nlohmann::ordered_json doc;
  doc["schema"] = "modelgate-run/1";
  doc["outcome"] = OutcomeName(report.outcome);
  doc["command"] = report.command;
  doc["executed"] = report.resolved_command;
  doc["mode"] = report.mode == Mode::kEnforce ? "enforce" : "observe";
  auto& models = doc["models"] = nlohmann::ordered_json::array();
  for (const ModelMount& model : report.models) {
    models.push_back({{"path", model.host_path}, {"inside", model.inside}});
  }
  doc["output"] = report.output_dir.empty() ? nlohmann::ordered_json(nullptr)
                                            : nlohmann::ordered_json(report.output_dir);
  doc["exit_status"] = report.exit_status ? nlohmann::ordered_json(*report.exit_status)
                                          : nlohmann::ordered_json(nullptr);
  doc["signal"] = report.signal == 0 ? nlohmann::ordered_json(nullptr)
                                     : nlohmann::ordered_json(SignalName(report.signal));
  doc["exit_code"] = RunExitCode(report);
  doc["message"] = report.message;
  doc["resources"] = {{"wall_seconds", report.wall_seconds},
                      {"cpu_seconds", report.cpu_seconds},
                      {"max_rss_kib", report.max_rss_kib}};
  const Isolation& iso = report.isolation;
  doc["isolation"] = {{"level", iso.Level()},
                      {"layers", LayerNames(iso)},
                      {"namespaces", iso.namespaces},
                      {"fallback", iso.fallback.empty() ? nlohmann::ordered_json(nullptr)
                                                        : nlohmann::ordered_json(iso.fallback)},
                      {"landlock_abi", iso.landlock_abi}};
  const RunLimits& limits = report.limits;
  doc["limits"] = {
      {"timeout_ms", limits.wall_timeout.count()},     {"cpu_seconds", limits.cpu_seconds},
      {"max_processes", limits.max_processes},         {"max_open_files", limits.max_open_files},
      {"max_file_size", limits.max_file_size},         {"max_memory", limits.max_data},
      {"max_address_space", limits.max_address_space}, {"tmp_size", limits.tmp_size}};
  auto& attempts = doc["attempts"] = nlohmann::ordered_json::array();
  for (const Attempt& attempt : report.attempts) {
    attempts.push_back({{"syscall", attempt.syscall},
                        {"detail", attempt.detail},
                        {"pid", attempt.pid},
                        {"allowed", attempt.allowed}});
  }
  doc["attempts_dropped"] = report.attempts_dropped;
  // Paths read from the sandbox may be any bytes: invalid UTF-8 becomes U+FFFD.
  return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace mg::sandbox
