#include "integrity/manifest.h"

#include <openssl/evp.h>

#include <algorithm>
#include <map>

namespace mg::integrity {

std::vector<std::uint8_t> RootDigest(const Manifest& manifest) {
  std::vector<std::uint8_t> root(EVP_MAX_MD_SIZE);
  unsigned int root_size = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1;
  for (const Resource& resource : manifest.resources) {
    ok = ok && EVP_DigestUpdate(ctx, resource.digest.data(), resource.digest.size()) == 1;
  }
  ok = ok && EVP_DigestFinal_ex(ctx, root.data(), &root_size) == 1;
  EVP_MD_CTX_free(ctx);
  // SHA-256 through the default provider cannot fail short of memory exhaustion; an empty
  // result never equals a real root, so a failure can only make verification fail.
  root.resize(ok ? root_size : 0);
  return root;
}

ManifestDiff CompareManifests(const Manifest& signed_manifest, const Manifest& on_disk) {
  std::map<std::string, const Resource*> expected;
  for (const Resource& resource : signed_manifest.resources) expected[resource.name] = &resource;
  ManifestDiff diff;
  for (const Resource& actual : on_disk.resources) {
    const auto it = expected.find(actual.name);
    if (it == expected.end()) {
      diff.added.push_back(actual.name);
      continue;
    }
    if (it->second->digest != actual.digest || it->second->algorithm != actual.algorithm) {
      diff.modified.push_back(actual.name);
    }
    expected.erase(it);
  }
  for (const auto& [name, resource] : expected) diff.removed.push_back(name);
  std::sort(diff.modified.begin(), diff.modified.end());
  std::sort(diff.added.begin(), diff.added.end());
  return diff;  // `removed` comes out of the map already sorted
}

std::string HashAlgorithmName(HashAlgorithm algorithm) {
  return algorithm == HashAlgorithm::kSha256 ? "sha256" : "blake2b";
}

std::optional<HashAlgorithm> ParseHashAlgorithmName(std::string_view name) {
  if (name == "sha256") return HashAlgorithm::kSha256;
  if (name == "blake2b") return HashAlgorithm::kBlake2b;
  return std::nullopt;
}

}  // namespace mg::integrity
