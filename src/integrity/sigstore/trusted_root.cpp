#include "integrity/sigstore/trusted_root.h"

#include "core/json.h"
#include "integrity/encoding.h"
#include "integrity/keys.h"

namespace mg::integrity::sigstore {
namespace {

Error Bad(const std::string& where, const std::string& what) {
  return Error::Malformed(0, "trusted root: " + where + ": " + what);
}

// The string at `key` of `object`, or nullopt when absent or not a string.
std::optional<std::string> StringField(const Json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || !found->is_string()) return std::nullopt;
  return found->get<std::string>();
}

Result<Bytes> Base64Field(const Json& object, const char* key, const std::string& where) {
  const auto text = StringField(object, key);
  if (!text) return Bad(where, std::string("missing string \"") + key + "\"");
  auto bytes = Base64Decode(*text);
  if (!bytes || bytes->empty()) return Bad(where, std::string("\"") + key + "\" is not base64");
  return std::move(*bytes);
}

Result<ValidityWindow> ParseValidFor(const Json& parent, const std::string& where) {
  const auto found = parent.find("validFor");
  if (found == parent.end() || !found->is_object()) return Bad(where, "missing validFor");
  ValidityWindow window;
  const auto start = StringField(*found, "start");
  const auto start_time = start ? ParseRfc3339(*start) : std::nullopt;
  if (!start_time) return Bad(where, "validFor.start is not an RFC 3339 time");
  window.start = *start_time;
  if (found->contains("end")) {
    const auto end = StringField(*found, "end");
    window.end = end ? ParseRfc3339(*end) : std::nullopt;
    if (!window.end) return Bad(where, "validFor.end is not an RFC 3339 time");
  }
  return window;
}

Result<LogKey> ParseLogKey(const Json& entry, const std::string& where) {
  if (!entry.is_object()) return Bad(where, "not an object");
  LogKey key;
  key.base_url = StringField(entry, "baseUrl").value_or("");
  key.hash_algorithm = StringField(entry, "hashAlgorithm").value_or("");
  const auto public_key = entry.find("publicKey");
  if (public_key == entry.end() || !public_key->is_object()) return Bad(where, "no publicKey");
  auto der = Base64Field(*public_key, "rawBytes", where + "/publicKey");
  if (!der) return der.error();
  if (!ParsePublicKeyDer(View(*der))) return Bad(where, "publicKey is not a DER public key");
  key.public_key_der = std::move(*der);
  key.key_details = StringField(*public_key, "keyDetails").value_or("");
  auto window = ParseValidFor(*public_key, where + "/publicKey");
  if (!window) return window.error();
  key.valid_for = *window;
  const auto log_id = entry.find("logId");
  if (log_id == entry.end() || !log_id->is_object()) return Bad(where, "no logId");
  auto id = Base64Field(*log_id, "keyId", where + "/logId");
  if (!id) return id.error();
  key.log_id = std::move(*id);
  return key;
}

Result<CertificateAuthority> ParseAuthority(const Json& entry, const std::string& where) {
  if (!entry.is_object()) return Bad(where, "not an object");
  CertificateAuthority authority;
  if (const auto subject = entry.find("subject"); subject != entry.end() && subject->is_object()) {
    authority.organization = StringField(*subject, "organization").value_or("");
    authority.common_name = StringField(*subject, "commonName").value_or("");
  }
  authority.uri = StringField(entry, "uri").value_or("");
  const auto chain = entry.find("certChain");
  if (chain == entry.end() || !chain->is_object()) return Bad(where, "no certChain");
  const auto certificates = chain->find("certificates");
  if (certificates == chain->end() || !certificates->is_array() || certificates->empty()) {
    return Bad(where, "certChain.certificates is empty");
  }
  if (certificates->size() > TrustedRootLimits::kMaxChainCertificates) {
    return Error::Limit(0, "trusted root: " + where + ": more than 8 chain certificates");
  }
  for (const Json& certificate : *certificates) {
    if (!certificate.is_object()) return Bad(where, "certificate is not an object");
    auto der = Base64Field(certificate, "rawBytes", where + "/certChain");
    if (!der) return der.error();
    if (!ParseCertificateDer(View(*der))) return Bad(where, "certificate is not DER X.509");
    authority.chain_der.push_back(std::move(*der));
  }
  auto window = ParseValidFor(entry, where);
  if (!window) return window.error();
  authority.valid_for = *window;
  return authority;
}

// Parses the optional array `key` with `parse` into `out`.
template <typename T, typename Parse>
Status ParseList(const Json& root, const char* key, Parse parse, std::vector<T>* out) {
  const auto list = root.find(key);
  if (list == root.end()) return {};
  if (!list->is_array()) return Bad(key, "not an array");
  if (list->size() > TrustedRootLimits::kMaxEntries) {
    return Error::Limit(0, std::string("trusted root: more than 32 ") + key);
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    std::string where = "/";
    where.append(key).append("/").append(std::to_string(i));
    auto parsed = parse((*list)[i], where);
    if (!parsed) return parsed.error();
    out->push_back(std::move(*parsed));
  }
  return {};
}

const LogKey* FindLog(const std::vector<LogKey>& logs, const Bytes& log_id) {
  for (const LogKey& log : logs) {
    if (log.log_id == log_id) return &log;
  }
  return nullptr;
}

}  // namespace

// Defined in the build directory by cmake/embed_text.cmake from data/sigstore/trusted_root.json.
extern const char kBundledTrustedRootText[];

std::string_view DefaultTrustedRootJson() { return kBundledTrustedRootText; }

const LogKey* TrustedRoot::FindTlog(const Bytes& log_id) const { return FindLog(tlogs, log_id); }
const LogKey* TrustedRoot::FindCtlog(const Bytes& log_id) const { return FindLog(ctlogs, log_id); }

Result<TrustedRoot> ParseTrustedRoot(ByteView json) {
  if (json.size() > TrustedRootLimits::kMaxFileBytes) {
    return Error::Limit(0, "trusted root: larger than 1 MiB");
  }
  JsonLimits limits;
  limits.max_depth = 16;
  limits.max_values = 100'000;
  limits.max_string_bytes = 256 << 10;
  auto document = ParseJson(json, limits);
  if (!document)
    return Error::Malformed(document.error().offset, "trusted root: " + document.error().message);
  if (!document->duplicate_keys.empty()) {
    return Bad(document->duplicate_keys.front(), "duplicate key");
  }
  const Json& root = document->value;
  if (!root.is_object()) return Bad("/", "not a JSON object");
  TrustedRoot trusted;
  trusted.media_type = StringField(root, "mediaType").value_or("");
  if (trusted.media_type.rfind("application/vnd.dev.sigstore.trustedroot", 0) != 0) {
    return Bad("/mediaType", "not application/vnd.dev.sigstore.trustedroot+json");
  }
  Status status = ParseList(root, "tlogs", ParseLogKey, &trusted.tlogs);
  if (status)
    status =
        ParseList(root, "certificateAuthorities", ParseAuthority, &trusted.certificate_authorities);
  if (status) status = ParseList(root, "ctlogs", ParseLogKey, &trusted.ctlogs);
  if (status)
    status =
        ParseList(root, "timestampAuthorities", ParseAuthority, &trusted.timestamp_authorities);
  if (!status) return status.error();
  return trusted;
}

Result<TrustedRoot> LoadTrustedRoot(const std::filesystem::path& path) {
  if (path.empty()) return ParseTrustedRoot(ByteView(DefaultTrustedRootJson()));
  Result<std::string> text = ReadSmallFile(path, TrustedRootLimits::kMaxFileBytes);
  if (!text.ok()) return text.error();
  auto root = ParseTrustedRoot(ByteView(*text));
  if (!root.ok()) return Error::Malformed(0, path.string() + ": " + root.error().message);
  return root;
}

}  // namespace mg::integrity::sigstore
