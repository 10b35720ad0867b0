#include "sandbox/environment.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace mg::sandbox {
namespace {

bool Has(const std::vector<std::string>& env, const std::string& entry) {
  return std::find(env.begin(), env.end(), entry) != env.end();
}

bool HasName(const std::vector<std::string>& env, const std::string& name) {
  return std::any_of(env.begin(), env.end(),
                     [&](const std::string& entry) { return entry.rfind(name + "=", 0) == 0; });
}

const std::vector<std::string> kHost = {"PATH=/home/user/bin:/usr/bin",
                                        "HOME=/home/user",
                                        "LANG=C.UTF-8",
                                        "LC_ALL=C",
                                        "TERM=xterm",
                                        "AWS_SECRET_ACCESS_KEY=decoy",
                                        "GITHUB_TOKEN=decoy",
                                        "SSH_AUTH_SOCK=/tmp/agent",
                                        "HF_TOKEN=decoy",
                                        "MY_SETTING=1",
                                        "DB_PASSWORD=decoy",
                                        "OPENAI_API_KEY=decoy"};

TEST(SandboxEnvironment, AllowlistPassesAndEverythingElseStays) {
  auto env = BuildEnvironment(kHost, {}, {});
  ASSERT_TRUE(env.ok()) << env.error().message;
  EXPECT_TRUE(Has(*env, "LANG=C.UTF-8"));
  EXPECT_TRUE(Has(*env, "LC_ALL=C"));
  EXPECT_TRUE(Has(*env, "TERM=xterm"));
  // PATH, HOME and TMPDIR are the sandbox's own, not the caller's.
  EXPECT_TRUE(Has(*env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
  EXPECT_TRUE(Has(*env, "HOME=/tmp"));
  EXPECT_TRUE(Has(*env, "TMPDIR=/tmp"));
  for (const char* name : {"AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "SSH_AUTH_SOCK", "HF_TOKEN",
                           "MY_SETTING", "DB_PASSWORD", "OPENAI_API_KEY"}) {
    EXPECT_FALSE(HasName(*env, name)) << name;
  }
}

TEST(SandboxEnvironment, NamedVariablePassesAndSetenvOverrides) {
  auto env = BuildEnvironment(kHost, {"MY_SETTING"}, {{"LANG", "de_DE.UTF-8"}, {"NEW", "a=b"}});
  ASSERT_TRUE(env.ok()) << env.error().message;
  EXPECT_TRUE(Has(*env, "MY_SETTING=1"));
  EXPECT_TRUE(Has(*env, "LANG=de_DE.UTF-8"));
  EXPECT_TRUE(Has(*env, "NEW=a=b"));
}

TEST(SandboxEnvironment, CredentialNamesAreRefusedEvenWhenAskedFor) {
  for (const char* name : {"AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "SSH_AUTH_SOCK", "HF_TOKEN",
                           "DB_PASSWORD", "OPENAI_API_KEY", "GOOGLE_APPLICATION_CREDENTIALS",
                           "AZURE_CLIENT_SECRET", "NPM_AUTH", "SIGNING_KEY", "ssh_auth_sock"}) {
    EXPECT_TRUE(IsSecretName(name)) << name;
    auto env = BuildEnvironment(kHost, {name}, {});
    EXPECT_FALSE(env.ok()) << name;
  }
}

TEST(SandboxEnvironment, OrdinaryNamesAreNotSecret) {
  for (const char* name : {"LANG", "TERM", "MY_SETTING", "PYTHONHASHSEED", "OMP_NUM_THREADS"}) {
    EXPECT_FALSE(IsSecretName(name)) << name;
  }
}

TEST(SandboxEnvironment, MalformedNamesAreUsageErrors) {
  EXPECT_FALSE(BuildEnvironment(kHost, {"1ABC"}, {}).ok());
  EXPECT_FALSE(BuildEnvironment(kHost, {"A-B"}, {}).ok());
  EXPECT_FALSE(BuildEnvironment(kHost, {}, {{"A B", "x"}}).ok());
  EXPECT_FALSE(BuildEnvironment(kHost, {}, {{"", "x"}}).ok());
}

TEST(SandboxEnvironment, AllowlistIsExact) {
  EXPECT_TRUE(IsAllowlistedName("LC_CTYPE"));
  EXPECT_TRUE(IsAllowlistedName("TZ"));
  EXPECT_FALSE(IsAllowlistedName("LC_"));
  EXPECT_FALSE(IsAllowlistedName("LANGX"));
  EXPECT_FALSE(IsAllowlistedName("PYTHONPATH"));
}

}  // namespace
}  // namespace mg::sandbox
