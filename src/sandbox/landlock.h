// Landlock (Linux 5.13+): unprivileged filesystem, TCP and scope restrictions. Debian 12's
// <linux/landlock.h> stops at ABI 2, so the constants and structures are carried here, named
// after the kernel's UAPI (include/uapi/linux/landlock.h). Written to be reused by any process
// that confines itself (`run`'s sandboxed command; `scan` itself).
#pragma once

#include <cstdint>

namespace mg::sandbox {

namespace landlock {
// Filesystem rights (ABI 1 unless noted).
inline constexpr std::uint64_t kExecute = 1ULL << 0;
inline constexpr std::uint64_t kWriteFile = 1ULL << 1;
inline constexpr std::uint64_t kReadFile = 1ULL << 2;
inline constexpr std::uint64_t kReadDir = 1ULL << 3;
inline constexpr std::uint64_t kRemoveDir = 1ULL << 4;
inline constexpr std::uint64_t kRemoveFile = 1ULL << 5;
inline constexpr std::uint64_t kMakeChar = 1ULL << 6;
inline constexpr std::uint64_t kMakeDir = 1ULL << 7;
inline constexpr std::uint64_t kMakeReg = 1ULL << 8;
inline constexpr std::uint64_t kMakeSock = 1ULL << 9;
inline constexpr std::uint64_t kMakeFifo = 1ULL << 10;
inline constexpr std::uint64_t kMakeBlock = 1ULL << 11;
inline constexpr std::uint64_t kMakeSym = 1ULL << 12;
inline constexpr std::uint64_t kRefer = 1ULL << 13;     // ABI 2
inline constexpr std::uint64_t kTruncate = 1ULL << 14;  // ABI 3
inline constexpr std::uint64_t kIoctlDev = 1ULL << 15;  // ABI 5
// Network rights (ABI 4).
inline constexpr std::uint64_t kBindTcp = 1ULL << 0;
inline constexpr std::uint64_t kConnectTcp = 1ULL << 1;
// Scopes (ABI 6): no connecting to abstract UNIX sockets or signalling processes outside.
inline constexpr std::uint64_t kScopeAbstractUnixSocket = 1ULL << 0;
inline constexpr std::uint64_t kScopeSignal = 1ULL << 1;

// Groups the callers use.
inline constexpr std::uint64_t kRead = kReadFile | kReadDir;
inline constexpr std::uint64_t kReadExec = kRead | kExecute;
inline constexpr std::uint64_t kReadWrite = kRead | kWriteFile | kRemoveDir | kRemoveFile |
                                            kMakeDir | kMakeReg | kMakeSym | kMakeSock | kMakeFifo |
                                            kRefer | kTruncate;
inline constexpr std::uint64_t kDevice = kReadFile | kWriteFile | kIoctlDev;
// Rights that make sense on a file (the kernel rejects the others on a non-directory).
inline constexpr std::uint64_t kFileRights =
    kExecute | kWriteFile | kReadFile | kTruncate | kIoctlDev;
}  // namespace landlock

// The Landlock ABI version of the running kernel: 0 when Landlock is absent or disabled.
int LandlockAbi();

// Every filesystem right the given ABI knows (what a ruleset must handle to deny the rest).
std::uint64_t LandlockHandledFs(int abi);

// A ruleset being built. Errors are recorded (the first one is kept, as sandbox2's policy
// builder does) so that callers can add rules in a row and check once.
class LandlockRuleset {
 public:
  // Handles every filesystem right of `abi`; with deny_tcp and ABI >= 4 also TCP bind and
  // connect (no port rule is ever added, so both are denied); with ABI >= 6 the signal and
  // abstract-socket scopes.
  LandlockRuleset(int abi, bool deny_tcp);
  ~LandlockRuleset();
  LandlockRuleset(const LandlockRuleset&) = delete;
  LandlockRuleset& operator=(const LandlockRuleset&) = delete;

  // Allows `access` beneath `path` (masked to what the ABI handles; to file rights when `path`
  // is not a folder). A missing path is skipped when `optional` is true.
  void AllowPath(const char* path, std::uint64_t access, bool optional = false);

  // Enforces the ruleset on the calling thread and its future children (needs no_new_privs or
  // CAP_SYS_ADMIN). Returns 0 or the first errno seen while building or restricting.
  int RestrictSelf();

  int first_error() const { return first_error_; }
  const char* first_error_path() const { return first_error_path_; }

 private:
  int ruleset_fd_ = -1;
  std::uint64_t handled_fs_ = 0;
  int first_error_ = 0;
  const char* first_error_path_ = nullptr;
};

}  // namespace mg::sandbox
