// Expansion of command-line paths into the files to analyse.
#pragma once

#include <string>
#include <vector>

namespace mg {

struct WalkEntry {
  std::string path;
  // Set for a symlink inside a folder that points outside it: reported, never followed.
  std::string escaping_link_target;
};

struct WalkResult {
  std::vector<WalkEntry> files;  // sorted by path within each argument
  std::vector<std::string> errors;
};

// Files are taken as given (a symlink named on the command line is followed, since the user
// asked for it). Folders are walked recursively; a symlink inside a folder is followed only
// when it resolves inside that folder, and then only if its target is not walked anyway.
WalkResult ExpandPaths(const std::vector<std::string>& paths);

}  // namespace mg
