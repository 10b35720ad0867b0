/* Shared by the escape-attempt programs: each tries one way out of the sandbox and says
 * "CONTAINED: ..." (exit 0) when the sandbox stopped it, "ESCAPED: ..." (exit 66) when not. */
#ifndef MODELGATE_ESCAPE_H_
#define MODELGATE_ESCAPE_H_

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline void Escaped(const char* what) {
  printf("ESCAPED: %s\n", what);
  fflush(stdout);
  exit(66);
}

static inline void Contained(const char* what) {
  printf("CONTAINED: %s (%s)\n", what, strerror(errno));
}

#endif
