#include "policy/parse.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "core/sha256.h"
#include "engine/analyzer.h"
#include "engine/name_lists.h"
#include "policy/trial_load.h"

namespace mg::policy {

namespace {

namespace fs = std::filesystem;
using Entries = std::vector<std::pair<std::string, YAML::Node>>;

// Formats the engine names without an analyzer (src/engine/sniff.cpp, kKnownFormats, and the
// fallbacks of ReportUnanalysedFormat).
constexpr std::array<std::string_view, 5> kEngineFormats = {"onnxruntime-ort", "java-serialization",
                                                            "parquet", "unknown", "empty"};

class Parser {
 public:
  Parser(std::string file, fs::path base) : file_(std::move(file)), base_(std::move(base)) {}

  std::vector<PolicyError>& errors() { return errors_; }

  void Fail(const YAML::Node& node, const std::string& path, std::string message) {
    const int line = node.IsDefined() ? node.Mark().line + 1 : 0;
    errors_.push_back({file_, line, path, std::move(message)});
  }

  // The entries of a mapping, after checking every key is a known, unrepeated scalar.
  Entries Map(const YAML::Node& node, const std::string& path,
              std::initializer_list<std::string_view> known) {
    Entries entries;
    if (!node.IsMap()) {
      Fail(node, path, "must be a mapping");
      return entries;
    }
    std::set<std::string> seen;
    for (const auto& item : node) {
      const std::string key = item.first.IsScalar() ? item.first.Scalar() : std::string();
      const std::string key_path = path.empty() ? key : path + "." + key;
      if (!item.first.IsScalar()) {
        Fail(item.first, path, "keys must be plain names");
      } else if (std::find(known.begin(), known.end(), key) == known.end()) {
        Fail(item.first, key_path, "unknown key");
      } else if (!seen.insert(key).second) {
        Fail(item.first, key_path, "duplicate key");
      } else {
        entries.emplace_back(key, item.second);
      }
    }
    return entries;
  }

  std::optional<std::string> String(const YAML::Node& node, const std::string& path) {
    if (!node.IsScalar() || node.Scalar().empty()) {
      Fail(node, path, "must be a non-empty string");
      return std::nullopt;
    }
    return node.Scalar();
  }

  std::optional<bool> Bool(const YAML::Node& node, const std::string& path) {
    // Only plain `true`/`false`: YAML 1.1's yes/no/on/off are too easy to write by accident.
    if (node.IsScalar() && node.Tag() == "?") {
      if (node.Scalar() == "true") return true;
      if (node.Scalar() == "false") return false;
    }
    Fail(node, path, "must be true or false");
    return std::nullopt;
  }

  // A non-negative integer, optionally with a binary K/M/G/T suffix when `sizes`.
  std::optional<std::uint64_t> Unsigned(const YAML::Node& node, const std::string& path,
                                        std::uint64_t max, bool sizes = false) {
    const std::string text = node.IsScalar() && node.Tag() != "!" ? node.Scalar() : "";
    std::uint64_t value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, error] = std::from_chars(text.data(), end, value);
    unsigned shift = 0;
    if (sizes && ptr != end && ptr + 1 == end) {
      const std::string_view suffixes = "KMGT";
      const std::size_t index = suffixes.find(*ptr);
      if (index != std::string_view::npos) shift = 10 * static_cast<unsigned>(index + 1);
      if (shift != 0) ++ptr;
    }
    const bool fits = shift == 0 || value <= (max >> shift);
    if (text.empty() || error != std::errc() || ptr != end || !fits || (value << shift) > max) {
      Fail(node, path,
           std::string("must be a whole number") + (sizes ? " (suffix K, M, G or T allowed)" : "") +
               " from 0 to " + std::to_string(max));
      return std::nullopt;
    }
    return value << shift;
  }

  std::optional<Severity> SeverityOf(const YAML::Node& node, const std::string& path) {
    if (node.IsScalar()) {
      if (auto severity = ParseSeverity(node.Scalar())) return severity;
    }
    Fail(node, path, "must be one of info, low, medium, high, critical");
    return std::nullopt;
  }

  std::optional<Date> DateOf(const YAML::Node& node, const std::string& path) {
    const std::string text = node.IsScalar() ? node.Scalar() : "";
    Date date;
    bool ok = text.size() == 10 && text[4] == '-' && text[7] == '-';
    const auto number = [&text, &ok](std::size_t at, std::size_t size, auto& out) {
      auto [ptr, error] = std::from_chars(text.data() + at, text.data() + at + size, out);
      ok = ok && error == std::errc() && ptr == text.data() + at + size;
    };
    if (ok) {
      number(0, 4, date.year);
      number(5, 2, date.month);
      number(8, 2, date.day);
    }
    ok = ok &&
         std::chrono::year_month_day(std::chrono::year(date.year), std::chrono::month(date.month),
                                     std::chrono::day(date.day))
             .ok();
    if (!ok) {
      Fail(node, path, "must be a calendar date YYYY-MM-DD");
      return std::nullopt;
    }
    return date;
  }

  template <typename Item>
  std::vector<Item> List(
      const YAML::Node& node, const std::string& path,
      const std::function<std::optional<Item>(const YAML::Node&, const std::string&)>& item) {
    std::vector<Item> items;
    if (!node.IsSequence()) {
      Fail(node, path, "must be a list");
      return items;
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
      if (auto value = item(node[i], path + "[" + std::to_string(i) + "]")) {
        items.push_back(std::move(*value));
      }
    }
    return items;
  }

  std::vector<std::string> Strings(const YAML::Node& node, const std::string& path) {
    return List<std::string>(
        node, path, [this](const YAML::Node& n, const std::string& p) { return String(n, p); });
  }

  std::vector<std::string> Formats(const YAML::Node& node, const std::string& path) {
    return List<std::string>(node, path, [this](const YAML::Node& n, const std::string& p) {
      auto name = String(n, p);
      if (name && !IsKnownFormat(*name)) {
        Fail(n, p, "unknown format '" + *name + "' (see 'modelgate rules' and docs/policy.md)");
        return std::optional<std::string>();
      }
      return name;
    });
  }

  std::vector<fs::path> Paths(const YAML::Node& node, const std::string& path) {
    std::vector<fs::path> paths;
    for (const std::string& name : Strings(node, path)) paths.push_back(Resolve(name));
    return paths;
  }

  fs::path Resolve(const std::string& name) const {
    const fs::path path(name);
    return path.is_absolute() ? path : (base_ / path).lexically_normal();
  }

  void ParseSignatures(const YAML::Node& node, SignatureClause& clause);
  void ParseSigstore(const YAML::Node& node, SignatureClause& clause);
  void ParsePins(const YAML::Node& node, PinClause& clause);
  void ParseFormats(const YAML::Node& node, FormatClause& clause);
  void ParseFindings(const YAML::Node& node, FindingClause& clause);
  void ParseNames(const YAML::Node& node, const std::string& path, NameLists& lists);
  void ParseLimits(const YAML::Node& node, Limits& limits);
  void ParseTrialLoad(const YAML::Node& node, TrialLoadClause& clause);
  void ParseAuditEnv(const YAML::Node& node, AuditEnvClause& clause);
  void ParseExceptions(const YAML::Node& node, std::vector<PolicyException>& exceptions);
  void ParseDocument(const YAML::Node& root, Policy& policy);

 private:
  std::string file_;
  fs::path base_;
  std::vector<PolicyError> errors_;
};

}  // namespace

namespace {

void Parser::ParseSignatures(const YAML::Node& node, SignatureClause& clause) {
  for (const auto& [key, value] :
       Map(node, "signatures", {"required", "methods", "keys", "certificate_roots", "sigstore"})) {
    const std::string path = "signatures." + key;
    if (key == "required") {
      clause.required = Bool(value, path).value_or(clause.required);
    } else if (key == "methods") {
      clause.methods =
          List<SignatureMethod>(value, path, [this](const YAML::Node& n, const std::string& p) {
            const std::string name = n.IsScalar() ? n.Scalar() : "";
            if (name == "key") return std::optional(SignatureMethod::kKey);
            if (name == "certificate") return std::optional(SignatureMethod::kCertificate);
            if (name == "sigstore") return std::optional(SignatureMethod::kSigstore);
            Fail(n, p, "must be one of key, certificate, sigstore");
            return std::optional<SignatureMethod>();
          });
    } else if (key == "keys") {
      clause.trusted_keys = Paths(value, path);
    } else if (key == "certificate_roots") {
      clause.certificate_roots = Paths(value, path);
    } else if (key == "sigstore") {
      ParseSigstore(value, clause);
    }
  }
  if (clause.required && !clause.HasTrustMaterial()) {
    Fail(node, "signatures",
         "signatures are required but no trusted key, certificate root or Sigstore identity "
         "is given");
  }
}

void Parser::ParseSigstore(const YAML::Node& node, SignatureClause& clause) {
  for (const auto& [key, value] : Map(node, "signatures.sigstore", {"identities", "trust_root"})) {
    const std::string path = "signatures.sigstore." + key;
    if (key == "trust_root") {
      if (auto name = String(value, path)) clause.sigstore_trust_root = Resolve(*name);
      continue;
    }
    clause.sigstore_identities =
        List<SigstoreIdentity>(value, path, [this](const YAML::Node& n, const std::string& p) {
          SigstoreIdentity identity;
          for (const auto& [k, v] : Map(n, p, {"identity", "issuer"})) {
            (k == "identity" ? identity.identity : identity.issuer) =
                String(v, p + "." + k).value_or("");
          }
          if (identity.identity.empty() || identity.issuer.empty()) {
            Fail(n, p, "needs both identity and issuer");
            return std::optional<SigstoreIdentity>();
          }
          return std::optional(identity);
        });
  }
}

bool IsRootDigest(std::string_view text) {
  constexpr std::string_view kPrefix = "sha256:";
  if (text.size() != kPrefix.size() + 64 || !text.starts_with(kPrefix)) return false;
  return std::all_of(text.begin() + kPrefix.size(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

void Parser::ParsePins(const YAML::Node& node, PinClause& clause) {
  for (const auto& [key, value] : Map(node, "pinned_digests", {"unlisted", "models"})) {
    const std::string path = "pinned_digests." + key;
    if (key == "unlisted") {
      const std::string text = value.IsScalar() ? value.Scalar() : "";
      if (text == "block" || text == "allow") {
        clause.unlisted_blocks = text == "block";
      } else {
        Fail(value, path, "must be block or allow");
      }
      continue;
    }
    clause.pins = List<DigestPin>(value, path, [this](const YAML::Node& n, const std::string& p) {
      DigestPin pin;
      pin.line = n.Mark().line + 1;
      for (const auto& [k, v] : Map(n, p, {"model", "digest"})) {
        (k == "model" ? pin.model : pin.digest) = String(v, p + "." + k).value_or("");
        if (k == "digest" && !pin.digest.empty() && !IsRootDigest(pin.digest)) {
          Fail(v, p + ".digest", "must be sha256: followed by 64 lowercase hex digits");
          pin.digest.clear();
        }
      }
      if (pin.model.empty() || pin.digest.empty()) {
        Fail(n, p, "needs a model and a valid digest");
        return std::optional<DigestPin>();
      }
      return std::optional(pin);
    });
  }
}

void Parser::ParseFormats(const YAML::Node& node, FormatClause& clause) {
  for (const auto& [key, value] :
       Map(node, "formats", {"allowed", "forbidden", "require_signature"})) {
    const std::string path = "formats." + key;
    auto& list = key == "allowed"     ? clause.allowed
                 : key == "forbidden" ? clause.forbidden
                                      : clause.require_signature;
    list = Formats(value, path);
  }
}

void Parser::ParseFindings(const YAML::Node& node, FindingClause& clause) {
  for (const auto& [key, value] : Map(node, "findings", {"block_at", "incomplete_blocks"})) {
    const std::string path = "findings." + key;
    if (key == "block_at") {
      clause.block_at = SeverityOf(value, path).value_or(clause.block_at);
    } else {
      clause.incomplete_blocks = Bool(value, path).value_or(clause.incomplete_blocks);
    }
  }
}

void Parser::ParseNames(const YAML::Node& node, const std::string& path, NameLists& lists) {
  for (const auto& [key, value] :
       Map(node, path, {"pickle_globals", "sparkml_classes", "pyspark_modules", "keras_modules"})) {
    const std::string key_path = path + "." + key;
    const NameKind kind = key == "pickle_globals"    ? NameKind::kPickleGlobal
                          : key == "sparkml_classes" ? NameKind::kSparkMlClass
                          : key == "pyspark_modules" ? NameKind::kPysparkModule
                                                     : NameKind::kKerasModule;
    auto& list = key == "pickle_globals"    ? lists.pickle_globals
                 : key == "sparkml_classes" ? lists.sparkml_classes
                 : key == "pyspark_modules" ? lists.pyspark_modules
                                            : lists.keras_modules;
    list = List<std::string>(value, key_path, [this, kind](const YAML::Node& n,
                                                           const std::string& p) {
      auto name = String(n, p);
      if (!name) return name;
      if (auto why = ValidateNameEntry(kind, *name)) {
        Fail(n, p, "'" + name->substr(0, kMaxNameEntryLength) + "' " + *why);
        return std::optional<std::string>();
      }
      return name;
    });
    if (value.IsSequence() && value.size() > kMaxNameEntries) {
      Fail(value, key_path, "has more than " + std::to_string(kMaxNameEntries) + " entries");
    }
  }
}

void Parser::ParseLimits(const YAML::Node& node, Limits& limits) {
  constexpr std::uint64_t kU32 = 0xffffffffULL;
  constexpr std::uint64_t kMax = 1ULL << 62;
  for (const auto& [key, value] :
       Map(node, "limits",
           {"max_file_size", "max_depth", "max_decompressed_bytes", "max_compression_ratio",
            "max_members", "max_pickle_opcodes", "max_time_per_file"})) {
    const std::string path = "limits." + key;
    if (key == "max_file_size") {
      limits.max_file_size = Unsigned(value, path, kMax, true).value_or(limits.max_file_size);
    } else if (key == "max_decompressed_bytes") {
      limits.max_decompressed_bytes =
          Unsigned(value, path, kMax, true).value_or(limits.max_decompressed_bytes);
    } else if (key == "max_depth") {
      limits.max_depth =
          static_cast<std::uint32_t>(Unsigned(value, path, 64).value_or(limits.max_depth));
    } else if (key == "max_compression_ratio") {
      limits.max_compression_ratio = static_cast<std::uint32_t>(
          Unsigned(value, path, kU32).value_or(limits.max_compression_ratio));
    } else if (key == "max_members") {
      limits.max_members =
          static_cast<std::uint32_t>(Unsigned(value, path, kU32).value_or(limits.max_members));
    } else if (key == "max_pickle_opcodes") {
      limits.max_pickle_opcodes = Unsigned(value, path, kMax).value_or(limits.max_pickle_opcodes);
    } else {
      if (auto seconds = Unsigned(value, path, 24 * 3600)) {
        limits.max_time_per_file = std::chrono::seconds(*seconds);
      }
    }
  }
}

void Parser::ParseTrialLoad(const YAML::Node& node, TrialLoadClause& clause) {
  for (const auto& [key, value] : Map(node, "trial_load", {"required", "loader", "timeout"})) {
    const std::string path = "trial_load." + key;
    if (key == "required") {
      clause.required = Bool(value, path).value_or(clause.required);
    } else if (key == "loader") {
      // A list is the argv as written; a string is split on spaces (no shell, no quoting).
      const std::optional<std::string> text =
          value.IsSequence() ? std::nullopt : String(value, path);
      clause.loader = value.IsSequence() ? Strings(value, path) : SplitLoader(text.value_or(""));
      if (clause.loader.empty() && (value.IsSequence() || text)) {
        Fail(value, path, "must name a command");
      }
    } else if (auto seconds = Unsigned(value, path, 24 * 3600)) {
      if (*seconds == 0) {
        Fail(value, path, "must be at least 1 second");
      } else {
        clause.timeout = std::chrono::seconds(*seconds);
      }
    }
  }
  if (clause.required && clause.loader.empty()) {
    Fail(node, "trial_load", "a required trial load needs a loader command");
  }
}

void Parser::ParseAuditEnv(const YAML::Node& node, AuditEnvClause& clause) {
  for (const auto& [key, value] :
       Map(node, "audit_env", {"required", "python_paths", "spark_home", "block_at"})) {
    const std::string path = "audit_env." + key;
    if (key == "required") {
      clause.required = Bool(value, path).value_or(clause.required);
    } else if (key == "python_paths") {
      clause.python_paths = Strings(value, path);
    } else if (key == "spark_home") {
      clause.spark_home = String(value, path).value_or("");
    } else {
      clause.block_at = SeverityOf(value, path).value_or(clause.block_at);
    }
  }
}

void Parser::ParseExceptions(const YAML::Node& node, std::vector<PolicyException>& exceptions) {
  exceptions =
      List<PolicyException>(node, "exceptions", [this](const YAML::Node& n, const std::string& p) {
        PolicyException exception;
        exception.line = n.Mark().line + 1;
        bool has_expiry = false;
        for (const auto& [k, v] : Map(n, p, {"path", "signer", "rules", "reason", "expires"})) {
          const std::string path = p + "." + k;
          if (k == "path") exception.path = String(v, path).value_or("");
          if (k == "signer") exception.signer = String(v, path).value_or("");
          if (k == "rules") exception.rules = Strings(v, path);
          if (k == "reason") exception.reason = String(v, path).value_or("");
          if (k == "expires") {
            auto date = DateOf(v, path);
            has_expiry = date.has_value();
            if (date) exception.expires = *date;
          }
        }
        const bool valid = (exception.path.empty() != exception.signer.empty()) &&
                           !exception.reason.empty() && has_expiry;
        if (!valid) {
          Fail(n, p, "needs exactly one of path or signer, a reason and an expires date");
          return std::optional<PolicyException>();
        }
        return std::optional(exception);
      });
}

void Parser::ParseDocument(const YAML::Node& root, Policy& policy) {
  if (!root.IsDefined() || root.IsNull()) {
    errors_.push_back({file_, 0, "", "the policy is empty; it needs at least 'version: 1'"});
    return;
  }
  bool has_version = false;
  for (const auto& [key, value] :
       Map(root, "",
           {"version", "signatures", "pinned_digests", "formats", "findings", "allow", "deny",
            "limits", "trial_load", "audit_env", "exceptions", "audit_log"})) {
    if (key == "version") {
      has_version = true;
      auto version = Unsigned(value, key, 1000);
      if (version && *version != kPolicySchemaVersion) {
        Fail(value, key, "unsupported policy version (this modelgate reads version 1)");
      }
    } else if (key == "signatures") {
      ParseSignatures(value, policy.signatures);
    } else if (key == "pinned_digests") {
      ParsePins(value, policy.pinned);
    } else if (key == "formats") {
      ParseFormats(value, policy.formats);
    } else if (key == "findings") {
      ParseFindings(value, policy.findings);
    } else if (key == "allow" || key == "deny") {
      ParseNames(value, key, key == "allow" ? policy.allow : policy.deny);
    } else if (key == "limits") {
      ParseLimits(value, policy.limits);
    } else if (key == "trial_load") {
      ParseTrialLoad(value, policy.trial_load);
    } else if (key == "audit_env") {
      ParseAuditEnv(value, policy.audit_env);
    } else if (key == "exceptions") {
      ParseExceptions(value, policy.exceptions);
    } else if (key == "audit_log") {
      if (auto name = String(value, key)) policy.audit_log = Resolve(*name);
    }
  }
  if (root.IsMap() && !has_version) Fail(root, "version", "is required (version: 1)");
  if (!policy.formats.require_signature.empty() && !policy.signatures.HasTrustMaterial()) {
    Fail(root, "formats.require_signature",
         "needs trusted signers: give signatures.keys, certificate_roots or sigstore");
  }
}

}  // namespace

std::string PolicyError::ToString() const {
  std::string text = file;
  if (line > 0) {
    text += ':';
    text += std::to_string(line);
  }
  text += ": ";
  if (!key_path.empty()) {
    text += key_path;
    text += ": ";
  }
  text += message;
  return text;
}

bool IsKnownFormat(std::string_view name) {
  if (std::find(kEngineFormats.begin(), kEngineFormats.end(), name) != kEngineFormats.end()) {
    return true;
  }
  for (const Analyzer* analyzer : RegisteredAnalyzers()) {
    if (analyzer->Name() == name) return true;
  }
  return false;
}

PolicyLoad ParsePolicy(std::string_view text, const fs::path& file) {
  Parser parser(file.string(), file.parent_path());
  PolicyLoad load;
  Policy policy;
  policy.file = file;
  policy.digest = "sha256:" + Sha256Hex(ByteView(text));
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    parser.ParseDocument(root, policy);
  } catch (const YAML::Exception& error) {
    parser.errors().push_back({file.string(), error.mark.is_null() ? 0 : error.mark.line + 1, "",
                               "not valid YAML: " + error.msg});
  }
  load.errors = std::move(parser.errors());
  if (load.errors.empty()) load.policy = std::move(policy);
  return load;
}

PolicyLoad LoadPolicy(const fs::path& file) {
  PolicyLoad load;
  std::error_code error;
  const std::uintmax_t size = fs::file_size(file, error);
  if (error || size > kMaxPolicyBytes) {
    load.errors.push_back(
        {file.string(), 0, "",
         error ? "cannot read the policy: " + error.message() : "the policy is larger than 1 MiB"});
    return load;
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) {
    load.errors.push_back({file.string(), 0, "", "cannot read the policy"});
    return load;
  }
  return ParsePolicy(bytes.str(), file);
}

}  // namespace mg::policy
