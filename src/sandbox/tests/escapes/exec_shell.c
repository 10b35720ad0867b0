/* Execute a shell: in --enforce only the command itself may be executed. */
#include <unistd.h>

#include "escape.h"

int main(void) {
  char* const argv[] = {"sh", "-c", "echo shell ran", NULL};
  char* const env[] = {NULL};
  execve("/bin/sh", argv, env);
  Contained("execve /bin/sh");
  execve("/usr/bin/python3", argv, env);
  Contained("execve python3");
  return 0;
}
