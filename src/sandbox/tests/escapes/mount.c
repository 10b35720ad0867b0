/* Change the mount table: a new tmpfs, a bind of /, unmounting /proc, remounting / writable. */
#include <sys/mount.h>

#include "escape.h"

int main(void) {
  if (mount("tmpfs", "/tmp", "tmpfs", 0, NULL) == 0) Escaped("mounted a tmpfs");
  Contained("mount tmpfs");
  if (mount("/", "/tmp", NULL, MS_BIND, NULL) == 0) Escaped("bind-mounted /");
  Contained("bind mount");
  if (umount2("/proc", MNT_DETACH) == 0) Escaped("unmounted /proc");
  Contained("umount /proc");
  if (mount(NULL, "/", NULL, MS_REMOUNT, NULL) == 0) Escaped("remounted / read-write");
  Contained("remount /");
  return 0;
}
