/* Read credentials: each argument is a path (the test's decoy ~/.ssh/id_rsa, ~/.aws/credentials
 * as the host sees them); also root's own keys. */
#include <fcntl.h>
#include <unistd.h>

#include "escape.h"

static void TryRead(const char* path) {
  char buffer[64];
  const int fd = open(path, O_RDONLY);
  if (fd >= 0 && read(fd, buffer, sizeof(buffer)) > 0) {
    printf("read %s\n", path);
    Escaped("read a credential file");
  }
  Contained(path);
  if (fd >= 0) close(fd);
}

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) TryRead(argv[i]);
  TryRead("/root/.ssh/id_rsa");
  TryRead("/etc/shadow");
  return 0;
}
