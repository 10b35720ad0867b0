#include "sandbox/rlimits.h"

#include <sys/resource.h>

#include <cerrno>

namespace mg::sandbox {

namespace {

int SetLimit(int resource, std::uint64_t value) {
  const rlimit limit{static_cast<rlim_t>(value), static_cast<rlim_t>(value)};
  return ::setrlimit(resource, &limit) == 0 ? 0 : errno;
}

}  // namespace

int ApplyRlimits(const RunLimits& limits) {
  const struct {
    int resource;
    std::uint64_t value;
  } table[] = {
      {RLIMIT_CPU, limits.cpu_seconds},       {RLIMIT_NPROC, limits.max_processes},
      {RLIMIT_NOFILE, limits.max_open_files}, {RLIMIT_FSIZE, limits.max_file_size},
      {RLIMIT_DATA, limits.max_data},         {RLIMIT_AS, limits.max_address_space},
  };
  for (const auto& entry : table) {
    if (entry.value == 0) continue;
    if (const int error = SetLimit(entry.resource, entry.value); error != 0) return error;
  }
  // No core dumps: a crashing loader must not leave a copy of its memory behind.
  return SetLimit(RLIMIT_CORE, 0);
}

}  // namespace mg::sandbox
