// Golden reports: the text, JSON and SARIF output of scanning each format's set of fixtures,
// compared byte for byte with tests/golden/<set>/. The binary runs in the source root with relative
// paths, so the goldens do not depend on where the tree is checked out; the tool version is
// replaced by a placeholder so that a version bump does not touch them. The scans run with
// --no-self-confine: the report's confinement part depends on the kernel (Landlock ABI), and
// tests/e2e/self_confine_test.cpp checks that every golden set's findings are the same confined.
//
// After a deliberate change of output: MODELGATE_UPDATE_GOLDEN=1 rewrites the goldens (then
// review the diff like code).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "e2e/cli_runner.h"
#include "support/test_paths.h"

namespace mg::test {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

constexpr const char* kVersionPlaceholder = "<version>";

// A golden set is a folder tests/golden/<set>/ whose inputs.txt lists fixtures (paths relative
// to the source root, one per line; '#' starts a comment); scan.txt, scan.json and scan.sarif
// beside it are the expected reports. Each format has its own set.
fs::path GoldenRoot() { return SourceDir() / "tests" / "golden"; }

std::vector<std::string> GoldenSets() {
  std::vector<std::string> sets;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(GoldenRoot(), error)) {
    if (entry.is_directory() && fs::exists(entry.path() / "inputs.txt")) {
      sets.push_back(entry.path().filename().string());
    }
  }
  std::sort(sets.begin(), sets.end());
  return sets;
}

std::vector<std::string> GoldenInputs(const std::string& set) {
  std::vector<std::string> inputs;
  std::istringstream lines(ReadFile(GoldenRoot() / set / "inputs.txt"));
  for (std::string line; std::getline(lines, line);) {
    const auto comment = line.find('#');
    if (comment != std::string::npos) line.erase(comment);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) {
      line.erase(0, 1);
    }
    if (!line.empty()) inputs.push_back(line);
  }
  return inputs;
}

std::string NormalizeJsonReport(const std::string& text) {
  Json report = ParseJson(text);
  if (report.is_discarded()) return text;
  if (report.contains("tool")) report["tool"]["version"] = kVersionPlaceholder;
  return report.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string NormalizeSarif(const std::string& text) {
  Json sarif = ParseJson(text);
  if (sarif.is_discarded()) return text;
  for (Json& run : sarif["runs"]) {
    Json& driver = run["tool"]["driver"];
    driver["version"] = kVersionPlaceholder;
    driver["semanticVersion"] = kVersionPlaceholder;
    // %SRCROOT% is the absolute folder the scan ran in: the checkout, wherever it is.
    if (run.contains("originalUriBaseIds") && run["originalUriBaseIds"].contains("%SRCROOT%")) {
      run["originalUriBaseIds"]["%SRCROOT%"]["uri"] = "file:///<source root>/";
    }
  }
  return sarif.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

bool UpdateRequested() {
  const char* value = std::getenv("MODELGATE_UPDATE_GOLDEN");
  return value != nullptr && std::string(value) == "1";
}

void CheckGolden(const std::string& set, const std::string& golden_name, const std::string& format,
                 std::string (*normalize)(const std::string&)) {
  const std::vector<std::string> inputs = GoldenInputs(set);
  ASSERT_FALSE(inputs.empty()) << "tests/golden/" << set << "/inputs.txt lists no fixture";
  for (const auto& input : inputs) {
    ASSERT_TRUE(fs::exists(SourceDir() / input)) << "golden input " << input << " is missing";
  }
  std::vector<std::string> args = {"scan",    "--format", format, "--color",
                                   "never",   "--jobs",   "2",    "--no-self-confine"};
  args.insert(args.end(), inputs.begin(), inputs.end());
  CliOptions options;
  options.working_dir = SourceDir();
  const CliRun run = RunCli(args, options);
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 1) << run.err;
  const std::string actual = normalize ? normalize(run.out) : run.out;
  const fs::path golden_path = GoldenRoot() / set / golden_name;
  if (UpdateRequested()) {
    WriteFile(golden_path, actual);
    std::cout << "rewrote " << golden_path.string() << "\n";
    return;
  }
  ASSERT_TRUE(fs::exists(golden_path))
      << golden_path << " is missing; run with MODELGATE_UPDATE_GOLDEN=1 to create it";
  const std::string expected = ReadFile(golden_path);
  EXPECT_TRUE(actual == expected)
      << "output differs from " << golden_path.string()
      << " (if the change is intended: MODELGATE_UPDATE_GOLDEN=1, then review the diff)\n"
      << "--- actual ---\n"
      << actual;
}

class GoldenSet : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenSet, TextReport) { CheckGolden(GetParam(), "scan.txt", "text", nullptr); }

TEST_P(GoldenSet, JsonReport) {
  CheckGolden(GetParam(), "scan.json", "json", NormalizeJsonReport);
}

TEST_P(GoldenSet, SarifReport) { CheckGolden(GetParam(), "scan.sarif", "sarif", NormalizeSarif); }

INSTANTIATE_TEST_SUITE_P(Golden, GoldenSet, ::testing::ValuesIn(GoldenSets()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string name = param.param;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

// Every analyzer folder (src/analyzers/<name>/analyzer.cpp) has a golden set of its name.
TEST(Golden, EveryAnalyzerHasAGoldenSet) {
  const std::vector<std::string> sets = GoldenSets();
  int analyzers = 0;
  for (const auto& entry : fs::directory_iterator(SourceDir() / "src" / "analyzers")) {
    if (!fs::exists(entry.path() / "analyzer.cpp")) continue;
    ++analyzers;
    const std::string name = entry.path().filename().string();
    EXPECT_NE(std::find(sets.begin(), sets.end(), name), sets.end())
        << "no tests/golden/" << name << "/inputs.txt";
  }
  EXPECT_GE(analyzers, 10);
}

TEST(Golden, NormalizationOnlyTouchesTheToolVersionAndSourceRoot) {
  const std::string json_input =
      R"({"schema_version":"1.0","tool":{"name":"modelgate","version":"9.9.9"},"targets":[]})";
  const Json json = ParseJson(NormalizeJsonReport(json_input));
  EXPECT_EQ(json["tool"]["version"], kVersionPlaceholder);
  EXPECT_EQ(json["schema_version"], "1.0");
  const std::string sarif_input =
      R"({"version":"2.1.0","runs":[{"tool":{"driver":{"name":"modelgate","version":"9.9.9",)"
      R"("semanticVersion":"9.9.9"}},"originalUriBaseIds":{"%SRCROOT%":{"uri":"file:///x/"}},)"
      R"("results":[]}]})";
  const Json sarif = ParseJson(NormalizeSarif(sarif_input));
  EXPECT_EQ(sarif["version"], "2.1.0");
  EXPECT_EQ(sarif["runs"][0]["tool"]["driver"]["semanticVersion"], kVersionPlaceholder);
  EXPECT_EQ(sarif["runs"][0]["tool"]["driver"]["name"], "modelgate");
  EXPECT_EQ(sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
            "file:///<source root>/");
  EXPECT_TRUE(sarif["runs"][0]["results"].empty());
}

}  // namespace
}  // namespace mg::test
