#include "sandbox/landlock.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace mg::sandbox {

namespace {

// Syscall numbers are the same on every architecture (unified table since 5.13).
constexpr long kSysCreateRuleset = 444;
constexpr long kSysAddRule = 445;
constexpr long kSysRestrictSelf = 446;
constexpr unsigned kCreateRulesetVersion = 1U << 0;
constexpr int kRulePathBeneath = 1;

// UAPI struct landlock_ruleset_attr (the kernel accepts a larger struct whose unknown tail is
// zero, so one definition serves every ABI).
struct RulesetAttr {
  std::uint64_t handled_access_fs;
  std::uint64_t handled_access_net;  // ABI 4
  std::uint64_t scoped;              // ABI 6
};

// UAPI struct landlock_path_beneath_attr, packed.
struct __attribute__((packed)) PathBeneathAttr {
  std::uint64_t allowed_access;
  std::int32_t parent_fd;
};

}  // namespace

int LandlockAbi() {
  const long abi = ::syscall(kSysCreateRuleset, nullptr, 0, kCreateRulesetVersion);
  return abi < 0 ? 0 : static_cast<int>(abi);
}

std::uint64_t LandlockHandledFs(int abi) {
  if (abi <= 0) return 0;
  std::uint64_t handled = (landlock::kMakeSym << 1) - 1;  // the 13 rights of ABI 1
  if (abi >= 2) handled |= landlock::kRefer;
  if (abi >= 3) handled |= landlock::kTruncate;
  if (abi >= 5) handled |= landlock::kIoctlDev;
  return handled;
}

LandlockRuleset::LandlockRuleset(int abi, bool deny_tcp) {
  handled_fs_ = LandlockHandledFs(abi);
  RulesetAttr attr{};
  attr.handled_access_fs = handled_fs_;
  if (deny_tcp && abi >= 4) attr.handled_access_net = landlock::kBindTcp | landlock::kConnectTcp;
  if (abi >= 6) attr.scoped = landlock::kScopeAbstractUnixSocket | landlock::kScopeSignal;
  if (abi <= 0) {
    first_error_ = ENOSYS;
    return;
  }
  ruleset_fd_ = static_cast<int>(::syscall(kSysCreateRuleset, &attr, sizeof(attr), 0));
  if (ruleset_fd_ < 0) first_error_ = errno;
}

LandlockRuleset::~LandlockRuleset() {
  if (ruleset_fd_ >= 0) ::close(ruleset_fd_);
}

void LandlockRuleset::AllowPath(const char* path, std::uint64_t access, bool optional) {
  if (ruleset_fd_ < 0 || first_error_ != 0) return;
  const int fd = ::open(path, O_PATH | O_CLOEXEC);
  if (fd < 0) {
    if (!(optional && errno == ENOENT)) {
      first_error_ = errno;
      first_error_path_ = path;
    }
    return;
  }
  PathBeneathAttr rule{};
  rule.allowed_access = access & handled_fs_;
  // Folder-only rights are dropped on anything else; rights that are all file rights need no
  // look at what `path` is.
  struct stat info {};
  if ((rule.allowed_access & ~landlock::kFileRights) != 0 && ::fstat(fd, &info) == 0 &&
      !S_ISDIR(info.st_mode)) {
    rule.allowed_access &= landlock::kFileRights;
  }
  rule.parent_fd = fd;
  if (rule.allowed_access != 0 &&
      ::syscall(kSysAddRule, ruleset_fd_, kRulePathBeneath, &rule, 0) != 0) {
    first_error_ = errno;
    first_error_path_ = path;
  }
  ::close(fd);
}

int LandlockRuleset::RestrictSelf() {
  if (first_error_ != 0) return first_error_;
  if (::syscall(kSysRestrictSelf, ruleset_fd_, 0) != 0) return errno;
  return 0;
}

}  // namespace mg::sandbox
