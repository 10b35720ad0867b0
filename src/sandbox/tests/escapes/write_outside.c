/* Writes: /tmp must work; the root, /etc, /usr, the models, /proc/sys and each argument (a host
 * path outside the sandbox) must not. */
#include <fcntl.h>
#include <unistd.h>

#include "escape.h"

static int TryWrite(const char* path) {
  const int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return 0;
  const int wrote = write(fd, "x", 1) == 1;
  close(fd);
  return wrote;
}

int main(int argc, char** argv) {
  if (!TryWrite("/tmp/allowed")) {
    printf("FAILED: cannot write /tmp (%s)\n", strerror(errno));
    return 1;
  }
  printf("wrote /tmp/allowed\n");
  const char* forbidden[] = {"/pwned", "/etc/pwned", "/usr/pwned", "/model/pwned",
                             "/proc/sys/kernel/hostname", "/dev/pwned"};
  for (size_t i = 0; i < sizeof(forbidden) / sizeof(forbidden[0]); ++i) {
    if (TryWrite(forbidden[i])) Escaped(forbidden[i]);
    Contained(forbidden[i]);
  }
  for (int i = 1; i < argc; ++i) {
    if (TryWrite(argv[i])) Escaped(argv[i]);
    Contained(argv[i]);
  }
  return 0;
}
