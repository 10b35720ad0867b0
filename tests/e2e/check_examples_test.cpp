// The three policies of examples/policies/, each on real signed models (docs/policy.md).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "e2e/cli_runner.h"
#include "support/test_paths.h"

namespace mg::test {
namespace {

namespace fs = std::filesystem;

fs::path Example(const std::string& name) { return SourceDir() / "examples" / "policies" / name; }
fs::path KeyPath(const std::string& name) {
  return SourceDir() / "src" / "integrity" / "testdata" / "keys" / name;
}

// A model folder with safetensors weights and `pickle_bytes` as a pickle beside them.
fs::path MakeModel(const fs::path& root, const std::string& pickle_bytes) {
  const fs::path model = root / "model";
  fs::create_directories(model);
  fs::copy_file(FixturesDir() / "clean" / "hf_model" / "model-00001-of-00002.safetensors",
                model / "model.safetensors");
  WriteFile(model / "head.pkl", pickle_bytes);
  return model;
}

void Sign(const fs::path& model, const std::string& key) {
  const CliRun run =
      RunCli({"sign", "key", "--private-key", KeyPath(key).string(), model.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
}

CliRun Check(const fs::path& policy, const fs::path& model) {
  return RunCli({"check", "--policy", policy.string(), "--format", "json", model.string()});
}

std::vector<std::string> Clauses(const CliRun& run) {
  std::vector<std::string> clauses;
  const auto json = ParseJson(run.out);
  if (json.is_discarded()) return clauses;
  for (const auto& reason : json["models"][0]["reasons"]) clauses.push_back(reason["clause"]);
  return clauses;
}

// pickletools: PROTO 2, GLOBAL 'mylab.models Net', EMPTY_TUPLE, NEWOBJ, STOP: an instance of a
// class from the team's own code, which modelgate cannot vouch for (an unknown global).
const std::string kOwnClassPickle(
    "\x80\x02"
    "cmylab.models\nNet\n)\x81.");

std::string Fixture(const std::string& relative) { return ReadFile(FixturesDir() / relative); }

TEST(CheckExamples, StrictRegistryNeedsTheReleaseSignature) {
  TempDir dir;
  const fs::path model = MakeModel(dir.path(), Fixture("clean/python_dict_p4.pkl"));
  CliRun run = Check(Example("strict-registry.yaml"), model);
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_EQ(Clauses(run), (std::vector<std::string>{"signatures", "formats"})) << run.out;
  Sign(model, "p256.pem");
  run = Check(Example("strict-registry.yaml"), model);
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  // Signed by the release key, but dangerous: still blocked.
  WriteFile(model / "head.pkl", Fixture("malicious/os_system_p2.pkl"));
  Sign(model, "p256.pem");
  run = Check(Example("strict-registry.yaml"), model);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(Clauses(run).at(0), "findings") << run.out;
}

// pickletools: PROTO 2, GLOBAL 'otherlab.models Net', EMPTY_TUPLE, NEWOBJ, STOP: a class from
// code the team's policy does not vouch for.
const std::string kOtherClassPickle(
    "\x80\x02"
    "cotherlab.models\nNet\n)\x81.");

TEST(CheckExamples, ResearchTeamAcceptsItsOwnGlobalsFromItsOwnSigner) {
  TempDir dir;
  const fs::path model = MakeModel(dir.path(), kOwnClassPickle);
  Sign(model, "p384.pem");
  CliRun run = Check(Example("research-team.yaml"), model);
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  auto json = ParseJson(run.out);
  // allow.pickle_globals vouches for mylab.*: no finding at all, nothing to waive.
  EXPECT_TRUE(json["models"][0]["exceptions_applied"].empty()) << run.out;
  EXPECT_EQ(run.out.find("PICKLE-UNKNOWN"), std::string::npos) << run.out;

  // Another package's class is still unknown code, even signed by the team.
  WriteFile(model / "head.pkl", kOtherClassPickle);
  Sign(model, "p384.pem");
  run = Check(Example("research-team.yaml"), model);
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_EQ(Clauses(run), std::vector<std::string>{"findings"}) << run.out;
  EXPECT_NE(run.out.find("PICKLE-UNKNOWN-CALL"), std::string::npos) << run.out;

  WriteFile(model / "head.pkl", kOwnClassPickle);
  Sign(model, "p256.pem");  // someone else's key: no trusted signature for the pickle
  run = Check(Example("research-team.yaml"), model);
  EXPECT_EQ(run.exit_code, 1) << run.out;

  WriteFile(model / "head.pkl", Fixture("malicious/os_system_p2.pkl"));
  Sign(model, "p384.pem");  // the team's key does not excuse a dangerous call
  run = Check(Example("research-team.yaml"), model);
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_EQ(Clauses(run).at(0), "findings") << run.out;

  // A safetensors-only model from anywhere needs no signature.
  fs::remove(model / "head.pkl");
  fs::remove(model / "model.sig");
  EXPECT_EQ(Check(Example("research-team.yaml"), model).exit_code, 0);
}

TEST(CheckExamples, SparkProductionBlocksWhenItsLoaderCannotRun) {
  TempDir dir;
  // The example names the cluster's /opt/spark; the test points it at a Spark home of its own.
  WriteFile(dir.path() / "spark" / "jars" / "spark-core_2.13-4.0.0.jar", "PK");
  fs::create_directories(dir.path() / "site-packages");
  std::string policy = ReadFile(Example("spark-production.yaml"));
  const auto replace = [&policy](const std::string& from, const std::string& to) {
    for (std::size_t at = policy.find(from); at != std::string::npos; at = policy.find(from)) {
      policy.replace(at, from.size(), to);
    }
  };
  replace("/opt/spark/python/lib/site-packages", (dir.path() / "site-packages").string());
  replace("/opt/spark", (dir.path() / "spark").string());
  WriteFile(dir.path() / "spark-production.yaml", policy);
  const fs::path pipeline = FixturesDir() / "clean" / "sparkml" / "pipeline_lr";
  CliRun run = Check(dir.path() / "spark-production.yaml", pipeline);
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  // The example's loader is not installed here: the trial load cannot start, which blocks
  // (or no sandbox can be built at all, which blocks the same way).
  EXPECT_EQ(Clauses(run), std::vector<std::string>{"trial_load"}) << run.out;
  EXPECT_NE(run.out.find("SETUP_ERROR"), std::string::npos) << run.out;

  // A pickle is forbidden on the cluster whatever else holds.
  const fs::path model = MakeModel(dir.path(), Fixture("clean/python_dict_p4.pkl"));
  run = Check(dir.path() / "spark-production.yaml", model);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(Clauses(run).at(0), "formats") << run.out;
}

}  // namespace
}  // namespace mg::test
