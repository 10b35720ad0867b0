// Runs a function in a forked child and returns its exit status (-1 when it did not exit):
// confinement is for the rest of a process's life, so tests apply it in a throwaway child.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <functional>

namespace mg::sandbox::test {

inline int InChild(const std::function<int()>& body) {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(body());
  int status = 0;
  if (pid < 0 || ::waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

}  // namespace mg::sandbox::test
