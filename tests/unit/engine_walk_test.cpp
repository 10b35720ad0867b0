#include "engine/walk.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <sys/stat.h>

namespace mg {
namespace {

namespace fs = std::filesystem;

class WalkTest : public testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::path(testing::TempDir()) /
            ("modelgate_walk_" + std::string(testing::UnitTest::GetInstance()
                                                 ->current_test_info()->name()));
    fs::remove_all(base_);
    root_ = base_ / "models";
    outside_ = base_ / "outside";
    fs::create_directories(root_ / "sub" / "deeper");
    fs::create_directories(outside_);
    Touch(root_ / "b.pkl");
    Touch(root_ / "a.pkl");
    Touch(root_ / "sub" / "z.bin");
    Touch(root_ / "sub" / "deeper" / "y.bin");
    Touch(outside_ / "secret.pkl");
  }
  void TearDown() override { fs::remove_all(base_); }

  static void Touch(const fs::path& path) { std::ofstream(path) << "x"; }

  std::vector<std::string> Paths(const WalkResult& result) {
    std::vector<std::string> paths;
    for (const auto& entry : result.files) paths.push_back(entry.path);
    return paths;
  }

  fs::path base_, root_, outside_;
};

TEST_F(WalkTest, FolderIsWalkedRecursivelyInSortedOrder) {
  const WalkResult result = ExpandPaths({root_.string()});
  EXPECT_TRUE(result.errors.empty());
  const std::string r = root_.string();
  EXPECT_EQ(Paths(result), (std::vector<std::string>{r + "/a.pkl", r + "/b.pkl",
                                                     r + "/sub/deeper/y.bin",
                                                     r + "/sub/z.bin"}));
  for (const auto& entry : result.files) EXPECT_TRUE(entry.escaping_link_target.empty());
}

TEST_F(WalkTest, SymlinkOutOfTheFolderIsReportedNotFollowed) {
  fs::create_symlink(outside_ / "secret.pkl", root_ / "escape.pkl");
  fs::create_directory_symlink(outside_, root_ / "escape_dir");
  fs::create_symlink("/nonexistent-modelgate/x.pkl", root_ / "dangling_out.pkl");
  const WalkResult result = ExpandPaths({root_.string()});
  EXPECT_TRUE(result.errors.empty());
  std::vector<std::pair<std::string, std::string>> escaping;
  for (const auto& entry : result.files) {
    if (!entry.escaping_link_target.empty()) {
      escaping.emplace_back(fs::path(entry.path).filename(), entry.escaping_link_target);
    }
    // Nothing under outside/ was walked through the directory link.
    EXPECT_EQ(entry.path.find("secret.pkl"), std::string::npos) << entry.path;
  }
  const std::string secret = fs::canonical(outside_ / "secret.pkl").string();
  EXPECT_EQ(escaping, (std::vector<std::pair<std::string, std::string>>{
                          {"dangling_out.pkl", "/nonexistent-modelgate/x.pkl"},
                          {"escape.pkl", secret},
                          {"escape_dir", fs::canonical(outside_).string()}}));
}

TEST_F(WalkTest, SymlinkInsideTheFolderIsNotADuplicate) {
  fs::create_symlink(root_ / "sub" / "z.bin", root_ / "alias.bin");
  fs::create_symlink("sub/deeper/y.bin", root_ / "relative_alias.bin");
  fs::create_directory_symlink(root_ / "sub", root_ / "sub_alias");
  const WalkResult result = ExpandPaths({root_.string()});
  EXPECT_TRUE(result.errors.empty());
  EXPECT_EQ(result.files.size(), 4u);  // the same four files, each once
  for (const auto& entry : result.files) {
    EXPECT_EQ(entry.path.find("alias"), std::string::npos) << entry.path;
  }
}

TEST_F(WalkTest, FileNamedOnTheCommandLineIsTakenAsGivenEvenThroughALink) {
  fs::create_symlink(outside_ / "secret.pkl", base_ / "link.pkl");
  const WalkResult result = ExpandPaths({(base_ / "link.pkl").string()});
  ASSERT_EQ(result.files.size(), 1u);
  EXPECT_EQ(result.files[0].path, (base_ / "link.pkl").string());
  EXPECT_TRUE(result.files[0].escaping_link_target.empty());
}

TEST_F(WalkTest, MissingPathIsAnErrorAndTheOthersAreStillWalked) {
  const std::string missing = (base_ / "missing.pkl").string();
  const WalkResult result = ExpandPaths({missing, (root_ / "a.pkl").string()});
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE(result.errors[0].find(missing), std::string::npos);
  EXPECT_EQ(Paths(result), std::vector<std::string>{(root_ / "a.pkl").string()});
}

TEST_F(WalkTest, ArgumentsKeepTheirOrder) {
  const WalkResult result =
      ExpandPaths({(root_ / "sub").string(), (root_ / "a.pkl").string()});
  const std::string r = root_.string();
  EXPECT_EQ(Paths(result), (std::vector<std::string>{r + "/sub/deeper/y.bin", r + "/sub/z.bin",
                                                     r + "/a.pkl"}));
}

TEST_F(WalkTest, SpecialFilesAreSkipped) {
  const fs::path fifo = root_ / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const WalkResult result = ExpandPaths({root_.string()});
  EXPECT_EQ(result.files.size(), 4u);
  for (const auto& entry : result.files) EXPECT_NE(entry.path, fifo.string());
}

}  // namespace
}  // namespace mg
