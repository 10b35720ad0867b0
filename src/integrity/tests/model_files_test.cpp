// Which files a model hash covers (OMS v1.0 §6.1-§6.2): exclusions, symlinks, names that cannot
// be recorded, special files, and files swapped after listing.
#include "integrity/model_files.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "integrity/hash_model.h"
#include "integrity/tests/temp_model.h"

namespace mg::integrity {
namespace {

namespace fs = std::filesystem;
using test::TempModel;

std::vector<std::string> Listed(const fs::path& model, const ListOptions& options = {}) {
  Result<ModelListing> listing = ListModelFiles(model, options);
  EXPECT_TRUE(listing.ok()) << (listing.ok() ? "" : listing.error().message);
  std::vector<std::string> names;
  if (listing.ok()) {
    for (const ModelFile& file : listing->files) names.push_back(file.name);
  }
  return names;
}

std::string ListError(const fs::path& model, const ListOptions& options = {}) {
  Result<ModelListing> listing = ListModelFiles(model, options);
  return listing.ok() ? "(listed without error)" : listing.error().message;
}

ListOptions AllowSymlinks() {
  ListOptions options;
  options.allow_symlinks = true;
  return options;
}

TEST(ModelFiles, GitPathsAreExcludedAtTheRootOnly) {
  TempModel model;
  for (const char* name : {".git/HEAD", ".gitattributes", ".github/workflows/ci.yml", ".gitignore",
                           "sub/.git/HEAD", "sub/.gitignore", ".gitmodules", ".gitx", "w.bin"}) {
    model.Write(name, "x");
  }
  EXPECT_EQ(Listed(model.root()), (std::vector<std::string>{".gitmodules", ".gitx", "sub/.git/HEAD",
                                                            "sub/.gitignore", "w.bin"}));
  ListOptions keep_git;
  keep_git.ignore_git_paths = false;
  EXPECT_EQ(Listed(model.root(), keep_git).size(), 9u);
}

TEST(ModelFiles, UserIgnorePathsMatchWholeComponentsFromTheRoot) {
  TempModel model;
  for (const char* name : {"model.sig", "model.sig2", "cache/a", "cache/b/c", "cache2/a",
                           "sub/cache/a", "sub/x/y", "sub/xy"}) {
    model.Write(name, "x");
  }
  ListOptions options;
  options.ignore_paths = {"model.sig", "cache", "./sub//x/"};
  EXPECT_EQ(Listed(model.root(), options),
            (std::vector<std::string>{"cache2/a", "model.sig2", "sub/cache/a", "sub/xy"}));
}

TEST(ModelFiles, InvalidIgnorePathsAreRejected) {
  TempModel model;
  model.Write("w", "x");
  for (const char* bad : {"/abs", "../up", "a/../b", "*.bin", "a?", "[ab]", "", "./", "\xff"}) {
    ListOptions options;
    options.ignore_paths = {bad};
    EXPECT_FALSE(ListModelFiles(model.root(), options).ok()) << bad;
  }
  EXPECT_EQ(*NormalizeRelativePath("./a//b/./c/"), "a/b/c");
}

TEST(ModelFiles, SignatureFileIsExcludedOnlyInsideTheModel) {
  TempModel model;
  model.Write("w.bin", "x");
  model.Write("model.sig", "{}");
  model.Write("model.sig.bak", "{}");
  ListOptions options;
  options.signature_path = model.root() / "sub" / ".." / "model.sig";
  Result<ModelListing> listing = ListModelFiles(model.root(), options);
  ASSERT_TRUE(listing.ok());
  EXPECT_EQ(listing->files.size(), 2u);  // model.sig.bak and w.bin
  EXPECT_NE(std::find(listing->ignored.begin(), listing->ignored.end(), "model.sig"),
            listing->ignored.end());
  // A signature beside the model folder is simply not part of it, and not recorded.
  options.signature_path = model.outside() / "model.sig";
  listing = ListModelFiles(model.root(), options);
  ASSERT_TRUE(listing.ok());
  EXPECT_EQ(listing->files.size(), 3u);
  EXPECT_EQ(listing->ignored.size(), 4u);  // the git defaults only
}

TEST(ModelFiles, SymlinksAreRejectedByDefaultNamingTheLink) {
  TempModel model;
  model.Write("real.bin", "x");
  ASSERT_TRUE(model.Symlink("real.bin", "sub/link.bin"));
  const std::string error = ListError(model.root());
  EXPECT_NE(error.find("symbolic link not allowed: sub/link.bin"), std::string::npos) << error;
  // A link in an excluded folder is never looked at.
  ListOptions options;
  options.ignore_paths = {"sub"};
  EXPECT_EQ(Listed(model.root(), options), std::vector<std::string>{"real.bin"});
}

TEST(ModelFiles, SingleFileModelThatIsALinkNeedsAllowSymlinks) {
  TempModel model;
  model.Write("real.bin", "x");
  ASSERT_TRUE(model.Symlink("real.bin", "link.bin"));
  EXPECT_NE(ListError(model.root() / "link.bin").find("symbolic link not allowed"),
            std::string::npos);
  EXPECT_EQ(Listed(model.root() / "link.bin", AllowSymlinks()),
            std::vector<std::string>{"link.bin"});
}

TEST(ModelFiles, AllowedLinksAreHashedUnderTheLinkName) {
  TempModel model;
  model.Write("weights/real.bin", "content");
  ASSERT_TRUE(model.Symlink("weights/real.bin", "alias.bin"));
  ASSERT_TRUE(model.Symlink("weights", "linked_dir"));
  std::vector<std::string> warnings;
  ListOptions options = AllowSymlinks();
  options.on_warning = [&](const std::string& message) { warnings.push_back(message); };
  EXPECT_EQ(Listed(model.root(), options),
            (std::vector<std::string>{"alias.bin", "linked_dir/real.bin", "weights/real.bin"}));
  EXPECT_TRUE(warnings.empty());
  HashOptions hash_options;
  hash_options.serialization.allow_symlinks = true;
  Result<Manifest> manifest = HashModel(model.root(), hash_options);
  ASSERT_TRUE(manifest.ok()) << manifest.error().message;
  ASSERT_EQ(manifest->resources.size(), 3u);
  EXPECT_EQ(manifest->resources[0].digest, manifest->resources[2].digest);
}

TEST(ModelFiles, LinkTargetOutsideTheModelIsAWarning) {
  TempModel model;
  model.Write("w.bin", "x");
  std::ofstream(model.outside() / "external.bin") << "outside";
  ASSERT_TRUE(model.Symlink((model.outside() / "external.bin").string(), "ext.bin"));
  std::vector<std::string> warnings;
  ListOptions options = AllowSymlinks();
  options.on_warning = [&](const std::string& message) { warnings.push_back(message); };
  EXPECT_EQ(Listed(model.root(), options), (std::vector<std::string>{"ext.bin", "w.bin"}));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("ext.bin points outside the model folder"), std::string::npos);
}

TEST(ModelFiles, LinkCyclesAreErrors) {
  TempModel model;
  model.Write("a/w.bin", "x");
  ASSERT_TRUE(model.Symlink("..", "a/up"));
  const std::string error = ListError(model.root(), AllowSymlinks());
  EXPECT_NE(error.find("symbolic link cycle: a/up"), std::string::npos) << error;
  TempModel self;
  self.Write("w.bin", "x");
  ASSERT_TRUE(self.Symlink(".", "me"));
  EXPECT_NE(ListError(self.root(), AllowSymlinks()).find("cycle: me"), std::string::npos);
}

TEST(ModelFiles, BrokenLinksAreErrors) {
  TempModel model;
  ASSERT_TRUE(model.Symlink("missing.bin", "dangling"));
  const std::string error = ListError(model.root(), AllowSymlinks());
  EXPECT_NE(error.find("broken symbolic link dangling"), std::string::npos) << error;
}

TEST(ModelFiles, NonUtf8NamesAreRejected) {
  TempModel model;
  model.Write("ok-\xc3\xa9.bin", "x");  // é is fine
  EXPECT_EQ(Listed(model.root()).size(), 1u);
  model.Write("sub/bad-\xff.bin", "x");
  const std::string error = ListError(model.root());
  EXPECT_NE(error.find("not valid UTF-8"), std::string::npos) << error;
  EXPECT_NE(error.find("sub/bad-\\xff.bin"), std::string::npos) << error;
  for (const char* bad : {"\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82"}) {
    EXPECT_FALSE(IsValidUtf8(bad)) << PrintablePath(bad);
  }
  EXPECT_TRUE(IsValidUtf8("\xf0\x9f\x98\x80 \xe6\xa8\xa1\xe5\x9e\x8b"));
}

TEST(ModelFiles, FifosAndSocketsAreRejected) {
  TempModel model;
  model.Write("w.bin", "x");
  ASSERT_TRUE(model.Fifo("queue"));
  const std::string error = ListError(model.root());
  EXPECT_NE(error.find("a FIFO cannot be hashed: queue"), std::string::npos) << error;
  EXPECT_NE(ListError(model.root() / "queue").find("FIFO"), std::string::npos);
}

TEST(ModelFiles, MissingModelIsAnError) {
  TempModel model;
  const std::string error = ListError(model.root() / "nope");
  EXPECT_NE(error.find("cannot read model"), std::string::npos) << error;
}

TEST(ModelFiles, UnreadableFileIsAnErrorNamingIt) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads every file";
  TempModel model;
  const fs::path secret = model.Write("secret.bin", "x");
  fs::permissions(secret, fs::perms::none);
  Result<Manifest> manifest = HashModel(model.root(), {});
  ASSERT_FALSE(manifest.ok());
  EXPECT_NE(manifest.error().message.find("secret.bin"), std::string::npos);
}

TEST(ModelFiles, FileSwappedForALinkAfterListingIsNotFollowed) {
  TempModel model;
  model.Write("dir/w.bin", "x");
  std::ofstream(model.outside() / "other.bin") << "other";
  Result<ModelListing> listing = ListModelFiles(model.root(), {});
  ASSERT_TRUE(listing.ok());
  // Swap the folder for a link to a folder holding a file of the same name.
  fs::create_directory(model.outside() / "evil");
  std::ofstream(model.outside() / "evil" / "w.bin") << "evil";
  fs::rename(model.root() / "dir", model.outside() / "moved");
  ASSERT_TRUE(model.Symlink((model.outside() / "evil").string(), "dir"));
  Result<int> fd = listing->Open(listing->files[0]);
  EXPECT_FALSE(fd.ok());
  if (fd.ok()) close(*fd);
}

TEST(ModelFiles, FileReplacedAfterListingIsAnError) {
  TempModel model;
  model.Write("w.bin", "x");
  Result<ModelListing> listing = ListModelFiles(model.root(), {});
  ASSERT_TRUE(listing.ok());
  // The replacement exists before the original goes, so it cannot reuse its inode.
  model.Write("w.bin.new", "replaced");
  fs::rename(model.root() / "w.bin.new", model.root() / "w.bin");
  Result<int> fd = listing->Open(listing->files[0]);
  ASSERT_FALSE(fd.ok());
  EXPECT_NE(fd.error().message.find("changed after it was listed: w.bin"), std::string::npos);
}

TEST(ModelFiles, NestingDeeperThanTheLimitIsAnError) {
  TempModel model;
  std::string deep;
  for (int i = 0; i <= kMaxModelDepth; ++i) deep += "d/";
  model.Write(deep + "w.bin", "x");
  const std::string error = ListError(model.root());
  EXPECT_NE(error.find("nested deeper than"), std::string::npos) << error.substr(0, 200);
}

}  // namespace
}  // namespace mg::integrity
