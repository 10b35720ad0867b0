// tests/fixtures/expectations*.json: the expected scan outcome of every fixture once the real
// analyzers are in. The format is described in tests/fixtures/README.md. This module loads the
// file, checks that an entry is well formed, and judges one scan against one entry; the tests
// that run the scans live in tests/e2e/expectations/ (their own binary, see tests/CMakeLists).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "e2e/cli_runner.h"

namespace mg::test {

using Json = nlohmann::ordered_json;

struct FixtureExpectation {
  std::string name;  // "malicious/os_system_p2.pkl": the path as written (see FixturePath)
  Json entry;        // the entry as written in expectations.json
  bool pending() const { return entry.contains("pending_issue"); }
};

// For gtest's parameter names in failure messages.
inline void PrintTo(const FixtureExpectation& expectation, std::ostream* os) {
  *os << expectation.name;
}

// tests/fixtures/expectations*.json: the shared file and one per format, sorted by name.
std::vector<std::filesystem::path> ExpectationFiles();

// Loads the entries of every expectations file (a file that cannot be parsed contributes
// none; ExpectationsFile.EveryFileParses catches that).
std::vector<FixtureExpectation> LoadExpectations();

// Problems with the entry itself (unknown keys, bad severities, malformed rule IDs...).
std::vector<std::string> ValidateEntry(const Json& entry);

// Problems with a scan of the fixture, measured against its entry; empty when it matches.
// `run` is `modelgate scan --format json <fixture>`.
std::vector<std::string> JudgeScan(const Json& entry, const CliRun& run);

// Where the fixture `name` is: under tests/fixtures/, or under the source root for names that
// start with examples/ (the demo models are held to expectations too).
std::filesystem::path FixturePath(const std::string& name);

// The arguments the expectation tests scan a fixture with (absolute path of `name`).
std::vector<std::string> ScanArgumentsFor(const std::string& name);

}  // namespace mg::test
