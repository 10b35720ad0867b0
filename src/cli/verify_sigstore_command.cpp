// `modelgate verify sigstore --identity ID --identity-provider URL [--trust-root FILE] MODEL`
// (docs/signing.md, docs/cli.md): check a Sigstore keyless signature fully offline against a
// pinned trusted root: the compiled-in public-good root unless --trust-root names another.
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/verify_common.h"
#include "integrity/keys.h"
#include "integrity/sigstore/trusted_root.h"
#include "integrity/sigstore/verify_sigstore.h"

namespace mg::cli {
namespace {

struct SigstoreArgs {
  VerifyArgs common;
  std::string identity;
  std::string identity_provider;
  std::string trust_root;  // empty: the compiled-in public-good root
};

int RunVerifySigstore(const SigstoreArgs& args) {
  auto root = integrity::sigstore::LoadTrustedRoot(args.trust_root);
  if (!root.ok()) {
    std::cerr << "modelgate: " << root.error().message << "\n";
    return kExitError;
  }
  const integrity::sigstore::SigstoreVerifier verifier(std::move(*root),
                                                       {args.identity, args.identity_provider});
  return RunVerification(args.common, verifier);
}

}  // namespace

void AddVerifySigstoreCommand(CLI::App& verify, int& exit_code) {
  auto args = std::make_shared<SigstoreArgs>();
  CLI::App* cmd = verify.add_subcommand(
      "sigstore", "Verify a Sigstore keyless signature offline (Fulcio certificate, Rekor entry)");
  cmd->add_option("--identity", args->identity,
                  "The signer's identity as in the certificate (e-mail, URI or username); "
                  "compared exactly")
      ->required()
      ->option_text("ID");
  cmd->add_option("--identity-provider", args->identity_provider,
                  "The OIDC issuer that vouched for the identity, e.g. "
                  "https://accounts.google.com; compared exactly")
      ->required()
      ->option_text("URL");
  cmd->add_option("--trust-root", args->trust_root,
                  "A Sigstore trusted_root.json to trust instead of the public-good root built "
                  "into modelgate (never fetched from the network)")
      ->option_text("FILE");
  AddCommonVerifyOptions(cmd, args->common);
  cmd->callback([args, &exit_code] { exit_code = RunVerifySigstore(*args); });
}

}  // namespace mg::cli
