/* New namespaces: a user namespace would give back every capability inside it. */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "escape.h"

int main(void) {
  if (unshare(CLONE_NEWUSER) == 0) Escaped("unshare(CLONE_NEWUSER)");
  Contained("unshare user namespace");
  if (unshare(CLONE_NEWNS) == 0) Escaped("unshare(CLONE_NEWNS)");
  Contained("unshare mount namespace");
  const long pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL, NULL);
  if (pid == 0) _exit(0);
  if (pid > 0) {
    waitpid((pid_t)pid, NULL, 0);
    Escaped("clone(CLONE_NEWUSER)");
  }
  Contained("clone with CLONE_NEWUSER");
  if (setns(0, 0) == 0) Escaped("setns");
  Contained("setns");
  return 0;
}
