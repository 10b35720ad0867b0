#include "sandbox/namespaces.h"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "sandbox/config.h"

namespace mg::sandbox {

namespace {

int WriteProcFile(const char* path, const char* text) {
  const int fd = ::open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  const ssize_t length = static_cast<ssize_t>(std::strlen(text));
  const int error = ::write(fd, text, static_cast<size_t>(length)) == length ? 0 : errno;
  ::close(fd);
  return error;
}

}  // namespace

int SandboxCloneFlags() {
  return CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS;
}

StepError WriteIdMaps(int pid, unsigned outer_uid, unsigned outer_gid) {
  const std::string proc = "/proc/" + std::to_string(pid) + "/";
  char uid_line[96];
  char gid_line[96];
  if (outer_uid == 0) {
    std::snprintf(uid_line, sizeof(uid_line), "0 0 1\n%u %u 1\n", kSandboxUid,
                  kUnprivilegedOuterId);
    std::snprintf(gid_line, sizeof(gid_line), "0 0 1\n%u %u 1\n", kSandboxGid,
                  kUnprivilegedOuterId);
  } else {
    std::snprintf(uid_line, sizeof(uid_line), "%u %u 1\n", kSandboxUid, outer_uid);
    std::snprintf(gid_line, sizeof(gid_line), "%u %u 1\n", kSandboxGid, outer_gid);
  }
  if (const int error = WriteProcFile((proc + "uid_map").c_str(), uid_line); error != 0) {
    return StepFailed(error, "write uid_map");
  }
  if (const int error = WriteProcFile((proc + "setgroups").c_str(), "deny");
      error != 0 && error != ENOENT) {
    return StepFailed(error, "write setgroups");
  }
  if (const int error = WriteProcFile((proc + "gid_map").c_str(), gid_line); error != 0) {
    return StepFailed(error, "write gid_map");
  }
  return StepOk();
}

}  // namespace mg::sandbox
