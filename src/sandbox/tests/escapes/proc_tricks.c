/* /proc tricks: init's memory, environment and root, the host's kernel settings, signalling
 * init, and /proc/self/exe opened for writing. */
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "escape.h"

int main(void) {
  char buffer[256];
  int fd = open("/proc/1/mem", O_RDWR);
  if (fd >= 0) Escaped("opened /proc/1/mem");
  Contained("/proc/1/mem");
  fd = open("/proc/1/environ", O_RDONLY);
  if (fd >= 0 && read(fd, buffer, sizeof(buffer)) > 0) Escaped("read /proc/1/environ");
  Contained("/proc/1/environ");
  const ssize_t length = readlink("/proc/1/root/", buffer, sizeof(buffer));
  if (length >= 0 && open("/proc/1/root/etc/shadow", O_RDONLY) >= 0) Escaped("/proc/1/root");
  Contained("/proc/1/root");
  fd = open("/proc/sys/kernel/core_pattern", O_WRONLY);
  if (fd >= 0 && write(fd, "|/tmp/x", 7) == 7) Escaped("wrote core_pattern");
  Contained("/proc/sys/kernel/core_pattern");
  fd = open("/proc/self/exe", O_WRONLY);
  if (fd >= 0) Escaped("opened our own executable for writing");
  Contained("/proc/self/exe");
  if (kill(1, SIGKILL) == 0) {
    sleep(1);
    if (kill(1, 0) != 0) Escaped("killed init");
  }
  Contained("kill init");
  return 0;
}
