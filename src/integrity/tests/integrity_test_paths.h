// Where the integrity tests find their data: committed copies under src/integrity/testdata
// (always there) and the full interoperability fixtures under ../shared (skipped when absent).
#pragma once

#include <filesystem>
#include <string>

#include "support/test_paths.h"

namespace mg::integrity::test {

inline std::filesystem::path TestData() {
  return mg::test::SourceDir() / "src" / "integrity" / "testdata";
}
inline std::filesystem::path ReferenceFixtures() { return TestData() / "model-transparency"; }
inline std::filesystem::path ReferenceKeys() {
  return ReferenceFixtures() / "keys" / "certificate";
}
inline std::filesystem::path SharedOms() { return mg::test::SharedDir() / "fixtures" / "oms"; }

}  // namespace mg::integrity::test
