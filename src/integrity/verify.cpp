#include "integrity/verify.h"

#include "integrity/keys.h"
#include "integrity/sign.h"
#include "integrity/statement.h"

namespace mg::integrity {

namespace {

void Fail(VerifyOutcome& outcome, VerifyStage stage, std::string message) {
  outcome.status = VerifyStatus::kFailed;
  outcome.stage = stage;
  outcome.message = std::move(message);
}

void Stop(VerifyOutcome& outcome, VerifyStage stage, const Error& error) {
  // An unreadable file is an error of the run, not evidence of tampering.
  outcome.status = error.code == ErrorCode::kIo ? VerifyStatus::kError : VerifyStatus::kFailed;
  outcome.stage = stage;
  outcome.message = error.message;
}

// The hashing options that reproduce the signer's enumeration (OMS §8.4 steps 1-6), plus the
// user's extra ignore paths and the signature file.
HashOptions HashOptionsFor(const VerifyOptions& options, const Manifest& signed_manifest,
                           const std::filesystem::path& signature) {
  HashOptions hash = OptionsToVerify(signed_manifest, options.ignore_unsigned_files);
  for (const std::string& path : options.ignore_paths) {
    hash.serialization.ignore_paths.push_back(path);
  }
  hash.signature_path = signature;
  hash.threads = options.threads;
  return hash;
}

std::string DiffSummary(const ManifestDiff& diff) {
  std::string text;
  const auto list = [&text](const char* label, const std::vector<std::string>& names) {
    if (names.empty()) return;
    if (!text.empty()) text += "; ";
    text += label;
    for (std::size_t i = 0; i < names.size() && i < 10; ++i) text += (i ? ", " : " ") + names[i];
    if (names.size() > 10) text += " and " + std::to_string(names.size() - 10) + " more";
  };
  list("modified:", diff.modified);
  list("added (not signed):", diff.added);
  list("removed (signed, missing):", diff.removed);
  return text;
}

}  // namespace

std::string_view VerifyStageName(VerifyStage stage) {
  switch (stage) {
    case VerifyStage::kReadSignature:
      return "read-signature";
    case VerifyStage::kBundle:
      return "bundle";
    case VerifyStage::kSignature:
      return "signature";
    case VerifyStage::kStatement:
      return "statement";
    case VerifyStage::kHashing:
      return "hashing";
    case VerifyStage::kManifest:
      return "manifest";
    case VerifyStage::kDone:
      return "done";
  }
  return "?";
}

void VerifyPayload(const VerifyOptions& options, const Bundle& bundle, VerifyOutcome& outcome,
                   const ProgressFn& progress) {
  // OMS §8.3 / model_signing: the payload must be an in-toto statement.
  if (bundle.dsse_envelope.payload_type != kInTotoPayloadType) {
    return Fail(outcome, VerifyStage::kStatement,
                "payloadType is \"" + bundle.dsse_envelope.payload_type.substr(0, 80) + "\", not " +
                    std::string(kInTotoPayloadType));
  }
  const Bytes& payload = bundle.dsse_envelope.payload;
  Result<ParsedStatement> statement = ParseStatement(ByteView(payload.data(), payload.size()));
  if (!statement.ok()) return Stop(outcome, VerifyStage::kStatement, statement.error());
  if (outcome.signer && outcome.signer->legacy_encoding && !statement->legacy) {
    return Fail(outcome, VerifyStage::kStatement,
                "the signature uses the model_signing v0.2 encoding but the statement is not a "
                "v0.2 statement");
  }
  if (!statement->canonical_order) {
    outcome.warnings.push_back(
        "resources are not in byte-wise order (OMS §5.2.1); accepted, "
        "as the reference tool writes them");
  }
  Manifest& signed_manifest = statement->manifest;
  if (signed_manifest.serialization.allow_symlinks && !options.allow_symlinks) {
    return Fail(outcome, VerifyStage::kStatement,
                "the model was signed following symbolic links; pass --allow-symlinks to accept "
                "that");
  }
  const std::filesystem::path signature =
      options.signature.empty() ? DefaultSignaturePath(options.model) : options.signature;
  const HashOptions hash = HashOptionsFor(options, signed_manifest, signature);
  Result<Manifest> on_disk = HashModel(options.model, hash, progress);
  outcome.signed_manifest = signed_manifest;
  if (!on_disk.ok()) return Stop(outcome, VerifyStage::kHashing, on_disk.error());
  outcome.diff = CompareManifests(signed_manifest, *on_disk);
  if (options.ignore_unsigned_files) outcome.diff.added.clear();
  if (!outcome.diff.empty()) {
    return Fail(outcome, VerifyStage::kManifest,
                "the model differs from what was signed: " + DiffSummary(outcome.diff));
  }
  outcome.status = VerifyStatus::kVerified;
  outcome.stage = VerifyStage::kDone;
  outcome.message = std::to_string(signed_manifest.resources.size()) +
                    (signed_manifest.resources.size() == 1 ? " resource" : " resources") +
                    " verified, signed by " + (outcome.signer ? outcome.signer->identity : "?");
}

VerifyOutcome VerifyModel(const VerifyOptions& options, const SignatureVerifier& verifier,
                          const ProgressFn& progress) {
  VerifyOutcome outcome;
  const std::filesystem::path signature =
      options.signature.empty() ? DefaultSignaturePath(options.model) : options.signature;
  Result<std::string> text = ReadSmallFile(signature, options.max_signature_bytes);
  if (!text.ok()) {
    Stop(outcome, VerifyStage::kReadSignature, text.error());
    if (text.error().code == ErrorCode::kLimitExceeded) outcome.status = VerifyStatus::kFailed;
    return outcome;
  }
  Result<Bundle> bundle = ParseBundle(ByteView(*text));
  if (!bundle.ok()) {
    Stop(outcome, VerifyStage::kBundle, bundle.error());
    outcome.message = signature.string() + ": " + outcome.message;
    return outcome;
  }
  Result<VerifiedSigner> signer = verifier.VerifySignature(*bundle);
  if (!signer.ok()) {
    Stop(outcome, VerifyStage::kSignature, signer.error());
    return outcome;
  }
  outcome.signer = *signer;
  outcome.warnings = signer->warnings;
  VerifyPayload(options, *bundle, outcome, progress);
  return outcome;
}

}  // namespace mg::integrity
