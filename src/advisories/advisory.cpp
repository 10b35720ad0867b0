// The advisory list: JSON parsing (bounded, through core/json.h), ranges and matching.
#include "advisories/advisory.h"

#include "core/json.h"

namespace mg::advisories {

extern const char kBundledAdvisoriesText[];  // generated from data/advisories.json

namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

Error Bad(const std::string& where, const std::string& what) {
  return Error::Malformed(0, "advisory list: " + where + ": " + what);
}

// A required string member.
Result<std::string> Text(const Json& object, const char* key, const std::string& where) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string() || it->get<std::string>().empty()) {
    return Bad(where, std::string("\"") + key + "\" must be a non-empty string");
  }
  return it->get<std::string>();
}

std::string OptionalText(const Json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<Advisory> ParseAdvisory(const Json& entry, std::size_t index) {
  std::string where = "advisory #" + std::to_string(index);
  if (!entry.is_object()) return Bad(where, "not an object");
  Advisory out;
  auto id = Text(entry, "id", where);
  if (!id) return id.error();
  out.id = *id;
  where = out.id;
  auto package = Text(entry, "package", where);
  auto ecosystem = Text(entry, "ecosystem", where);
  auto severity = Text(entry, "severity", where);
  auto loading_path = Text(entry, "loading_path", where);
  auto summary = Text(entry, "summary", where);
  auto source = Text(entry, "source", where);
  for (const auto* field : {&package, &ecosystem, &severity, &loading_path, &summary, &source}) {
    if (!*field) return field->error();
  }
  const auto parsed_ecosystem = ParseEcosystem(*ecosystem);
  if (!parsed_ecosystem) return Bad(where, "unknown ecosystem \"" + *ecosystem + "\"");
  const auto parsed_severity = ParseSeverity(*severity);
  if (!parsed_severity) return Bad(where, "unknown severity \"" + *severity + "\"");
  out.package = NormalizePackageName(*package);
  out.ecosystem = *parsed_ecosystem;
  out.severity = *parsed_severity;
  out.loading_path = *loading_path;
  out.summary = *summary;
  out.source = *source;
  out.fixed = OptionalText(entry, "fixed");
  if (!out.fixed.empty() && !Version::Parse(out.ecosystem, out.fixed)) {
    return Bad(where, "fixed version \"" + out.fixed + "\" does not parse");
  }
  if (const auto aliases = entry.find("aliases"); aliases != entry.end()) {
    if (!aliases->is_array()) return Bad(where, "\"aliases\" must be a list");
    for (const auto& alias : *aliases) {
      if (!alias.is_string()) return Bad(where, "an alias is not a string");
      out.aliases.push_back(alias.get<std::string>());
    }
  }
  const auto affected = entry.find("affected");
  if (affected == entry.end() || !affected->is_array() || affected->empty()) {
    return Bad(where, "\"affected\" must be a non-empty list of ranges");
  }
  for (const auto& range : *affected) {
    if (!range.is_string()) return Bad(where, "a range is not a string");
    auto parsed = ParseRange(out.ecosystem, range.get<std::string>());
    if (!parsed) return Bad(where, parsed.error().message);
    out.affected.push_back(std::move(*parsed));
  }
  return out;
}

Result<WatchedPackage> ParseWatched(const Json& entry, std::size_t index) {
  const std::string where = "package #" + std::to_string(index);
  if (!entry.is_object()) return Bad(where, "not an object");
  auto name = Text(entry, "name", where);
  if (!name) return name.error();
  auto ecosystem = Text(entry, "ecosystem", where);
  if (!ecosystem) return ecosystem.error();
  const auto parsed = ParseEcosystem(*ecosystem);
  if (!parsed) return Bad(where, "unknown ecosystem \"" + *ecosystem + "\"");
  WatchedPackage out{NormalizePackageName(*name), *parsed, OptionalText(entry, "note"), {}};
  if (const auto others = entry.find("distributions"); others != entry.end()) {
    if (!others->is_array()) return Bad(where, "\"distributions\" must be a list of names");
    for (const auto& other : *others) {
      if (!other.is_string() || other.get<std::string>().empty()) {
        return Bad(where, "a distribution name is not a non-empty string");
      }
      out.distributions.push_back(NormalizePackageName(other.get<std::string>()));
    }
  }
  return out;
}

}  // namespace

std::string NormalizePackageName(std::string_view name) {
  std::string out;
  bool in_run = false;
  for (char c : Trim(name)) {
    if (c == '-' || c == '_' || c == '.') {
      in_run = true;
      continue;
    }
    if (in_run && !out.empty()) out.push_back('-');
    in_run = false;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

Result<VersionRange> ParseRange(Ecosystem ecosystem, std::string_view text) {
  VersionRange range;
  range.text = std::string(text);
  using Op = Constraint::Op;
  constexpr std::pair<std::string_view, Op> kOps[] = {
      {"<=", Op::kLessEqual}, {">=", Op::kGreaterEqual}, {"==", Op::kEqual},
      {"!=", Op::kNotEqual},  {"<", Op::kLess},          {">", Op::kGreater}};
  while (true) {
    const std::size_t comma = text.find(',');
    std::string_view piece = Trim(text.substr(0, comma));
    bool matched = false;
    for (const auto& [spelling, op] : kOps) {
      if (piece.substr(0, spelling.size()) != spelling) continue;
      const auto version = Version::Parse(ecosystem, piece.substr(spelling.size()));
      if (!version) break;
      range.constraints.push_back({op, *version});
      matched = true;
      break;
    }
    if (!matched) {
      return Error::Malformed(0, "range \"" + range.text + "\": \"" + std::string(piece) +
                                     "\" is not a comparison with a version");
    }
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return range;
}

bool VersionRange::Contains(const Version& version) const {
  using Op = Constraint::Op;
  for (const Constraint& constraint : constraints) {
    const int c = version.Compare(constraint.version);
    bool holds = false;
    switch (constraint.op) {
      case Op::kLess: holds = c < 0; break;
      case Op::kLessEqual: holds = c <= 0; break;
      case Op::kGreater: holds = c > 0; break;
      case Op::kGreaterEqual: holds = c >= 0; break;
      case Op::kEqual: holds = c == 0; break;
      case Op::kNotEqual: holds = c != 0; break;
    }
    if (!holds) return false;
  }
  return true;
}

bool Advisory::Affects(const Version& version) const {
  if (version.ecosystem() != ecosystem) return false;
  for (const VersionRange& range : affected) {
    if (range.Contains(version)) return true;
  }
  return false;
}

const WatchedPackage* AdvisoryList::FindPackage(Ecosystem ecosystem,
                                                std::string_view name) const {
  for (const WatchedPackage& package : packages) {
    if (package.ecosystem != ecosystem) continue;
    if (package.name == name) return &package;
    for (const std::string& other : package.distributions) {
      if (other == name) return &package;
    }
  }
  return nullptr;
}

std::string AdvisoryList::AdvisoryName(Ecosystem ecosystem, std::string_view name) const {
  const WatchedPackage* watched = FindPackage(ecosystem, name);
  return watched != nullptr ? watched->name : std::string(name);
}

std::vector<const Advisory*> AdvisoryList::Matching(Ecosystem ecosystem, std::string_view name,
                                                    const Version& version) const {
  std::vector<const Advisory*> out;
  for (const Advisory& advisory : advisories) {
    if (advisory.ecosystem == ecosystem && advisory.package == name &&
        advisory.Affects(version)) {
      out.push_back(&advisory);
    }
  }
  return out;
}

Result<AdvisoryList> ParseAdvisories(ByteView json) {
  if (json.size() > kMaxAdvisoryFileBytes) {
    return Error::Limit(0, "advisory list larger than " + std::to_string(kMaxAdvisoryFileBytes) +
                               " bytes");
  }
  JsonLimits limits;
  limits.max_depth = 8;
  limits.max_string_bytes = 64 << 10;
  auto document = ParseJson(json, limits);
  if (!document) return document.error();
  const Json& root = document->value;
  if (!root.is_object()) return Bad("top level", "not an object");
  const auto advisories = root.find("advisories");
  if (advisories == root.end() || !advisories->is_array()) {
    return Bad("top level", "\"advisories\" must be a list");
  }
  if (advisories->size() > kMaxAdvisories) return Error::Limit(0, "too many advisories");
  AdvisoryList list;
  for (std::size_t i = 0; i < advisories->size(); ++i) {
    auto advisory = ParseAdvisory((*advisories)[i], i);
    if (!advisory) return advisory.error();
    list.advisories.push_back(std::move(*advisory));
  }
  if (const auto packages = root.find("packages"); packages != root.end()) {
    if (!packages->is_array() || packages->size() > kMaxAdvisories) {
      return Bad("top level", "\"packages\" must be a list");
    }
    for (std::size_t i = 0; i < packages->size(); ++i) {
      auto package = ParseWatched((*packages)[i], i);
      if (!package) return package.error();
      list.packages.push_back(std::move(*package));
    }
  }
  // Every advised package is watched, so that its presence is always listed.
  for (const Advisory& advisory : list.advisories) {
    if (!list.FindPackage(advisory.ecosystem, advisory.package)) {
      list.packages.push_back({advisory.package, advisory.ecosystem, "", {}});
    }
  }
  return list;
}

std::string_view BundledAdvisoriesJson() { return kBundledAdvisoriesText; }

const AdvisoryList& BundledAdvisories() {
  // The bundled list is checked by a unit test; should it ever fail to parse, the list is
  // empty and audit-env says so instead of passing silently (see audit.cpp).
  static const AdvisoryList kList = [] {
    auto parsed = ParseAdvisories(ByteView(BundledAdvisoriesJson()));
    return parsed ? std::move(*parsed) : AdvisoryList{};
  }();
  return kList;
}

}  // namespace mg::advisories
