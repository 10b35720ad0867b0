#include "analyzers/sparkml/metadata.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "advisories/requirement.h"
#include "analyzers/pickle/globals.h"
#include "analyzers/sparkml/rules.h"
#include "analyzers/sparkml/sql_rules.h"
#include "core/json.h"
#include "engine/scan_context.h"

namespace mg::sparkml {
namespace {

// Real metadata is a few KB; a stage with a large vocabulary keeps it in data/.
constexpr JsonLimits kMetadataJsonLimits{64, 1'000'000, 4ULL << 20};
constexpr std::size_t kMaxEvidenceValue = 160;
// pyspark.ml.connect pipelines nest stage metadata inline; nesting deeper than this is not read.
constexpr std::uint32_t kMaxConnectDepth = 8;

std::string Clip(std::string_view value) {
  std::string out(value.substr(0, kMaxEvidenceValue));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  if (value.size() > kMaxEvidenceValue) out += "...";
  return out;
}

std::string Child(const std::string& pointer, const std::string& key) {
  return pointer + "/" + JsonPointerToken(key);
}

const Json* Member(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// A string parameter or the JSON-encoded string Scala's writer stores ("\"epm_x0\"").
std::string DecodeMaybeQuoted(const std::string& value) {
  if (value.size() < 2 || value.front() != '"') return value;
  Result<JsonDocument> parsed = ParseJson(ByteView(value), kMetadataJsonLimits);
  if (parsed && parsed->value.is_string()) return parsed->value.get<std::string>();
  return value;
}

bool IsFalse(const Json& value) {
  if (value.is_boolean()) return !value.get<bool>();
  return value.is_string() && DecodeMaybeQuoted(value.get<std::string>()) == "false";
}

bool IsEpmFolder(std::string_view value) {
  if (!value.starts_with("epm_") || value.size() == 4 || value.size() > 128) return false;
  return std::all_of(value.begin() + 4, value.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

class LineScan {
 public:
  LineScan(ScanContext& ctx, const std::string& label, std::uint64_t offset,
           std::string prefix = {}, std::uint32_t depth = 0)
      : ctx_(ctx), label_(label), offset_(offset), prefix_(std::move(prefix)), depth_(depth) {}

  std::optional<MetadataInfo> Run(ByteView line) {
    Result<JsonDocument> parsed = ParseJson(line, kMetadataJsonLimits);
    if (!parsed) {
      ctx_.Incomplete(rule::kMalformed,
                      label_ + ": not JSON that could be read: " + parsed.error().message + ".",
                      offset_ + parsed.error().offset);
      return std::nullopt;
    }
    for (const std::string& pointer : parsed->duplicate_keys) {
      ctx_.Report(rule::kDuplicateKey, Severity::kMedium,
                  label_ + ": a key appears twice; loaders disagree on which value counts.",
                  offset_, pointer);
    }
    return Stage(parsed->value);
  }

  // One stage's metadata object: the file's root, or an inline stage of a Spark Connect
  // (pyspark.ml.connect) pipeline's "stages" list.
  std::optional<MetadataInfo> Stage(const Json& root) {
    const Json* class_value = Member(root, "class");
    if (class_value == nullptr || !class_value->is_string()) {
      ctx_.Incomplete(rule::kMalformed,
                      label_ + ": the metadata has no string \"class\" at " +
                          (prefix_.empty() ? "/" : prefix_) + ".",
                      offset_);
      return std::nullopt;
    }
    info_.class_name = class_value->get<std::string>();
    if (const Json* version = Member(root, "sparkVersion"); version && version->is_string()) {
      info_.release = ParseSparkRelease(version->get_ref<const std::string&>());
    }
    info_.entry = LookUpSparkClass(info_.class_name, info_.release);
    const Json* param_map = Member(root, "paramMap");
    python_writer_ = param_map != nullptr && Member(*param_map, "language") != nullptr &&
                     (*param_map)["language"] == "Python";
    JudgeClass();
    Uid(root);
    Version(root);
    for (const char* map_name : {"paramMap", "defaultParamMap"}) {
      const Json* map = Member(root, map_name);
      if (map != nullptr && map->is_object()) Params(*map, prefix_ + "/" + map_name);
    }
    if (const Json* classes = Member(root, "numClasses"); classes && classes->is_number_integer()) {
      NumClasses(classes->get<std::int64_t>());
    }
    ConnectParts(root);
    return info_;
  }

 private:
  void JudgeClass() {
    const std::string& name = info_.class_name;
    const PolicyVerdict policy = JudgePolicy(name);
    if (info_.entry) return JudgeRelease();
    const std::string evidence = prefix_ + "/class: " + Clip(name);
    if (IsJdkClass(name)) {
      return ctx_.Report(rule::kJdkClass, Severity::kCritical,
                         label_ + ": the class is a JDK or Scala runtime class, which the loader "
                                  "constructs by reflection with the uid as its argument.",
                         offset_, evidence);
    }
    const std::size_t dot = name.rfind('.');
    const std::string module = dot == std::string::npos ? name : name.substr(0, dot);
    const std::string attribute = dot == std::string::npos ? "" : name.substr(dot + 1);
    const pickle::GlobalVerdict verdict = pickle::JudgeGlobal(module, attribute);
    if (verdict.kind == pickle::GlobalKind::kDenied) {
      return ctx_.Report(rule::kPythonClass, Severity::kCritical,
                         label_ + ": PySpark imports " + module + " and calls " + attribute + " (" +
                             std::string(verdict.reason) + ").",
                         offset_, evidence);
    }
    if (python_writer_ || name.starts_with("pyspark.") || verdict.kind != pickle::GlobalKind::kUnknown) {
      if (policy.class_allowed || policy.module_allowed) return;
      return ctx_.Report(rule::kPythonClass, Severity::kHigh,
                         label_ + ": a Python class outside pyspark.ml; PySpark imports module " +
                             module + " and runs its code.",
                         offset_, evidence);
    }
    if (policy.class_allowed) return;
    ctx_.Report(rule::kUnknownClass, Severity::kHigh,
                label_ + ": a class Spark does not ship; the loader loads it by reflection "
                         "(JVM) or imports it (PySpark) and constructs it.",
                offset_, evidence);
  }

  struct PolicyVerdict {
    bool class_allowed = false;   // allow.sparkml_classes names the class
    bool module_allowed = false;  // allow.pyspark_modules names its module
  };

  // The policy's lists (`modelgate check`): a denied class or module is reported on its own;
  // an allowed one only drops the "unknown class" and "Python class" findings, never those for
  // JDK classes or dangerous Python callables.
  PolicyVerdict JudgePolicy(const std::string& name) {
    PolicyVerdict verdict;
    const OrgNameLists& lists = ctx_.name_lists();
    if (lists.empty()) return verdict;
    const std::size_t dot = name.rfind('.');
    const std::string module = dot == std::string::npos ? "" : name.substr(0, dot);
    if (const auto entry = lists.Denied(NameKind::kSparkMlClass, name)) {
      ctx_.Report(rule::kPolicyDeniedClass, Severity::kCritical,
                  label_ + ": the policy denies class " + Clip(name) + ".", offset_,
                  prefix_ + "/class: " + PolicyDenyEvidence(name, *entry));
    }
    const auto module_entry =
        module.empty() ? std::nullopt : lists.Denied(NameKind::kPysparkModule, module);
    if (module_entry) {
      ctx_.Report(rule::kPolicyDeniedModule, Severity::kCritical,
                  label_ + ": the policy denies module " + Clip(module) +
                      ", which PySpark imports for this class.",
                  offset_, prefix_ + "/class: " + PolicyDenyEvidence(name, *module_entry));
    }
    verdict.class_allowed = lists.Allowed(NameKind::kSparkMlClass, name).has_value();
    verdict.module_allowed =
        !module.empty() && lists.Allowed(NameKind::kPysparkModule, module).has_value();
    return verdict;
  }

  // A Spark class the named release did not ship: the metadata was edited or assembled by
  // hand, or the version lies. Loading still works on a Spark that has the class.
  void JudgeRelease() {
    if (!info_.release || ShippedIn(*info_.entry, *info_.release)) return;
    const CatalogEntry& entry = *info_.entry;
    const std::string shipped =
        entry.since > *info_.release ? "added in Spark " + ReleaseText(entry.since)
                                     : "removed in Spark " + ReleaseText(entry.until);
    ctx_.Report(rule::kClassRelease, Severity::kLow,
                label_ + ": the class is " + shipped + ", but the metadata says Spark " +
                    ReleaseText(*info_.release) + " wrote it; Spark's writers never do that.",
                offset_, prefix_ + "/class: " + Clip(info_.class_name) + " (sparkVersion " +
                             ReleaseText(*info_.release) + ")");
  }

  // Spark 3.5 pyspark.ml.connect models (metadata.json): core_model_path names the pickled or
  // torch.save'd core model beside the metadata (joined with os.path.join, so an absolute path
  // escapes), and pipelines nest their stages' metadata inline under "stages".
  void ConnectParts(const Json& root) {
    if (const Json* core = Member(root, "core_model_path"); core != nullptr) {
      const std::string path = core->is_string() ? core->get<std::string>() : core->dump();
      if (!core->is_string() || IsPathEscape(path) || path.find('/') != std::string::npos) {
        ctx_.Report(rule::kPathValue, Severity::kHigh,
                    label_ + ": core_model_path is not a file name inside the model folder.",
                    offset_, prefix_ + "/core_model_path: " + Clip(path));
      }
    }
    const Json* stages = Member(root, "stages");
    if (stages == nullptr || !stages->is_array()) return;
    if (depth_ >= kMaxConnectDepth || stages->size() > kMaxStages) {
      ctx_.Report(rule::kLimit, Severity::kMedium,
                  label_ + ": inline stages nested too deep or too many; not all were checked.",
                  offset_, prefix_ + "/stages");
      if (depth_ >= kMaxConnectDepth) return;
    }
    for (std::size_t i = 0; i < stages->size() && i < kMaxStages; ++i) {
      LineScan(ctx_, label_, offset_, prefix_ + "/stages/" + std::to_string(i), depth_ + 1)
          .Stage((*stages)[i]);
    }
  }

  void CheckUid(const std::string& pointer, const Json& value) {
    if (!value.is_string()) {
      ctx_.Report(rule::kBadUid, Severity::kMedium, label_ + ": a uid is not a string.", offset_,
                  pointer);
      return;
    }
    const std::string& uid = value.get_ref<const std::string&>();
    if (IsPlainUid(uid)) return;
    const bool escapes = uid.find_first_of("/\\:") != std::string::npos ||
                         uid.find("..") != std::string::npos;
    ctx_.Report(rule::kBadUid, escapes ? Severity::kHigh : Severity::kMedium,
                label_ + (escapes ? ": a uid holds a path or URI; stage folders are built from "
                                    "uids, so the loader would read outside the model."
                                  : ": a uid is not a plain name ([A-Za-z0-9_-]{1,128})."),
                offset_, pointer + ": " + Clip(uid));
  }

  void Uid(const Json& root) {
    const Json* uid = Member(root, "uid");
    if (uid == nullptr) {
      ctx_.Report(rule::kMalformed, Severity::kMedium, label_ + ": the metadata has no uid.",
                  offset_, prefix_ + "/uid");
      return;
    }
    CheckUid(prefix_ + "/uid", *uid);
    if (uid->is_string()) info_.uid = uid->get<std::string>();
  }

  void Version(const Json& root) {
    const Json* version = Member(root, "sparkVersion");
    const std::string text = version && version->is_string() ? version->get<std::string>() : "?";
    ctx_.Report(rule::kSparkVersion, Severity::kInfo,
                label_ + ": written by Spark " + Clip(text) + ".", offset_,
                prefix_ + "/sparkVersion: " + Clip(text) + " (" + Clip(info_.class_name) + ")");
    const std::string affected =
        advisories::DescribeRecordedRelease(advisories::Ecosystem::kMaven, "spark", text);
    if (affected.empty()) return;
    ctx_.Report(rule::kVersionAdvisory, Severity::kLow,
                label_ + ": written by Spark " + text + ", " + affected +
                    ". Load it with a fixed Spark.",
                offset_, prefix_ + "/sparkVersion: " + text);
  }

  void NumClasses(std::int64_t count) {
    if (count < 0 || count > kMaxNumClasses) {
      ctx_.Report(rule::kLimit, Severity::kMedium,
                  label_ + ": numClasses is out of range; the loader loops over it.", offset_,
                  prefix_ + "/numClasses: " + std::to_string(count) + " (limit " +
                      std::to_string(kMaxNumClasses) + ")");
      info_.num_classes = std::clamp<std::int64_t>(count, 0, kMaxNumClasses);
      return;
    }
    info_.num_classes = count;
  }

  void Params(const Json& map, const std::string& pointer) {
    for (const auto& [key, value] : map.items()) {
      const std::string child = Child(pointer, key);
      if (key == "statement" && IsSqlTransformer(info_.class_name)) {
        Statement(child, value);
      } else if (key == "stageUids") {
        StageUids(child, value);
      } else if (key == "estimatorParamMaps") {
        ParamMaps(child, value);
      } else {
        PathValues(child, value);
      }
    }
  }

  void Statement(const std::string& pointer, const Json& value) {
    if (!value.is_string()) return PathValues(pointer, value);
    const std::string& statement = value.get_ref<const std::string&>();
    for (const sparksql::SqlIssue& issue :
         sparksql::AnalyzeSqlStatement(statement, {}, info_.uid)) {
      ctx_.Report(SqlRuleId(issue.kind), issue.severity,
                  label_ + ": SQLTransformer statement: " + issue.message, offset_,
                  pointer + " @" + std::to_string(issue.offset) + ": " + issue.excerpt);
    }
  }

  void StageUids(const std::string& pointer, const Json& value) {
    if (!value.is_array()) {
      ctx_.Report(rule::kMalformed, Severity::kMedium, label_ + ": stageUids is not a list.",
                  offset_, pointer);
      info_.stages_complete = false;
      return;
    }
    if (pointer.starts_with("/defaultParamMap")) return;  // Spark writes it only in paramMap
    info_.num_stages = value.size();
    if (value.size() > kMaxStages) {
      ctx_.Report(rule::kLimit, Severity::kMedium, label_ + ": too many pipeline stages.",
                  offset_, pointer + ": " + std::to_string(value.size()) + " (limit " +
                                   std::to_string(kMaxStages) + ")");
      info_.stages_complete = false;
    }
    for (std::size_t i = 0; i < value.size() && i < kMaxStages; ++i) {
      CheckUid(pointer + "/" + std::to_string(i), value[i]);
      const bool plain = value[i].is_string() && IsPlainUid(value[i].get<std::string>());
      info_.stage_uids.push_back(plain ? value[i].get<std::string>() : std::string());
      if (!plain) info_.stages_complete = false;
    }
  }

  // [[{"parent": uid, "name": p, "value": v, "isJson": b}, ...], ...] (ValidatorParams).
  void ParamMaps(const std::string& pointer, const Json& maps) {
    if (!maps.is_array()) return PathValues(pointer, maps);
    std::size_t seen = 0;
    for (std::size_t i = 0; i < maps.size(); ++i) {
      if (!maps[i].is_array()) continue;
      for (std::size_t j = 0; j < maps[i].size(); ++j) {
        if (++seen > kMaxParamMaps) {
          ctx_.Report(rule::kLimit, Severity::kMedium, label_ + ": too many param map entries.",
                      offset_, pointer + " (limit " + std::to_string(kMaxParamMaps) + ")");
          return;
        }
        ParamMapEntry(pointer + "/" + std::to_string(i) + "/" + std::to_string(j), maps[i][j]);
      }
    }
  }

  void ParamMapEntry(const std::string& pointer, const Json& entry) {
    const Json* is_json = Member(entry, "isJson");
    const Json* value = Member(entry, "value");
    if (is_json == nullptr || value == nullptr || !IsFalse(*is_json)) {
      if (value != nullptr) PathValues(pointer + "/value", *value);
      return;
    }
    const std::string folder = value->is_string() ? DecodeMaybeQuoted(value->get<std::string>())
                                                  : value->dump();
    if (IsEpmFolder(folder)) {
      info_.epm_folders.push_back(folder);
      return;
    }
    ctx_.Report(rule::kEpmPath, Severity::kHigh,
                label_ + ": a tuning param map names a folder to load that is not an epm_ "
                         "folder of the model; the validator loads whatever is there.",
                offset_, pointer + "/value: " + Clip(folder));
  }

  void PathValues(const std::string& pointer, const Json& value) {
    if (++path_values_ > kMaxPathValues) return;
    if (value.is_string()) {
      const std::string& text = value.get_ref<const std::string&>();
      if (IsPathEscape(text)) {
        ctx_.Report(rule::kPathValue, Severity::kHigh,
                    label_ + ": a parameter is a path outside the model folder.", offset_,
                    pointer + ": " + Clip(text));
      }
    } else if (value.is_array()) {
      for (std::size_t i = 0; i < value.size(); ++i) {
        PathValues(pointer + "/" + std::to_string(i), value[i]);
      }
    } else if (value.is_object()) {
      for (const auto& [key, child] : value.items()) PathValues(Child(pointer, key), child);
    }
  }

  ScanContext& ctx_;
  const std::string& label_;
  std::uint64_t offset_;
  std::string prefix_;  // JSON Pointer of the stage object ("" for the file's root)
  std::uint32_t depth_;
  MetadataInfo info_;
  bool python_writer_ = false;
  std::size_t path_values_ = 0;
};

bool IsBlank(ByteView line) {
  for (std::uint64_t i = 0; i < line.size(); ++i) {
    const std::uint8_t c = line[i];
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

}  // namespace

ByteView FirstLine(ByteView data) {
  const void* newline = data.empty() ? nullptr : std::memchr(data.data(), '\n', data.size());
  std::uint64_t end = newline == nullptr
                          ? data.size()
                          : static_cast<std::uint64_t>(static_cast<const std::uint8_t*>(newline) -
                                                       data.data());
  if (end > 0 && data[end - 1] == '\r') --end;
  return data.Prefix(end);
}

std::optional<MetadataInfo> AnalyzeMetadata(ScanContext& ctx, ByteView data,
                                            const std::string& label) {
  if (data.size() > kMaxMetadataBytes) {
    ctx.Incomplete(rule::kMalformed, label + " is larger than " +
                                         std::to_string(kMaxMetadataBytes) +
                                         " bytes and was not parsed.");
    return std::nullopt;
  }
  std::optional<MetadataInfo> first;
  std::uint64_t offset = 0;
  std::size_t lines = 0;
  while (offset < data.size()) {
    const ByteView rest = data.Tail(offset);
    const ByteView line = FirstLine(rest);
    const std::uint64_t line_offset = offset;
    const void* newline = rest.empty() ? nullptr : std::memchr(rest.data(), '\n', rest.size());
    offset = newline == nullptr ? data.size()
                                : line_offset + (static_cast<const std::uint8_t*>(newline) -
                                                 rest.data()) + 1;
    if (IsBlank(line)) continue;
    ++lines;
    if (lines > kMaxLinesAnalysed) continue;
    std::optional<MetadataInfo> info = LineScan(ctx, label, line_offset).Run(line);
    if (lines == 1) first = std::move(info);
  }
  if (lines > 1) {
    ctx.Report(rule::kMultipleLines, Severity::kMedium,
               label + " has " + std::to_string(lines) +
                   " non-empty lines; Spark reads only the first.",
               std::nullopt, label + ": " + std::to_string(lines) + " lines");
  }
  if (lines == 0) {
    ctx.Incomplete(rule::kMalformed, label + " is empty; Spark would fail to load it.", 0);
  }
  return first;
}

std::optional<MetadataInfo> AnalyzeConnectMetadata(ScanContext& ctx, ByteView data,
                                                   const std::string& label) {
  if (data.size() > kMaxMetadataBytes) {
    ctx.Incomplete(rule::kMalformed, label + " is larger than " +
                                         std::to_string(kMaxMetadataBytes) +
                                         " bytes and was not parsed.");
    return std::nullopt;
  }
  return LineScan(ctx, label, 0).Run(data);
}

std::optional<MetadataHead> ReadMetadataHead(ByteView first_line) {
  Result<JsonDocument> parsed = ParseJson(first_line, kMetadataJsonLimits);
  if (!parsed) return std::nullopt;
  const Json* class_value = Member(parsed->value, "class");
  if (class_value == nullptr || !class_value->is_string()) return std::nullopt;
  MetadataHead head;
  head.class_name = class_value->get<std::string>();
  if (const Json* uid = Member(parsed->value, "uid"); uid && uid->is_string()) {
    head.uid = uid->get<std::string>();
  }
  if (const Json* version = Member(parsed->value, "sparkVersion"); version && version->is_string()) {
    head.release = ParseSparkRelease(version->get_ref<const std::string&>());
  }
  return head;
}

bool IsPlainUid(std::string_view uid) {
  if (uid.empty() || uid.size() > 128) return false;
  return std::all_of(uid.begin(), uid.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-';
  });
}

bool IsPathEscape(std::string_view value) {
  if (value.size() < 2 || value.find_first_of(" \t\r\n") != std::string_view::npos) return false;
  if (value.front() == '/' || value.starts_with("\\\\") || value.starts_with("~/")) return true;
  if (value.size() > 2 && value[1] == ':' && (value[2] == '\\' || value[2] == '/')) return true;
  // A URI scheme: letters, then "://" or ":/" (file:/tmp/x).
  const std::size_t colon = value.find(":/");
  if (colon != std::string_view::npos && colon > 0 && colon <= 16 &&
      std::all_of(value.begin(), value.begin() + static_cast<std::ptrdiff_t>(colon), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '+' || c == '.' || c == '-';
      })) {
    return true;
  }
  // A ".." component between separators.
  std::size_t start = 0;
  while (start <= value.size()) {
    std::size_t end = value.find_first_of("/\\", start);
    if (end == std::string_view::npos) end = value.size();
    if (value.substr(start, end - start) == "..") return true;
    start = end + 1;
  }
  return false;
}

std::string StageFolderName(std::size_t index, std::size_t num_stages, std::string_view uid) {
  const std::size_t digits = std::to_string(num_stages).size();
  std::string name = std::to_string(index);
  if (name.size() < digits) name.insert(0, digits - name.size(), '0');
  return name + "_" + std::string(uid);
}

}  // namespace mg::sparkml
