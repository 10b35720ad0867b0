// `modelgate verify key|certificate [options] MODEL` (docs/cli.md, docs/signing.md): check a
// model against its OpenSSF Model Signing signature.
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/verify_common.h"
#include "integrity/certificates.h"
#include "integrity/keys.h"
#include "integrity/signature_verifier.h"

namespace mg::cli {

namespace {

struct KeyArgs {
  VerifyArgs common;
  std::string public_key;
};

struct CertificateArgs {
  VerifyArgs common;
  std::vector<std::string> cert_chain;
  std::string cert_time = "now";
};

int RunVerifyKey(const KeyArgs& args) {
  Result<integrity::EcKey> key = integrity::LoadPublicKeyFile(args.public_key);
  if (!key.ok()) {
    std::cerr << "modelgate: " << key.error().message << "\n";
    return kExitError;
  }
  return RunVerification(args.common, integrity::KeyVerifier(std::move(*key)));
}

int RunVerifyCertificate(const CertificateArgs& args) {
  std::vector<std::filesystem::path> files(args.cert_chain.begin(), args.cert_chain.end());
  Result<std::vector<integrity::X509Ptr>> anchors = integrity::LoadCertificateFiles(files);
  if (!anchors.ok()) {
    std::cerr << "modelgate: " << anchors.error().message << "\n";
    return kExitError;
  }
  integrity::ChainPolicy policy;
  if (args.cert_time == "not-before") policy.time = integrity::CertificateTime::kLeafNotBefore;
  return RunVerification(args.common, integrity::CertificateVerifier(std::move(*anchors), policy));
}

void AddVerifyKey(CLI::App& verify, int& exit_code) {
  auto args = std::make_shared<KeyArgs>();
  CLI::App* cmd = verify.add_subcommand("key", "Verify a signature made with an EC private key");
  cmd->add_option("--public-key", args->public_key, "The signer's public key (PEM)")
      ->required()
      ->option_text("PEM");
  AddCommonVerifyOptions(cmd, args->common);
  cmd->callback([args, &exit_code] { exit_code = RunVerifyKey(*args); });
}

void AddVerifyCertificate(CLI::App& verify, int& exit_code) {
  auto args = std::make_shared<CertificateArgs>();
  CLI::App* cmd = verify.add_subcommand(
      "certificate", "Verify a signature made with a signing certificate and its CA chain");
  cmd->add_option("--cert-chain", args->cert_chain,
                  "Trusted root (and intermediate) CA certificates, PEM files (several per "
                  "file allowed); nothing else is trusted")
      ->required()
      ->allow_extra_args(false)
      ->option_text("PEM (repeatable)");
  cmd->add_option("--cert-time", args->cert_time,
                  "When the certificates must be valid: now (default, OMS v1.0) or not-before "
                  "(at the signing certificate's notBefore, as model_signing checks)")
      ->check(CLI::IsMember({"now", "not-before"}))
      ->option_text("WHEN");
  AddCommonVerifyOptions(cmd, args->common);
  cmd->callback([args, &exit_code] { exit_code = RunVerifyCertificate(*args); });
}

}  // namespace

void AddVerifyCommand(CLI::App& app, int& exit_code) {
  CLI::App* verify = app.add_subcommand(
      "verify", "Verify a model against its OpenSSF Model Signing (OMS) signature");
  verify->require_subcommand(1);
  AddVerifyKey(*verify, exit_code);
  AddVerifyCertificate(*verify, exit_code);
  AddVerifySigstoreCommand(*verify, exit_code);  // verify_sigstore_command.cpp
}

}  // namespace mg::cli
