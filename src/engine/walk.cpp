#include "engine/walk.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace mg {

namespace fs = std::filesystem;

namespace {

bool IsInside(const fs::path& child, const fs::path& root) {
  auto mismatch = std::mismatch(root.begin(), root.end(), child.begin(), child.end());
  return mismatch.first == root.end();
}

// Where a symlink points, resolved as far as it exists. weakly_canonical(link) would not do:
// for a dangling link it keeps the link's own name, which lies inside the folder, and a link to
// a missing file outside the folder would pass unreported (the file can appear before loading).
fs::path LinkTarget(const fs::path& link, std::error_code& ec) {
  fs::path target = fs::read_symlink(link, ec);
  if (ec) return {};
  if (target.is_relative()) target = link.parent_path() / target;
  return fs::weakly_canonical(target, ec);
}

void WalkFolder(const fs::path& folder, WalkResult& out) {
  std::error_code ec;
  const fs::path root = fs::canonical(folder, ec);
  if (ec) {
    out.errors.push_back("cannot resolve " + folder.string() + ": " + ec.message());
    return;
  }
  std::vector<WalkEntry> found;
  fs::recursive_directory_iterator it(folder, fs::directory_options::none, ec);
  if (ec) {
    out.errors.push_back("cannot read folder " + folder.string() + ": " + ec.message());
    return;
  }
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) {
      out.errors.push_back("cannot read " + it->path().string() + ": " + ec.message());
      ec.clear();
      continue;
    }
    const fs::directory_entry& entry = *it;
    std::error_code link_ec;
    if (entry.is_symlink(link_ec)) {
      const fs::path target = LinkTarget(entry.path(), link_ec);
      if (link_ec || !IsInside(target, root)) {
        found.push_back({entry.path().string(),
                         link_ec ? fs::read_symlink(entry.path(), link_ec).string()
                                 : target.string()});
      }
      // A link that stays inside the folder points at something the walk visits anyway.
      continue;
    }
    if (entry.is_regular_file(link_ec)) {
      found.push_back({entry.path().string(), {}});
    } else if (!entry.is_directory(link_ec)) {
      // Sockets, FIFOs and devices are not model files; opening a FIFO could block.
      continue;
    }
  }
  std::sort(found.begin(), found.end(),
            [](const WalkEntry& a, const WalkEntry& b) { return a.path < b.path; });
  out.files.insert(out.files.end(), found.begin(), found.end());
}

}  // namespace

WalkResult ExpandPaths(const std::vector<std::string>& paths) {
  WalkResult out;
  for (const auto& path : paths) {
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      out.errors.push_back("no such file or folder: " + path);
      continue;
    }
    if (fs::is_directory(status)) {
      WalkFolder(path, out);
    } else {
      out.files.push_back({path, {}});
    }
  }
  return out;
}

}  // namespace mg
