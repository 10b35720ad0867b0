// Finding the command to run and the files the kernel opens to execute it: a dynamic ELF
// file's interpreter (PT_INTERP) or a script's "#!" interpreter. Landlock's EXECUTE right is
// checked on each of them, so in --enforce these are the only files that may be executed.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace mg::sandbox {

// Resolves `name` like execvp does, with `search_path` (colon-separated) when it has no '/';
// relative paths with a '/' are made absolute. Error when nothing executable is found.
Result<std::string> ResolveCommand(const std::string& name, const std::string& search_path);

// The canonical paths the kernel executes for `path`: the file itself, its ELF interpreter,
// or a script's interpreter and that one's ELF interpreter (one level of "#!").
std::vector<std::string> ExecutionChain(const std::string& path);

}  // namespace mg::sandbox
