#include "sandbox/executable.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sandbox/config.h"

namespace mg::sandbox {
namespace {

TEST(SandboxExecutable, ResolvesThroughTheSandboxPath) {
  auto resolved = ResolveCommand("sh", kSandboxPath);
  ASSERT_TRUE(resolved.ok()) << resolved.error().message;
  EXPECT_EQ(resolved->back(), 'h');
  EXPECT_EQ((*resolved)[0], '/');
  EXPECT_FALSE(ResolveCommand("no-such-command-anywhere", kSandboxPath).ok());
  EXPECT_FALSE(ResolveCommand("", kSandboxPath).ok());
  const auto data = std::filesystem::temp_directory_path() / "modelgate-exec-data.txt";
  std::ofstream(data) << "not a program";
  std::filesystem::permissions(
      data, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_FALSE(ResolveCommand(data.string(), kSandboxPath).ok());
  std::filesystem::remove(data);
}

TEST(SandboxExecutable, DynamicElfBringsItsInterpreter) {
  const auto chain = ExecutionChain("/bin/sh");
  ASSERT_EQ(chain.size(), 2u);
  EXPECT_EQ(chain[0], std::filesystem::canonical("/bin/sh").string());
  EXPECT_NE(chain[1].find("ld-linux"), std::string::npos) << chain[1];
}

TEST(SandboxExecutable, ScriptBringsItsInterpreterAndThatOnesLoader) {
  const auto dir = std::filesystem::temp_directory_path() / "modelgate-exec-test";
  std::filesystem::create_directories(dir);
  const auto script = dir / "loader.sh";
  std::ofstream(script) << "#!  /bin/sh -e\necho hi\n";
  const auto chain = ExecutionChain(script.string());
  ASSERT_EQ(chain.size(), 3u);
  EXPECT_EQ(chain[1], std::filesystem::canonical("/bin/sh").string());
  EXPECT_NE(chain[2].find("ld-linux"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace mg::sandbox
