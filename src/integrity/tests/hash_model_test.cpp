// HashModel: root digests against the Python reference tool's signed fixtures and goldens,
// resource order, shards, blake2b, parallelism and --ignore-unsigned-files.
#include "integrity/hash_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "integrity/file_hasher.h"
#include "integrity/tests/temp_model.h"
#include "support/test_paths.h"

namespace mg::integrity {
namespace {

namespace fs = std::filesystem;
using test::TempModel;

std::string Root(const Manifest& manifest) { return HexDigest(RootDigest(manifest)); }

std::vector<std::string> Names(const Manifest& manifest) {
  std::vector<std::string> names;
  for (const Resource& resource : manifest.resources) names.push_back(resource.name);
  return names;
}

Manifest MustHash(const fs::path& model, const HashOptions& options = {}) {
  Result<Manifest> manifest = HashModel(model, options);
  EXPECT_TRUE(manifest.ok()) << (manifest.ok() ? "" : manifest.error().message);
  return manifest.ok() ? *std::move(manifest) : Manifest{};
}

HashOptions Shards(std::uint64_t shard_size) {
  HashOptions options;
  options.serialization.method = SerializationMethod::kShards;
  options.serialization.shard_size = shard_size;
  return options;
}

fs::path TestData() { return mg::test::SourceDir() / "src" / "integrity" / "testdata"; }

// Subject digests of the reference tool's fixtures (testdata/README.md).
constexpr char kCertificateRoot[] =
    "61d4849d9d90076d6215f4d525f13d6574af8e3f67aef3e6f36fc40a14fdd226";
constexpr char kEllipticKeyRoot[] =
    "92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4";
constexpr char kSingleFileRoot[] =
    "afa48c8674afe334b8a7dea34f7b46ab256e9255edf8da2132792341b667a45b";

TEST(HashModel, CopiedReferenceFixturesGiveTheSignedRoots) {
  EXPECT_EQ(Root(MustHash(TestData() / "python-certificate")), kCertificateRoot);
  HashOptions options;
  options.serialization.ignore_paths = {"ignore-me"};
  const Manifest manifest = MustHash(TestData() / "python-elliptic-key", options);
  EXPECT_EQ(Root(manifest), kEllipticKeyRoot);
  EXPECT_EQ(Names(manifest), (std::vector<std::string>{"signme-1", "signme-2"}));
  EXPECT_EQ(manifest.resources[0].algorithm, "sha256");
  // Without the exclusion the empty file is a resource (files keep empty files).
  EXPECT_NE(Root(MustHash(TestData() / "python-elliptic-key")), kEllipticKeyRoot);
}

TEST(HashModel, EverySharedReferenceFixtureGivesItsSignedRoot) {
  const fs::path fixtures = mg::test::SharedDir() / "fixtures" / "oms" / "model-transparency";
  if (!fs::is_directory(fixtures)) GTEST_SKIP() << "no " << fixtures;
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(fixtures)) {
    if (!fs::exists(entry.path() / "model.sig")) continue;
    HashOptions options;
    options.signature_path = entry.path() / "model.sig";
    options.serialization.ignore_paths = {"ignore-me"};
    const Manifest manifest = MustHash(entry.path(), options);
    const bool two_files = fs::exists(entry.path() / "signme-2");
    const bool key = entry.path().filename().string().find("elliptic-key") != std::string::npos;
    const std::string expected = !two_files ? kSingleFileRoot
                                 : key      ? kEllipticKeyRoot
                                            : kCertificateRoot;
    EXPECT_EQ(Root(manifest), expected) << entry.path();
    ++checked;
  }
  EXPECT_EQ(checked, 13);
}

TEST(HashModel, SingleFileIsNamedByBasenameOrDot) {
  const fs::path file = TestData() / "python-elliptic-key" / "signme-1";
  Manifest manifest = MustHash(file);
  EXPECT_EQ(Names(manifest), std::vector<std::string>{"signme-1"});
  EXPECT_EQ(Root(manifest), kSingleFileRoot);
  EXPECT_EQ(manifest.model_name, "signme-1");
  HashOptions dot;
  dot.single_file_name = SingleFileName::kDot;
  manifest = MustHash(file, dot);
  EXPECT_EQ(Names(manifest), std::vector<std::string>{"."});
  EXPECT_EQ(Root(manifest), kSingleFileRoot);
}

// tests/conftest.py of the reference tool: sample_model_folder; its golden statement
// (tests/_signing/testdata/signing/TestPayload/sample_model_folder) has this subject digest.
TEST(HashModel, ReferenceSampleFolderGivesTheGoldenRoot) {
  TempModel model;
  for (const char* dir : {"0", "1"}) {
    for (const char* file : {"0", "1", "2"}) {
      // Appended piece by piece: g++ 12 -Wrestrict misfires on chains of string operator+.
      const std::string id = std::string(dir).append(file);
      model.Write(std::string("d").append(dir).append("/f").append(id),
                  std::string("This is file f").append(id).append(" in d").append(dir).append("."));
    }
  }
  for (const char* file : {"0", "1", "2", "3"}) {
    model.Write(std::string("f").append(file),
                std::string("This is file f").append(file).append(" in root."));
  }
  const Manifest manifest = MustHash(model.root());
  ASSERT_EQ(manifest.resources.size(), 10u);
  EXPECT_EQ(Root(manifest), "143cc682e555951649f18e2761c3d526d2502996f5e32dc187ef7f8a614f8df7");
}

// Golden sample_model_file_small_shards: "This is a simple model" with 8-byte shards. Python
// lists the shards in numeric offset order; we emit byte-wise order (OMS §5.2.1), so the
// digests agree one by one and the golden root is reproduced in Python's order only.
TEST(HashModel, ReferenceSmallShardsAgreeDigestByDigest) {
  TempModel model;
  const fs::path file = model.Write("file_model", "This is a simple model");
  HashOptions options = Shards(8);
  options.single_file_name = SingleFileName::kDot;
  Manifest manifest = MustHash(file, options);
  ASSERT_EQ(Names(manifest), (std::vector<std::string>{".:0:8", ".:16:22", ".:8:16"}));
  EXPECT_EQ(HexDigest(manifest.resources[0].digest),
            "a37010c994067764d86540bf479d93b4d0c3bb3955de7b61f951caf2fd0301b0");
  EXPECT_EQ(HexDigest(manifest.resources[1].digest),
            "a791e1e893ea4260c77475725101fb4cc6ad85f6340f21f10b239184e318cd21");
  EXPECT_EQ(HexDigest(manifest.resources[2].digest),
            "bd762002a3528a27fb9a8822f822b949d3c9ab7e860af33039c9aa70ebbbe682");
  EXPECT_EQ(manifest.resources[0].algorithm, "sha256-sharded-8");
  std::swap(manifest.resources[1], manifest.resources[2]);
  EXPECT_EQ(Root(manifest), "57d54248751a51781ac2bed647670df0c45d3926e337021585c34a82384b6573");
}

TEST(HashModel, ResourcesAreInByteWiseOrder) {
  TempModel model;
  for (const char* name : {"a/b/c", "a.b", "a/b2", "a b", "a-b"}) model.Write(name, name);
  // Python's component-wise order would be a/b/c, a/b2, a b, a-b, a.b.
  EXPECT_EQ(Names(MustHash(model.root())),
            (std::vector<std::string>{"a b", "a-b", "a.b", "a/b/c", "a/b2"}));
}

TEST(HashModel, ShardBoundariesAndEmptyFiles) {
  TempModel model;
  model.Write("w.bin", std::string(22, 'x'));
  model.Write("empty", "");
  model.Write("exact", std::string(16, 'y'));
  const Manifest shards = MustHash(model.root(), Shards(8));
  EXPECT_EQ(Names(shards), (std::vector<std::string>{"exact:0:8", "exact:8:16", "w.bin:0:8",
                                                     "w.bin:16:22", "w.bin:8:16"}));
  const std::string x8(8, 'x');
  EXPECT_EQ(shards.resources[2].digest, HashBytes(HashAlgorithm::kSha256, x8.data(), 8));
  EXPECT_EQ(shards.resources[3].digest, HashBytes(HashAlgorithm::kSha256, x8.data(), 6));
  // The files method keeps the empty file: the SHA-256 of nothing.
  const Manifest files = MustHash(model.root());
  EXPECT_EQ(Names(files), (std::vector<std::string>{"empty", "exact", "w.bin"}));
  EXPECT_EQ(HexDigest(files.resources[0].digest),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(HashModel, ShardSizeLargerThanFileGivesOneShard) {
  TempModel model;
  model.Write("f", "abc");
  const Manifest manifest = MustHash(model.root(), Shards(1'000'000'000));
  EXPECT_EQ(Names(manifest), std::vector<std::string>{"f:0:3"});
  EXPECT_EQ(manifest.resources[0].algorithm, "sha256-sharded-1000000000");
  EXPECT_EQ(manifest.resources[0].digest, HashBytes(HashAlgorithm::kSha256, "abc", 3));
  EXPECT_FALSE(HashModel(model.root(), Shards(0)).ok());
}

// Known answers computed with Python's hashlib.blake2b() (64-byte digest, unkeyed).
TEST(HashModel, Blake2bMatchesPythonHashlib) {
  EXPECT_EQ(HexDigest(HashBytes(HashAlgorithm::kBlake2b, "", 0)),
            "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419d25e1031afee5853"
            "13896444934eb04b903a685b1448b755d56f701afe9be2ce");
  TempModel model;
  model.Write("m", "This is a simple model");
  HashOptions options;
  options.serialization.hash = HashAlgorithm::kBlake2b;
  const Manifest files = MustHash(model.root(), options);
  ASSERT_EQ(files.resources.size(), 1u);
  EXPECT_EQ(files.resources[0].algorithm, "blake2b");
  EXPECT_EQ(HexDigest(files.resources[0].digest),
            "20e68afc59075f50f66f399d2cc590f2a93f58349dd6626c0f93bfa19d142b1741029b102cbc7ec0"
            "b36ad8dc771d66e904ca9a874c76fcc242fee0bea557463f");
  options.serialization.method = SerializationMethod::kShards;
  options.serialization.shard_size = 8;
  const Manifest shards = MustHash(model.root(), options);
  ASSERT_EQ(shards.resources.size(), 3u);
  EXPECT_EQ(shards.resources[0].algorithm, "blake2b-sharded-8");
  EXPECT_EQ(HexDigest(shards.resources[0].digest),  // m:0:8
            "524817b727f41e2772063aa9a63185934283441c15cfa82f99ed7a8f3d60e52062f79942981f9ad7"
            "8288395eddcb213175765b39965b4afe58c51c16b746bb95");
  EXPECT_EQ(HexDigest(shards.resources[1].digest),  // m:16:22
            "c68233532206d4746029a228dce56ec53e357f0ca258931a1e6a1fa5d0f3268a6593216b397de1c3"
            "4c65507d5ccf22bcf923b7951b279efa7d2155c871519d83");
}

// Files larger than the read buffer, many items: every thread count gives the same manifest.
TEST(HashModel, ParallelResultEqualsOneThread) {
  TempModel model;
  std::string big(kHashReadBufferSize * 3 + 12345, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 131) >> 3);
  model.Write("big.bin", big);
  for (int i = 0; i < 40; ++i)
    model.Write("many/f" + std::to_string(i), big.substr(0, static_cast<std::size_t>(i) * 997));
  for (const SerializationMethod method :
       {SerializationMethod::kFiles, SerializationMethod::kShards}) {
    HashOptions options = Shards(1'000'000);
    options.serialization.method = method;
    options.threads = 1;
    const Manifest one = MustHash(model.root(), options);
    EXPECT_EQ(one.resources[0].digest,
              HashBytes(HashAlgorithm::kSha256, big.data(),
                        method == SerializationMethod::kFiles ? big.size() : 1'000'000));
    for (const unsigned threads : {2u, 7u, 64u}) {
      options.threads = threads;
      const Manifest many = MustHash(model.root(), options);
      ASSERT_EQ(Names(many), Names(one));
      EXPECT_EQ(Root(many), Root(one)) << threads << " threads";
    }
  }
}

TEST(HashModel, ProgressReachesTheTotal) {
  TempModel model;
  model.Write("a", std::string(5000, 'a'));
  model.Write("b", std::string(3000, 'b'));
  std::uint64_t last_done = 0;
  std::uint64_t last_total = 0;
  ASSERT_TRUE(HashModel(model.root(), {}, [&](std::uint64_t done, std::uint64_t total) {
                EXPECT_GE(done, last_done);
                last_done = done;
                last_total = total;
              }).ok());
  EXPECT_EQ(last_total, 8000u);
  EXPECT_EQ(last_done, 8000u);
}

TEST(HashModel, EmptyModelIsAnErrorUnlessAllowed) {
  TempModel model;
  model.Write(".git/HEAD", "ref");
  Result<Manifest> manifest = HashModel(model.root(), {});
  ASSERT_FALSE(manifest.ok());
  EXPECT_NE(manifest.error().message.find("nothing to hash"), std::string::npos);
  HashOptions options;
  options.allow_empty = true;
  EXPECT_EQ(Root(MustHash(model.root(), options)),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // Shards of empty files only: no resource either (OMS §5.2.1 needs one).
  model.Write("empty", "");
  EXPECT_FALSE(HashModel(model.root(), Shards(8)).ok());
}

TEST(HashModel, FilesToHashRestrictsTheManifest) {
  TempModel model;
  model.Write("signed.bin", "s");
  model.Write("sub/also.bin", "t");
  model.Write("unsigned.bin", "u");
  ASSERT_TRUE(model.Fifo("unsigned.fifo"));  // never looked at
  HashOptions options;
  std::ofstream(model.outside() / "secret") << "outside";
  options.files_to_hash = std::vector<std::string>{
      "signed.bin", "sub/also.bin", "gone.bin", "nodir/x", "../secret", ".", "sub"};
  const Manifest manifest = MustHash(model.root(), options);
  EXPECT_EQ(Names(manifest), (std::vector<std::string>{"signed.bin", "sub/also.bin"}));
}

TEST(HashModel, ManifestRecordsExclusionsAndModelName) {
  TempModel model;
  model.Write("w.bin", "w");
  model.Write("model.sig", "{}");
  HashOptions options;
  options.serialization.ignore_paths = {"./cache//", "logs"};
  options.signature_path = model.root() / "model.sig";
  const Manifest manifest = MustHash(model.root(), options);
  EXPECT_EQ(Names(manifest), std::vector<std::string>{"w.bin"});
  EXPECT_EQ(manifest.serialization.ignore_paths,
            (std::vector<std::string>{".git", ".gitattributes", ".github", ".gitignore", "cache",
                                      "logs", "model.sig"}));
  EXPECT_EQ(manifest.model_name, "model");
  EXPECT_EQ(MustHash(model.root() / ".", options).model_name, "model");
}

TEST(HashModel, OptionsToVerifyReproduceTheSignedManifest) {
  TempModel model;
  model.Write("w.bin", std::string(20, 'w'));
  model.Write("skip/x", "x");
  HashOptions sign = Shards(8);
  sign.serialization.hash = HashAlgorithm::kBlake2b;
  sign.serialization.ignore_paths = {"skip"};
  const Manifest signed_manifest = MustHash(model.root(), sign);
  HashOptions verify = OptionsToVerify(signed_manifest, /*ignore_unsigned_files=*/false);
  EXPECT_EQ(Root(MustHash(model.root(), verify)), Root(signed_manifest));
  EXPECT_FALSE(verify.files_to_hash.has_value());
  // --ignore-unsigned-files: an extra file is not hashed; the signed file once, not per shard.
  model.Write("extra", "e");
  verify = OptionsToVerify(signed_manifest, /*ignore_unsigned_files=*/true);
  EXPECT_EQ(verify.files_to_hash, std::vector<std::string>{"w.bin"});
  EXPECT_EQ(Root(MustHash(model.root(), verify)), Root(signed_manifest));
  // A Python-style single-file manifest names the file ".".
  HashOptions dot;
  dot.single_file_name = SingleFileName::kDot;
  const fs::path file = model.root() / "w.bin";
  verify = OptionsToVerify(MustHash(file, dot), /*ignore_unsigned_files=*/true);
  EXPECT_EQ(verify.single_file_name, SingleFileName::kDot);
  EXPECT_EQ(Names(MustHash(file, verify)), std::vector<std::string>{"."});
}

TEST(HashModel, ResourceFilePathStripsShardOffsets) {
  EXPECT_EQ(ResourceFilePath("a:b.bin:0:8", SerializationMethod::kShards), "a:b.bin");
  EXPECT_EQ(ResourceFilePath(".:16:22", SerializationMethod::kShards), ".");
  EXPECT_EQ(ResourceFilePath("a:0:8", SerializationMethod::kFiles), "a:0:8");
  EXPECT_EQ(ResourceFilePath("a:0", SerializationMethod::kShards), std::nullopt);
  EXPECT_EQ(ResourceFilePath("a:x:8", SerializationMethod::kShards), std::nullopt);
  EXPECT_EQ(ResourceFilePath(":0:8", SerializationMethod::kShards), std::nullopt);
  EXPECT_EQ(ResourceFilePath("a::8", SerializationMethod::kShards), std::nullopt);
}

}  // namespace
}  // namespace mg::integrity
