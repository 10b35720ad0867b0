#include "cli/verify_common.h"

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/exit_codes.h"
#include "cli/progress.h"
#include "integrity/model_files.h"
#include "integrity/sign.h"
#include "integrity/verify.h"

namespace mg::cli {

namespace {

namespace fs = std::filesystem;
using integrity::VerifyOutcome;
using integrity::VerifyStatus;

constexpr unsigned kMaxThreads = 1024;

std::string_view StatusName(VerifyStatus status) {
  switch (status) {
    case VerifyStatus::kVerified:
      return "verified";
    case VerifyStatus::kFailed:
      return "failed";
    case VerifyStatus::kError:
      return "error";
  }
  return "?";
}

std::string RenderJson(const VerifyArgs& args, const fs::path& signature,
                       const VerifyOutcome& outcome) {
  nlohmann::ordered_json json;
  json["model"] = args.model;
  json["signature"] = signature.string();
  json["verified"] = outcome.verified();
  json["status"] = StatusName(outcome.status);
  json["stage"] = integrity::VerifyStageName(outcome.stage);
  json["message"] = outcome.message;
  if (outcome.signer) {
    json["signer"] = {{"method", outcome.signer->method},
                      {"identity", outcome.signer->identity},
                      {"issuer", outcome.signer->issuer},
                      {"signed_at", outcome.signer->signed_at}};
  } else {
    json["signer"] = nullptr;
  }
  json["modified"] = outcome.diff.modified;
  json["added"] = outcome.diff.added;
  json["removed"] = outcome.diff.removed;
  json["warnings"] = outcome.warnings;
  return json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string RenderText(const VerifyArgs& args, const VerifyOutcome& outcome) {
  const std::string model = integrity::PrintablePath(args.model);
  if (outcome.verified()) {
    const bool timed = outcome.signer && !outcome.signer->signed_at.empty();
    return "verified " + model + ": " + outcome.message +
           (timed ? ", at " + outcome.signer->signed_at : "") + "\n";
  }
  std::string text =
      (outcome.status == VerifyStatus::kError ? "could not verify " : "NOT verified ") + model +
      " (" + std::string(integrity::VerifyStageName(outcome.stage)) + "): " + outcome.message +
      "\n";
  const auto list = [&text](const char* label, const std::vector<std::string>& names) {
    for (const std::string& name : names) {
      text += "  " + std::string(label) + " " + integrity::PrintablePath(name) + "\n";
    }
  };
  list("modified:", outcome.diff.modified);
  list("added:   ", outcome.diff.added);
  list("removed: ", outcome.diff.removed);
  return text;
}

}  // namespace

bool MakeIgnorePathsRelative(const std::string& model, std::vector<std::string>& paths) {
  for (std::string& path : paths) {
    if (path.empty() || path.front() != '/') continue;
    std::error_code error;
    const fs::path inside =
        fs::weakly_canonical(path, error).lexically_relative(fs::weakly_canonical(model, error));
    if (error || inside.empty() || *inside.begin() == "..") {
      std::cerr << "modelgate: --ignore-paths " << path << " is not inside " << model << "\n";
      return false;
    }
    path = inside.generic_string();
  }
  return true;
}

void AddCommonVerifyOptions(CLI::App* command, VerifyArgs& args) {
  command->add_option("MODEL", args.model, "Model folder or single model file")->required();
  command
      ->add_option("--signature", args.signature,
                   "The signature (Sigstore bundle) to check (default MODEL/model.sig for a "
                   "folder, MODEL.sig for a file)")
      ->option_text("FILE");
  command
      ->add_option("--ignore-paths", args.ignore_paths,
                   "More paths to leave out, relative to the model folder (the signature "
                   "records the signer's; older signatures do not)")
      ->allow_extra_args(false)
      ->option_text("PATH (repeatable)");
  command->add_flag("--ignore-unsigned-files", args.ignore_unsigned_files,
                    "Accept files that the signature does not list (listed files must still "
                    "match)");
  command->add_flag("--allow-symlinks", args.allow_symlinks,
                    "Accept a signature made following symbolic links");
  command
      ->add_option("-j,--threads", args.threads,
                   "Hashing threads, 0-1024; 0 (default): one per core")
      ->check(CLI::Range(0u, kMaxThreads))
      ->option_text("N");
  command->add_option("-f,--format", args.format, "text or json (default text)")
      ->check(CLI::IsMember({"text", "json"}))
      ->option_text("FORMAT");
  command->footer(
      "Exit codes: 0 verified; 1 not verified (bad signature, untrusted signer, "
      "changed, added or\nremoved files); 2 usage error or unreadable model or "
      "signature. See docs/signing.md.");
}

int RunVerification(const VerifyArgs& args, const integrity::SignatureVerifier& verifier) {
  integrity::VerifyOptions options;
  options.model = args.model;
  options.signature = args.signature;
  options.ignore_paths = args.ignore_paths;
  if (!MakeIgnorePathsRelative(args.model, options.ignore_paths)) return kExitError;
  options.ignore_unsigned_files = args.ignore_unsigned_files;
  options.allow_symlinks = args.allow_symlinks;
  options.threads = args.threads;
  const VerifyOutcome outcome = [&] {
    ProgressLine progress;  // erased before the outcome is printed
    return integrity::VerifyModel(options, verifier,
                                  [&progress](std::uint64_t done, std::uint64_t total) {
                                    progress.Update(done, total);
                                  });
  }();
  const fs::path signature = args.signature.empty() ? integrity::DefaultSignaturePath(args.model)
                                                    : fs::path(args.signature);
  for (const std::string& warning : outcome.warnings) {
    std::cerr << "modelgate: warning: " << warning << "\n";
  }
  std::cout << (args.format == "json" ? RenderJson(args, signature, outcome)
                                      : RenderText(args, outcome));
  std::cout.flush();
  switch (outcome.status) {
    case VerifyStatus::kVerified:
      return kExitOk;
    case VerifyStatus::kFailed:
      return kExitFindings;
    case VerifyStatus::kError:
      return kExitError;
  }
  return kExitError;
}

}  // namespace mg::cli
