/* io_uring: its operations bypass seccomp filters on the system calls they stand for. */
#include <sys/syscall.h>
#include <unistd.h>

#include "escape.h"

#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup 425
#endif

int main(void) {
  unsigned char params[120] = {0}; /* struct io_uring_params */
  const long fd = syscall(__NR_io_uring_setup, 8, params);
  if (fd >= 0) Escaped("io_uring_setup returned a ring");
  Contained("io_uring_setup");
  return 0;
}
