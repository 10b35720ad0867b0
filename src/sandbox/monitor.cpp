#include "sandbox/monitor.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string_view>

namespace mg::sandbox {

namespace {

constexpr std::size_t kMaxPath = 4096;

// linux/seccomp.h of Linux 6.6; Debian 12's headers predate it.
constexpr unsigned long kIoctlNotifSetFlags = _IOW('!', 4, std::uint64_t);  // SECCOMP_IOW(4, __u64)
constexpr std::uint64_t kUserNotifFdSyncWakeUp = 1;  // SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP

// Reads up to `size` bytes of the target's memory at `address` (process_vm_readv, page by
// page so that a string ending before an unmapped page is still read, stopping after a NUL
// when reading a string; /proc/PID/mem when
// process_vm_readv is refused). Returns the count read.
std::size_t ReadTarget(int pid, std::uint64_t address, char* buffer, std::size_t size,
                       bool stop_at_nul) {
  std::size_t done = 0;
  while (done < size) {
    const std::uint64_t at = address + done;
    const std::size_t page_left = 4096 - static_cast<std::size_t>(at % 4096);
    const std::size_t chunk = std::min(size - done, page_left);
    iovec local{buffer + done, chunk};
    iovec remote{reinterpret_cast<void*>(at), chunk};
    ssize_t got = ::process_vm_readv(pid, &local, 1, &remote, 1, 0);
    if (got <= 0) {
      const std::string mem = "/proc/" + std::to_string(pid) + "/mem";
      const int fd = ::open(mem.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) break;
      got = ::pread(fd, buffer + done, chunk, static_cast<off_t>(at));
      ::close(fd);
      if (got <= 0) break;
    }
    done += static_cast<std::size_t>(got);
    if (stop_at_nul && std::memchr(buffer + done - static_cast<std::size_t>(got), '\0',
                                   static_cast<std::size_t>(got)) != nullptr) {
      break;  // a string: stop at its end
    }
  }
  return done;
}

std::string ReadString(int pid, std::uint64_t address) {
  if (address == 0) return "(null)";
  std::array<char, kMaxPath + 1> buffer{};
  const std::size_t got = ReadTarget(pid, address, buffer.data(), kMaxPath, true);
  return std::string(buffer.data(), strnlen(buffer.data(), got));
}

std::string ReadLink(const std::string& path) {
  std::array<char, kMaxPath> buffer{};
  const ssize_t length = ::readlink(path.c_str(), buffer.data(), buffer.size() - 1);
  return length < 0 ? "" : std::string(buffer.data(), static_cast<std::size_t>(length));
}

std::string FormatAddress(const sockaddr_storage& address, std::size_t length) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET && length >= sizeof(sockaddr_in)) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&address);
    ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text));
    return std::string(text) + ":" + std::to_string(ntohs(in->sin_port));
  }
  if (address.ss_family == AF_INET6 && length >= sizeof(sockaddr_in6)) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&address);
    ::inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof(text));
    std::string formatted = "[";
    formatted += text;
    formatted += "]:";
    formatted += std::to_string(ntohs(in6->sin6_port));
    return formatted;
  }
  if (address.ss_family == AF_UNIX && length > sizeof(sa_family_t)) {
    const auto* un = reinterpret_cast<const sockaddr_un*>(&address);
    const std::size_t path_length = std::min(length - sizeof(sa_family_t), sizeof(un->sun_path));
    std::string unix_text = "unix:";
    if (un->sun_path[0] == '\0') {
      unix_text += '@';  // abstract namespace: the name follows the NUL, unterminated
      if (path_length > 1) unix_text.append(un->sun_path + 1, path_length - 1);
    } else {
      unix_text.append(un->sun_path, strnlen(un->sun_path, path_length));
    }
    return unix_text;
  }
  return "family " + std::to_string(address.ss_family);
}

std::string FamilyName(std::uint64_t family) {
  switch (family) {
    case AF_INET:
      return "AF_INET";
    case AF_INET6:
      return "AF_INET6";
    case AF_NETLINK:
      return "AF_NETLINK";
    case AF_PACKET:
      return "AF_PACKET";
    default:
      return "family " + std::to_string(family);
  }
}

bool HasPrefix(const std::string& path, const std::string& prefix) {
  if (prefix == "/") return path == "/";  // the root folder itself, not all beneath it
  return path.compare(0, prefix.size(), prefix) == 0 &&
         (path.size() == prefix.size() || path[prefix.size()] == '/');
}

}  // namespace

bool IsCredentialPath(const std::string& path) {
  static constexpr std::array<std::string_view, 14> kParts = {
      "/.ssh/",           "/.aws/",         "/.azure/",
      "/.config/gcloud/", "/.kube/",        "/.docker/",
      "/.gnupg/",         "/.netrc",        "/.git-credentials",
      "/.pgpass",         "/.huggingface/", "/.cache/huggingface/token",
      "/.config/gh/",     "/.npmrc"};
  for (std::string_view part : kParts) {
    if (path.find(part) != std::string::npos) return true;
    // The folder itself ("~/.ssh" without a trailing slash).
    if (part.back() == '/' && path.ends_with(part.substr(0, part.size() - 1))) return true;
  }
  return false;
}

Monitor::Monitor(MonitorPolicy policy) : policy_(std::move(policy)) {
  if (seccomp_notify_alloc(&request_, &response_) != 0) {
    request_ = nullptr;
    response_ = nullptr;
  }
}

Monitor::~Monitor() {
  if (request_ != nullptr) seccomp_notify_free(request_, response_);
}

void Monitor::Record(std::string syscall, std::string detail, int pid, bool allowed) {
  if (!allowed) saw_blocked_ = true;
  // Past the cap nothing more is kept, not even for de-duplication (bounded memory whatever
  // the command does); below it, the same attempt again (a retry, a library probing) is
  // recorded once.
  if (attempts_.size() >= policy_.max_attempts) {
    ++dropped_;
    return;
  }
  if (!seen_.insert(syscall + '\0' + detail + (allowed ? "+" : "-")).second) return;
  attempts_.push_back({std::move(syscall), std::move(detail), pid, allowed});
}

Monitor::Decision Monitor::DecideExec(const seccomp_notif& request, std::string& detail,
                                      int path_arg) {
  detail = ReadString(static_cast<int>(request.pid), request.data.args[path_arg]);
  if (!first_exec_seen_) {
    // The first exec is the loader's own, made by our code right after the filter was loaded.
    first_exec_seen_ = true;
    return {true, 0, false};
  }
  if (policy_.mode == Mode::kObserve) return {true, 0, true};
  return {false, EPERM, true};
}

Monitor::Decision Monitor::DecideOpen(const seccomp_notif& request, std::string& detail,
                                      int dir_arg, int path_arg) {
  const int pid = static_cast<int>(request.pid);
  std::string path = ReadString(pid, request.data.args[path_arg]);
  if (!path.empty() && path[0] != '/') {
    // Relative: against the directory descriptor or the working directory, as the target sees
    // them (its /proc/PID/fd links are in its own mount namespace's terms).
    const int dir_fd = dir_arg < 0 ? AT_FDCWD : static_cast<int>(request.data.args[dir_arg]);
    const std::string base =
        dir_fd == AT_FDCWD
            ? ReadLink("/proc/" + std::to_string(pid) + "/cwd")
            : ReadLink("/proc/" + std::to_string(pid) + "/fd/" + std::to_string(dir_fd));
    path = base + "/" + path;
  }
  detail = path;
  if (IsCredentialPath(path)) return {false, EACCES, true};
  for (const std::string& prefix : policy_.open_allowed) {
    if (HasPrefix(path, prefix)) return {true, 0, false};
  }
  if (policy_.mode == Mode::kObserve) return {true, 0, true};
  return {false, EACCES, true};
}

Monitor::Decision Monitor::DecideAddress(const seccomp_notif& request, std::string& detail,
                                         int addr_arg, int len_arg) {
  const std::uint64_t address = request.data.args[addr_arg];
  const std::uint64_t length = request.data.args[len_arg];
  if (address == 0) return {true, 0, false};  // sendto on a connected socket
  sockaddr_storage storage{};
  const std::size_t wanted = std::min<std::uint64_t>(length, sizeof(storage));
  const std::size_t got = ReadTarget(static_cast<int>(request.pid), address,
                                     reinterpret_cast<char*>(&storage), wanted, false);
  detail = FormatAddress(storage, got);
  // Local sockets stay inside the sandbox's namespaces; everything else is network.
  if (storage.ss_family == AF_UNIX) return {true, 0, true};
  return {false, EACCES, true};
}

Monitor::Decision Monitor::Decide(int, const seccomp_notif& request, const std::string& name,
                                  std::string& detail) {
  if (name == "execve") return DecideExec(request, detail, 0);
  if (name == "execveat") return DecideExec(request, detail, 1);
  if (name == "open") return DecideOpen(request, detail, -1, 0);
  if (name == "openat") return DecideOpen(request, detail, 0, 1);
  if (name == "connect" || name == "bind") return DecideAddress(request, detail, 1, 2);
  if (name == "sendto") return DecideAddress(request, detail, 4, 5);
  if (name == "socket") detail = FamilyName(request.data.args[0]);
  if (name == "clone") detail = "namespace flags";
  // Everything else reaching us is on the deny list.
  return {false, EPERM, true};
}

bool Monitor::RequestSynchronousWakeUps(int listener_fd) {
  return ::ioctl(listener_fd, kIoctlNotifSetFlags, kUserNotifFdSyncWakeUp) == 0;
}

bool Monitor::HandleOne(int listener_fd) {
  if (request_ == nullptr) return false;
  std::memset(request_, 0, sizeof(*request_));
  if (seccomp_notify_receive(listener_fd, request_) != 0) {
    // ENOENT: the target died between the notification and our read; keep listening.
    return errno == ENOENT || errno == EINTR;
  }
  const seccomp_notif request = *request_;
  char* resolved = seccomp_syscall_resolve_num_arch(request.data.arch, request.data.nr);
  const std::string name = resolved != nullptr ? resolved : std::to_string(request.data.nr);
  std::free(resolved);
  std::string detail;
  const Decision decision = Decide(listener_fd, request, name, detail);
  // What we read is only meaningful if the notification is still live: the target may have
  // been killed and its PID reused (seccomp_unotify(2)).
  if (seccomp_notify_id_valid(listener_fd, request.id) != 0) return true;
  if (decision.record) Record(name, detail, static_cast<int>(request.pid), decision.allow);
  std::memset(response_, 0, sizeof(*response_));
  response_->id = request.id;
  if (decision.allow) {
    response_->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
  } else {
    response_->error = -decision.error;
  }
  if (seccomp_notify_respond(listener_fd, response_) != 0) return errno == ENOENT;
  return true;
}

}  // namespace mg::sandbox
