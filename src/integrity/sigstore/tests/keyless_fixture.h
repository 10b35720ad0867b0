// The committed keyless fixtures (copies of ../shared/fixtures/oms, made by model_signing with
// sigstore-python against the public-good instance), read field by field for the unit tests of
// the individual checks. The end-to-end tests parse them with ParseBundle instead.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/json.h"
#include "integrity/encoding.h"
#include "integrity/sigstore/crypto.h"
#include "integrity/sigstore/trusted_root.h"
#include "support/test_paths.h"

namespace mg::integrity::sigstore::test {

inline const std::vector<std::string>& KeylessVersions() {
  static const std::vector<std::string> kVersions = {"v0.3.1", "v1.0.0", "v1.0.1", "v1.1.0"};
  return kVersions;
}

inline std::filesystem::path SigstoreTestData() {
  return mg::test::SourceDir() / "src" / "integrity" / "testdata" / "sigstore";
}

inline std::filesystem::path KeylessModelDir(const std::string& version) {
  return SigstoreTestData() / (version + "-sigstore");
}

inline TrustedRoot LoadTrustedRoot(const std::string& file) {
  const std::string text = mg::test::ReadFile(SigstoreTestData() / file);
  auto root = ParseTrustedRoot(ByteView(text));
  return root ? std::move(*root) : TrustedRoot{};
}
inline TrustedRoot PublicGoodRoot() {
  return LoadTrustedRoot("sigstore-public-good-trusted_root.json");
}
inline TrustedRoot StagingRoot() { return LoadTrustedRoot("sigstore-staging-trusted_root.json"); }

inline Bytes B64(const Json& value) {
  return Base64Decode(value.get<std::string>()).value_or(Bytes{});
}
inline std::int64_t Int(const Json& value) { return std::stoll(value.get<std::string>()); }

// The raw fields of one keyless bundle.
struct KeylessFixture {
  Json bundle;
  Bytes leaf_der;
  Bytes signature;
  Bytes payload;
  std::string body_base64;
  Bytes body;
  std::int64_t log_index = 0;
  Bytes log_id;
  std::int64_t integrated_time = 0;
  Bytes signed_entry_timestamp;
  std::int64_t proof_index = 0;
  std::int64_t tree_size = 0;
  Bytes root_hash;
  std::vector<Bytes> proof;
  std::string checkpoint;
  std::vector<Bytes> timestamps;

  const Json& Entry() const { return bundle["verificationMaterial"]["tlogEntries"][0]; }
};

inline KeylessFixture LoadKeyless(const std::string& version) {
  KeylessFixture fixture;
  const std::string text = mg::test::ReadFile(KeylessModelDir(version) / "model.sig");
  auto document = ParseJson(ByteView(text));
  if (!document) return fixture;
  fixture.bundle = document->value;
  const Json& material = fixture.bundle["verificationMaterial"];
  fixture.leaf_der = B64(material["certificate"]["rawBytes"]);
  fixture.signature = B64(fixture.bundle["dsseEnvelope"]["signatures"][0]["sig"]);
  fixture.payload = B64(fixture.bundle["dsseEnvelope"]["payload"]);
  const Json& entry = fixture.Entry();
  fixture.body_base64 = entry["canonicalizedBody"].get<std::string>();
  fixture.body = B64(entry["canonicalizedBody"]);
  fixture.log_index = Int(entry["logIndex"]);
  fixture.log_id = B64(entry["logId"]["keyId"]);
  fixture.integrated_time = Int(entry["integratedTime"]);
  fixture.signed_entry_timestamp = B64(entry["inclusionPromise"]["signedEntryTimestamp"]);
  const Json& proof = entry["inclusionProof"];
  fixture.proof_index = Int(proof["logIndex"]);
  fixture.tree_size = Int(proof["treeSize"]);
  fixture.root_hash = B64(proof["rootHash"]);
  for (const Json& hash : proof["hashes"]) fixture.proof.push_back(B64(hash));
  fixture.checkpoint = proof["checkpoint"]["envelope"].get<std::string>();
  const Json& timestamps = material["timestampVerificationData"];
  if (timestamps.contains("rfc3161Timestamps")) {
    for (const Json& token : timestamps["rfc3161Timestamps"]) {
      fixture.timestamps.push_back(B64(token["signedTimestamp"]));
    }
  }
  return fixture;
}

// The issuing (intermediate) certificate of the current public-good Fulcio CA.
inline X509Ptr FulcioIntermediate(const TrustedRoot& root) {
  return ParseCertificateDer(View(root.certificate_authorities.back().chain_der.front()));
}

}  // namespace mg::integrity::sigstore::test
