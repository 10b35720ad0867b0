#include "core/mapped_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/sha256.h"
#include "engine/scan_context.h"

namespace mg {
namespace {

std::filesystem::path WriteTemp(const std::string& name, const std::string& content) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

TEST(MappedFileTest, MapsTheWholeFileAndRejectsWhatIsNotARegularFile) {
  const auto path = WriteTemp("modelgate_mapped_file_test.bin", "hello mapped world");
  auto file = MappedFile::Open(path.string());
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->view().AsStringView(), "hello mapped world");
  EXPECT_FALSE(MappedFile::Open(std::filesystem::temp_directory_path().string()).ok());
  EXPECT_FALSE(MappedFile::Open((path.string() + ".missing")).ok());
  std::filesystem::remove(path);
}

TEST(MappedFileTest, DroppedPagesReadBackUnchanged) {
  std::string content(3 * 4096 + 123, '\0');
  for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i * 31 + 7);
  const auto path = WriteTemp("modelgate_drop_pages_test.bin", content);
  auto file = MappedFile::Open(path.string());
  ASSERT_TRUE(file.ok());
  const std::string before(file->view().AsStringView());
  file->DropPages(0, file->size());
  file->DropPages(100, 5000);          // unaligned: only whole pages inside are dropped
  file->DropPages(file->size(), 10);   // past the end: nothing
  EXPECT_EQ(file->view().AsStringView(), before);
  EXPECT_EQ(before, content);
  std::filesystem::remove(path);
}

TEST(MappedFileTest, ScanContextReleasesOnlyRangesOfTheMappedFile) {
  const std::string content(5 * 4096, 'm');
  const auto path = WriteTemp("modelgate_release_input_test.bin", content);
  auto file = MappedFile::Open(path.string());
  ASSERT_TRUE(file.ok());
  Target target;
  const Limits limits;
  ScanContext ctx(target, limits);
  std::vector<std::uint8_t> owned(3 * 4096, 0x5a);
  ctx.ReleaseInput(file->view());  // no mapping named yet: nothing happens
  ctx.SetMappedInput(&*file);
  ctx.ReleaseInput(file->view());
  // An owned buffer is anonymous memory: dropping it would zero it, so it must be ignored.
  ctx.ReleaseInput(ByteView(owned.data(), owned.size()));
  EXPECT_EQ(owned, std::vector<std::uint8_t>(3 * 4096, 0x5a));
  EXPECT_EQ(file->view().AsStringView(), content);
  std::filesystem::remove(path);
}

TEST(Sha256Test, KnownDigestAndSlicesCoverTheInput) {
  EXPECT_EQ(Sha256Hex(ByteView(std::string_view("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::string big((8u << 20) * 2 + 5, 'x');
  std::vector<std::pair<std::uint64_t, std::uint64_t>> slices;
  const std::string digest = Sha256Hex(ByteView(std::string_view(big)),
                                       [&](std::uint64_t offset, std::uint64_t length) {
                                         slices.emplace_back(offset, length);
                                       });
  EXPECT_EQ(digest, Sha256Hex(ByteView(std::string_view(big))));
  ASSERT_EQ(slices.size(), 3u);
  std::uint64_t next = 0;
  for (const auto& [offset, length] : slices) {
    EXPECT_EQ(offset, next);
    next += length;
  }
  EXPECT_EQ(next, big.size());
}

}  // namespace
}  // namespace mg
