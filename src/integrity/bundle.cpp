#include "integrity/bundle.h"

#include <charconv>
#include <initializer_list>

#include "core/json.h"
#include "integrity/status_macros.h"

namespace mg::integrity {

namespace {

Error FieldError(const std::string& path, const std::string& message) {
  return Error::Malformed(0, path + ": " + message);
}

std::string Child(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string Item(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

// Protobuf-JSON parsing rejects unknown fields; so do we, so that a misspelt or unexpected
// member never passes unnoticed.
Status CheckObject(const Json& value, const std::string& path,
                   std::initializer_list<std::string_view> allowed) {
  if (!value.is_object()) return FieldError(path, "expected a JSON object");
  for (const auto& [key, member] : value.items()) {
    bool known = false;
    for (std::string_view name : allowed) known = known || key == name;
    if (!known) return FieldError(Child(path, key), "unknown field");
  }
  return {};
}

const Json* Find(const Json& object, std::string_view key) {
  const auto it = object.find(std::string(key));
  return it == object.end() ? nullptr : &*it;
}

Result<std::string> RequireString(const Json& object, std::string_view key,
                                  const std::string& path) {
  const Json* member = Find(object, key);
  if (member == nullptr) return FieldError(Child(path, key), "missing");
  if (!member->is_string()) return FieldError(Child(path, key), "expected a string");
  return member->get<std::string>();
}

Result<Bytes> DecodeBase64Field(const Json& value, const std::string& path) {
  if (!value.is_string()) return FieldError(path, "expected a base64 string");
  std::optional<Bytes> bytes = Base64Decode(value.get_ref<const std::string&>());
  if (!bytes) return FieldError(path, "not canonical base64 (RFC 4648 §4, with padding)");
  return std::move(*bytes);
}

Result<Bytes> RequireBytes(const Json& object, std::string_view key, const std::string& path) {
  const Json* member = Find(object, key);
  if (member == nullptr) return FieldError(Child(path, key), "missing");
  return DecodeBase64Field(*member, Child(path, key));
}

// proto3 JSON: int64 is written as a decimal string; a JSON integer is accepted too.
Result<std::int64_t> RequireInt64(const Json& object, std::string_view key,
                                  const std::string& path) {
  const Json* member = Find(object, key);
  const std::string field = Child(path, key);
  if (member == nullptr) return FieldError(field, "missing");
  if (member->is_number_integer()) {
    if (member->is_number_unsigned() && member->get<std::uint64_t>() > INT64_MAX) {
      return FieldError(field, "out of range for int64");
    }
    const std::int64_t number = member->get<std::int64_t>();
    if (number < 0) return FieldError(field, "negative");
    return number;
  }
  if (!member->is_string()) return FieldError(field, "expected an int64 as a decimal string");
  const std::string& text = member->get_ref<const std::string&>();
  std::int64_t number = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || number < 0 ||
      (text.size() > 1 && text[0] == '0')) {
    return FieldError(field, "not a non-negative decimal int64: \"" + text.substr(0, 32) + "\"");
  }
  return number;
}

Result<const Json*> RequireArray(const Json& object, std::string_view key, const std::string& path,
                                 std::uint32_t max_items) {
  const Json* member = Find(object, key);
  const std::string field = Child(path, key);
  if (member == nullptr) return FieldError(field, "missing");
  if (!member->is_array()) return FieldError(field, "expected an array");
  if (member->size() > max_items) {
    return Error::Limit(0, field + ": more than " + std::to_string(max_items) + " items");
  }
  return member;
}

Result<PublicKeyIdentifier> ParsePublicKey(const Json& value, const std::string& path) {
  MG_RETURN_IF_ERROR(CheckObject(value, path, {"hint", "rawBytes", "keyDetails"}));
  PublicKeyIdentifier key;
  if (const Json* hint = Find(value, "hint"); hint != nullptr && !hint->is_null()) {
    if (!hint->is_string()) return FieldError(Child(path, "hint"), "expected a string");
    key.hint = hint->get<std::string>();
  }
  if (const Json* raw = Find(value, "rawBytes"); raw != nullptr) {
    MG_ASSIGN_OR_RETURN(key.raw_bytes, DecodeBase64Field(*raw, Child(path, "rawBytes")));
  }
  if (const Json* details = Find(value, "keyDetails"); details != nullptr) {
    if (!details->is_string()) return FieldError(Child(path, "keyDetails"), "expected a string");
    key.key_details = details->get<std::string>();
  }
  return key;
}

Result<Bytes> ParseX509Certificate(const Json& value, const std::string& path) {
  MG_RETURN_IF_ERROR(CheckObject(value, path, {"rawBytes"}));
  Bytes der;
  MG_ASSIGN_OR_RETURN(der, RequireBytes(value, "rawBytes", path));
  if (der.empty()) return FieldError(Child(path, "rawBytes"), "empty certificate");
  return der;
}

Result<InclusionProof> ParseInclusionProof(const Json& value, const std::string& path,
                                           const BundleLimits& limits) {
  MG_RETURN_IF_ERROR(
      CheckObject(value, path, {"logIndex", "rootHash", "treeSize", "hashes", "checkpoint"}));
  InclusionProof proof;
  MG_ASSIGN_OR_RETURN(proof.log_index, RequireInt64(value, "logIndex", path));
  MG_ASSIGN_OR_RETURN(proof.root_hash, RequireBytes(value, "rootHash", path));
  MG_ASSIGN_OR_RETURN(proof.tree_size, RequireInt64(value, "treeSize", path));
  if (Find(value, "hashes") != nullptr) {
    const Json* hashes = nullptr;
    MG_ASSIGN_OR_RETURN(hashes, RequireArray(value, "hashes", path, limits.max_proof_hashes));
    for (std::size_t i = 0; i < hashes->size(); ++i) {
      Bytes hash;
      MG_ASSIGN_OR_RETURN(hash, DecodeBase64Field((*hashes)[i], Item(Child(path, "hashes"), i)));
      proof.hashes.push_back(std::move(hash));
    }
  }
  if (const Json* checkpoint = Find(value, "checkpoint"); checkpoint != nullptr) {
    const std::string checkpoint_path = Child(path, "checkpoint");
    MG_RETURN_IF_ERROR(CheckObject(*checkpoint, checkpoint_path, {"envelope"}));
    MG_ASSIGN_OR_RETURN(proof.checkpoint_envelope,
                        RequireString(*checkpoint, "envelope", checkpoint_path));
  }
  return proof;
}

Result<TransparencyLogEntry> ParseTlogEntry(const Json& value, const std::string& path,
                                            const BundleLimits& limits) {
  MG_RETURN_IF_ERROR(CheckObject(value, path,
                                 {"logIndex", "logId", "kindVersion", "integratedTime",
                                  "inclusionPromise", "inclusionProof", "canonicalizedBody"}));
  TransparencyLogEntry entry;
  MG_ASSIGN_OR_RETURN(entry.log_index, RequireInt64(value, "logIndex", path));
  const Json* log_id = Find(value, "logId");
  if (log_id == nullptr) return FieldError(Child(path, "logId"), "missing");
  MG_RETURN_IF_ERROR(CheckObject(*log_id, Child(path, "logId"), {"keyId"}));
  MG_ASSIGN_OR_RETURN(entry.log_id, RequireBytes(*log_id, "keyId", Child(path, "logId")));
  const Json* kind_version = Find(value, "kindVersion");
  const std::string kind_path = Child(path, "kindVersion");
  if (kind_version == nullptr) return FieldError(kind_path, "missing");
  MG_RETURN_IF_ERROR(CheckObject(*kind_version, kind_path, {"kind", "version"}));
  MG_ASSIGN_OR_RETURN(entry.kind, RequireString(*kind_version, "kind", kind_path));
  MG_ASSIGN_OR_RETURN(entry.kind_version, RequireString(*kind_version, "version", kind_path));
  MG_ASSIGN_OR_RETURN(entry.integrated_time, RequireInt64(value, "integratedTime", path));
  if (const Json* promise = Find(value, "inclusionPromise"); promise != nullptr) {
    const std::string promise_path = Child(path, "inclusionPromise");
    MG_RETURN_IF_ERROR(CheckObject(*promise, promise_path, {"signedEntryTimestamp"}));
    MG_ASSIGN_OR_RETURN(entry.signed_entry_timestamp,
                        RequireBytes(*promise, "signedEntryTimestamp", promise_path));
  }
  if (const Json* proof = Find(value, "inclusionProof"); proof != nullptr) {
    MG_ASSIGN_OR_RETURN(entry.inclusion_proof,
                        ParseInclusionProof(*proof, Child(path, "inclusionProof"), limits));
  }
  const Json* body = Find(value, "canonicalizedBody");
  if (body == nullptr) return FieldError(Child(path, "canonicalizedBody"), "missing");
  MG_ASSIGN_OR_RETURN(entry.canonicalized_body,
                      DecodeBase64Field(*body, Child(path, "canonicalizedBody")));
  entry.canonicalized_body_base64 = body->get<std::string>();
  return entry;
}

Status ParseTimestamps(const Json& value, const std::string& path, const BundleLimits& limits,
                       VerificationMaterial& material) {
  MG_RETURN_IF_ERROR(CheckObject(value, path, {"rfc3161Timestamps"}));
  material.has_timestamp_verification_data = true;
  if (Find(value, "rfc3161Timestamps") == nullptr) return {};
  const Json* timestamps = nullptr;
  MG_ASSIGN_OR_RETURN(timestamps,
                      RequireArray(value, "rfc3161Timestamps", path, limits.max_timestamps));
  const std::string list_path = Child(path, "rfc3161Timestamps");
  for (std::size_t i = 0; i < timestamps->size(); ++i) {
    const std::string item_path = Item(list_path, i);
    MG_RETURN_IF_ERROR(CheckObject((*timestamps)[i], item_path, {"signedTimestamp"}));
    Bytes der;
    MG_ASSIGN_OR_RETURN(der, RequireBytes((*timestamps)[i], "signedTimestamp", item_path));
    material.rfc3161_timestamps.push_back(std::move(der));
  }
  return {};
}

Status ParseMaterialContent(const Json& value, const std::string& path, const BundleLimits& limits,
                            VerificationMaterial& material) {
  const Json* public_key = Find(value, "publicKey");
  const Json* chain = Find(value, "x509CertificateChain");
  const Json* certificate = Find(value, "certificate");
  const int count = (public_key != nullptr) + (chain != nullptr) + (certificate != nullptr);
  if (count != 1) {
    return FieldError(path, count == 0 ? "no publicKey, x509CertificateChain or certificate"
                                       : "more than one of publicKey, x509CertificateChain "
                                         "and certificate");
  }
  if (public_key != nullptr) {
    material.kind = MaterialKind::kPublicKey;
    MG_ASSIGN_OR_RETURN(material.public_key, ParsePublicKey(*public_key, Child(path, "publicKey")));
    return {};
  }
  if (certificate != nullptr) {
    material.kind = MaterialKind::kCertificate;
    MG_ASSIGN_OR_RETURN(material.certificate,
                        ParseX509Certificate(*certificate, Child(path, "certificate")));
    return {};
  }
  material.kind = MaterialKind::kCertificateChain;
  const std::string chain_path = Child(path, "x509CertificateChain");
  MG_RETURN_IF_ERROR(CheckObject(*chain, chain_path, {"certificates"}));
  const Json* certificates = nullptr;
  MG_ASSIGN_OR_RETURN(certificates,
                      RequireArray(*chain, "certificates", chain_path, limits.max_certificates));
  if (certificates->empty()) return FieldError(Child(chain_path, "certificates"), "empty");
  for (std::size_t i = 0; i < certificates->size(); ++i) {
    Bytes der;
    MG_ASSIGN_OR_RETURN(
        der, ParseX509Certificate((*certificates)[i], Item(Child(chain_path, "certificates"), i)));
    material.certificate_chain.push_back(std::move(der));
  }
  return {};
}

Result<VerificationMaterial> ParseMaterial(const Json& value, const BundleLimits& limits) {
  const std::string path = "verificationMaterial";
  MG_RETURN_IF_ERROR(CheckObject(value, path,
                                 {"publicKey", "x509CertificateChain", "certificate", "tlogEntries",
                                  "timestampVerificationData"}));
  VerificationMaterial material;
  MG_RETURN_IF_ERROR(ParseMaterialContent(value, path, limits, material));
  if (Find(value, "tlogEntries") != nullptr) {
    material.has_tlog_entries = true;
    const Json* entries = nullptr;
    MG_ASSIGN_OR_RETURN(entries, RequireArray(value, "tlogEntries", path, limits.max_tlog_entries));
    for (std::size_t i = 0; i < entries->size(); ++i) {
      TransparencyLogEntry entry;
      MG_ASSIGN_OR_RETURN(
          entry, ParseTlogEntry((*entries)[i], Item(Child(path, "tlogEntries"), i), limits));
      material.tlog_entries.push_back(std::move(entry));
    }
  }
  if (const Json* data = Find(value, "timestampVerificationData"); data != nullptr) {
    MG_RETURN_IF_ERROR(
        ParseTimestamps(*data, Child(path, "timestampVerificationData"), limits, material));
  }
  // OMS v1.0 §4.1: a keyless (`certificate`) bundle must carry at least one Rekor entry.
  if (material.kind == MaterialKind::kCertificate && material.tlog_entries.empty()) {
    return FieldError(Child(path, "tlogEntries"),
                      "a Sigstore keyless bundle (certificate) needs at least one tlog entry");
  }
  return material;
}

Result<DsseEnvelope> ParseEnvelope(const Json& value, const BundleLimits& limits) {
  const std::string path = "dsseEnvelope";
  MG_RETURN_IF_ERROR(CheckObject(value, path, {"payload", "payloadType", "signatures"}));
  DsseEnvelope envelope;
  MG_ASSIGN_OR_RETURN(envelope.payload, RequireBytes(value, "payload", path));
  MG_ASSIGN_OR_RETURN(envelope.payload_type, RequireString(value, "payloadType", path));
  const Json* signatures = nullptr;
  MG_ASSIGN_OR_RETURN(signatures, RequireArray(value, "signatures", path, limits.max_signatures));
  if (signatures->empty()) return FieldError(Child(path, "signatures"), "no signature");
  for (std::size_t i = 0; i < signatures->size(); ++i) {
    const std::string item_path = Item(Child(path, "signatures"), i);
    const Json& item = (*signatures)[i];
    MG_RETURN_IF_ERROR(CheckObject(item, item_path, {"sig", "keyid"}));
    DsseSignature signature;
    MG_ASSIGN_OR_RETURN(signature.sig, RequireBytes(item, "sig", item_path));
    if (signature.sig.empty()) return FieldError(Child(item_path, "sig"), "empty signature");
    const Json* keyid = Find(item, "keyid");
    if (keyid == nullptr) {
      signature.keyid_form = KeyIdForm::kAbsent;
    } else if (keyid->is_null()) {
      signature.keyid_form = KeyIdForm::kNull;
    } else if (keyid->is_string()) {
      signature.keyid = keyid->get<std::string>();
    } else {
      return FieldError(Child(item_path, "keyid"), "expected a string or null");
    }
    envelope.signatures.push_back(std::move(signature));
  }
  return envelope;
}

}  // namespace

bool IsKnownBundleMediaType(std::string_view media_type) {
  return media_type == kBundleMediaTypeV03 || media_type == kBundleMediaTypeLegacy01 ||
         media_type == kBundleMediaTypeLegacy02 || media_type == kBundleMediaTypeLegacy03;
}

Result<Bundle> ParseBundle(ByteView json, const BundleLimits& limits) {
  if (json.size() > limits.max_bundle_bytes) {
    return Error::Limit(0,
                        "bundle larger than " + std::to_string(limits.max_bundle_bytes) + " bytes");
  }
  JsonLimits json_limits;
  json_limits.max_depth = limits.max_depth;
  json_limits.max_values = 1'000'000;
  json_limits.max_string_bytes = limits.max_bundle_bytes;
  Result<JsonDocument> document = ParseJson(json, json_limits);
  if (!document.ok()) {
    Error error = document.error();
    error.message = "bundle is not valid JSON: " + error.message;
    return error;
  }
  if (!document->duplicate_keys.empty()) {
    return Error::Malformed(0, "bundle has a duplicate key at " + document->duplicate_keys[0]);
  }
  const Json& root = document->value;
  MG_RETURN_IF_ERROR(CheckObject(
      root, "bundle", {"mediaType", "verificationMaterial", "dsseEnvelope", "messageSignature"}));
  Bundle bundle;
  MG_ASSIGN_OR_RETURN(bundle.media_type, RequireString(root, "mediaType", ""));
  if (!IsKnownBundleMediaType(bundle.media_type)) {
    return FieldError("mediaType", "not a Sigstore bundle media type: \"" +
                                       bundle.media_type.substr(0, 80) + "\"");
  }
  const Json* material = Find(root, "verificationMaterial");
  if (material == nullptr) return FieldError("verificationMaterial", "missing");
  MG_ASSIGN_OR_RETURN(bundle.verification_material, ParseMaterial(*material, limits));
  if (Find(root, "messageSignature") != nullptr) {
    return Error::Unsupported(0,
                              "messageSignature: OMS bundles sign a DSSE envelope; a bundle "
                              "with a plain message signature is not a model signature");
  }
  const Json* envelope = Find(root, "dsseEnvelope");
  if (envelope == nullptr) return FieldError("dsseEnvelope", "missing");
  MG_ASSIGN_OR_RETURN(bundle.dsse_envelope, ParseEnvelope(*envelope, limits));
  return bundle;
}

namespace {

Json CertificateJson(const Bytes& der) { return Json{{"rawBytes", Base64Encode(der)}}; }

Json TlogEntryJson(const TransparencyLogEntry& entry) {
  Json json;
  json["logIndex"] = std::to_string(entry.log_index);
  json["logId"] = Json{{"keyId", Base64Encode(entry.log_id)}};
  json["kindVersion"] = Json{{"kind", entry.kind}, {"version", entry.kind_version}};
  json["integratedTime"] = std::to_string(entry.integrated_time);
  if (entry.signed_entry_timestamp) {
    json["inclusionPromise"] =
        Json{{"signedEntryTimestamp", Base64Encode(*entry.signed_entry_timestamp)}};
  }
  if (entry.inclusion_proof) {
    const InclusionProof& proof = *entry.inclusion_proof;
    Json proof_json;
    proof_json["logIndex"] = std::to_string(proof.log_index);
    proof_json["rootHash"] = Base64Encode(proof.root_hash);
    proof_json["treeSize"] = std::to_string(proof.tree_size);
    proof_json["hashes"] = Json::array();
    for (const Bytes& hash : proof.hashes) proof_json["hashes"].push_back(Base64Encode(hash));
    if (proof.checkpoint_envelope) {
      proof_json["checkpoint"] = Json{{"envelope", *proof.checkpoint_envelope}};
    }
    json["inclusionProof"] = std::move(proof_json);
  }
  // Keep the text the log signed when there is one (a parsed bundle); it decodes to the body.
  json["canonicalizedBody"] = entry.canonicalized_body_base64.empty()
                                  ? Base64Encode(entry.canonicalized_body)
                                  : entry.canonicalized_body_base64;
  return json;
}

Json MaterialJson(const VerificationMaterial& material) {
  Json json = Json::object();
  switch (material.kind) {
    case MaterialKind::kPublicKey: {
      Json key = Json::object();
      if (material.public_key.hint) key["hint"] = *material.public_key.hint;
      if (material.public_key.raw_bytes) {
        key["rawBytes"] = Base64Encode(*material.public_key.raw_bytes);
      }
      if (material.public_key.key_details) key["keyDetails"] = *material.public_key.key_details;
      json["publicKey"] = std::move(key);
      break;
    }
    case MaterialKind::kCertificateChain: {
      Json certificates = Json::array();
      for (const Bytes& der : material.certificate_chain) {
        certificates.push_back(CertificateJson(der));
      }
      json["x509CertificateChain"] = Json{{"certificates", std::move(certificates)}};
      break;
    }
    case MaterialKind::kCertificate:
      json["certificate"] = CertificateJson(material.certificate);
      break;
  }
  if (material.has_tlog_entries) {
    json["tlogEntries"] = Json::array();
    for (const TransparencyLogEntry& entry : material.tlog_entries) {
      json["tlogEntries"].push_back(TlogEntryJson(entry));
    }
  }
  if (material.has_timestamp_verification_data) {
    Json data = Json::object();
    if (!material.rfc3161_timestamps.empty()) {
      data["rfc3161Timestamps"] = Json::array();
      for (const Bytes& der : material.rfc3161_timestamps) {
        data["rfc3161Timestamps"].push_back(Json{{"signedTimestamp", Base64Encode(der)}});
      }
    }
    json["timestampVerificationData"] = std::move(data);
  }
  return json;
}

Json EnvelopeJson(const DsseEnvelope& envelope) {
  Json signatures = Json::array();
  for (const DsseSignature& signature : envelope.signatures) {
    Json item{{"sig", Base64Encode(signature.sig)}};
    if (signature.keyid_form == KeyIdForm::kNull) item["keyid"] = nullptr;
    if (signature.keyid_form == KeyIdForm::kString) item["keyid"] = signature.keyid;
    signatures.push_back(std::move(item));
  }
  Json json;
  json["payload"] = Base64Encode(envelope.payload);
  json["payloadType"] = envelope.payload_type;
  json["signatures"] = std::move(signatures);
  return json;
}

}  // namespace

std::string SerializeBundle(const Bundle& bundle) {
  Json json;
  json["mediaType"] = bundle.media_type;
  json["verificationMaterial"] = MaterialJson(bundle.verification_material);
  json["dsseEnvelope"] = EnvelopeJson(bundle.dsse_envelope);
  // Compact, as the reference tool writes it; invalid UTF-8 cannot occur in parsed strings.
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace mg::integrity
