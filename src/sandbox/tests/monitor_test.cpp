#include "sandbox/monitor.h"

#include <gtest/gtest.h>

namespace mg::sandbox {
namespace {

TEST(SandboxMonitor, CredentialPathsAnywhere) {
  for (const char* path :
       {"/root/.ssh/id_rsa", "/home/u/.ssh", "/tmp/.ssh/known_hosts", "/home/u/.aws/credentials",
        "/home/u/.config/gcloud/credentials.db", "/home/u/.kube/config",
        "/home/u/.docker/config.json", "/home/u/.netrc", "/home/u/.git-credentials",
        "/home/u/.cache/huggingface/token", "/home/u/.gnupg/private-keys"}) {
    EXPECT_TRUE(IsCredentialPath(path)) << path;
  }
}

TEST(SandboxMonitor, OrdinaryPathsAreNotCredentials) {
  for (const char* path : {"/usr/lib/python3/dist-packages/torch/__init__.py", "/model/m.pt",
                           "/tmp/x.ssh", "/etc/ssh_config", "/home/u/sshkeys.txt"}) {
    EXPECT_FALSE(IsCredentialPath(path)) << path;
  }
}

}  // namespace
}  // namespace mg::sandbox
