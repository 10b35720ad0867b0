#include "sandbox/namespaces.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
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
  return CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC |
         CLONE_NEWUTS;
}

StepError MapOwnIds(unsigned outer_uid, unsigned outer_gid) {
  char line[64];
  std::snprintf(line, sizeof(line), "%u %u 1\n", kSandboxUid, outer_uid);
  if (const int error = WriteProcFile("/proc/self/uid_map", line); error != 0) {
    return StepFailed(error, "write uid_map");
  }
  // user_namespaces(7): an unprivileged gid_map needs setgroups denied first (a missing file
  // means a kernel older than 3.19, where no such rule exists).
  if (const int error = WriteProcFile("/proc/self/setgroups", "deny"); error != 0 &&
                                                                        error != ENOENT) {
    return StepFailed(error, "write setgroups");
  }
  std::snprintf(line, sizeof(line), "%u %u 1\n", kSandboxGid, outer_gid);
  if (const int error = WriteProcFile("/proc/self/gid_map", line); error != 0) {
    return StepFailed(error, "write gid_map");
  }
  return StepOk();
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

NamespaceProbe ProbeNamespaces() {
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) return {false, std::string("pipe: ") + strerror(errno)};
  const unsigned uid = ::geteuid();
  const unsigned gid = ::getegid();
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(report[0]);
    ::close(report[1]);
    return {false, std::string("fork: ") + strerror(errno)};
  }
  if (child == 0) {
    ::close(report[0]);
    char message[160] = "";
    StepError step;
    if (::unshare(SandboxCloneFlags()) != 0) {
      step = StepFailed(errno, "unshare");
    } else if (step = MapOwnIds(uid, gid); !step.failed()) {
      if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
        step = StepFailed(errno, "make / private");
      } else if (::mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=4k") != 0) {
        step = StepFailed(errno, "mount tmpfs");
      }
    }
    if (step.failed()) {
      std::snprintf(message, sizeof(message), "%s", step.Describe().c_str());
      (void)!::write(report[1], message, std::strlen(message));
    }
    ::_exit(step.failed() ? 1 : 0);
  }
  ::close(report[1]);
  char message[160] = "";
  const ssize_t length = ::read(report[0], message, sizeof(message) - 1);
  ::close(report[0]);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {true, ""};
  if (length > 0) {
    message[length] = '\0';
    return {false, message};
  }
  return {false, "the probe child failed"};
}

}  // namespace mg::sandbox
