#include "sandbox/self_confine.h"

#include <cstring>

#include "sandbox/capabilities.h"
#include "sandbox/landlock.h"
#include "sandbox/mounts.h"
#include "sandbox/seccomp_policy.h"

namespace mg::sandbox {

SelfConfinementResult ConfineSelf(const SelfConfinement& confinement) {
  SelfConfinementResult result;
  if (const int error = SetNoNewPrivs(); error != 0) {
    result.error = std::string("no_new_privs: ") + std::strerror(error);
    return result;
  }
  result.landlock_abi = LandlockAbi();
  if (result.landlock_abi > 0) {
    namespace ll = landlock;
    LandlockRuleset ruleset(result.landlock_abi, /*deny_tcp=*/true);
    // Late dlopen (iconv modules, NSS) reads these; executing them is not needed.
    ruleset.AllowPath("/usr", ll::kRead, true);
    for (const std::string& entry : EtcEntries()) {
      ruleset.AllowPath(("/etc/" + entry).c_str(), ll::kRead, true);
    }
    ruleset.AllowPath("/proc/self", ll::kRead, true);
    ruleset.AllowPath("/dev/null", ll::kDevice, true);
    for (const std::string& path : confinement.read_paths) {
      ruleset.AllowPath(path.c_str(), ll::kRead);
    }
    for (const std::string& path : confinement.write_paths) {
      ruleset.AllowPath(path.c_str(), ll::kReadWrite);
    }
    if (const int error = ruleset.RestrictSelf(); error != 0) {
      const char* path = ruleset.first_error_path();
      result.error = std::string("landlock") + (path != nullptr ? " " : "") +
                     (path != nullptr ? path : "") + ": " + std::strerror(error);
      return result;
    }
    result.landlock = true;
  }
  SeccompPolicy policy;
  policy.deny_exec = true;
  policy.all_threads = true;
  if (const int rc = LoadSeccompFilter(policy); rc != 0) {
    result.error = std::string("seccomp: ") + std::strerror(-rc);
    return result;
  }
  result.seccomp = true;
  return result;
}

}  // namespace mg::sandbox
