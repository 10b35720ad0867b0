#include "integrity/statement.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "core/json.h"
#include "integrity/encoding.h"
#include "integrity/status_macros.h"

namespace mg::integrity {

namespace {

Error StatementError(const std::string& path, const std::string& message) {
  return Error::Malformed(0, "statement " + path + ": " + message);
}

std::string Truncated(std::string_view text) {
  return std::string(text.substr(0, 120)) + (text.size() > 120 ? "..." : "");
}

bool ParseDecimal(std::string_view text, std::uint64_t& value) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

// OMS §6.1.2: relative POSIX paths, no empty, "." or ".." components. "." alone is the name
// model_signing gives a single-file model (oms-format-notes §1.6).
bool IsCanonicalPath(std::string_view path) {
  if (path == ".") return true;
  if (path.empty() || path.front() == '/' || path.back() == '/') return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = std::min(path.find('/', start), path.size());
    const std::string_view component = path.substr(start, slash - start);
    if (component.empty() || component == "." || component == "..") return false;
    start = slash + 1;
  }
  return true;
}

std::size_t DigestSize(HashAlgorithm hash) { return hash == HashAlgorithm::kSha256 ? 32 : 64; }

Result<Serialization> ParseSerialization(const Json& value, const StatementLimits& limits) {
  const std::string path = "predicate.serialization";
  if (!value.is_object()) return StatementError(path, "expected an object");
  Serialization serialization;
  const auto method = value.find("method");
  if (method == value.end() || !method->is_string()) {
    return StatementError(path + ".method", "missing or not a string");
  }
  if (*method == "files") {
    serialization.method = SerializationMethod::kFiles;
  } else if (*method == "shards") {
    serialization.method = SerializationMethod::kShards;
  } else {
    return StatementError(path + ".method",
                          "unknown method \"" + Truncated(method->get<std::string>()) + "\"");
  }
  const auto hash = value.find("hash_type");
  if (hash == value.end() || !hash->is_string()) {
    return StatementError(path + ".hash_type", "missing or not a string");
  }
  const std::optional<HashAlgorithm> algorithm = ParseHashAlgorithmName(hash->get<std::string>());
  if (!algorithm) {
    return Error::Unsupported(0, "statement " + path + ".hash_type: \"" +
                                     Truncated(hash->get<std::string>()) +
                                     "\" is not supported (sha256, blake2b)");
  }
  serialization.hash = *algorithm;
  const auto symlinks = value.find("allow_symlinks");
  if (symlinks == value.end() || !symlinks->is_boolean()) {
    return StatementError(path + ".allow_symlinks", "missing or not a boolean");
  }
  serialization.allow_symlinks = symlinks->get<bool>();
  const auto shard_size = value.find("shard_size");
  if (serialization.method == SerializationMethod::kShards) {
    if (shard_size == value.end()) return StatementError(path + ".shard_size", "missing");
    // Python writes a protobuf Struct number, i.e. a double (1000000000.0).
    double number = 0;
    if (shard_size->is_number_integer()) {
      if (shard_size->is_number_unsigned())
        number = shard_size->get<std::uint64_t>();
      else
        number = static_cast<double>(shard_size->get<std::int64_t>());
    } else if (shard_size->is_number_float()) {
      number = shard_size->get<double>();
    } else {
      return StatementError(path + ".shard_size", "not a number");
    }
    if (!(number >= 1) || number > 9007199254740992.0 || std::floor(number) != number) {
      return StatementError(path + ".shard_size", "not a positive integer");
    }
    serialization.shard_size = static_cast<std::uint64_t>(number);
  } else if (shard_size != value.end()) {
    return StatementError(path + ".shard_size", "present for the files method (OMS §5.2.2)");
  }
  if (const auto ignore = value.find("ignore_paths"); ignore != value.end()) {
    if (!ignore->is_array()) return StatementError(path + ".ignore_paths", "expected an array");
    if (ignore->size() > limits.max_ignore_paths) {
      return Error::Limit(0, "statement " + path + ".ignore_paths: too many entries");
    }
    for (const Json& entry : *ignore) {
      if (!entry.is_string()) return StatementError(path + ".ignore_paths", "non-string entry");
      serialization.ignore_paths.push_back(entry.get<std::string>());
    }
  }
  return serialization;
}

// Checks a resource's name and algorithm against the serialization; normalizes the shard
// algorithm to "<hash>-sharded-<N>", the form the hasher produces.
Status CheckResource(const Serialization& serialization, const std::string& item_path,
                     Resource& resource) {
  const std::string hash_name = HashAlgorithmName(serialization.hash);
  if (serialization.method == SerializationMethod::kFiles) {
    if (!IsCanonicalPath(resource.name)) {
      return StatementError(item_path + ".name",
                            "not a canonical relative path: \"" + Truncated(resource.name) + "\"");
    }
    if (resource.algorithm != hash_name) {
      return StatementError(item_path + ".algorithm",
                            "\"" + Truncated(resource.algorithm) + "\" differs from hash_type");
    }
    return {};
  }
  std::string_view file;
  std::uint64_t start = 0;
  std::uint64_t end = 0;
  const std::uint64_t size = serialization.shard_size;
  if (!ParseShardName(resource.name, file, start, end) || !IsCanonicalPath(file) || start >= end ||
      start % size != 0 || end - start > size) {
    return StatementError(item_path + ".name", "not a shard \"path:start:end\" of shard_size " +
                                                   std::to_string(size) + ": \"" +
                                                   Truncated(resource.name) + "\"");
  }
  const std::string sharded = ShardAlgorithmName(serialization.hash, size);
  if (resource.algorithm != hash_name && resource.algorithm != sharded) {
    return StatementError(
        item_path + ".algorithm",
        "\"" + Truncated(resource.algorithm) + "\" is neither " + hash_name + " nor " + sharded);
  }
  resource.algorithm = sharded;
  return {};
}

Result<std::vector<Resource>> ParseResources(const Json& value, const Serialization& serialization,
                                             const StatementLimits& limits) {
  const std::string path = "predicate.resources";
  if (!value.is_array()) return StatementError(path, "expected an array");
  // OMS §5.2.1: at least one entry; an empty manifest would verify an empty folder.
  if (value.empty()) return StatementError(path, "empty: the signature covers no file");
  if (value.size() > limits.max_resources) {
    return Error::Limit(0, "statement " + path + ": more than " +
                               std::to_string(limits.max_resources) + " resources");
  }
  std::vector<Resource> resources;
  resources.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    const Json& item = value[i];
    if (!item.is_object()) return StatementError(item_path, "expected an object");
    Resource resource;
    for (const char* key : {"name", "algorithm", "digest"}) {
      const auto field = item.find(key);
      if (field == item.end() || !field->is_string()) {
        return StatementError(item_path + "." + key, "missing or not a string");
      }
    }
    resource.name = item["name"].get<std::string>();
    resource.algorithm = item["algorithm"].get<std::string>();
    if (resource.name.size() > limits.max_name_bytes) {
      return Error::Limit(0, "statement " + item_path + ".name: longer than " +
                                 std::to_string(limits.max_name_bytes) + " bytes");
    }
    MG_RETURN_IF_ERROR(CheckResource(serialization, item_path, resource));
    const std::string& hex = item["digest"].get_ref<const std::string&>();
    std::optional<Bytes> digest = HexDecode(hex);
    if (!digest || digest->size() != DigestSize(serialization.hash)) {
      return StatementError(item_path + ".digest", "not a hex " +
                                                       HashAlgorithmName(serialization.hash) +
                                                       " digest: \"" + Truncated(hex) + "\"");
    }
    resource.digest = std::move(*digest);
    resources.push_back(std::move(resource));
  }
  return resources;
}

Result<const Json*> SingleSubject(const Json& statement) {
  const auto subject = statement.find("subject");
  if (subject == statement.end() || !subject->is_array() || subject->size() != 1) {
    return StatementError("subject", "expected exactly one subject");
  }
  const Json& item = (*subject)[0];
  if (!item.is_object()) return StatementError("subject[0]", "expected an object");
  const auto name = item.find("name");
  if (name == item.end() || !name->is_string() || name->get_ref<const std::string&>().empty()) {
    return StatementError("subject[0].name", "missing or empty");
  }
  return &item;
}

Result<ParsedStatement> ParseCurrent(const Json& statement, const StatementLimits& limits) {
  const Json* subject = nullptr;
  MG_ASSIGN_OR_RETURN(subject, SingleSubject(statement));
  const auto predicate = statement.find("predicate");
  if (predicate == statement.end() || !predicate->is_object()) {
    return StatementError("predicate", "missing or not an object");
  }
  const auto serialization = predicate->find("serialization");
  if (serialization == predicate->end()) {
    return StatementError("predicate.serialization", "missing");
  }
  const auto resources = predicate->find("resources");
  if (resources == predicate->end()) return StatementError("predicate.resources", "missing");
  ParsedStatement parsed;
  parsed.manifest.model_name = (*subject)["name"].get<std::string>();
  MG_ASSIGN_OR_RETURN(parsed.manifest.serialization, ParseSerialization(*serialization, limits));
  MG_ASSIGN_OR_RETURN(parsed.manifest.resources,
                      ParseResources(*resources, parsed.manifest.serialization, limits));
  std::set<std::string_view> names;
  const std::vector<Resource>& list = parsed.manifest.resources;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!names.insert(list[i].name).second) {
      return StatementError("predicate.resources",
                            "\"" + Truncated(list[i].name) + "\" is listed twice");
    }
    if (i > 0 && !(list[i - 1].name < list[i].name)) parsed.canonical_order = false;
  }
  const auto digest = subject->find("digest");
  const Json* root_hex = nullptr;
  if (digest != subject->end() && digest->is_object() && digest->contains("sha256")) {
    root_hex = &(*digest)["sha256"];
  }
  if (root_hex == nullptr || !root_hex->is_string()) {
    return StatementError("subject[0].digest.sha256", "missing");
  }
  // OMS §6.5.1, computed over the resources in the order the statement lists them.
  const std::optional<Bytes> root = HexDecode(root_hex->get<std::string>());
  if (!root || *root != RootDigest(parsed.manifest)) {
    return StatementError("subject[0].digest.sha256",
                          "does not match the root digest of predicate.resources");
  }
  return parsed;
}

// v0.1 predicate: each subject is one file with its SHA-256 (oms-format-notes §1.9).
Result<ParsedStatement> ParseLegacy(const Json& statement, const StatementLimits& limits) {
  const auto subjects = statement.find("subject");
  if (subjects == statement.end() || !subjects->is_array() || subjects->empty()) {
    return StatementError("subject", "expected one subject per file");
  }
  if (subjects->size() > limits.max_resources) {
    return Error::Limit(0, "statement subject: too many entries");
  }
  ParsedStatement parsed;
  parsed.legacy = true;
  parsed.manifest.model_name = std::string(kLegacyModelName);
  std::set<std::string> names;
  for (std::size_t i = 0; i < subjects->size(); ++i) {
    const std::string path = "subject[" + std::to_string(i) + "]";
    const Json& item = (*subjects)[i];
    if (!item.is_object() || !item.contains("name") || !item["name"].is_string() ||
        !item.contains("digest") || !item["digest"].is_object() ||
        !item["digest"].contains("sha256") || !item["digest"]["sha256"].is_string()) {
      return StatementError(path, "expected {name, digest: {sha256}}");
    }
    Resource resource{item["name"].get<std::string>(), "sha256", {}};
    if (!IsCanonicalPath(resource.name) || !names.insert(resource.name).second) {
      return StatementError(path + ".name", "not a canonical relative path, or listed twice");
    }
    std::optional<Bytes> digest = HexDecode(item["digest"]["sha256"].get<std::string>());
    if (!digest || digest->size() != 32) {
      return StatementError(path + ".digest.sha256", "not a hex SHA-256 digest");
    }
    resource.digest = std::move(*digest);
    parsed.manifest.resources.push_back(std::move(resource));
  }
  return parsed;
}

Json SerializationJson(const Serialization& serialization) {
  Json json;
  const bool shards = serialization.method == SerializationMethod::kShards;
  json["method"] = shards ? "shards" : "files";
  json["hash_type"] = HashAlgorithmName(serialization.hash);
  if (shards) json["shard_size"] = serialization.shard_size;
  json["allow_symlinks"] = serialization.allow_symlinks;
  if (!serialization.ignore_paths.empty()) {
    std::vector<std::string> sorted = serialization.ignore_paths;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    json["ignore_paths"] = sorted;
  }
  return json;
}

}  // namespace

std::string ShardAlgorithmName(HashAlgorithm hash, std::uint64_t shard_size) {
  return HashAlgorithmName(hash) + "-sharded-" + std::to_string(shard_size);
}

bool ParseShardName(std::string_view name, std::string_view& path, std::uint64_t& start,
                    std::uint64_t& end) {
  const std::size_t last = name.rfind(':');
  if (last == std::string_view::npos || last == 0) return false;
  const std::size_t middle = name.rfind(':', last - 1);
  if (middle == std::string_view::npos || middle == 0) return false;
  path = name.substr(0, middle);
  return ParseDecimal(name.substr(middle + 1, last - middle - 1), start) &&
         ParseDecimal(name.substr(last + 1), end);
}

std::string BuildStatement(const Manifest& manifest) {
  Json resources = Json::array();
  for (const Resource& resource : manifest.resources) {
    Json item;
    item["name"] = resource.name;
    item["digest"] = HexEncode(resource.digest);
    item["algorithm"] = resource.algorithm;
    resources.push_back(std::move(item));
  }
  Json subject;
  subject["name"] = manifest.model_name;
  subject["digest"] = Json{{"sha256", HexEncode(RootDigest(manifest))}};
  Json statement;
  statement["_type"] = kStatementType;
  statement["subject"] = Json::array({std::move(subject)});
  statement["predicateType"] = kPredicateType;
  statement["predicate"] = Json{{"resources", std::move(resources)},
                                {"serialization", SerializationJson(manifest.serialization)}};
  return statement.dump(2, ' ', false, Json::error_handler_t::strict);
}

Result<ParsedStatement> ParseStatement(ByteView payload, const StatementLimits& limits) {
  if (payload.size() > limits.max_payload_bytes) {
    return Error::Limit(
        0, "statement larger than " + std::to_string(limits.max_payload_bytes) + " bytes");
  }
  JsonLimits json_limits;
  json_limits.max_depth = 16;
  json_limits.max_values = limits.max_resources * 8 + 1000;
  json_limits.max_string_bytes = 1 << 20;
  Result<JsonDocument> document = ParseJson(payload, json_limits);
  if (!document.ok()) {
    Error error = document.error();
    error.message = "statement is not valid JSON: " + error.message;
    return error;
  }
  if (!document->duplicate_keys.empty()) {
    return StatementError(document->duplicate_keys[0], "duplicate key");
  }
  const Json& statement = document->value;
  if (!statement.is_object()) return StatementError("", "expected a JSON object");
  const auto type = statement.find("_type");
  if (type == statement.end() || *type != kStatementType) {
    return StatementError("_type", "expected \"" + std::string(kStatementType) + "\"");
  }
  const auto predicate_type = statement.find("predicateType");
  if (predicate_type != statement.end() && *predicate_type == kPredicateType) {
    return ParseCurrent(statement, limits);
  }
  if (predicate_type != statement.end() && *predicate_type == kLegacyPredicateType) {
    return ParseLegacy(statement, limits);
  }
  std::string found = "missing";
  if (predicate_type != statement.end()) found = Truncated(predicate_type->dump());
  return StatementError("predicateType",
                        "expected \"" + std::string(kPredicateType) + "\", found " + found);
}

}  // namespace mg::integrity
