// `modelgate hash` (docs/cli.md): text and JSON manifests, options, exit codes and messages.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "e2e/cli_runner.h"
#include "support/test_paths.h"

namespace mg::test {
namespace {

namespace fs = std::filesystem;

std::string CertificateModel() {
  return (SourceDir() / "src" / "integrity" / "testdata" / "python-certificate").string();
}

TEST(HashCli, TextManifestHasSerializationRootAndOneLinePerFile) {
  const CliRun run = RunCli({"hash", CertificateModel()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out,
            "serialization: method=files hash_type=sha256 allow_symlinks=false\n"
            "root: sha256:61d4849d9d90076d6215f4d525f13d6574af8e3f67aef3e6f36fc40a14fdd226\n"
            "f6310066c7320497ea554260c32c43660bff648cb2a61194832cc086077085e1  signme-1\n"
            "32dcb1f8e1ae52d5963e56a6ba06ab58b424c15ed2a6b70d2feca1d089370028  signme-2\n");
  EXPECT_TRUE(run.err.empty()) << run.err;  // no progress bar: stderr is not a terminal
}

TEST(HashCli, JsonManifestWithShards) {
  TempDir dir;
  WriteFile(dir.path() / "model" / "w.bin", std::string(22, 'x'));
  WriteFile(dir.path() / "model" / "empty", "");
  const CliRun run = RunCli({"hash", (dir.path() / "model").string(), "--serialization", "shards",
                             "--shard-size", "8", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto json = ParseJson(run.out);
  ASSERT_FALSE(json.is_discarded()) << run.out;
  EXPECT_EQ(json["model_name"], "model");
  EXPECT_EQ(json["serialization"]["method"], "shards");
  EXPECT_EQ(json["serialization"]["shard_size"], 8);  // an integer, not 8.0
  EXPECT_EQ(json["serialization"]["allow_symlinks"], false);
  EXPECT_EQ(json["serialization"]["ignore_paths"].size(), 4u);
  ASSERT_EQ(json["resources"].size(), 3u);  // the empty file has no shard
  EXPECT_EQ(json["resources"][0]["name"], "w.bin:0:8");
  EXPECT_EQ(json["resources"][1]["name"], "w.bin:16:22");
  EXPECT_EQ(json["resources"][2]["name"], "w.bin:8:16");
  EXPECT_EQ(json["resources"][0]["algorithm"], "sha256-sharded-8");
  EXPECT_EQ(json["resources"][0]["digest"].get<std::string>().size(), 64u);
  EXPECT_EQ(json["root_digest"].get<std::string>().rfind("sha256:", 0), 0u);
}

TEST(HashCli, Blake2bIgnorePathsSignatureAndOutputFile) {
  TempDir dir;
  const fs::path model = dir.path() / "model";
  WriteFile(model / "w.bin", "w");
  WriteFile(model / "cache" / "tmp", "t");
  WriteFile(model / "model.sig", "{}");
  const fs::path out = dir.path() / "manifest.txt";
  const CliRun run =
      RunCli({"hash", model.string(), "--hash", "blake2b", "--ignore-paths", "cache", "--signature",
              (model / "model.sig").string(), "-o", out.string(), "--threads", "3"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(run.out.empty());
  const std::string text = ReadFile(out);
  EXPECT_NE(text.find("hash_type=blake2b"), std::string::npos) << text;
  EXPECT_NE(text.find("  w.bin\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("cache"), std::string::npos) << text;
  EXPECT_EQ(text.find("model.sig"), std::string::npos) << text;
  // A 64-byte digest is 128 hex digits before the two spaces.
  const auto line_start = text.rfind('\n', text.size() - 2) + 1;
  EXPECT_EQ(text.find("  ", line_start) - line_start, 128u) << text;
}

TEST(HashCli, SingleFileDotForm) {
  const std::string file = CertificateModel() + "/signme-1";
  const CliRun run = RunCli({"hash", file, "--single-file-name", "dot"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("f6310066c7320497ea554260c32c43660bff648cb2a61194832cc086077085e1  .\n"),
            std::string::npos)
      << run.out;
}

TEST(HashCli, SymlinkIsRejectedUnlessAllowed) {
  TempDir dir;
  WriteFile(dir.path() / "model" / "real.bin", "r");
  ASSERT_EQ(::symlink("real.bin", (dir.path() / "model" / "link.bin").c_str()), 0);
  CliRun run = RunCli({"hash", (dir.path() / "model").string()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("symbolic link not allowed: link.bin"), std::string::npos) << run.err;
  EXPECT_TRUE(run.out.empty());
  run = RunCli({"hash", (dir.path() / "model").string(), "--allow-symlinks"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("allow_symlinks=true"), std::string::npos);
  EXPECT_NE(run.out.find("  link.bin\n"), std::string::npos);
}

TEST(HashCli, ErrorsExitTwo) {
  TempDir dir;
  fs::create_directories(dir.path() / "empty");
  CliRun run = RunCli({"hash", (dir.path() / "empty").string()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("nothing to hash"), std::string::npos) << run.err;
  run = RunCli({"hash", (dir.path() / "missing").string()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("missing"), std::string::npos) << run.err;
  run = RunCli({"hash", CertificateModel(), "--serialization", "tiles"});
  EXPECT_EQ(run.exit_code, 2);
  run = RunCli({"hash", CertificateModel(), "--shard-size", "0"});
  EXPECT_EQ(run.exit_code, 2);
  run = RunCli({"hash", CertificateModel(), "--ignore-paths", "../x"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find(".."), std::string::npos) << run.err;
  run = RunCli({"hash", CertificateModel(), "--ignore-paths", "/elsewhere/x"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("not inside"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace mg::test
