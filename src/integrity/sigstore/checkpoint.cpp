#include "integrity/sigstore/checkpoint.h"

#include <algorithm>

#include "core/checked_math.h"
#include "integrity/encoding.h"

namespace mg::integrity::sigstore {
namespace {

constexpr std::string_view kEmDashSpace = "\xE2\x80\x94 ";  // U+2014 then a space
constexpr std::size_t kKeyHintBytes = 4;

Error Bad(const std::string& what) { return Error::Malformed(0, "checkpoint: " + what); }

// Splits `text` (which ends with '\n') into its lines without the terminators.
std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    lines.push_back(text.substr(0, end));
    text.remove_prefix(end + 1);
  }
  return lines;
}

std::optional<std::uint64_t> ParseDecimal(std::string_view text) {
  if (text.empty() || text.size() > 20 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  std::uint64_t value = 0;
  for (char digit : text) {
    if (digit < '0' || digit > '9') return std::nullopt;
    const auto times_ten = CheckedMul(value, 10);
    const auto next =
        times_ten ? CheckedAdd(*times_ten, static_cast<std::uint64_t>(digit - '0')) : std::nullopt;
    if (!next) return std::nullopt;
    value = *next;
  }
  return value;
}

Result<NoteSignature> ParseSignatureLine(std::string_view line) {
  if (line.substr(0, kEmDashSpace.size()) != kEmDashSpace) {
    return Bad("signature line does not start with an em dash");
  }
  line.remove_prefix(kEmDashSpace.size());
  const std::size_t space = line.rfind(' ');
  if (space == std::string_view::npos || space == 0) return Bad("signature line has no key name");
  NoteSignature signature;
  signature.name = std::string(line.substr(0, space));
  auto decoded = Base64Decode(line.substr(space + 1));
  if (!decoded || decoded->size() <= kKeyHintBytes) return Bad("signature is not base64");
  signature.key_hint.assign(decoded->begin(), decoded->begin() + kKeyHintBytes);
  signature.signature.assign(decoded->begin() + kKeyHintBytes, decoded->end());
  return signature;
}

// C2SP signed-note key id of an Ed25519 key: SHA-256(name || "\n" || 0x01 || key)[:4].
Bytes Ed25519NoteKeyHint(const std::string& name, EVP_PKEY* key) {
  std::uint8_t raw[32];
  std::size_t raw_length = sizeof(raw);
  if (EVP_PKEY_get_raw_public_key(key, raw, &raw_length) != 1 || raw_length != sizeof(raw)) {
    return {};
  }
  std::string input = name + "\n";
  input.push_back('\x01');
  input.append(reinterpret_cast<const char*>(raw), raw_length);
  Bytes digest = Sha256(input);
  digest.resize(kKeyHintBytes);
  return digest;
}

}  // namespace

Result<Checkpoint> ParseCheckpoint(std::string_view envelope) {
  if (envelope.size() > CheckpointLimits::kMaxEnvelopeBytes) {
    return Error::Limit(0, "checkpoint: larger than 64 KiB");
  }
  const std::size_t blank = envelope.find("\n\n");
  if (blank == std::string_view::npos) return Bad("no blank line before the signatures");
  Checkpoint checkpoint;
  checkpoint.note_text = std::string(envelope.substr(0, blank + 1));
  const std::vector<std::string_view> lines = Lines(checkpoint.note_text);
  if (lines.size() < 3) return Bad("fewer than three note lines");
  if (lines.size() - 3 > CheckpointLimits::kMaxExtensionLines) {
    return Error::Limit(0, "checkpoint: more than 32 extension lines");
  }
  checkpoint.origin = std::string(lines[0]);
  if (checkpoint.origin.empty()) return Bad("empty origin line");
  const auto tree_size = ParseDecimal(lines[1]);
  if (!tree_size) return Bad("tree size is not a decimal number");
  checkpoint.tree_size = *tree_size;
  auto root = Base64Decode(lines[2]);
  if (!root || root->size() != 32) return Bad("root hash is not 32 bytes of base64");
  checkpoint.root_hash = std::move(*root);
  for (std::size_t i = 3; i < lines.size(); ++i) checkpoint.extensions.emplace_back(lines[i]);

  const std::string_view signature_text = envelope.substr(blank + 2);
  if (signature_text.empty() || signature_text.back() != '\n') {
    return Bad("signature block does not end with a newline");
  }
  for (std::string_view line : Lines(signature_text)) {
    if (checkpoint.signatures.size() == CheckpointLimits::kMaxSignatures) {
      return Error::Limit(0, "checkpoint: more than 16 signatures");
    }
    auto signature = ParseSignatureLine(line);
    if (!signature) return signature.error();
    checkpoint.signatures.push_back(std::move(*signature));
  }
  return checkpoint;
}

Status VerifyCheckpointSignature(const Checkpoint& checkpoint, const LogKey& log) {
  PkeyPtr key = ParsePublicKeyDer(View(log.public_key_der));
  if (!key) return Bad("the log key does not parse");
  const Bytes log_hint(log.log_id.begin(),
                       log.log_id.begin() + std::min(log.log_id.size(), kKeyHintBytes));
  const bool ed25519 = EVP_PKEY_get_base_id(key.get()) == EVP_PKEY_ED25519;
  for (const NoteSignature& signature : checkpoint.signatures) {
    const bool hint_matches =
        signature.key_hint == log_hint ||
        (ed25519 && signature.key_hint == Ed25519NoteKeyHint(signature.name, key.get()));
    if (!hint_matches) continue;
    if (VerifySignature(key.get(), ByteView(checkpoint.note_text), View(signature.signature))) {
      return {};
    }
    return Bad("the signature of " + log.base_url + " does not verify");
  }
  return Bad("no signature by " + log.base_url + " (key hint mismatch)");
}

}  // namespace mg::integrity::sigstore
