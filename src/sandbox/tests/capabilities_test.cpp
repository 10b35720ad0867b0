#include "sandbox/capabilities.h"

#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fstream>

#include "sandbox/tests/child_runner.h"

namespace mg::sandbox {
namespace {

int LastCap() {
  int last = -1;
  std::ifstream("/proc/sys/kernel/cap_last_cap") >> last;
  return last;
}

TEST(Capabilities, BoundingSetLosesEveryCapabilityUpToCapLastCap) {
  const int last = LastCap();
  if (last < 0) GTEST_SKIP() << "no /proc/sys/kernel/cap_last_cap";
  EXPECT_EQ(test::InChild([&] {
              // A new user namespace gives the child every capability (CAP_SETPCAP included)
              // whoever runs the tests.
              if (::prctl(PR_CAPBSET_READ, CAP_SETPCAP, 0, 0, 0) != 1 &&
                  ::unshare(CLONE_NEWUSER) != 0) {
                return 100;
              }
              if (::prctl(PR_CAPBSET_READ, last, 0, 0, 0) != 1) return 101;
              if (DropBoundingSetAndLock() != 0) return 102;
              for (int cap = 0; cap <= last; ++cap) {
                if (::prctl(PR_CAPBSET_READ, cap, 0, 0, 0) != 0) return 1;
              }
              // Past the last capability the kernel answers EINVAL: nothing was left out.
              if (::prctl(PR_CAPBSET_READ, last + 1, 0, 0, 0) >= 0) return 2;
              return 0;
            }),
            0);
}

TEST(Capabilities, DropAllCapabilitiesEmptiesEverySet) {
  EXPECT_EQ(test::InChild([] {
              if (::prctl(PR_CAPBSET_READ, CAP_SETPCAP, 0, 0, 0) != 1 &&
                  ::unshare(CLONE_NEWUSER) != 0) {
                return 100;
              }
              if (DropAllCapabilities() != 0) return 1;
              __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
              __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
              if (::syscall(SYS_capget, &header, data) != 0) return 2;
              for (const auto& set : data) {
                if (set.effective != 0 || set.permitted != 0 || set.inheritable != 0) return 3;
              }
              return ::prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN, 0, 0, 0) == 0 ? 0 : 4;
            }),
            0);
}

}  // namespace
}  // namespace mg::sandbox
