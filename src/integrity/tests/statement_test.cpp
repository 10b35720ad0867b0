#include "integrity/statement.h"

#include <gtest/gtest.h>

#include <string>

#include "integrity/bundle.h"
#include "integrity/encoding.h"
#include "integrity/tests/integrity_test_paths.h"

namespace mg::integrity {
namespace {

Bytes Digest(char fill, std::size_t size = 32) {
  return Bytes(size, static_cast<std::uint8_t>(fill));
}

Manifest TwoFiles() {
  Manifest manifest;
  manifest.model_name = "my-model";
  manifest.serialization.ignore_paths = {".github", ".git", "model.sig"};
  manifest.resources = {{"config.json", "sha256", Digest(1)}, {"weights.bin", "sha256", Digest(2)}};
  return manifest;
}

Result<ParsedStatement> Parse(const std::string& text) { return ParseStatement(ByteView(text)); }

std::string ErrorOf(const std::string& text) {
  Result<ParsedStatement> parsed = Parse(text);
  return parsed.ok() ? std::string("(accepted)") : parsed.error().message;
}

// A statement text with `predicate` spliced in and a correct root for `resources_root`.
std::string Statement(const std::string& predicate, const std::string& root_hex) {
  return R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"m","digest":{"sha256":")" +
         root_hex + R"("}}],"predicateType":"https://model_signing/signature/v1.0","predicate":)" +
         predicate + "}";
}

std::string RootHex(std::initializer_list<Bytes> digests) {
  Manifest manifest;
  for (const Bytes& digest : digests) manifest.resources.push_back({"x", "", digest});
  return HexEncode(RootDigest(manifest));
}

TEST(Statement, BuildsTheDocumentedShapeDeterministically) {
  const std::string text = BuildStatement(TwoFiles());
  EXPECT_EQ(text, BuildStatement(TwoFiles()));
  EXPECT_EQ(text.rfind("{\n  \"_type\": \"https://in-toto.io/Statement/v1\",\n  \"subject\": [", 0),
            0u);
  EXPECT_NE(text.find("\"ignore_paths\": [\n        \".git\",\n        \".github\",\n        "
                      "\"model.sig\"\n      ]"),
            std::string::npos);
  EXPECT_EQ(text.find("shard_size"), std::string::npos);
  EXPECT_NE(text.back(), '\n');
  Result<ParsedStatement> parsed = Parse(text);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->manifest.model_name, "my-model");
  ASSERT_EQ(parsed->manifest.resources.size(), 2u);
  EXPECT_EQ(parsed->manifest.resources[1].name, "weights.bin");
  EXPECT_EQ(parsed->manifest.resources[1].digest, Digest(2));
  EXPECT_TRUE(parsed->canonical_order);
  EXPECT_FALSE(parsed->legacy);
}

TEST(Statement, ShardsRoundTripWithAnIntegerShardSize) {
  Manifest manifest;
  manifest.model_name = "m";
  manifest.serialization.method = SerializationMethod::kShards;
  manifest.serialization.hash = HashAlgorithm::kBlake2b;
  manifest.serialization.shard_size = 8;
  const std::string algorithm = ShardAlgorithmName(HashAlgorithm::kBlake2b, 8);
  EXPECT_EQ(algorithm, "blake2b-sharded-8");
  manifest.resources = {{"a:b:0:8", algorithm, Digest(1, 64)},
                        {"a:b:8:13", algorithm, Digest(2, 64)}};
  const std::string text = BuildStatement(manifest);
  EXPECT_NE(text.find("\"shard_size\": 8,"), std::string::npos);
  Result<ParsedStatement> parsed = Parse(text);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->manifest.serialization.shard_size, 8u);
  EXPECT_EQ(parsed->manifest.resources[0].name, "a:b:0:8");  // a colon in the file name
}

TEST(Statement, AcceptsPythonDoublesAndPlainShardAlgorithms) {
  const std::string root = RootHex({Digest(1), Digest(2)});
  const std::string predicate =
      R"({"serialization":{"method":"shards","hash_type":"sha256","shard_size":8.0,"allow_symlinks":false},)"
      R"("resources":[{"algorithm":"sha256","name":".:0:8","digest":")" +
      HexEncode(Digest(1)) + R"("},{"name":".:8:16","digest":")" + HexEncode(Digest(2)) +
      R"(","algorithm":"sha256-sharded-8","extra":1}]})";
  Result<ParsedStatement> parsed = Parse(Statement(predicate, root));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  for (const Resource& resource : parsed->manifest.resources) {
    EXPECT_EQ(resource.algorithm, "sha256-sharded-8");  // normalized
  }
}

TEST(Statement, PythonOrderIsAcceptedButFlagged) {
  const std::string root = RootHex({Digest(2), Digest(1)});
  const std::string predicate =
      R"({"serialization":{"method":"files","hash_type":"sha256","allow_symlinks":false},)"
      R"("resources":[{"name":"a/b","algorithm":"sha256","digest":")" +
      HexEncode(Digest(2)) + R"("},{"name":"a.b","algorithm":"sha256","digest":")" +
      HexEncode(Digest(1)) + R"("}]})";
  Result<ParsedStatement> parsed = Parse(Statement(predicate, root));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_FALSE(parsed->canonical_order);
}

TEST(Statement, RejectionsNameTheField) {
  const std::string one = HexEncode(Digest(1));
  const std::string root = RootHex({Digest(1)});
  const auto files = [&](const std::string& resources, const std::string& extra = "") {
    return Statement(
        R"({"serialization":{"method":"files","hash_type":"sha256","allow_symlinks":false)" +
            extra + R"(},"resources":)" + resources + "}",
        root);
  };
  const std::string good = R"([{"name":"f","algorithm":"sha256","digest":")" + one + R"("}])";
  EXPECT_EQ(ErrorOf(files(good)), "(accepted)");
  EXPECT_EQ(
      ErrorOf(Statement(
          R"({"serialization":{"method":"files","hash_type":"sha256","allow_symlinks":false},"resources":[{"name":"f","algorithm":"sha256","digest":")" +
              one + R"("}]})",
          RootHex({Digest(2)}))),
      "statement subject[0].digest.sha256: does not match the root digest of "
      "predicate.resources");
  EXPECT_EQ(ErrorOf(files("[]")),
            "statement predicate.resources: empty: the signature covers no file");
  EXPECT_EQ(ErrorOf(files(R"([{"name":"../f","algorithm":"sha256","digest":")" + one + R"("}])")),
            "statement predicate.resources[0].name: not a canonical relative path: \"../f\"");
  EXPECT_EQ(ErrorOf(files(R"([{"name":"f","algorithm":"blake2b","digest":")" + one + R"("}])")),
            "statement predicate.resources[0].algorithm: \"blake2b\" differs from hash_type");
  EXPECT_EQ(ErrorOf(files(R"([{"name":"f","algorithm":"sha256","digest":"abcd"}])")),
            "statement predicate.resources[0].digest: not a hex sha256 digest: \"abcd\"");
  EXPECT_EQ(ErrorOf(files(good, R"(,"shard_size":5)")),
            "statement predicate.serialization.shard_size: present for the files method "
            "(OMS §5.2.2)");
  EXPECT_EQ(ErrorOf(files(good + R"(,"x":1)").replace(0, 0, "")), "(accepted)");
  const std::string twice = R"([{"name":"f","algorithm":"sha256","digest":")" + one +
                            R"("},{"name":"f","algorithm":"sha256","digest":")" + one + R"("}])";
  EXPECT_EQ(
      ErrorOf(Statement(
          R"({"serialization":{"method":"files","hash_type":"sha256","allow_symlinks":false},"resources":)" +
              twice + "}",
          RootHex({Digest(1), Digest(1)}))),
      "statement predicate.resources: \"f\" is listed twice");
  EXPECT_EQ(ErrorOf(R"({"_type":"https://in-toto.io/Statement/v1","predicateType":"x"})"),
            "statement predicateType: expected \"https://model_signing/signature/v1.0\", found "
            "\"x\"");
  EXPECT_EQ(ErrorOf(R"({"_type":"x"})"),
            "statement _type: expected \"https://in-toto.io/Statement/v1\"");
  std::string blake3 = files(good);
  blake3.replace(blake3.find("\"sha256\",\"allow"), 8, "\"blake3\"");
  EXPECT_EQ(Parse(blake3).error().code, ErrorCode::kUnsupported);
}

TEST(Statement, ShardNamesSplitAtTheLastTwoColons) {
  std::string_view path;
  std::uint64_t start = 0;
  std::uint64_t end = 0;
  ASSERT_TRUE(ParseShardName("d/a:b.bin:1000:2000", path, start, end));
  EXPECT_EQ(path, "d/a:b.bin");
  EXPECT_EQ(start, 1000u);
  EXPECT_EQ(end, 2000u);
  EXPECT_FALSE(ParseShardName("f:1", path, start, end));
  EXPECT_FALSE(ParseShardName(":0:1", path, start, end));
  EXPECT_FALSE(ParseShardName("f:01:2", path, start, end));
  EXPECT_FALSE(ParseShardName("f:0:-2", path, start, end));
}

Bundle ReadBundle(const std::filesystem::path& path) {
  const std::string text = mg::test::ReadFile(path);
  Result<Bundle> bundle = ParseBundle(ByteView(text));
  EXPECT_TRUE(bundle.ok()) << path;
  return bundle.ok() ? *bundle : Bundle{};
}

TEST(Statement, ReferencePayloadsParse) {
  const auto fixtures = test::ReferenceFixtures();
  Bundle key = ReadBundle(fixtures / "v1.1.0-elliptic-key" / "model.sig");
  Result<ParsedStatement> parsed =
      ParseStatement(ByteView(key.dsse_envelope.payload.data(), key.dsse_envelope.payload.size()));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(HexEncode(RootDigest(parsed->manifest)),
            "92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4");
  EXPECT_EQ(parsed->manifest.serialization.ignore_paths.size(), 6u);

  Bundle single = ReadBundle(fixtures / "v1.0.0-elliptic-key" / "model.sig");
  parsed = ParseStatement(
      ByteView(single.dsse_envelope.payload.data(), single.dsse_envelope.payload.size()));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->manifest.resources[0].name, ".");

  Bundle legacy = ReadBundle(fixtures / "v0.2.0-certificate" / "model.sig");
  parsed = ParseStatement(
      ByteView(legacy.dsse_envelope.payload.data(), legacy.dsse_envelope.payload.size()));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_TRUE(parsed->legacy);
  EXPECT_EQ(parsed->manifest.resources.size(), 2u);
  EXPECT_EQ(parsed->manifest.resources[0].name, "signme-1");
}

TEST(Statement, SpecVectorWithWrongPredicateIsRejected) {
  Bundle bundle = ReadBundle(test::TestData() / "spec-vectors" / "invalid-payload" /
                             "wrong-predicate.bundle.json");
  Result<ParsedStatement> parsed = ParseStatement(
      ByteView(bundle.dsse_envelope.payload.data(), bundle.dsse_envelope.payload.size()));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().message.find("statement predicateType"), 0u);
}

}  // namespace
}  // namespace mg::integrity
