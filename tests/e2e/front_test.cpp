// The `modelgate` front binary (src/front/main.cpp): `run` is handled in a binary that loads no
// OpenSSL, decompression or YAML library; every other command is handed to modelgate-full.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "run_support.h"

namespace mg::test {
namespace {

namespace fs = std::filesystem;

// The DT_NEEDED entries of an ELF file, as `readelf -d` prints them ("libc.so.6"...).
std::vector<std::string> NeededLibraries(const fs::path& binary) {
  const CliRun run = RunProgram("/usr/bin/readelf", {"-d", binary.string()});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  std::vector<std::string> needed;
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("(NEEDED)") == std::string::npos) continue;
    const size_t open = line.find('[');
    const size_t close = line.find(']', open);
    if (open != std::string::npos && close != std::string::npos) {
      needed.push_back(line.substr(open + 1, close - open - 1));
    }
  }
  return needed;
}

fs::path FullBinary() { return CliBinary().parent_path() / "modelgate-full"; }

TEST(Front, LoadsOnlyWhatRunNeeds) {
  if (!fs::exists("/usr/bin/readelf")) GTEST_SKIP() << "no /usr/bin/readelf (binutils)";
  const std::vector<std::string> front = NeededLibraries(CliBinary());
  ASSERT_FALSE(front.empty());
  bool seccomp = false;
  for (const std::string& library : front) {
    for (const char* heavy : {"libcrypto", "libssl", "libz.", "libbz2", "liblzma", "libzstd",
                              "liblz4", "libyaml-cpp"}) {
      EXPECT_EQ(library.find(heavy), std::string::npos) << "the front needs " << library;
    }
    seccomp = seccomp || library.find("libseccomp") != std::string::npos;
    // libstdc++ is linked in, except in sanitizer builds (CMakeLists.txt).
    if (!SanitizerBuild()) {
      EXPECT_EQ(library.find("libstdc++"), std::string::npos) << "the front needs " << library;
    }
  }
  EXPECT_TRUE(seccomp);
  // The full binary is where they went: the check above would pass vacuously otherwise.
  bool crypto = false;
  for (const std::string& library : NeededLibraries(FullBinary())) {
    crypto = crypto || library.find("libcrypto") != std::string::npos;
  }
  EXPECT_TRUE(crypto);
}

TEST(Front, HandsOtherCommandsToTheFullBinaryWithArgumentsAndExitCode) {
  const CliRun version = RunCli({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out, std::string("modelgate ") + MODELGATE_VERSION + "\n");
  const fs::path malicious = fs::path(MODELGATE_SOURCE_DIR) / "examples" / "malicious";
  const CliRun scan = RunCli({"scan", "--format", "json", malicious.string()});
  EXPECT_EQ(scan.exit_code, 1) << scan.err;
  EXPECT_FALSE(ParseJson(scan.out).is_discarded());
  const CliRun usage = RunCli({"scna"});
  EXPECT_EQ(usage.exit_code, 2);
  const CliRun help = RunCli({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* command : {"scan", "sign", "verify", "run", "check", "audit-env"}) {
    EXPECT_NE(help.out.find(command), std::string::npos) << command << " missing from\n"
                                                         << help.out;
  }
}

TEST(Front, WithoutTheFullBinaryOtherCommandsFailClearlyAndRunStillWorks) {
  TempDir scratch;
  const fs::path alone = scratch.path() / "modelgate";
  fs::copy_file(CliBinary(), alone);
  const CliRun scan = RunProgram(alone, {"scan", MODELGATE_SOURCE_DIR});
  EXPECT_EQ(scan.exit_code, 2);
  EXPECT_NE(scan.err.find((scratch.path() / "modelgate-full").string()), std::string::npos)
      << scan.err;
  EXPECT_EQ(scan.out, "");

  SKIP_WITHOUT_SANDBOX();
  std::vector<std::string> args = {"run", "--format", "json", "--no-monitor"};
  if (SanitizerBuild()) args.insert(args.end(), {"--max-memory", "0"});  // run_support.h
  args.insert(args.end(), {"--", "/bin/echo", "alone"});
  const CliRun run = RunProgram(alone, args);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "alone\n");
  const auto report = ParseJson(run.err);
  ASSERT_FALSE(report.is_discarded()) << run.err;
  EXPECT_EQ(report["outcome"], "OK");
}

}  // namespace
}  // namespace mg::test
