// `modelgate hash MODEL`: the OMS manifest of a model folder or file (docs/cli.md,
// docs/hashing.md).

#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "integrity/hash_model.h"
#include "integrity/model_files.h"

namespace mg::cli {
namespace {

namespace fs = std::filesystem;
using integrity::HashOptions;
using integrity::Manifest;
using integrity::SerializationMethod;

constexpr unsigned kMaxThreads = 1024;

struct HashArgs {
  std::string model;
  std::string serialization = "files";
  std::uint64_t shard_size = 1'000'000'000;
  std::string hash = "sha256";
  std::vector<std::string> ignore_paths;
  bool no_ignore_git_paths = false;
  bool allow_symlinks = false;
  std::string signature;
  std::string single_file_name = "basename";
  unsigned threads = 0;
  std::string format = "text";
  std::string output;
};

// --ignore-paths are relative to the model folder; an absolute path inside it is accepted too.
bool ToModelRelative(const fs::path& model, std::string& path) {
  if (path.empty() || path.front() != '/') return true;
  std::error_code error;
  const fs::path inside =
      fs::weakly_canonical(path, error).lexically_relative(fs::weakly_canonical(model, error));
  if (error || inside.empty() || *inside.begin() == "..") {
    std::cerr << "modelgate: --ignore-paths " << path << " is not inside " << model.string()
              << "\n";
    return false;
  }
  path = inside.generic_string();
  return true;
}

std::string SerializationLine(const integrity::Serialization& s) {
  std::string line = "serialization: method=";
  line += s.method == SerializationMethod::kShards ? "shards" : "files";
  line += " hash_type=" + integrity::HashAlgorithmName(s.hash);
  if (s.method == SerializationMethod::kShards) {
    line += " shard_size=" + std::to_string(s.shard_size);
  }
  line += s.allow_symlinks ? " allow_symlinks=true" : " allow_symlinks=false";
  return line;
}

std::string RenderText(const Manifest& manifest) {
  std::string text = SerializationLine(manifest.serialization) + "\n";
  text += "root: sha256:" + integrity::HexDigest(integrity::RootDigest(manifest)) + "\n";
  for (const integrity::Resource& resource : manifest.resources) {
    text += integrity::HexDigest(resource.digest) + "  " + integrity::PrintablePath(resource.name) +
            "\n";
  }
  return text;
}

std::string RenderJson(const Manifest& manifest) {
  const integrity::Serialization& s = manifest.serialization;
  nlohmann::ordered_json serialization = {
      {"method", s.method == SerializationMethod::kShards ? "shards" : "files"},
      {"hash_type", integrity::HashAlgorithmName(s.hash)}};
  if (s.method == SerializationMethod::kShards) serialization["shard_size"] = s.shard_size;
  serialization["allow_symlinks"] = s.allow_symlinks;
  serialization["ignore_paths"] = s.ignore_paths;
  nlohmann::ordered_json resources = nlohmann::ordered_json::array();
  for (const integrity::Resource& resource : manifest.resources) {
    resources.push_back({{"name", resource.name},
                         {"algorithm", resource.algorithm},
                         {"digest", integrity::HexDigest(resource.digest)}});
  }
  const nlohmann::ordered_json document = {
      {"model_name", manifest.model_name},
      {"serialization", serialization},
      {"root_digest", "sha256:" + integrity::HexDigest(integrity::RootDigest(manifest))},
      {"resources", resources}};
  return document.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

int RunHash(HashArgs args) {
  HashOptions options;
  options.serialization.method =
      args.serialization == "shards" ? SerializationMethod::kShards : SerializationMethod::kFiles;
  options.serialization.hash = *integrity::ParseHashAlgorithmName(args.hash);
  options.serialization.shard_size = args.shard_size;
  options.serialization.allow_symlinks = args.allow_symlinks;
  for (std::string& path : args.ignore_paths) {
    if (!ToModelRelative(args.model, path)) return kExitError;
  }
  options.serialization.ignore_paths = args.ignore_paths;
  options.ignore_git_paths = !args.no_ignore_git_paths;
  options.signature_path = args.signature;
  options.single_file_name = args.single_file_name == "dot" ? integrity::SingleFileName::kDot
                                                            : integrity::SingleFileName::kBasename;
  options.threads = args.threads;
  options.on_warning = [](const std::string& message) {
    std::cerr << "modelgate: warning: " << message << "\n";
  };
  Result<Manifest> manifest = [&] {
    ProgressLine progress;
    return integrity::HashModel(
        args.model, options,
        [&progress](std::uint64_t done, std::uint64_t total) { progress.Update(done, total); });
  }();
  if (!manifest) {
    std::cerr << "modelgate: " << manifest.error().message << "\n";
    return kExitError;
  }
  const std::string text = args.format == "json" ? RenderJson(*manifest) : RenderText(*manifest);
  return WriteOutput(args.output, text) ? kExitOk : kExitError;
}

}  // namespace

void AddHashCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<HashArgs>();
  CLI::App* cmd = app.add_subcommand(
      "hash", "Print the OpenSSF Model Signing manifest of a model: one digest per file or shard");
  cmd->add_option("MODEL", args->model, "Model folder or single model file")->required();
  cmd->add_option("--serialization", args->serialization,
                  "files (one digest per file) or shards (one per --shard-size bytes of each "
                  "file; faster on a few large files) (default files)")
      ->check(CLI::IsMember({"files", "shards"}))
      ->option_text("METHOD");
  cmd->add_option("--shard-size", args->shard_size,
                  "Bytes per shard, a positive integer (default 1000000000)")
      ->check(CLI::Range(std::uint64_t{1}, ~std::uint64_t{0}))
      ->option_text("N");
  cmd->add_option("--hash", args->hash, "sha256 or blake2b (BLAKE2b-512) (default sha256)")
      ->check(CLI::IsMember({"sha256", "blake2b"}))
      ->option_text("ALGORITHM");
  cmd->add_option("--ignore-paths", args->ignore_paths,
                  "Paths to leave out, relative to the model folder (each excludes that path "
                  "and everything below it)")
      ->allow_extra_args(false)
      ->option_text("PATH (repeatable)");
  cmd->add_flag("--no-ignore-git-paths", args->no_ignore_git_paths,
                "Hash .git, .gitattributes, .github and .gitignore at the model root too");
  cmd->add_flag("--allow-symlinks", args->allow_symlinks,
                "Follow symbolic links (files hashed under the link's name, folders walked); "
                "without it a link is an error");
  cmd->add_option("--signature", args->signature,
                  "A signature file to leave out when it lies inside the model folder")
      ->option_text("FILE");
  cmd->add_option("--single-file-name", args->single_file_name,
                  "Resource name of a single-file model: basename (OMS v1.0) or dot (\".\", as "
                  "the Python model_signing tool writes it) (default basename)")
      ->check(CLI::IsMember({"basename", "dot"}))
      ->option_text("FORM");
  cmd->add_option("-j,--threads", args->threads,
                  "Hashing threads, 0-1024; 0 (default): one per core")
      ->check(CLI::Range(0u, kMaxThreads))
      ->option_text("N");
  cmd->add_option("-f,--format", args->format, "text or json (default text)")
      ->check(CLI::IsMember({"text", "json"}))
      ->option_text("FORMAT");
  cmd->add_option("-o,--output", args->output, "Write the manifest to FILE instead of stdout")
      ->option_text("FILE");
  cmd->footer(
      "Exit codes: 0 manifest printed; 2 usage error, unreadable model, symbolic link "
      "not allowed,\nspecial file or empty model. See docs/cli.md and docs/hashing.md.");
  cmd->callback([args, &exit_code] { exit_code = RunHash(*args); });
}

}  // namespace mg::cli
