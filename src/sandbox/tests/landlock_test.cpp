#include "sandbox/landlock.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sandbox/capabilities.h"
#include "sandbox/tests/child_runner.h"

namespace mg::sandbox {
namespace {

namespace fs = std::filesystem;

class LandlockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    abi_ = LandlockAbi();
    if (abi_ == 0) GTEST_SKIP() << "the kernel has no Landlock (or it is disabled)";
    root_ = fs::temp_directory_path() / ("modelgate-landlock-" + std::to_string(::getpid()));
    fs::create_directories(root_ / "allowed");
    fs::create_directories(root_ / "denied");
    std::ofstream(root_ / "allowed" / "a.txt") << "a";
    std::ofstream(root_ / "denied" / "d.txt") << "d";
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  bool CanOpen(const fs::path& path, int flags) {
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
    if (fd >= 0) ::close(fd);
    return fd >= 0;
  }
  int abi_ = 0;
  fs::path root_;
};

TEST_F(LandlockTest, HandledRightsGrowWithTheAbi) {
  EXPECT_EQ(LandlockHandledFs(0), 0u);
  EXPECT_EQ(LandlockHandledFs(1), (1u << 13) - 1);
  EXPECT_TRUE(LandlockHandledFs(2) & landlock::kRefer);
  EXPECT_TRUE(LandlockHandledFs(3) & landlock::kTruncate);
  EXPECT_FALSE(LandlockHandledFs(4) & landlock::kIoctlDev);
  EXPECT_TRUE(LandlockHandledFs(5) & landlock::kIoctlDev);
}

TEST_F(LandlockTest, ReadOnlyRuleAllowsReadingAndNothingElse) {
  const int status = test::InChild([&] {
    if (SetNoNewPrivs() != 0) return 10;
    LandlockRuleset ruleset(abi_, true);
    ruleset.AllowPath((root_ / "allowed").c_str(), landlock::kRead);
    if (ruleset.RestrictSelf() != 0) return 11;
    if (!CanOpen(root_ / "allowed" / "a.txt", O_RDONLY)) return 12;
    if (CanOpen(root_ / "allowed" / "a.txt", O_WRONLY)) return 13;
    if (CanOpen(root_ / "allowed" / "new.txt", O_WRONLY | O_CREAT)) return 14;
    if (CanOpen(root_ / "denied" / "d.txt", O_RDONLY)) return 15;
    if (CanOpen("/etc/hostname", O_RDONLY)) return 16;
    return 0;
  });
  EXPECT_EQ(status, 0);
}

TEST_F(LandlockTest, WritableRuleAllowsCreating) {
  const int status = test::InChild([&] {
    if (SetNoNewPrivs() != 0) return 10;
    LandlockRuleset ruleset(abi_, true);
    ruleset.AllowPath((root_ / "allowed").c_str(), landlock::kReadWrite);
    if (ruleset.RestrictSelf() != 0) return 11;
    if (!CanOpen(root_ / "allowed" / "new.txt", O_WRONLY | O_CREAT)) return 12;
    if (CanOpen(root_ / "denied" / "new.txt", O_WRONLY | O_CREAT)) return 13;
    return 0;
  });
  EXPECT_EQ(status, 0);
}

TEST_F(LandlockTest, MissingPathIsAnErrorUnlessOptional) {
  LandlockRuleset ruleset(abi_, false);
  ruleset.AllowPath("/no/such/path/anywhere", landlock::kRead, /*optional=*/true);
  EXPECT_EQ(ruleset.first_error(), 0);
  ruleset.AllowPath("/no/such/path/anywhere", landlock::kRead);
  EXPECT_EQ(ruleset.first_error(), ENOENT);
  EXPECT_STREQ(ruleset.first_error_path(), "/no/such/path/anywhere");
}

TEST_F(LandlockTest, FileRulesAreMaskedToFileRights) {
  // Folder-only rights on a file would make landlock_add_rule fail with EINVAL.
  LandlockRuleset ruleset(abi_, false);
  ruleset.AllowPath((root_ / "allowed" / "a.txt").c_str(), landlock::kReadWrite);
  EXPECT_EQ(ruleset.first_error(), 0);
}

TEST_F(LandlockTest, FileOnlyRightsApplyToFilesFoldersAndDevices) {
  // Rights that are all file rights are added without looking at what the path is: beneath a
  // folder they cover its files, on a device the device.
  const int status = test::InChild([&] {
    if (SetNoNewPrivs() != 0) return 10;
    LandlockRuleset ruleset(abi_, true);
    ruleset.AllowPath((root_ / "allowed").c_str(), landlock::kReadFile);
    ruleset.AllowPath((root_ / "denied" / "d.txt").c_str(), landlock::kReadFile);
    ruleset.AllowPath("/dev/null", landlock::kDevice);
    if (ruleset.RestrictSelf() != 0) return 11;
    if (!CanOpen(root_ / "allowed" / "a.txt", O_RDONLY)) return 12;
    if (CanOpen(root_ / "allowed", O_RDONLY | O_DIRECTORY)) return 13;  // no kReadDir
    if (!CanOpen(root_ / "denied" / "d.txt", O_RDONLY)) return 14;
    if (CanOpen(root_ / "denied" / "d.txt", O_WRONLY)) return 15;
    if (!CanOpen("/dev/null", O_WRONLY)) return 16;
    if (CanOpen("/dev/zero", O_RDONLY)) return 17;
    return 0;
  });
  EXPECT_EQ(status, 0);
}

}  // namespace
}  // namespace mg::sandbox
