#include "sandbox/mounts.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sandbox/config.h"

namespace mg::sandbox {

namespace {

// The scratch tmpfs is mounted over /tmp (bubblewrap's approach): pivoting into it puts the
// host's root at /oldroot, so every bind source stays reachable, /tmp's own content included.
constexpr char kScratchBase[] = "/tmp";
constexpr char kNewRoot[] = "/newroot";
constexpr char kOldRoot[] = "/oldroot";

StepError Fail(const std::string& step) { return StepFailed(errno, step); }

std::string Old(const std::string& host_path) { return kOldRoot + host_path; }
std::string New(const std::string& inside_path) { return kNewRoot + inside_path; }

// mkdir -p, inside the new root's tmpfs. The folder itself is tried first: its parents
// usually exist already (one call instead of one per path component).
bool MakeDirs(const std::string& path, mode_t mode = 0755) {
  if (::mkdir(path.c_str(), mode) == 0 || errno == EEXIST) return true;
  if (errno != ENOENT) return false;
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0 || !MakeDirs(path.substr(0, slash), mode)) {
    return false;
  }
  return ::mkdir(path.c_str(), mode) == 0 || errno == EEXIST;
}

bool MakeFile(const std::string& path, const std::string& content, mode_t mode = 0644) {
  constexpr int kFlags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;
  int fd = ::open(path.c_str(), kFlags, mode);
  if (fd < 0 && errno == ENOENT) {  // a missing parent folder: create it, then try again
    const std::size_t slash = path.rfind('/');
    if (slash == std::string::npos || slash == 0 || !MakeDirs(path.substr(0, slash))) {
      return false;
    }
    fd = ::open(path.c_str(), kFlags, mode);
  }
  if (fd < 0) return false;
  const bool ok = content.empty() || ::write(fd, content.data(), content.size()) ==
                                         static_cast<ssize_t>(content.size());
  ::close(fd);
  return ok;
}

// A bind mount keeps the flags the kernel locked when the user namespace copied the host's
// mounts (nosuid, nodev, noexec, the atime flags): a remount must repeat them or fail (EPERM).
unsigned long LockedFlags(const std::string& path) {
  struct statvfs info {};
  if (::statvfs(path.c_str(), &info) != 0) return 0;
  unsigned long flags = 0;
  if (info.f_flag & ST_NOSUID) flags |= MS_NOSUID;
  if (info.f_flag & ST_NODEV) flags |= MS_NODEV;
  if (info.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
  if (info.f_flag & ST_NOATIME) flags |= MS_NOATIME;
  if (info.f_flag & ST_NODIRATIME) flags |= MS_NODIRATIME;
  if (info.f_flag & ST_RELATIME) flags |= MS_RELATIME;
  if (info.f_flag & ST_RDONLY) flags |= MS_RDONLY;
  return flags;
}

// Binds `source` (host path, seen under /oldroot) at `target` (inside the new root).
StepError Bind(const std::string& source, const std::string& target, bool writable,
               bool remount = true) {
  const std::string from = Old(source);
  const std::string to = New(target);
  struct stat info {};
  if (::stat(from.c_str(), &info) != 0) return Fail("stat " + source);
  const bool made = S_ISDIR(info.st_mode) ? MakeDirs(to) : MakeFile(to, "");
  if (!made) return Fail("create mount point " + target);
  if (::mount(from.c_str(), to.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
    return Fail("bind " + source + " at " + target);
  }
  if (!remount) return StepOk();
  unsigned long flags = MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV | LockedFlags(to);
  if (!writable) flags |= MS_RDONLY;
  if (::mount(nullptr, to.c_str(), nullptr, flags, nullptr) != 0) {
    return Fail("remount " + target + (writable ? " read-write" : " read-only"));
  }
  return StepOk();
}

// A host entry that is a symlink (merged /usr: /bin -> usr/bin) is recreated as the same link;
// a folder or file is bound read-only; a missing one is skipped.
StepError MirrorEntry(const std::string& path) {
  struct stat info {};
  if (::lstat(Old(path).c_str(), &info) != 0) return StepOk();
  if (S_ISLNK(info.st_mode)) {
    char link[4096];
    const ssize_t length = ::readlink(Old(path).c_str(), link, sizeof(link) - 1);
    if (length < 0) return Fail("readlink " + path);
    link[length] = '\0';
    if (::symlink(link, New(path).c_str()) != 0) return Fail("symlink " + path);
    return StepOk();
  }
  return Bind(path, path, false);
}

StepError MountTmpfs(const std::string& target, unsigned long flags, const std::string& options) {
  if (!MakeDirs(target)) return Fail("mkdir " + target);
  if (::mount("tmpfs", target.c_str(), "tmpfs", flags, options.c_str()) != 0) {
    return Fail("mount tmpfs at " + target);
  }
  return StepOk();
}

StepError BuildEtc() {
  if (!MakeDirs(New("/etc"))) return Fail("mkdir /etc");
  for (const std::string& entry : EtcEntries()) {
    if (StepError step = MirrorEntry("/etc/" + entry); step.failed()) return step;
  }
  // Debian's python3.X keeps sitecustomize.py and friends in /etc/python3.X.
  if (DIR* etc = ::opendir(Old("/etc").c_str())) {
    while (const dirent* entry = ::readdir(etc)) {
      if (std::strncmp(entry->d_name, "python3", 7) != 0) continue;
      if (StepError step = MirrorEntry(std::string("/etc/") + entry->d_name); step.failed()) {
        ::closedir(etc);
        return step;
      }
    }
    ::closedir(etc);
  }
  const std::string uid = std::to_string(kSandboxUid);
  const std::string gid = std::to_string(kSandboxGid);
  const bool written =
      MakeFile(New("/etc/passwd"), "sandbox:x:" + uid + ":" + gid +
                                       ":modelgate sandbox:/tmp:/usr/sbin/nologin\n"
                                       "nobody:x:65534:65534:nobody:/nonexistent:"
                                       "/usr/sbin/nologin\n") &&
      MakeFile(New("/etc/group"), "sandbox:x:" + gid + ":\nnogroup:x:65534:\n") &&
      MakeFile(New("/etc/hosts"), "127.0.0.1 localhost\n::1 localhost\n") &&
      MakeFile(New("/etc/hostname"), std::string(kHostname) + "\n");
  return written ? StepOk() : Fail("write /etc files");
}

StepError BuildDev() {
  const std::string dev = New("/dev");
  if (StepError step = MountTmpfs(dev, MS_NOSUID | MS_NOEXEC, "size=64k,mode=0755");
      step.failed()) {
    return step;
  }
  for (const char* node : {"null", "zero", "full", "random", "urandom", "tty"}) {
    const std::string path = std::string("/dev/") + node;
    // Device files keep the host mount's flags; no remount (they must stay writable).
    if (StepError step = Bind(path, path, true, false); step.failed()) return step;
  }
  const struct {
    const char* target;
    const char* name;
  } links[] = {{"/proc/self/fd", "fd"},
               {"/proc/self/fd/0", "stdin"},
               {"/proc/self/fd/1", "stdout"},
               {"/proc/self/fd/2", "stderr"},
               // POSIX shared memory and named semaphores (shm_open, sem_open: Python's
               // multiprocessing locks, torch's DataLoader workers) live in /dev/shm; the
               // private /tmp is already a writable tmpfs with its own size limit.
               {"/tmp", "shm"}};
  for (const auto& link : links) {
    if (::symlink(link.target, (dev + "/" + link.name).c_str()) != 0) return Fail("/dev links");
  }
  return StepOk();
}

StepError EnterScratch() {
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    return Fail("make mounts private");
  }
  if (::mount("tmpfs", kScratchBase, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=0755") != 0) {
    return Fail("mount scratch tmpfs");
  }
  if (::chdir(kScratchBase) != 0 || ::mkdir("newroot", 0755) != 0 ||
      ::mkdir("oldroot", 0755) != 0) {
    return Fail("prepare scratch");
  }
  if (::syscall(SYS_pivot_root, ".", "oldroot") != 0 || ::chdir("/") != 0) {
    return Fail("pivot_root into scratch");
  }
  return StepOk();
}

StepError PivotIntoNewRoot() {
  // pivot_root(".", "."): the old root ends up stacked on the new one and is detached at once.
  if (::chdir(kNewRoot) != 0 || ::syscall(SYS_pivot_root, ".", ".") != 0) {
    return Fail("pivot_root");
  }
  if (::umount2(".", MNT_DETACH) != 0 || ::chdir("/") != 0) return Fail("detach old root");
  if (::mount(nullptr, "/", nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV,
              nullptr) != 0) {
    return Fail("remount / read-only");
  }
  return StepOk();
}

}  // namespace

const std::vector<std::string>& EtcEntries() {
  static const std::vector<std::string> entries = {"ld.so.cache",   "ld.so.conf",   "ld.so.conf.d",
                                                   "nsswitch.conf", "localtime",    "timezone",
                                                   "alternatives",  "locale.alias", "mime.types"};
  return entries;
}

StepError BuildRoot(const RootPlan& plan) {
  if (StepError step = EnterScratch(); step.failed()) return step;
  if (StepError step = MountTmpfs(kNewRoot, MS_NOSUID | MS_NODEV, "size=1m,mode=0755");
      step.failed()) {
    return step;
  }
  for (const char* entry : {"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) {
    if (StepError step = MirrorEntry(entry); step.failed()) return step;
  }
  // CPU and NUMA topology, read-only: OpenBLAS, OpenMP and torch size their thread pools from
  // it and report errors without it.
  for (const char* topology : {"/sys/devices/system/cpu", "/sys/devices/system/node"}) {
    struct stat info {};
    if (::stat(Old(topology).c_str(), &info) != 0) continue;
    if (StepError step = Bind(topology, topology, false); step.failed()) return step;
  }
  if (StepError step = BuildEtc(); step.failed()) return step;
  if (StepError step = BuildDev(); step.failed()) return step;
  const std::string tmp_options = "size=" + std::to_string(plan.tmp_size) + ",mode=1777";
  if (StepError step = MountTmpfs(New("/tmp"), MS_NOSUID | MS_NODEV, tmp_options); step.failed()) {
    return step;
  }
  for (const BindMount& bind : plan.binds) {
    if (StepError step = Bind(bind.source, bind.target, bind.writable); step.failed()) {
      return step;
    }
  }
  // /proc of the new PID namespace: it shows only the sandbox's processes.
  if (!MakeDirs(New("/proc")) || ::mount("proc", New("/proc").c_str(), "proc",
                                         MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) {
    return Fail("mount /proc");
  }
  return PivotIntoNewRoot();
}

}  // namespace mg::sandbox
