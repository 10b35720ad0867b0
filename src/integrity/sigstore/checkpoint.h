// Transparency log checkpoints: a signed note (C2SP signed-note) whose text is
// "<origin>\n<tree size>\n<base64 root hash>\n[extension lines\n]" followed by a blank line and
// signature lines "\u2014 <key name> <base64(4-byte key hint || signature)>\n".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "integrity/sigstore/crypto.h"
#include "integrity/sigstore/trusted_root.h"

namespace mg::integrity::sigstore {

struct CheckpointLimits {
  static constexpr std::size_t kMaxEnvelopeBytes = 64 << 10;
  static constexpr std::size_t kMaxSignatures = 16;
  static constexpr std::size_t kMaxExtensionLines = 32;
};

struct NoteSignature {
  std::string name;
  Bytes key_hint;   // 4 bytes
  Bytes signature;  // what follows the hint
};

struct Checkpoint {
  std::string note_text;  // the signed bytes: everything before the blank line, with its '\n'
  std::string origin;
  std::uint64_t tree_size = 0;
  Bytes root_hash;
  std::vector<std::string> extensions;
  std::vector<NoteSignature> signatures;
};

Result<Checkpoint> ParseCheckpoint(std::string_view envelope);

// Verifies the signature whose key hint matches the log: the first four bytes of its logId
// (Rekor v1: SHA-256 of the DER key) or, for Ed25519 notes, the C2SP key id
// SHA-256(name || "\n" || 0x01 || raw key). ECDSA keys verify with SHA-256, Ed25519 directly.
Status VerifyCheckpointSignature(const Checkpoint& checkpoint, const LogKey& log);

}  // namespace mg::integrity::sigstore
