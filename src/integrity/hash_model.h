// Hashing a model (a folder or a single file) into an OMS manifest (OMS v1.0 §6.1-§6.5).
//
//   HashOptions options;
//   options.serialization.method = SerializationMethod::kShards;   // default kFiles
//   options.signature_path = "model/model.sig";                     // never hashed
//   Result<Manifest> manifest = HashModel("model", options, progress);
//
// The manifest's resources are in byte-wise order of name (OMS §5.2.1); its serialization is a
// copy of options.serialization with `ignore_paths` replaced by every path that was excluded
// (git defaults, user paths, the signature file when inside the model), sorted byte-wise, as a
// signer records them (OMS §6.2; empty for a single-file model). model_name is the basename of
// the model path, made printable.
//
// Enumeration rules (docs/hashing.md, "What is hashed"):
// - Folder: every regular file below it, names relative POSIX paths ("d/f.bin", no "./").
//   Single file: the resource name is its basename (OMS §6.1.2 rule 5), or "." with
//   SingleFileName::kDot as the reference Python tool writes it.
// - Excluded: `.git`, `.gitattributes`, `.github`, `.gitignore` at the model root only (unless
//   ignore_git_paths is false); each user ignore path (relative to the model root; it excludes
//   that path and its subtree: "model.sig" does not exclude "model.sig2"); the signature file.
// - Symlinks: an error naming the link unless serialization.allow_symlinks. When allowed, a link
//   to a file is hashed under the link's name; a link to a folder is traversed; a link that leads
//   back to a folder being traversed (a cycle) is an error; a target outside the model root is
//   reported through on_warning. A single-file model that is a link needs allow_symlinks; the
//   model folder itself may be a link.
// - Errors naming the path: non-UTF-8 names (OMS §6.1.2 rule 7), FIFOs, sockets, devices,
//   broken links, unreadable files, a file that changes size while it is hashed, and an empty
//   model (no resource) unless allow_empty.
// - Limits: at most kMaxModelFiles files and kMaxModelDepth nested folders.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "integrity/manifest.h"

namespace mg::integrity {

inline constexpr std::size_t kMaxModelFiles = 1'000'000;
inline constexpr int kMaxModelDepth = 256;

enum class SingleFileName {
  kBasename,  // OMS v1.0 and the Go implementation: "model.bin"
  kDot,       // the Python reference tool (<= 1.1): "." and ".:0:22"
};

// Called on the thread that called HashModel, about every 100 ms and once at the end.
using ProgressFn = std::function<void(std::uint64_t bytes_done, std::uint64_t bytes_total)>;
using WarningFn = std::function<void(const std::string& message)>;

struct HashOptions {
  // Method, hash, shard size and symlink policy. `ignore_paths` holds the user's extra
  // exclusions: relative POSIX paths from the model root, no "..", no leading "/", no glob
  // characters (OMS §6.2.1); "./" prefixes and doubled slashes are tolerated and normalised.
  Serialization serialization;
  bool ignore_git_paths = true;
  // The signature file: excluded when it lies inside the model folder (any form: relative to
  // the working directory or absolute). Empty: none.
  std::filesystem::path signature_path;
  SingleFileName single_file_name = SingleFileName::kBasename;
  // --ignore-unsigned-files: hash only these files (file names as in a files manifest, i.e.
  // without the ":start:end" suffix of shards; see ResourceFilePath). A listed file that does
  // not exist is left out of the manifest (CompareManifests then reports it as removed).
  std::optional<std::vector<std::string>> files_to_hash;
  unsigned threads = 0;      // 0: std::thread::hardware_concurrency()
  bool allow_empty = false;  // signing must reject an empty model (OMS §6.1 rule 1)
  WarningFn on_warning;      // symlink targets outside the model root; may be empty
};

Result<Manifest> HashModel(const std::filesystem::path& model, const HashOptions& options,
                           const ProgressFn& progress = {});

// Options that hash a model again the way `signed_manifest` was made, for verification: its
// serialization (method, hash, shard size, symlink policy, recorded ignore_paths), the "." name
// form when the manifest uses it, allow_empty (whether an empty signed manifest is acceptable
// is the verifier's call), and with `ignore_unsigned_files` a files_to_hash of the files it
// names. The caller adds signature_path, threads and on_warning.
HashOptions OptionsToVerify(const Manifest& signed_manifest, bool ignore_unsigned_files);

// The resource `algorithm` string: "sha256" for files, "sha256-sharded-<N>" for shards (what the
// Python and Go implementations write and verify; docs/hashing.md explains the choice).
std::string ResourceAlgorithm(const Serialization& serialization);

// The file a resource covers: the name itself for files; for shards the name without its last
// two ":"-separated decimal components (OMS §6.3.2: paths may contain ':'). nullopt when a shard
// name lacks them.
std::optional<std::string> ResourceFilePath(const std::string& resource_name,
                                            SerializationMethod method);

// Lowercase hex of raw bytes ("sha256:" + HexDigest(RootDigest(m)) is how the CLI prints a root).
std::string HexDigest(const std::vector<std::uint8_t>& digest);

}  // namespace mg::integrity
