/* Attach to another process (the sandbox's init, then our own child) with ptrace. */
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "escape.h"

int main(void) {
  if (ptrace(PTRACE_ATTACH, 1, NULL, NULL) == 0) Escaped("attached to pid 1");
  Contained("ptrace attach to pid 1");
  const pid_t child = fork();
  if (child == 0) {
    pause();
    _exit(0);
  }
  if (child > 0) {
    if (ptrace(PTRACE_ATTACH, child, NULL, NULL) == 0) Escaped("attached to own child");
    Contained("ptrace attach to own child");
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
  }
  if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) == 0) Escaped("PTRACE_TRACEME");
  Contained("PTRACE_TRACEME");
  return 0;
}
