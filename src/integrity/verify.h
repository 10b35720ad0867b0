// Verifying a model against its OMS signature (OMS v1.0 §8), for every signing method:
//
//   read the bundle → ParseBundle → verifier.VerifySignature (method-specific: key, certificate,
//   sigstore) → payloadType → ParseStatement → re-hash the model with the statement's
//   serialization → CompareManifests.
//
// The outcome says where it stopped and why, down to the files that differ.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "integrity/hash_model.h"
#include "integrity/manifest.h"
#include "integrity/signature_verifier.h"

namespace mg::integrity {

struct VerifyOptions {
  std::filesystem::path model;
  std::filesystem::path signature;  // empty: DefaultSignaturePath(model)
  // Added to the statement's serialization.ignore_paths (older bundles do not record them).
  std::vector<std::string> ignore_paths;
  // OMS §8.5: files on disk that the manifest does not list are tolerated (the listed ones
  // must still be there and match).
  bool ignore_unsigned_files = false;
  // The statement records whether symbolic links were followed when signing; a signature made
  // following links is only accepted when the user allows it too.
  bool allow_symlinks = false;
  unsigned threads = 0;
  std::uint64_t max_signature_bytes = 64ULL << 20;
};

enum class VerifyStatus {
  kVerified,
  kFailed,  // the model or signature is not what was signed, or the signer is not trusted
  kError,   // could not check: unreadable model or signature file
};

// Where the flow stopped (kDone when verified).
enum class VerifyStage {
  kReadSignature,
  kBundle,
  kSignature,
  kStatement,
  kHashing,
  kManifest,
  kDone
};

struct VerifyOutcome {
  VerifyStatus status = VerifyStatus::kError;
  VerifyStage stage = VerifyStage::kReadSignature;
  std::string message;                   // one sentence: what failed, or what was verified
  std::optional<VerifiedSigner> signer;  // set once the signature verified
  std::optional<Manifest> signed_manifest;
  ManifestDiff diff;  // kManifest failures: the files that differ
  std::vector<std::string> warnings;
  bool verified() const { return status == VerifyStatus::kVerified; }
};

std::string_view VerifyStageName(VerifyStage stage);  // "bundle", "signature", ...

VerifyOutcome VerifyModel(const VerifyOptions& options, const SignatureVerifier& verifier,
                          const ProgressFn& progress = {});

// The part of VerifyModel after the signature check, for callers that already hold a verified
// bundle: statement checks, re-hashing, comparison. `outcome` carries the signer in and the
// result out.
void VerifyPayload(const VerifyOptions& options, const Bundle& bundle, VerifyOutcome& outcome,
                   const ProgressFn& progress = {});

}  // namespace mg::integrity
