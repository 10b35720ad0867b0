// A scratch model folder for the integrity tests, removed with everything in it at scope exit.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace mg::integrity::test {

class TempModel {
 public:
  TempModel() {
    std::string pattern = (std::filesystem::temp_directory_path() / "mg-hash-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) base_ = pattern;
    root_ = base_ / "model";
    std::filesystem::create_directory(root_);
  }
  ~TempModel() {
    std::error_code error;
    std::filesystem::remove_all(base_, error);
  }
  TempModel(const TempModel&) = delete;
  TempModel& operator=(const TempModel&) = delete;

  // The model folder, and a sibling folder for files outside the model.
  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path outside() const { return base_; }

  std::filesystem::path Write(const std::string& rel, const std::string& content) {
    const std::filesystem::path path = root_ / rel;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  bool Symlink(const std::string& target, const std::string& rel) {
    std::filesystem::create_directories((root_ / rel).parent_path());
    return ::symlink(target.c_str(), (root_ / rel).c_str()) == 0;
  }
  bool Fifo(const std::string& rel) { return ::mkfifo((root_ / rel).c_str(), 0600) == 0; }

 private:
  std::filesystem::path base_;
  std::filesystem::path root_;
};

}  // namespace mg::integrity::test
