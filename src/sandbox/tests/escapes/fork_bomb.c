/* Fork until the kernel says no; every child waits. RLIMIT_NPROC must stop it well before
 * argv[1] processes (default 10000). */
#include <signal.h>
#include <unistd.h>

#include "escape.h"

int main(int argc, char** argv) {
  const long ceiling = argc > 1 ? atol(argv[1]) : 10000;
  for (long i = 0; i < ceiling; ++i) {
    const pid_t pid = fork();
    if (pid == 0) {
      pause();
      _exit(0);
    }
    if (pid < 0) {
      printf("fork failed after %ld children\n", i);
      Contained("fork bomb");
      return 0;
    }
  }
  Escaped("fork bomb reached the ceiling");
}
