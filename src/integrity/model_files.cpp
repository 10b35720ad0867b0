#include "integrity/model_files.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace mg::integrity {
namespace {

namespace fs = std::filesystem;

// OMS v1.0 §6.2: excluded by default, as top-level components of the model root only.
constexpr const char* kGitPaths[] = {".git", ".gitattributes", ".github", ".gitignore"};

// Closes a descriptor at scope exit.
class ScopedFd {
 public:
  explicit ScopedFd(int fd) : fd_(fd) {}
  ~ScopedFd() {
    if (fd_ >= 0) close(fd_);
  }
  ScopedFd(ScopedFd&& other) noexcept : fd_(other.release()) {}
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  ScopedFd& operator=(ScopedFd&&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

Error OsError(const std::string& what, std::string_view path, int err) {
  return Error::Io(what + " " + PrintablePath(path) + ": " + std::strerror(err));
}

// Length of the valid UTF-8 sequence starting at text[i], or 0 (RFC 3629 table 3.7 of Unicode).
std::size_t Utf8SequenceLength(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // no overlong forms
    if (lead == 0xED) high = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    const unsigned char next = byte(i + k);
    const unsigned char min = k == 1 ? low : 0x80;
    const unsigned char max = k == 1 ? high : 0xBF;
    if (next < min || next > max) return 0;
  }
  return length;
}

Result<std::string> NormalizePath(std::string_view path, bool forbid_glob) {
  const std::string shown = PrintablePath(path);
  if (!IsValidUtf8(path)) {
    return Error{ErrorCode::kInvalidArgument, 0, "path is not valid UTF-8: " + shown};
  }
  if (path.empty() || path.front() == '/') {
    return Error{ErrorCode::kInvalidArgument, 0,
                 "path must be relative to the model folder: '" + shown + "'"};
  }
  if (forbid_glob && path.find_first_of("*?[") != std::string_view::npos) {
    return Error{
        ErrorCode::kInvalidArgument, 0,
        "ignore paths are exact paths, without glob characters (OMS v1.0 §6.2.1): " + shown};
  }
  std::string normalized;
  std::size_t begin = 0;
  while (begin <= path.size()) {
    std::size_t end = path.find('/', begin);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view part = path.substr(begin, end - begin);
    if (part == "..") {
      return Error{ErrorCode::kInvalidArgument, 0, "path must not contain '..': " + shown};
    }
    if (!part.empty() && part != ".") {
      if (!normalized.empty()) normalized += '/';
      normalized += part;
    }
    begin = end + 1;
  }
  if (normalized.empty()) {
    return Error{ErrorCode::kInvalidArgument, 0, "path names no file: '" + shown + "'"};
  }
  return normalized;
}

// True when `rel` is one of `ignored` or lies below one (component prefix, OMS §6.2.1).
bool IsIgnored(const std::vector<std::string>& ignored, std::string_view rel) {
  return std::any_of(ignored.begin(), ignored.end(), [rel](const std::string& prefix) {
    return rel.size() >= prefix.size() && rel.compare(0, prefix.size(), prefix) == 0 &&
           (rel.size() == prefix.size() || rel[prefix.size()] == '/');
  });
}

const char* FileKind(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  return "not a regular file";
}

// Lists a model folder: a depth-first walk over directory descriptors, so no path is resolved
// twice and links are only followed where the policy allows.
class FolderLister {
 public:
  FolderLister(const ListOptions& options, const std::vector<std::string>& ignored,
               fs::path root_path)
      : options_(options), ignored_(ignored), root_path_(std::move(root_path)) {
    std::error_code error;
    root_canonical_ = fs::canonical(root_path_, error);
  }

  std::vector<ModelFile> files;

  // The model folder: the first folder a link cycle can lead back to.
  void EnterRoot(const struct stat& st) { ancestors_.emplace_back(st.st_dev, st.st_ino); }

  Status Walk(int dir_fd, const std::string& prefix, int depth) {
    Result<std::vector<std::string>> names = ReadNames(dir_fd, prefix);
    if (!names) return names.error();
    for (const std::string& name : *names) {
      const std::string rel = prefix.empty() ? name : prefix + "/" + name;
      if (IsIgnored(ignored_, rel)) continue;
      if (!IsValidUtf8(name)) {
        return Error::Unsupported(0,
                                  "file name is not valid UTF-8 (OMS v1.0 §6.1.2 requires "
                                  "it): " +
                                      PrintablePath(rel));
      }
      if (Status visited = Visit(dir_fd, name, rel, depth, /*descend=*/true); !visited) {
        return visited;
      }
    }
    return {};
  }

  // --ignore-unsigned-files: looks up one listed file; absent files are left out.
  Status VisitListed(int root_fd, const std::string& rel) {
    std::vector<std::string> parts;
    for (std::size_t begin = 0; begin <= rel.size();) {
      const std::size_t end = std::min(rel.find('/', begin), rel.size());
      parts.push_back(rel.substr(begin, end - begin));
      begin = end + 1;
    }
    if (static_cast<int>(parts.size()) > kMaxModelDepth) return DepthError(rel);
    std::vector<ScopedFd> opened;
    int dir_fd = root_fd;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
      const std::string sub = JoinFirst(parts, i + 1);
      Result<int> child = OpenSubfolder(dir_fd, parts[i], sub);
      if (!child) return child.error();
      if (*child < 0) return {};  // missing or not a folder: the file is absent
      opened.emplace_back(*child);
      dir_fd = *child;
    }
    return Visit(dir_fd, parts.back(), rel, static_cast<int>(parts.size()) - 1,
                 /*descend=*/false);
  }

 private:
  static std::string JoinFirst(const std::vector<std::string>& parts, std::size_t count) {
    std::string joined;
    for (std::size_t i = 0; i < count; ++i) joined += (i == 0 ? "" : "/") + parts[i];
    return joined;
  }

  static Error DepthError(std::string_view rel) {
    return Error::Limit(0, "folders nested deeper than " + std::to_string(kMaxModelDepth) +
                               " levels: " + PrintablePath(rel));
  }

  static Result<std::vector<std::string>> ReadNames(int dir_fd, const std::string& prefix) {
    const std::string shown = prefix.empty() ? "." : prefix;
    const int dup_fd = fcntl(dir_fd, F_DUPFD_CLOEXEC, 0);
    DIR* dir = dup_fd >= 0 ? fdopendir(dup_fd) : nullptr;
    if (dir == nullptr) {
      const int err = errno;
      if (dup_fd >= 0) close(dup_fd);
      return OsError("cannot list folder", shown, err);
    }
    std::vector<std::string> names;
    int err = 0;
    while (true) {
      errno = 0;
      const dirent* entry = readdir(dir);
      if (entry == nullptr) {
        err = errno;  // 0 at the end of the folder
        break;
      }
      const std::string_view name = entry->d_name;
      if (name != "." && name != "..") names.emplace_back(name);
      if (names.size() > kMaxModelFiles) break;  // reported below, before any sorting
    }
    closedir(dir);
    if (err != 0) return OsError("cannot list folder", shown, err);
    if (names.size() > kMaxModelFiles) {
      return Error::Limit(0, "folder has more than " + std::to_string(kMaxModelFiles) +
                                 " entries: " + PrintablePath(shown));
    }
    std::sort(names.begin(), names.end());  // deterministic errors and warnings
    return names;
  }

  // Opens `name` in `dir_fd` as a folder for VisitListed: -1 when it is missing or not a folder.
  Result<int> OpenSubfolder(int dir_fd, const std::string& name, const std::string& rel) {
    struct stat st {};
    if (fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) return -1;
      return OsError("cannot read", rel, errno);
    }
    const bool is_link = S_ISLNK(st.st_mode);
    if (is_link) {
      if (Status allowed = CheckLink(dir_fd, name, rel, st); !allowed) return allowed.error();
    }
    if (!S_ISDIR(st.st_mode)) return -1;
    const int fd = openat(dir_fd, name.c_str(),
                          O_RDONLY | O_DIRECTORY | O_CLOEXEC | (is_link ? 0 : O_NOFOLLOW));
    if (fd < 0) return OsError("cannot open folder", rel, errno);
    return fd;
  }

  // A link: an error unless links are allowed; then `st` becomes the target's status.
  Status CheckLink(int dir_fd, const std::string& name, const std::string& rel, struct stat& st) {
    if (!options_.allow_symlinks) {
      return Error::Unsupported(0, "symbolic link not allowed: " + PrintablePath(rel) +
                                       " (pass --allow-symlinks to follow links)");
    }
    if (fstatat(dir_fd, name.c_str(), &st, 0) != 0) {
      return OsError("broken symbolic link", rel, errno);
    }
    if (options_.on_warning && !root_canonical_.empty()) {
      std::error_code error;
      const fs::path target = fs::canonical(root_path_ / rel, error);
      const fs::path inside = target.lexically_relative(root_canonical_);
      if (!error && (inside.empty() || *inside.begin() == "..")) {
        options_.on_warning("symbolic link " + PrintablePath(rel) +
                            " points outside the model folder, to " +
                            PrintablePath(target.string()));
      }
    }
    return {};
  }

  Status Visit(int dir_fd, const std::string& name, const std::string& rel, int depth,
               bool descend) {
    struct stat st {};
    if (fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (!descend && (errno == ENOENT || errno == ENOTDIR)) return {};
      return OsError("cannot read", rel, errno);
    }
    const bool is_link = S_ISLNK(st.st_mode);
    if (is_link) {
      if (Status allowed = CheckLink(dir_fd, name, rel, st); !allowed) return allowed;
    }
    if (S_ISREG(st.st_mode)) {
      if (files.size() >= kMaxModelFiles) {
        return Error::Limit(0, "model has more than " + std::to_string(kMaxModelFiles) +
                                   " files (at " + PrintablePath(rel) + ")");
      }
      files.push_back({rel, static_cast<std::uint64_t>(st.st_size), st.st_dev, st.st_ino});
      return {};
    }
    if (!S_ISDIR(st.st_mode)) {
      return Error::Unsupported(
          0, std::string(FileKind(st.st_mode)) + " cannot be hashed: " + PrintablePath(rel));
    }
    if (!descend) return {};  // a folder where a file was signed: absent
    return Descend(dir_fd, name, rel, depth, st, is_link);
  }

  Status Descend(int dir_fd, const std::string& name, const std::string& rel, int depth,
                 const struct stat& st, bool is_link) {
    if (depth + 1 > kMaxModelDepth) return DepthError(rel);
    // Without links a folder cannot contain itself; with them, a folder already on the path
    // from the root would be walked forever (OMS v1.0 §6.1.1: cycles).
    for (const auto& [device, inode] : ancestors_) {
      if (device == st.st_dev && inode == st.st_ino) {
        return Error::Unsupported(0, "symbolic link cycle: " + PrintablePath(rel) +
                                         " leads back to a folder that contains it");
      }
    }
    ScopedFd child(openat(dir_fd, name.c_str(),
                          O_RDONLY | O_DIRECTORY | O_CLOEXEC | (is_link ? 0 : O_NOFOLLOW)));
    if (child.get() < 0) return OsError("cannot open folder", rel, errno);
    struct stat opened {};
    if (fstat(child.get(), &opened) != 0 || opened.st_dev != st.st_dev ||
        opened.st_ino != st.st_ino) {
      return Error::Io("folder changed while it was listed: " + PrintablePath(rel));
    }
    ancestors_.emplace_back(st.st_dev, st.st_ino);
    Status walked = Walk(child.get(), rel, depth + 1);
    ancestors_.pop_back();
    return walked;
  }

  const ListOptions& options_;
  const std::vector<std::string>& ignored_;
  fs::path root_path_;
  fs::path root_canonical_;
  std::vector<std::pair<dev_t, ino_t>> ancestors_;  // folders from the root to the current one
};

// OMS v1.0 §6.5: the subject name is the basename of the model path ("." and ".." resolved).
std::string ModelName(const fs::path& model) {
  fs::path path = model;
  if (!path.has_filename()) path = path.parent_path();
  std::string name = path.filename().string();
  if (name.empty() || name == "." || name == "..") {
    std::error_code error;
    name = fs::weakly_canonical(model, error).filename().string();
  }
  return name.empty() ? "model" : name;
}

// Every exclusion in force for a model folder, normalised and sorted.
Result<std::vector<std::string>> Exclusions(const fs::path& model, const ListOptions& options) {
  std::vector<std::string> ignored;
  if (options.ignore_git_paths) ignored.assign(std::begin(kGitPaths), std::end(kGitPaths));
  for (const std::string& path : options.ignore_paths) {
    Result<std::string> normalized = NormalizeRelativePath(path);
    if (!normalized) return normalized.error();
    ignored.push_back(*std::move(normalized));
  }
  if (!options.signature_path.empty()) {
    std::error_code error;
    const fs::path root = fs::weakly_canonical(model, error);
    const fs::path signature = fs::weakly_canonical(options.signature_path, error);
    const fs::path inside = signature.lexically_relative(root);
    if (!error && !inside.empty() && *inside.begin() != ".." && inside != ".") {
      Result<std::string> normalized = NormalizePath(inside.generic_string(), false);
      if (!normalized) return normalized.error();
      ignored.push_back(*std::move(normalized));
    }
  }
  std::sort(ignored.begin(), ignored.end());
  ignored.erase(std::unique(ignored.begin(), ignored.end()), ignored.end());
  return ignored;
}

Result<ModelListing> ListSingleFile(const struct stat& st, const ListOptions& options,
                                    ModelListing listing) {
  const std::string basename = listing.model_name;
  if (!IsValidUtf8(basename)) {
    return Error::Unsupported(0, "file name is not valid UTF-8 (OMS v1.0 §6.1.2 requires it): " +
                                     PrintablePath(basename));
  }
  const std::string name = options.single_file_name == SingleFileName::kDot ? "." : basename;
  if (options.only_files) {
    const auto& only = *options.only_files;
    if (std::find(only.begin(), only.end(), name) == only.end() &&
        std::find(only.begin(), only.end(), basename) == only.end() &&
        std::find(only.begin(), only.end(), ".") == only.end()) {
      return listing;  // the signed file is not this one
    }
  }
  listing.files.push_back({name, static_cast<std::uint64_t>(st.st_size), st.st_dev, st.st_ino});
  return listing;
}

}  // namespace

ModelListing::ModelListing(ModelListing&& other) noexcept { *this = std::move(other); }

ModelListing& ModelListing::operator=(ModelListing&& other) noexcept {
  if (this != &other) {
    if (root_fd_ >= 0) close(root_fd_);
    files = std::move(other.files);
    ignored = std::move(other.ignored);
    model_name = std::move(other.model_name);
    root_fd_ = std::exchange(other.root_fd_, -1);
    single_file_ = std::move(other.single_file_);
    allow_symlinks_ = other.allow_symlinks_;
  }
  return *this;
}

ModelListing::~ModelListing() {
  if (root_fd_ >= 0) close(root_fd_);
}

Result<int> ModelListing::Open(const ModelFile& file) const {
  // O_NONBLOCK: opening a FIFO swapped in after listing must not block (fstat rejects it).
  constexpr int kFlags = O_RDONLY | O_CLOEXEC | O_NONBLOCK;
  const int no_follow = allow_symlinks_ ? 0 : O_NOFOLLOW;
  int fd = -1;
  if (root_fd_ < 0) {
    fd = open(single_file_.c_str(), kFlags | no_follow);
  } else if (allow_symlinks_) {
    fd = openat(root_fd_, file.name.c_str(), kFlags);
  } else {
    // Component by component, none of them a link (O_NOFOLLOW applies to the last one only).
    std::vector<ScopedFd> folders;
    int dir_fd = root_fd_;
    std::size_t begin = 0;
    for (std::size_t slash; (slash = file.name.find('/', begin)) != std::string::npos;
         begin = slash + 1) {
      const std::string part = file.name.substr(begin, slash - begin);
      folders.emplace_back(
          openat(dir_fd, part.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (folders.back().get() < 0) return OsError("cannot open", file.name, errno);
      dir_fd = folders.back().get();
    }
    fd = openat(dir_fd, file.name.c_str() + begin, kFlags | O_NOFOLLOW);
  }
  if (fd < 0) return OsError("cannot open", file.name, errno);
  ScopedFd guard(fd);
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_dev != file.device ||
      st.st_ino != file.inode) {
    return Error::Io("file changed after it was listed: " + PrintablePath(file.name));
  }
  return guard.release();
}

Result<ModelListing> ListModelFiles(const fs::path& model, const ListOptions& options) {
  ModelListing listing;
  listing.model_name = ModelName(model);  // made printable below, once checked
  listing.allow_symlinks_ = options.allow_symlinks;
  struct stat st {};
  if (lstat(model.c_str(), &st) != 0) return OsError("cannot read model", model.string(), errno);
  if (S_ISLNK(st.st_mode) && stat(model.c_str(), &st) != 0) {
    return OsError("broken symbolic link", model.string(), errno);
  }
  if (S_ISREG(st.st_mode)) {
    struct stat link_status {};
    if (lstat(model.c_str(), &link_status) == 0 && S_ISLNK(link_status.st_mode) &&
        !options.allow_symlinks) {
      return Error::Unsupported(0, "symbolic link not allowed: " + PrintablePath(model.string()) +
                                       " (pass --allow-symlinks to follow links)");
    }
    listing.single_file_ = model;
    Result<ModelListing> single = ListSingleFile(st, options, std::move(listing));
    if (single) single->model_name = PrintablePath(single->model_name);
    return single;
  }
  if (!S_ISDIR(st.st_mode)) {
    return Error::Unsupported(0, std::string(FileKind(st.st_mode)) +
                                     " cannot be hashed: " + PrintablePath(model.string()));
  }
  // The model folder itself may be reached through a link (the user named it); links inside it
  // follow the policy.
  ScopedFd root(open(model.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (root.get() < 0) return OsError("cannot open model folder", model.string(), errno);
  Result<std::vector<std::string>> ignored = Exclusions(model, options);
  if (!ignored) return ignored.error();
  listing.ignored = *std::move(ignored);
  FolderLister lister(options, listing.ignored, model);
  lister.EnterRoot(st);
  if (options.only_files) {
    for (const std::string& name : *options.only_files) {
      // A name no file can have here (".", "../x", "/abs" from a hostile or single-file
      // manifest) is absent: never looked up outside the folder, reported missing by the
      // comparison.
      Result<std::string> rel = NormalizePath(name, /*forbid_glob=*/false);
      if (!rel) continue;
      if (IsIgnored(listing.ignored, *rel)) continue;
      if (Status visited = lister.VisitListed(root.get(), *rel); !visited) {
        return visited.error();
      }
    }
  } else if (Status walked = lister.Walk(root.get(), "", 0); !walked) {
    return walked.error();
  }
  listing.files = std::move(lister.files);
  std::sort(listing.files.begin(), listing.files.end(),
            [](const ModelFile& a, const ModelFile& b) { return a.name < b.name; });
  listing.files.erase(
      std::unique(listing.files.begin(), listing.files.end(),
                  [](const ModelFile& a, const ModelFile& b) { return a.name == b.name; }),
      listing.files.end());
  listing.model_name = PrintablePath(listing.model_name);  // informational: never rejected
  listing.root_fd_ = root.release();
  return listing;
}

Result<std::string> NormalizeRelativePath(std::string_view path) {
  return NormalizePath(path, /*forbid_glob=*/true);
}

bool IsValidUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = Utf8SequenceLength(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::string PrintablePath(std::string_view path) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < path.size();) {
    const std::size_t length = Utf8SequenceLength(path, i);
    const auto byte = static_cast<unsigned char>(path[i]);
    if (length == 0 || byte < 0x20 || byte == 0x7f) {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
      ++i;
      continue;
    }
    out.append(path.substr(i, length));
    i += length;
  }
  return out;
}

}  // namespace mg::integrity
