// Listing the files of a model for hashing (OMS v1.0 §6.1-§6.2): which files, under which
// resource names, and opening them again safely when they are hashed. The rules are in
// integrity/hash_model.h.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "integrity/hash_model.h"

namespace mg::integrity {

struct ModelFile {
  std::string name;  // resource name: relative POSIX path, the basename, or "."
  std::uint64_t size = 0;
  // Identity of the file (the link target when a link was followed) when it was listed: a file
  // replaced before it is opened for hashing is an error, not a silent substitute.
  dev_t device = 0;
  ino_t inode = 0;
};

struct ListOptions {
  bool allow_symlinks = false;
  bool ignore_git_paths = true;
  std::vector<std::string> ignore_paths;  // as the user gave them (validated here)
  std::filesystem::path signature_path;
  SingleFileName single_file_name = SingleFileName::kBasename;
  std::optional<std::vector<std::string>> only_files;
  WarningFn on_warning;
};

// A listed model. Keeps the model folder open so files are opened relative to it.
class ModelListing {
 public:
  ModelListing() = default;
  ModelListing(ModelListing&& other) noexcept;
  ModelListing& operator=(ModelListing&& other) noexcept;
  ModelListing(const ModelListing&) = delete;
  ModelListing& operator=(const ModelListing&) = delete;
  ~ModelListing();

  std::vector<ModelFile> files;  // byte-wise order of name
  // Every exclusion in force (git defaults, user paths, the signature file when inside the
  // model), normalised, sorted, without duplicates: what a signer records (OMS §6.2).
  std::vector<std::string> ignored;
  std::string model_name;  // basename of the model path (OMS §6.5), as printable UTF-8

  // Opens `file` for reading and checks it is still the regular file that was listed. Without
  // allow_symlinks every path component is opened with O_NOFOLLOW, so a link swapped in after
  // listing is never followed.
  Result<int> Open(const ModelFile& file) const;

 private:
  friend Result<ModelListing> ListModelFiles(const std::filesystem::path&, const ListOptions&);
  int root_fd_ = -1;  // the model folder; -1 for a single-file model
  std::filesystem::path single_file_;
  bool allow_symlinks_ = false;
};

Result<ModelListing> ListModelFiles(const std::filesystem::path& model, const ListOptions& options);

// "./a//b/" -> "a/b". Errors: empty, absolute, "..", glob characters (OMS §6.2.1), not UTF-8.
Result<std::string> NormalizeRelativePath(std::string_view path);

// Strict UTF-8 (no overlong forms, surrogates or values above U+10FFFF).
bool IsValidUtf8(std::string_view text);

// The path with every byte that is not printable UTF-8 written as \xNN, for messages.
std::string PrintablePath(std::string_view path);

}  // namespace mg::integrity
