#include "sandbox/self_confine.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "sandbox/landlock.h"
#include "sandbox/tests/child_runner.h"

namespace mg::sandbox {
namespace {

namespace fs = std::filesystem;

bool CanOpen(const fs::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
  if (fd >= 0) ::close(fd);
  return fd >= 0;
}

TEST(SelfConfine, ReadsInputsWritesOutputsAndNothingElse) {
  if (LandlockAbi() == 0) GTEST_SKIP() << "the kernel has no Landlock";
  const fs::path root =
      fs::temp_directory_path() / ("modelgate-confine-" + std::to_string(::getpid()));
  fs::create_directories(root / "in");
  fs::create_directories(root / "out");
  fs::create_directories(root / "other");
  std::ofstream(root / "in" / "model.pkl") << "x";
  std::ofstream(root / "other" / "secret") << "s";
  const int status = test::InChild([&] {
    const SelfConfinementResult result =
        ConfineSelf({{(root / "in").string()}, {(root / "out").string()}});
    if (!result.landlock || !result.seccomp) return 10;
    if (!CanOpen(root / "in" / "model.pkl", O_RDONLY)) return 11;
    if (CanOpen(root / "in" / "model.pkl", O_WRONLY)) return 12;
    if (!CanOpen(root / "out" / "report.json", O_WRONLY | O_CREAT)) return 13;
    if (CanOpen(root / "other" / "secret", O_RDONLY)) return 14;
    if (::socket(AF_INET, SOCK_STREAM, 0) >= 0) return 15;
    char* argv[] = {const_cast<char*>("true"), nullptr};
    ::execv("/bin/true", argv);
    // Threads started afterwards inherit both.
    bool thread_confined = false;
    std::thread([&] { thread_confined = !CanOpen(root / "other" / "secret", O_RDONLY); }).join();
    return thread_confined ? 0 : 16;
  });
  EXPECT_EQ(status, 0);
  fs::remove_all(root);
}

}  // namespace
}  // namespace mg::sandbox
