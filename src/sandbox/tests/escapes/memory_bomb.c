/* Allocate and touch 16 MiB blocks until malloc fails; the limit must stop it before argv[1]
 * MiB (default 2048). */
#include "escape.h"

int main(int argc, char** argv) {
  const long ceiling_mib = argc > 1 ? atol(argv[1]) : 2048;
  for (long mib = 0; mib < ceiling_mib; mib += 16) {
    char* block = malloc(16 << 20);
    if (block == NULL) {
      printf("malloc failed after %ld MiB\n", mib);
      Contained("memory bomb");
      return 0;
    }
    memset(block, 1, 16 << 20);
  }
  Escaped("allocated past the ceiling");
}
