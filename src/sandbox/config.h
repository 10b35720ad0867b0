// What `modelgate run` is asked to do: the command, the models, the limits and the mode. Each
// field states its unit and default (docs/sandbox.md repeats them for users).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mg::sandbox {

// --enforce denies exec of anything but the loader; --observe lets execs run (still inside the
// sandbox, still without network) so that the report shows the whole chain.
enum class Mode { kEnforce, kObserve };

// Which isolation to use. kAuto probes namespaces and falls back to Landlock + seccomp.
enum class IsolationRequest { kAuto, kNamespaces, kNoNamespaces };

struct ModelMount {
  std::string host_path;  // file or folder on the host, read-only inside
  std::string inside;     // absolute path inside the sandbox (default /model/<basename>)
};

// Resource limits applied with setrlimit in the sandboxed process. 0 means "do not set".
struct RunLimits {
  std::uint64_t cpu_seconds = 600;                  // RLIMIT_CPU, seconds
  std::uint64_t max_processes = 256;                // RLIMIT_NPROC, processes
  std::uint64_t max_open_files = 1024;              // RLIMIT_NOFILE, descriptors
  std::uint64_t max_file_size = 1ULL << 30;         // RLIMIT_FSIZE, bytes (1G)
  std::uint64_t max_data = 4ULL << 30;              // RLIMIT_DATA, bytes (4G)
  std::uint64_t max_address_space = 0;              // RLIMIT_AS, bytes (unset)
  std::uint64_t tmp_size = 256ULL << 20;            // size of the private /tmp (256M)
  std::chrono::milliseconds wall_timeout{600'000};  // whole sandbox killed after this
};

struct RunConfig {
  std::vector<std::string> command;  // argv; command[0] is resolved with the sandbox PATH
  std::vector<ModelMount> models;
  std::string output_dir;             // host folder, writable at /output; empty: none
  std::vector<std::string> pass_env;  // --env NAME
  std::vector<std::pair<std::string, std::string>> set_env;  // --setenv NAME=VALUE
  Mode mode = Mode::kEnforce;
  IsolationRequest isolation = IsolationRequest::kAuto;
  bool monitor = true;  // seccomp user notification supervisor
  RunLimits limits;
  // Whether RunSandboxed returns only after the sandbox's init has exited and been reaped.
  // Off, it returns as soon as init reports the command's status with no other process of the
  // sandbox left, and init's exit (tearing the namespaces down, about 0.5 ms) goes on after it:
  // for a caller that exits right away (the CLI), whose init is then reaped by its new parent.
  // A long-lived caller keeps it on, or collects a zombie per run.
  bool await_teardown = true;
};

// Fixed names inside the sandbox.
inline constexpr char kSandboxPath[] =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
inline constexpr char kOutputInside[] = "/output";
inline constexpr char kCommandDirInside[] = "/command";
inline constexpr char kHostname[] = "modelgate";
// The user the command runs as inside the namespaces (the caller's own uid outside).
inline constexpr unsigned kSandboxUid = 1000;
inline constexpr unsigned kSandboxGid = 1000;

}  // namespace mg::sandbox
