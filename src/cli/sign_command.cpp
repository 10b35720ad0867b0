// `modelgate sign key|certificate [options] MODEL` (docs/cli.md, docs/signing.md): hash a model
// and write its OpenSSF Model Signing signature (a Sigstore bundle) beside it.
#include <openssl/crypto.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/progress.h"
#include "cli/verify_common.h"
#include "integrity/certificates.h"
#include "integrity/hash_model.h"
#include "integrity/keys.h"
#include "integrity/model_files.h"
#include "integrity/sign.h"

namespace mg::cli {

namespace {

namespace fs = std::filesystem;
using integrity::SerializationMethod;

constexpr unsigned kMaxThreads = 1024;

struct SignArgs {
  std::string model;
  std::string signature;
  std::string private_key;
  std::string passphrase_file;
  std::string passphrase_env;
  std::string serialization = "files";
  std::uint64_t shard_size = 1'000'000'000;
  std::string hash = "sha256";
  std::vector<std::string> ignore_paths;
  bool no_ignore_git_paths = false;
  bool allow_symlinks = false;
  std::string single_file_name = "basename";
  unsigned threads = 0;
  std::string format = "text";
  // certificate method
  std::string signing_cert;
  std::vector<std::string> cert_chain;
};

Result<integrity::EcKey> LoadSigningKey(const SignArgs& args) {
  integrity::PassphraseSource source;
  if (!args.passphrase_file.empty()) source.file = args.passphrase_file;
  if (!args.passphrase_env.empty()) source.env_name = args.passphrase_env;
  Result<std::optional<std::string>> passphrase = integrity::ReadPassphrase(source);
  if (!passphrase.ok()) return passphrase.error();
  Result<integrity::EcKey> key = integrity::LoadPrivateKeyFile(args.private_key, *passphrase);
  if (passphrase->has_value()) OPENSSL_cleanse((*passphrase)->data(), (*passphrase)->size());
  return key;
}

std::string Render(const SignArgs& args, const integrity::SignResult& result) {
  const std::string root = integrity::HexDigest(integrity::RootDigest(result.manifest));
  if (args.format == "json") {
    nlohmann::ordered_json json = {{"model", args.model},
                                   {"signature", result.signature.string()},
                                   {"resources", result.manifest.resources.size()},
                                   {"root_digest", "sha256:" + root}};
    return json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  }
  const std::size_t count = result.manifest.resources.size();
  return "signed " + integrity::PrintablePath(args.model) + ": " + std::to_string(count) +
         (count == 1 ? " resource" : " resources") + ", root sha256:" + root +
         "\nsignature written to " + integrity::PrintablePath(result.signature.string()) + "\n";
}

int RunSign(SignArgs args, const integrity::Signer& signer) {
  integrity::SignOptions options;
  options.model = args.model;
  options.signature = args.signature;
  integrity::Serialization& serialization = options.hash.serialization;
  serialization.method =
      args.serialization == "shards" ? SerializationMethod::kShards : SerializationMethod::kFiles;
  serialization.hash = *integrity::ParseHashAlgorithmName(args.hash);
  serialization.shard_size = args.shard_size;
  serialization.allow_symlinks = args.allow_symlinks;
  if (!MakeIgnorePathsRelative(args.model, args.ignore_paths)) return kExitError;
  serialization.ignore_paths = args.ignore_paths;
  options.hash.ignore_git_paths = !args.no_ignore_git_paths;
  options.hash.single_file_name = args.single_file_name == "dot"
                                      ? integrity::SingleFileName::kDot
                                      : integrity::SingleFileName::kBasename;
  options.hash.threads = args.threads;
  options.hash.on_warning = [](const std::string& message) {
    std::cerr << "modelgate: warning: " << message << "\n";
  };
  Result<integrity::SignResult> result = [&] {
    ProgressLine progress;  // erased before the result is printed
    return integrity::SignModel(options, signer, [&progress](std::uint64_t done,
                                                              std::uint64_t total) {
      progress.Update(done, total);
    });
  }();
  if (!result.ok()) {
    std::cerr << "modelgate: " << result.error().message << "\n";
    return kExitError;
  }
  std::cout << Render(args, *result);
  return kExitOk;
}

int RunSignKey(const SignArgs& args) {
  Result<integrity::EcKey> key = LoadSigningKey(args);
  if (!key.ok()) {
    std::cerr << "modelgate: " << key.error().message << "\n";
    return kExitError;
  }
  return RunSign(args, integrity::KeySigner(std::move(*key)));
}

int RunSignCertificate(const SignArgs& args) {
  Result<integrity::EcKey> key = LoadSigningKey(args);
  Result<std::vector<integrity::X509Ptr>> leaf =
      integrity::LoadCertificateFiles({fs::path(args.signing_cert)});
  std::vector<fs::path> chain_files(args.cert_chain.begin(), args.cert_chain.end());
  Result<std::vector<integrity::X509Ptr>> chain = integrity::LoadCertificateFiles(chain_files);
  for (const Error* error : {key.ok() ? nullptr : &key.error(), leaf.ok() ? nullptr : &leaf.error(),
                             chain.ok() || chain_files.empty() ? nullptr : &chain.error()}) {
    if (error != nullptr) {
      std::cerr << "modelgate: " << error->message << "\n";
      return kExitError;
    }
  }
  if (leaf->size() != 1) {
    std::cerr << "modelgate: --signing-cert must hold exactly one certificate (give the CA "
                 "certificates with --cert-chain)\n";
    return kExitError;
  }
  std::vector<integrity::X509Ptr> intermediates;
  if (!chain_files.empty()) intermediates = std::move(*chain);
  Result<integrity::CertificateSigner> signer = integrity::CertificateSigner::Create(
      std::move(*key), std::move(leaf->front()), intermediates);
  if (!signer.ok()) {
    std::cerr << "modelgate: " << signer.error().message << "\n";
    return kExitError;
  }
  return RunSign(args, *signer);
}

void AddSigningOptions(CLI::App* cmd, SignArgs& args) {
  cmd->add_option("MODEL", args.model, "Model folder or single model file")->required();
  cmd->add_option("--private-key", args.private_key,
                  "EC private key (PEM: PKCS#8 or SEC1; P-256, P-384 or P-521)")
      ->required()
      ->option_text("PEM");
  cmd->add_option("--private-key-passphrase-file", args.passphrase_file,
                  "File holding the passphrase of an encrypted private key (one trailing "
                  "newline ignored)")
      ->option_text("FILE");
  cmd->add_option("--private-key-passphrase-env", args.passphrase_env,
                  "Environment variable holding that passphrase")
      ->option_text("NAME");
  cmd->add_option("--signature", args.signature,
                  "Where to write the signature (default MODEL/model.sig for a folder, "
                  "MODEL.sig for a file); never hashed")
      ->option_text("FILE");
  cmd->add_option("--serialization", args.serialization,
                  "files (one digest per file) or shards (one per --shard-size bytes) "
                  "(default files)")
      ->check(CLI::IsMember({"files", "shards"}))
      ->option_text("METHOD");
  cmd->add_option("--shard-size", args.shard_size, "Bytes per shard (default 1000000000)")
      ->check(CLI::Range(std::uint64_t{1}, ~std::uint64_t{0}))
      ->option_text("N");
  cmd->add_option("--hash", args.hash, "sha256 or blake2b (default sha256)")
      ->check(CLI::IsMember({"sha256", "blake2b"}))
      ->option_text("ALGORITHM");
  cmd->add_option("--ignore-paths", args.ignore_paths,
                  "Paths to leave out, relative to the model folder (recorded in the "
                  "signature)")
      ->allow_extra_args(false)
      ->option_text("PATH (repeatable)");
  cmd->add_flag("--no-ignore-git-paths", args.no_ignore_git_paths,
                "Sign .git, .gitattributes, .github and .gitignore at the model root too");
  cmd->add_flag("--allow-symlinks", args.allow_symlinks,
                "Follow symbolic links (without it a link is an error)");
  cmd->add_option("--single-file-name", args.single_file_name,
                  "Resource name of a single-file model: basename (OMS v1.0) or dot (\".\", "
                  "for model_signing <= 1.1 verifiers) (default basename)")
      ->check(CLI::IsMember({"basename", "dot"}))
      ->option_text("FORM");
  cmd->add_option("-j,--threads", args.threads, "Hashing threads, 0-1024; 0: one per core")
      ->check(CLI::Range(0u, kMaxThreads))
      ->option_text("N");
  cmd->add_option("-f,--format", args.format, "text or json (default text)")
      ->check(CLI::IsMember({"text", "json"}))
      ->option_text("FORMAT");
  cmd->footer(
      "Exit codes: 0 signed; 2 usage error, unreadable key or model, symbolic link "
      "not allowed, empty model.\nSee docs/signing.md.");
}

}  // namespace

void AddSignCommand(CLI::App& app, int& exit_code) {
  CLI::App* sign = app.add_subcommand("sign", "Sign a model with OpenSSF Model Signing (OMS v1.0)");
  sign->require_subcommand(1);

  auto key_args = std::make_shared<SignArgs>();
  CLI::App* key = sign->add_subcommand("key", "Sign with an EC private key");
  AddSigningOptions(key, *key_args);
  key->callback([key_args, &exit_code] { exit_code = RunSignKey(*key_args); });

  auto cert_args = std::make_shared<SignArgs>();
  CLI::App* cert = sign->add_subcommand("certificate",
                                        "Sign with an EC private key and its signing certificate");
  AddSigningOptions(cert, *cert_args);
  cert->add_option("--signing-cert", cert_args->signing_cert,
                   "The certificate of the private key (PEM)")
      ->required()
      ->option_text("PEM");
  cert->add_option("--cert-chain", cert_args->cert_chain,
                   "Intermediate CA certificates to include in the signature (PEM files)")
      ->allow_extra_args(false)
      ->option_text("PEM (repeatable)");
  cert->callback([cert_args, &exit_code] { exit_code = RunSignCertificate(*cert_args); });
}

}  // namespace mg::cli
