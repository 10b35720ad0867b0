#include "sandbox/scan_confinement.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>

#include "engine/engine.h"
#include "render/render.h"
#include "sandbox/landlock.h"
#include "sandbox/tests/child_runner.h"
#include "support/test_paths.h"

namespace mg::sandbox {
namespace {

namespace fs = std::filesystem;

bool Contains(const std::vector<std::string>& paths, const fs::path& path) {
  return std::find(paths.begin(), paths.end(), path.string()) != paths.end();
}

class ScanConfinementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("modelgate-scan-confine-" + std::to_string(::getpid()));
    fs::create_directories(root_ / "models" / "spark" / "metadata");
    fs::create_directories(root_ / "private");
    fs::copy_file(mg::test::FixturesDir() / "malicious" / "os_system_p2.pkl",
                  root_ / "models" / "model.pkl");
    std::ofstream(root_ / "models" / "spark" / "metadata" / "part-00000") << "{}";
    std::ofstream(root_ / "private" / "secret") << "s";
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(ScanConfinementTest, ReadsTargetsAndCompanionFoldersWritesNothing) {
  const fs::path metadata_file = root_ / "models" / "spark" / "metadata" / "part-00000";
  const SelfConfinement confinement = ScanConfinement(
      {(root_ / "models" / "model.pkl").string(), metadata_file.string(),
       (root_ / "missing").string(), (root_ / "private").string()});
  EXPECT_TRUE(confinement.write_paths.empty());
  const std::vector<std::string>& read = confinement.read_paths;
  EXPECT_TRUE(Contains(read, root_ / "models" / "model.pkl"));
  EXPECT_TRUE(Contains(read, root_ / "models"));
  EXPECT_TRUE(Contains(read, metadata_file));
  EXPECT_TRUE(Contains(read, root_ / "models" / "spark"));
  EXPECT_TRUE(Contains(read, root_ / "private"));
  EXPECT_FALSE(Contains(read, root_ / "missing"));
  EXPECT_FALSE(Contains(read, root_)) << "a file's folder is granted, not the one above";
}

// What `scan` does, in a throwaway child: confine for a folder, scan it (same findings as
// unconfined), and fail to read beside it, to write inside it, to exec or to open a socket.
TEST_F(ScanConfinementTest, ScanUnderConfinementFindsTheSameAndCannotEscape) {
  if (LandlockAbi() == 0) GTEST_SKIP() << "the kernel has no Landlock";
  const std::vector<std::string> targets = {(root_ / "models").string()};
  ScanOptions options;
  options.jobs = 2;
  const std::string expected = RenderJson(Scan(targets, options).report, {});
  const int status = test::InChild([&] {
    const Confinement confinement = ConfineScan(targets);
    if (!confinement.landlock || !confinement.seccomp || !confinement.detail.empty()) return 10;
    if (RenderJson(Scan(targets, options).report, {}) != expected) return 11;
    errno = 0;
    if (::open((root_ / "private" / "secret").c_str(), O_RDONLY | O_CLOEXEC) >= 0) return 12;
    if (errno != EACCES) return 13;
    if (::open((root_ / "models" / "new").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644) >= 0) {
      return 14;
    }
    if (::open((root_ / "models" / "model.pkl").c_str(), O_WRONLY | O_CLOEXEC) >= 0) return 15;
    if (::socket(AF_INET, SOCK_STREAM, 0) >= 0) return 16;
    char* argv[] = {const_cast<char*>("true"), nullptr};
    ::execv("/bin/true", argv);
    return errno == EPERM ? 0 : 17;
  });
  EXPECT_EQ(status, 0);
}

}  // namespace
}  // namespace mg::sandbox
