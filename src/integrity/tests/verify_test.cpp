#include "integrity/verify.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "integrity/sign.h"
#include "integrity/statement.h"
#include "integrity/tests/integrity_test_paths.h"

namespace mg::integrity {
namespace {

namespace fs = std::filesystem;

class ScratchDir {
 public:
  ScratchDir() {
    path_ = fs::temp_directory_path() /
            ("modelgate_verify_test_" + std::to_string(::getpid()) + "_" + std::to_string(next_++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  static inline int next_ = 0;
  fs::path path_;
};

void Write(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

KeyVerifier ReferenceKeyVerifier() {
  return KeyVerifier(*LoadPublicKeyFile(test::ReferenceKeys() / "signing-key-pub.pem"));
}

CertificateVerifier ReferenceCertificateVerifier() {
  return CertificateVerifier(LoadCertificateFiles({test::ReferenceKeys() / "ca-cert.pem"}).value());
}

// How each reference fixture is verified (oms fixtures README).
struct FixtureCase {
  fs::path model;
  fs::path signature;
  std::vector<std::string> ignore_paths;
};

FixtureCase CaseFor(const fs::path& folder) {
  const std::string name = folder.filename().string();
  FixtureCase c{folder, folder / "model.sig", {}};
  // Single-file models: the model is signme-1 itself.
  if (name == "v0.3.1-elliptic-key" || name == "v1.0.0-elliptic-key") c.model = folder / "signme-1";
  if (name.rfind("v1.0.1-", 0) == 0) c.ignore_paths = {"ignore-me"};  // not recorded before 1.1
  return c;
}

VerifyOutcome VerifyFixture(const fs::path& folder, const SignatureVerifier& verifier) {
  const FixtureCase c = CaseFor(folder);
  VerifyOptions options;
  options.model = c.model;
  options.signature = c.signature;
  options.ignore_paths = c.ignore_paths;
  return VerifyModel(options, verifier);
}

TEST(Verify, CommittedReferenceFixturesVerify) {
  const KeyVerifier key = ReferenceKeyVerifier();
  const CertificateVerifier certificate = ReferenceCertificateVerifier();
  for (const char* name : {"v1.1.0-elliptic-key", "v1.0.0-elliptic-key"}) {
    const VerifyOutcome outcome = VerifyFixture(test::ReferenceFixtures() / name, key);
    EXPECT_TRUE(outcome.verified()) << name << ": " << outcome.message;
  }
  for (const char* name : {"v1.1.0-certificate", "v0.2.0-certificate"}) {
    const VerifyOutcome outcome = VerifyFixture(test::ReferenceFixtures() / name, certificate);
    EXPECT_TRUE(outcome.verified()) << name << ": " << outcome.message;
  }
}

TEST(Verify, EverySharedKeyAndCertificateFixtureVerifies) {
  const fs::path root = test::SharedOms() / "model-transparency";
  if (!fs::exists(root)) GTEST_SKIP() << "no " << root;
  const KeyVerifier key = ReferenceKeyVerifier();
  const CertificateVerifier certificate = ReferenceCertificateVerifier();
  int verified = 0;
  for (const auto& entry : fs::directory_iterator(root)) {
    const std::string name = entry.path().filename().string();
    const SignatureVerifier* verifier = nullptr;
    if (name.ends_with("-elliptic-key")) verifier = &key;
    if (name.ends_with("-certificate")) verifier = &certificate;
    if (verifier == nullptr) continue;
    const VerifyOutcome outcome = VerifyFixture(entry.path(), *verifier);
    EXPECT_TRUE(outcome.verified()) << name << ": " << outcome.message;
    verified += outcome.verified();
  }
  EXPECT_EQ(verified, 9);
}

TEST(Verify, OlderBundlesNeedTheIgnoredPathsTheyDidNotRecord) {
  const fs::path folder = test::SharedOms() / "model-transparency" / "v1.0.1-elliptic-key";
  if (!fs::exists(folder)) GTEST_SKIP() << "no " << folder;
  VerifyOptions options;
  options.model = folder;
  options.signature = folder / "model.sig";
  const VerifyOutcome outcome = VerifyModel(options, ReferenceKeyVerifier());
  EXPECT_EQ(outcome.status, VerifyStatus::kFailed);
  EXPECT_EQ(outcome.diff.added, std::vector<std::string>{"ignore-me"});
}

// A writable copy of a committed fixture folder.
fs::path CopyFixture(const ScratchDir& scratch, const char* name) {
  const fs::path copy = scratch.path() / name;
  fs::copy(test::ReferenceFixtures() / name, copy, fs::copy_options::recursive);
  return copy;
}

VerifyOutcome VerifyCopy(const fs::path& copy, const SignatureVerifier& verifier) {
  VerifyOptions options;
  options.model = copy;
  return VerifyModel(options, verifier);
}

TEST(Verify, TamperedCopiesFailNamingTheFile) {
  const CertificateVerifier verifier = ReferenceCertificateVerifier();
  {
    ScratchDir scratch;
    const fs::path copy = CopyFixture(scratch, "v1.1.0-certificate");
    Write(copy / "signme-2", "signme-3");
    const VerifyOutcome outcome = VerifyCopy(copy, verifier);
    EXPECT_EQ(outcome.status, VerifyStatus::kFailed);
    EXPECT_EQ(outcome.stage, VerifyStage::kManifest);
    EXPECT_EQ(outcome.diff.modified, std::vector<std::string>{"signme-2"});
    EXPECT_NE(outcome.message.find("modified: signme-2"), std::string::npos) << outcome.message;
  }
  {
    ScratchDir scratch;
    const fs::path copy = CopyFixture(scratch, "v1.1.0-certificate");
    Write(copy / "extra" / "payload.py", "print('attacker.invalid')");
    const VerifyOutcome outcome = VerifyCopy(copy, verifier);
    EXPECT_EQ(outcome.diff.added, std::vector<std::string>{"extra/payload.py"});
    // --ignore-unsigned-files tolerates it.
    VerifyOptions options;
    options.model = copy;
    options.ignore_unsigned_files = true;
    EXPECT_TRUE(VerifyModel(options, verifier).verified());
  }
  {
    ScratchDir scratch;
    const fs::path copy = CopyFixture(scratch, "v1.1.0-certificate");
    fs::remove(copy / "signme-1");
    const VerifyOutcome outcome = VerifyCopy(copy, verifier);
    EXPECT_EQ(outcome.diff.removed, std::vector<std::string>{"signme-1"});
    VerifyOptions options;
    options.model = copy;
    options.ignore_unsigned_files = true;  // still required: it is listed
    EXPECT_EQ(VerifyModel(options, verifier).diff.removed, std::vector<std::string>{"signme-1"});
  }
  {
    ScratchDir scratch;
    const fs::path copy = CopyFixture(scratch, "v1.1.0-elliptic-key");
    std::string bundle = mg::test::ReadFile(copy / "model.sig");
    bundle[bundle.find("\"sig\":\"") + 12] ^= 1;
    Write(copy / "model.sig", bundle);
    const VerifyOutcome outcome = VerifyCopy(copy, ReferenceKeyVerifier());
    EXPECT_EQ(outcome.stage, VerifyStage::kSignature) << outcome.message;
    EXPECT_EQ(outcome.status, VerifyStatus::kFailed);
  }
}

TEST(Verify, MissingSignatureIsAnErrorNotAFailure) {
  ScratchDir scratch;
  Write(scratch.path() / "m" / "f", "x");
  VerifyOptions options;
  options.model = scratch.path() / "m";
  const VerifyOutcome outcome = VerifyModel(options, ReferenceKeyVerifier());
  EXPECT_EQ(outcome.status, VerifyStatus::kError);
  EXPECT_EQ(outcome.stage, VerifyStage::kReadSignature);
}

fs::path Keys() { return test::TestData() / "keys"; }

EcKey PrivateKey(const char* name) { return *LoadPrivateKeyFile(Keys() / name, std::nullopt); }
EcKey PublicKey(const char* name) { return *LoadPublicKeyFile(Keys() / name); }

void MakeModel(const fs::path& model) {
  Write(model / "config.json", "{\"layers\": 2}");
  Write(model / "weights" / "w0.bin", std::string(1000, '\x07'));
  Write(model / "weights" / "w1.bin", "");
  Write(model / "tokenizer.json", "{}");
  Write(model / ".git" / "HEAD", "ref: refs/heads/main\n");
}

TEST(SignVerify, RoundTripsForEachCurveMethodAndHash) {
  const struct {
    const char* key;
    const char* pub;
    SerializationMethod method;
    HashAlgorithm hash;
  } cases[] = {
      {"p256.pem", "p256.pub.pem", SerializationMethod::kFiles, HashAlgorithm::kSha256},
      {"p384.pem", "p384.pub.pem", SerializationMethod::kShards, HashAlgorithm::kSha256},
      {"p521.pem", "p521.pub.pem", SerializationMethod::kFiles, HashAlgorithm::kBlake2b},
      {"p256.pem", "p256.pub.pem", SerializationMethod::kShards, HashAlgorithm::kBlake2b},
  };
  for (const auto& c : cases) {
    ScratchDir scratch;
    const fs::path model = scratch.path() / "model";
    MakeModel(model);
    SignOptions sign;
    sign.model = model;
    sign.hash.serialization.method = c.method;
    sign.hash.serialization.hash = c.hash;
    sign.hash.serialization.shard_size = 300;
    Result<SignResult> signed_model = SignModel(sign, KeySigner(PrivateKey(c.key)));
    ASSERT_TRUE(signed_model.ok()) << signed_model.error().message;
    EXPECT_EQ(signed_model->signature, model / "model.sig");
    VerifyOptions verify;
    verify.model = model;
    const VerifyOutcome outcome = VerifyModel(verify, KeyVerifier(PublicKey(c.pub)));
    EXPECT_TRUE(outcome.verified()) << c.key << ": " << outcome.message;
    ASSERT_TRUE(outcome.signed_manifest.has_value());
    const std::size_t expected = c.method == SerializationMethod::kShards ? 6 : 4;  // 4 shards
    EXPECT_EQ(outcome.signed_manifest->resources.size(), expected) << c.key;
    // A wrong key fails at the signature.
    const VerifyOutcome wrong = VerifyModel(verify, KeyVerifier(PublicKey("other_p256.pub.pem")));
    EXPECT_EQ(wrong.stage, VerifyStage::kSignature);
    EXPECT_NE(wrong.message.find("key mismatch"), std::string::npos);
    // And a changed shard fails naming it.
    if (c.method == SerializationMethod::kShards) {
      std::string weights(1000, '\x07');
      weights[650] = 0;
      Write(model / "weights" / "w0.bin", weights);
      EXPECT_EQ(VerifyModel(verify, KeyVerifier(PublicKey(c.pub))).diff.modified,
                std::vector<std::string>{"weights/w0.bin:600:900"});
    }
  }
}

TEST(SignVerify, SigningTwiceGivesTheSameStatement) {
  ScratchDir scratch;
  const fs::path model = scratch.path() / "model";
  MakeModel(model);
  SignOptions sign;
  sign.model = model;
  sign.hash.serialization.ignore_paths = {"tokenizer.json"};
  Result<SignResult> first = SignModel(sign, KeySigner(PrivateKey("p256.pem")));
  Result<SignResult> second = SignModel(sign, KeySigner(PrivateKey("p256.pem")));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->statement, second->statement);
  EXPECT_NE(first->statement.find("\"tokenizer.json\""), std::string::npos);  // recorded ignore
  // The bundle has the reference tool's shape.
  EXPECT_EQ(first->bundle.rfind("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\","
                                "\"verificationMaterial\":{\"publicKey\":{\"hint\":\"",
                                0),
            0u);
  EXPECT_NE(first->bundle.find("\"tlogEntries\":[]},\"dsseEnvelope\""), std::string::npos);
  EXPECT_NE(first->bundle.find(",\"keyid\":\"\"}]}}"), std::string::npos);
  EXPECT_NE(first->bundle.back(), '\n');
}

TEST(SignVerify, SingleFileModelsUseTheBasename) {
  ScratchDir scratch;
  const fs::path model = scratch.path() / "weights.bin";
  Write(model, "weights");
  SignOptions sign;
  sign.model = model;
  Result<SignResult> signed_model = SignModel(sign, KeySigner(PrivateKey("p384.pem")));
  ASSERT_TRUE(signed_model.ok()) << signed_model.error().message;
  EXPECT_EQ(signed_model->signature, scratch.path() / "weights.bin.sig");
  EXPECT_EQ(signed_model->manifest.resources[0].name, "weights.bin");
  VerifyOptions verify;
  verify.model = model;
  EXPECT_TRUE(VerifyModel(verify, KeyVerifier(PublicKey("p384.pub.pem"))).verified());
}

TEST(SignVerify, CertificateMethodRoundTrips) {
  ScratchDir scratch;
  const fs::path model = scratch.path() / "model";
  MakeModel(model);
  Result<std::vector<X509Ptr>> leaf = LoadCertificateFiles({Keys() / "signer-p256.pem"});
  Result<std::vector<X509Ptr>> chain = LoadCertificateFiles({Keys() / "int-ca.pem"});
  ASSERT_TRUE(leaf.ok() && chain.ok());
  Result<CertificateSigner> signer =
      CertificateSigner::Create(PrivateKey("p256.pem"), std::move((*leaf)[0]), *chain);
  ASSERT_TRUE(signer.ok()) << signer.error().message;
  SignOptions sign;
  sign.model = model;
  sign.signature = scratch.path() / "out.sig";
  ASSERT_TRUE(SignModel(sign, *signer).ok());
  VerifyOptions verify;
  verify.model = model;
  verify.signature = sign.signature;
  const VerifyOutcome outcome = VerifyModel(
      verify, CertificateVerifier(LoadCertificateFiles({Keys() / "root-ca.pem"}).value()));
  EXPECT_TRUE(outcome.verified()) << outcome.message;
  EXPECT_EQ(outcome.signer->identity, "CN=modelgate test signer");
  // The key verifier refuses a certificate bundle.
  EXPECT_EQ(VerifyModel(verify, KeyVerifier(PublicKey("p256.pub.pem"))).stage,
            VerifyStage::kSignature);
  // A certificate for another key cannot be used to sign.
  Result<std::vector<X509Ptr>> other = LoadCertificateFiles({Keys() / "signer-p521.pem"});
  EXPECT_FALSE(CertificateSigner::Create(PrivateKey("p256.pem"), std::move((*other)[0]), {}).ok());
}

TEST(SignVerify, EmptyModelsAreNotSigned) {
  ScratchDir scratch;
  fs::create_directories(scratch.path() / "empty");
  SignOptions sign;
  sign.model = scratch.path() / "empty";
  EXPECT_FALSE(SignModel(sign, KeySigner(PrivateKey("p256.pem"))).ok());
}

TEST(SignVerify, SignedResourcesAreInByteWiseOrder) {
  // OMS §5.2.1; Python's component-wise path order would put "a/b" first (oms-format-notes §1.8).
  ScratchDir scratch;
  const fs::path model = scratch.path() / "model";
  for (const char* name : {"a/b", "a.b", "a-b", "a b", "a/b/c"}) {
    if (std::string(name) == "a/b") continue;  // "a/b" is a folder holding c
    Write(model / name, name);
  }
  SignOptions sign;
  sign.model = model;
  Result<SignResult> signed_model = SignModel(sign, KeySigner(PrivateKey("p256.pem")));
  ASSERT_TRUE(signed_model.ok()) << signed_model.error().message;
  std::vector<std::string> names;
  for (const Resource& resource : signed_model->manifest.resources) names.push_back(resource.name);
  EXPECT_EQ(names, (std::vector<std::string>{"a b", "a-b", "a.b", "a/b/c"}));
  Result<ParsedStatement> parsed = ParseStatement(ByteView(signed_model->statement));
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->canonical_order);
}

// A method plugged in through SignatureVerifier (as `verify sigstore` is): the flow after the
// signature check is the same for every method.
class StubVerifier : public SignatureVerifier {
 public:
  explicit StubVerifier(bool accept) : accept_(accept) {}
  std::string_view Method() const override { return "stub"; }
  Result<VerifiedSigner> VerifySignature(const Bundle&) const override {
    if (!accept_) return Error::Malformed(0, "stub: untrusted signer");
    VerifiedSigner signer;
    signer.method = "stub";
    signer.identity = "someone@example.invalid";
    return signer;
  }

 private:
  bool accept_;
};

TEST(Verify, PluggedInVerifiersShareTheManifestChecks) {
  ScratchDir scratch;
  const fs::path copy = CopyFixture(scratch, "v1.1.0-certificate");
  VerifyOutcome outcome = VerifyCopy(copy, StubVerifier(true));
  EXPECT_TRUE(outcome.verified()) << outcome.message;
  EXPECT_EQ(outcome.message, "2 resources verified, signed by someone@example.invalid");
  outcome = VerifyCopy(copy, StubVerifier(false));
  EXPECT_EQ(outcome.stage, VerifyStage::kSignature);
  EXPECT_EQ(outcome.message, "stub: untrusted signer");
  Write(copy / "signme-1", "changed");
  outcome = VerifyCopy(copy, StubVerifier(true));
  EXPECT_EQ(outcome.diff.modified, std::vector<std::string>{"signme-1"});
}

}  // namespace
}  // namespace mg::integrity
