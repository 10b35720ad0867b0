// Paths the tests use: the source tree (fixtures, goldens) and ../shared, which exists on the
// developers' machines and in CI but not in a user's clone (tests that need it skip).
#pragma once

#include <filesystem>
#include <string>

namespace mg::test {

inline std::filesystem::path SourceDir() { return MODELGATE_SOURCE_DIR; }
inline std::filesystem::path FixturesDir() { return SourceDir() / "tests" / "fixtures"; }
inline std::filesystem::path SharedDir() { return SourceDir().parent_path() / "shared"; }

// Reads a whole file into a string (test inputs are small).
std::string ReadFile(const std::filesystem::path& path);

}  // namespace mg::test
