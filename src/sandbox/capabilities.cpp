#include "sandbox/capabilities.h"

#include <linux/capability.h>
#include <linux/securebits.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace mg::sandbox {

int DropBoundingSetAndLock() {
  // Bounding set first: PR_CAPBSET_DROP needs CAP_SETPCAP, which the next steps remove. Drop
  // every number up to the first EINVAL, which marks the end of the kernel's capability list
  // (cap_last_cap): one call per capability, none to read it first.
  const int has_setpcap = ::prctl(PR_CAPBSET_READ, CAP_SETPCAP, 0, 0, 0);
  if (has_setpcap == 1) {
    for (int cap = 0; cap <= 63; ++cap) {
      if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0) continue;
      if (errno == EINVAL) break;
      return errno;
    }
    const unsigned long bits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
                               SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED;
    if (::prctl(PR_SET_SECUREBITS, bits, 0, 0, 0) != 0) return errno;
  }
  if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) {
    return errno;
  }
  return 0;
}

int ClearCapabilitySets() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  if (::syscall(SYS_capset, &header, data) != 0) return errno;
  return 0;
}

int DropAllCapabilities() {
  const int error = DropBoundingSetAndLock();
  return error != 0 ? error : ClearCapabilitySets();
}

int SetNoNewPrivs() { return ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 ? 0 : errno; }

}  // namespace mg::sandbox
