// Options and output shared by the `modelgate verify <method>` subcommands (key, certificate,
// and sigstore in its own file). A method's file adds its own options, builds its
// integrity::SignatureVerifier, and hands it to RunVerification.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "integrity/signature_verifier.h"

namespace mg::cli {

struct VerifyArgs {
  std::string model;
  std::string signature;  // empty: MODEL/model.sig (folder) or MODEL.sig (file)
  std::vector<std::string> ignore_paths;
  bool ignore_unsigned_files = false;
  bool allow_symlinks = false;
  unsigned threads = 0;
  std::string format = "text";
};

// MODEL, --signature, --ignore-paths, --ignore-unsigned-files, --allow-symlinks, --threads,
// --format.
void AddCommonVerifyOptions(CLI::App* command, VerifyArgs& args);

// Runs the verification flow with `verifier`, prints the outcome (text or JSON on stdout,
// warnings on stderr) and returns the exit code: 0 verified, 1 not verified, 2 could not check.
int RunVerification(const VerifyArgs& args, const integrity::SignatureVerifier& verifier);

// `--ignore-paths` entries are relative to the model folder; an absolute path inside it is
// turned into that form. False (with a message on stderr) for a path outside the model.
bool MakeIgnorePathsRelative(const std::string& model, std::vector<std::string>& paths);

// `verify sigstore` lives in verify_sigstore_command.cpp (the keyless verifier); it registers
// under the `verify` command that verify_command.cpp creates.
void AddVerifySigstoreCommand(CLI::App& verify, int& exit_code);

}  // namespace mg::cli
