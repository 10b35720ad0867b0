// `modelgate sign` and `modelgate verify` end to end (docs/cli.md, docs/signing.md): exit code 0
// verified, 1 not verified, 2 usage or I/O error; the outputs name what failed.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "e2e/cli_runner.h"
#include "support/test_paths.h"

namespace mg::test {
namespace {

namespace fs = std::filesystem;

fs::path IntegrityData() { return SourceDir() / "src" / "integrity" / "testdata"; }
std::string Key(const std::string& name) { return (IntegrityData() / "keys" / name).string(); }
std::string Reference(const std::string& relative) {
  return (IntegrityData() / "model-transparency" / relative).string();
}

void MakeModel(const fs::path& model) {
  WriteFile(model / "config.json", "{\"hidden_size\": 8}");
  WriteFile(model / "weights.bin", std::string(4096, '\x01'));
  WriteFile(model / "sub" / "tokenizer.json", "{}");
}

TEST(SignVerifyCli, KeyRoundTripAndTampering) {
  TempDir dir;
  const fs::path model = dir.path() / "model";
  MakeModel(model);
  CliRun run = RunCli({"sign", "key", "--private-key", Key("p384.pem"), model.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("signature written to"), std::string::npos);
  ASSERT_TRUE(fs::exists(model / "model.sig"));

  run = RunCli({"verify", "key", "--public-key", Key("p384.pub.pem"), model.string()});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(run.out.rfind("verified ", 0), 0u) << run.out;

  WriteFile(model / "weights.bin", std::string(4095, '\x01') + "\x02");
  WriteFile(model / "payload.py", "import os  # attacker.invalid");
  fs::remove(model / "sub" / "tokenizer.json");
  run = RunCli(
      {"verify", "key", "--public-key", Key("p384.pub.pem"), "--format", "json", model.string()});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  const auto report = ParseJson(run.out);
  ASSERT_FALSE(report.is_discarded()) << run.out;
  EXPECT_EQ(report["verified"], false);
  EXPECT_EQ(report["stage"], "manifest");
  EXPECT_EQ(report["modified"], nlohmann::ordered_json::array({"weights.bin"}));
  EXPECT_EQ(report["added"], nlohmann::ordered_json::array({"payload.py"}));
  EXPECT_EQ(report["removed"], nlohmann::ordered_json::array({"sub/tokenizer.json"}));

  run = RunCli({"verify", "key", "--public-key", Key("other_p256.pub.pem"), model.string()});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("key mismatch"), std::string::npos) << run.out;
}

TEST(SignVerifyCli, ShardsBlake2bAndACustomSignaturePath) {
  TempDir dir;
  const fs::path model = dir.path() / "model";
  MakeModel(model);
  const std::string signature = (dir.path() / "sigs" / "m.sig").string();
  fs::create_directories(dir.path() / "sigs");
  CliRun run = RunCli({"sign", "key", "--private-key", Key("p521.pem"), "--serialization", "shards",
                       "--shard-size", "1000", "--hash", "blake2b", "--signature", signature,
                       "--format", "json", model.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(ParseJson(run.out)["resources"], 7);  // 5 shards of weights.bin + 2 files
  run = RunCli({"verify", "key", "--public-key", Key("p521.pub.pem"), "--signature", signature,
                model.string()});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
}

TEST(SignVerifyCli, CertificateMethod) {
  TempDir dir;
  const fs::path model = dir.path() / "model";
  MakeModel(model);
  CliRun run = RunCli({"sign", "certificate", "--private-key", Key("p256.pem"), "--signing-cert",
                       Key("signer-p256.pem"), "--cert-chain", Key("int-ca.pem"), model.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  run = RunCli({"verify", "certificate", "--cert-chain", Key("root-ca.pem"), model.string()});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("CN=modelgate test signer"), std::string::npos) << run.out;
  // Another CA is not trusted.
  run = RunCli({"verify", "certificate", "--cert-chain", Reference("keys/certificate/ca-cert.pem"),
                model.string()});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("(signature)"), std::string::npos) << run.out;
  // A certificate that does not belong to the key is refused when signing.
  run = RunCli({"sign", "certificate", "--private-key", Key("p256.pem"), "--signing-cert",
                Key("signer-p521.pem"), model.string()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("is not for this private key"), std::string::npos) << run.err;
}

TEST(SignVerifyCli, ReferenceSignaturesVerify) {
  CliRun run =
      RunCli({"verify", "key", "--public-key", Reference("keys/certificate/signing-key-pub.pem"),
              Reference("v1.1.0-elliptic-key")});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  run = RunCli({"verify", "key", "--public-key", Reference("keys/certificate/signing-key-pub.pem"),
                "--signature", Reference("v1.0.0-elliptic-key/model.sig"),
                Reference("v1.0.0-elliptic-key/signme-1")});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.err.find("warning"), std::string::npos);  // no hint in a pre-1.1 bundle
  run = RunCli({"verify", "certificate", "--cert-chain", Reference("keys/certificate/ca-cert.pem"),
                Reference("v1.1.0-certificate")});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
}

TEST(SignVerifyCli, EncryptedKeysTakeThePassphraseFromAFileOrTheEnvironment) {
  TempDir dir;
  const fs::path model = dir.path() / "model";
  MakeModel(model);
  const fs::path passphrase = dir.path() / "passphrase";
  WriteFile(passphrase, "correct horse\n");
  CliRun run = RunCli({"sign", "key", "--private-key", Key("p256.sec1.encrypted.pem"),
                       "--private-key-passphrase-file", passphrase.string(), model.string()});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  ::setenv("MODELGATE_E2E_PASSPHRASE", "correct horse", 1);
  run = RunCli({"sign", "key", "--private-key", Key("p256.encrypted.pem"),
                "--private-key-passphrase-env", "MODELGATE_E2E_PASSPHRASE", model.string()});
  ::unsetenv("MODELGATE_E2E_PASSPHRASE");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  run = RunCli({"sign", "key", "--private-key", Key("p256.encrypted.pem"), model.string()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--private-key-passphrase-file"), std::string::npos) << run.err;
  run = RunCli({"verify", "key", "--public-key", Key("p256.pub.pem"), model.string()});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
}

TEST(SignVerifyCli, UsageAndIoErrorsExitTwo) {
  TempDir dir;
  const fs::path model = dir.path() / "model";
  MakeModel(model);
  EXPECT_EQ(RunCli({"verify", "key", model.string()}).exit_code, 2);  // no --public-key
  EXPECT_EQ(
      RunCli({"verify", "key", "--public-key", Key("p256.pub.pem"), model.string()}).exit_code,
      2);  // no model.sig yet
  EXPECT_EQ(RunCli({"sign", "key", "--private-key", Key("rsa.pem"), model.string()}).exit_code, 2);
  EXPECT_EQ(
      RunCli({"sign", "key", "--private-key", Key("p256.pem"), (dir.path() / "missing").string()})
          .exit_code,
      2);
  // A corrupt signature file is a verification failure, not a usage error.
  WriteFile(model / "model.sig", "{\"mediaType\":");
  const CliRun run = RunCli({"verify", "key", "--public-key", Key("p256.pub.pem"), model.string()});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("(bundle)"), std::string::npos) << run.out;
}

}  // namespace
}  // namespace mg::test
