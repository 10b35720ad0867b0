// Golden reports: the text, JSON and SARIF output of scanning a small fixed set of fixtures,
// compared byte for byte with tests/golden/. The binary runs in the source root with relative
// paths, so the goldens do not depend on where the tree is checked out; the tool version is
// replaced by a placeholder so that a version bump does not touch them.
//
// After a deliberate change of output: MODELGATE_UPDATE_GOLDEN=1 rewrites the goldens (then
// review the diff like code).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "e2e/cli_runner.h"
#include "support/test_paths.h"

namespace mg::test {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

constexpr const char* kVersionPlaceholder = "<version>";

// Relative to the source root; keep small: every golden lists each of these.
const std::vector<std::string>& GoldenInputs() {
  static const std::vector<std::string> kInputs = {
      "tests/fixtures/clean/readme_text.txt",
      "tests/fixtures/clean/xgboost_booster.ubj",
      "tests/fixtures/clean/python_dict_p0.pkl",
      "tests/fixtures/clean/sklearn_logreg_p4.pkl",
      "tests/fixtures/clean/torch_state_dict_zip.pt",
      "tests/fixtures/malicious/os_system_p2.pkl",
      "tests/fixtures/malicious/nested_pickle_loads.pkl",
      "tests/fixtures/malicious/truncated_after_call.pkl",
      "tests/fixtures/malicious/torch_zip_injected.pt",
  };
  return kInputs;
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

void CheckGolden(const std::string& golden_name, const std::string& format,
                 std::string (*normalize)(const std::string&)) {
  std::vector<std::string> args = {"scan", "--format", format, "--color", "never", "--jobs", "2"};
  args.insert(args.end(), GoldenInputs().begin(), GoldenInputs().end());
  CliOptions options;
  options.working_dir = SourceDir();
  const CliRun run = RunCli(args, options);
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 1) << run.err;
  const std::string actual = normalize ? normalize(run.out) : run.out;
  const fs::path golden_path = SourceDir() / "tests" / "golden" / golden_name;
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

TEST(Golden, TextReport) { CheckGolden("scan.txt", "text", nullptr); }

TEST(Golden, JsonReport) { CheckGolden("scan.json", "json", NormalizeJsonReport); }

TEST(Golden, SarifReport) { CheckGolden("scan.sarif", "sarif", NormalizeSarif); }

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
