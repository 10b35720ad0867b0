// `modelgate verify sigstore` end to end (docs/signing.md): keyless signatures made by the
// reference tool verify offline with the built-in trusted root; a wrong identity, issuer or
// trusted root, and a tampered model, do not.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "e2e/cli_runner.h"
#include "support/test_paths.h"

namespace mg::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kIdentity = "stefanb@us.ibm.com";
constexpr const char* kIssuer = "https://sigstore.verify.ibm.com/oauth2";

fs::path SigstoreData() { return SourceDir() / "src" / "integrity" / "testdata" / "sigstore"; }
std::string Model(const std::string& version) {
  return (SigstoreData() / (version + "-sigstore")).string();
}

CliRun VerifySigstore(const std::string& model, const std::string& identity = kIdentity,
                      const std::string& issuer = kIssuer,
                      const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"verify", "sigstore", "--identity", identity,
                                   "--identity-provider", issuer};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(model);
  return RunCli(args);
}

TEST(VerifySigstoreCli, ReferenceSignaturesVerifyWithTheBuiltInRoot) {
  for (const std::string version : {"v0.3.1", "v1.0.0", "v1.0.1", "v1.1.0"}) {
    const std::vector<std::string> ignore =
        version == "v1.0.1" ? std::vector<std::string>{"--ignore-paths", "ignore-me"}
                            : std::vector<std::string>{};
    const CliRun run = VerifySigstore(Model(version), kIdentity, kIssuer, ignore);
    EXPECT_EQ(run.exit_code, 0) << version << ": " << run.out << run.err;
    EXPECT_EQ(run.out.rfind("verified ", 0), 0u) << run.out;
    EXPECT_NE(run.out.find("signed by stefanb@us.ibm.com"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("rekor.sigstore.dev entry"), std::string::npos) << run.out;
  }
}

TEST(VerifySigstoreCli, PinnedTrustRootAndJsonOutput) {
  const std::string root = (SigstoreData() / "sigstore-public-good-trusted_root.json").string();
  CliRun run = VerifySigstore(Model("v1.1.0"), kIdentity, kIssuer,
                              {"--trust-root", root, "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  const auto report = ParseJson(run.out);
  ASSERT_FALSE(report.is_discarded()) << run.out;
  EXPECT_EQ(report["signer"]["method"], "sigstore");
  EXPECT_EQ(report["signer"]["identity"], kIdentity);
  EXPECT_EQ(report["signer"]["issuer"], kIssuer);
  EXPECT_EQ(report["signer"]["signed_at"].get<std::string>().rfind("2025-10-10T02:12:", 0), 0u);

  const std::string staging = (SigstoreData() / "sigstore-staging-trusted_root.json").string();
  run = VerifySigstore(Model("v1.0.0"), kIdentity, kIssuer, {"--trust-root", staging});
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_NE(run.out.find("(signature): sigstore tlog inclusion"), std::string::npos) << run.out;

  run = VerifySigstore(Model("v1.0.0"), kIdentity, kIssuer, {"--trust-root", "/nonexistent.json"});
  EXPECT_EQ(run.exit_code, 2);
  TempDir dir;
  WriteFile(dir.path() / "root.json", "{\"mediaType\": 1}");
  run = VerifySigstore(Model("v1.0.0"), kIdentity, kIssuer,
                       {"--trust-root", (dir.path() / "root.json").string()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("trusted root"), std::string::npos) << run.err;
}

TEST(VerifySigstoreCli, WrongIdentityOrIssuerIsNotVerified) {
  CliRun run = VerifySigstore(Model("v1.0.0"), "someone@attacker.invalid");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("sigstore identity: the certificate is for stefanb@us.ibm.com"),
            std::string::npos)
      << run.out;
  run = VerifySigstore(Model("v1.0.0"), kIdentity, "https://accounts.attacker.invalid");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("sigstore issuer"), std::string::npos) << run.out;
  // Both options are required.
  run = RunCli({"verify", "sigstore", "--identity", kIdentity, Model("v1.0.0")});
  EXPECT_EQ(run.exit_code, 2);
}

TEST(VerifySigstoreCli, TamperedModelNamesTheFile) {
  TempDir dir;
  const fs::path copy = dir.path() / "model";
  fs::copy(Model("v1.1.0"), copy, fs::copy_options::recursive);
  fs::permissions(copy / "signme-2", fs::perms::owner_write, fs::perm_options::add);
  WriteFile(copy / "signme-2", "tampered");
  const CliRun run = VerifySigstore(copy.string());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("modified: signme-2"), std::string::npos) << run.out;
}

}  // namespace
}  // namespace mg::test
