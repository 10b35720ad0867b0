#include "analyzers/onnx/external_data.h"

#include <filesystem>
#include <system_error>
#include <vector>

#include "analyzers/onnx/rules.h"
#include "core/checked_math.h"
#include "engine/scan_context.h"

namespace mg::onnx {
namespace {

namespace fs = std::filesystem;

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// A URI scheme before "://" or "file:" (RFC 3986: a letter, then letters, digits, + - .).
bool LooksLikeUrl(std::string_view location) {
  if (location.starts_with("file:")) return true;
  const std::size_t colon = location.find("://");
  if (colon == std::string_view::npos || colon == 0 || !IsAsciiLetter(location[0])) return false;
  for (std::size_t i = 1; i < colon; ++i) {
    const char c = location[i];
    if (!IsAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  return true;
}

// Whether `path` (canonical) is `base` (canonical) or below it.
bool IsWithin(const fs::path& base, const fs::path& path) {
  const fs::path relative = path.lexically_relative(base);
  return !relative.empty() && *relative.begin() != "..";
}

}  // namespace

std::string Printable(std::string_view text, std::size_t max_chars) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char c : text) {
    if (out.size() >= max_chars) {
      out += "...";
      break;
    }
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f) {
      out += c;
    } else {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  return out;
}

std::optional<std::uint64_t> ParseDecimal(std::string_view text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto times_ten = CheckedMul(value, 10);
    if (!times_ten) return std::nullopt;
    const auto sum = CheckedAdd(*times_ten, static_cast<std::uint64_t>(c - '0'));
    if (!sum) return std::nullopt;
    value = *sum;
  }
  return value;
}

LocationVerdict JudgeLocation(std::string_view location) {
  if (location.starts_with('/')) return {LocationRisk::kEscapes, "an absolute path"};
  if (location.size() >= 2 && IsAsciiLetter(location[0]) && location[1] == ':') {
    return {LocationRisk::kEscapes, "a path on a Windows drive"};
  }
  // On Windows '\' separates path components ("..\\..\\x", "\\\\server\\share", "\\\\?\\C:").
  if (location.find('\\') != std::string_view::npos) {
    return {LocationRisk::kEscapes, "a Windows path (backslash separators)"};
  }
  if (LooksLikeUrl(location)) return {LocationRisk::kEscapes, "a URL"};
  // Lexical walk: ".." above the model's folder escapes it.
  std::uint64_t depth = 0;
  bool parent_segment = false;
  std::size_t start = 0;
  while (start <= location.size()) {
    std::size_t end = location.find('/', start);
    if (end == std::string_view::npos) end = location.size();
    const std::string_view segment = location.substr(start, end - start);
    if (segment == "..") {
      if (depth == 0) return {LocationRisk::kEscapes, "a path whose \"..\" segments leave the folder"};
      --depth;
      parent_segment = true;
    } else if (!segment.empty() && segment != ".") {
      ++depth;
    }
    start = end + 1;
  }
  for (const char c : location) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      return {LocationRisk::kSuspicious, "a path with a NUL or control character"};
    }
  }
  if (parent_segment) {
    // "link/../x" stays inside on paper, but the OS resolves ".." after following `link`.
    return {LocationRisk::kSuspicious, "a path with \"..\" segments (resolved after any symbolic link)"};
  }
  return {};
}

ExternalDataCheck::ExternalDataCheck(ScanContext& ctx) : ctx_(ctx) {
  // Files beside the model can only be checked for the file on disk itself, not for a model
  // inside an archive.
  if (ctx.depth() != 0 || ctx.target_path().empty()) return;
  std::error_code error;
  if (!fs::is_regular_file(ctx.target_path(), error)) return;
  const fs::path parent = fs::path(ctx.target_path()).parent_path();
  model_dir_ = parent.empty() ? std::string(".") : parent.string();
}

bool ExternalDataCheck::FirstTime(std::string_view rule, const std::string& location) {
  std::string key(rule);
  key += '\n';
  key += location;
  if (reported_.contains(key)) return false;
  if (reported_.size() >= kMaxLocationFindings) {
    if (!reported_finding_limit_) {
      reported_finding_limit_ = true;
      ctx_.Report(rule::kLimit, Severity::kLow,
                  "More than " + std::to_string(kMaxLocationFindings) +
                      " external data findings; further locations are not reported one by one.");
    }
    return false;
  }
  reported_.insert(std::move(key));
  return true;
}

void ExternalDataCheck::Judge(const ExternalRef& ref) {
  const std::string tensor = "tensor '" + Printable(ref.tensor_name, 80) + "'";
  if (!ref.unknown_keys.empty() && FirstTime(rule::kExternalInvalid, "keys " + ref.unknown_keys)) {
    // onnx's ExternalDataInfo stores every key with setattr (before 1.21, CVE-2026-34445).
    ctx_.Report(rule::kExternalInvalid, Severity::kMedium,
                "The external data entries of " + tensor +
                    " have keys onnx does not define; onnx.load before 1.21 sets them as "
                    "attributes of its reader object.",
                ref.tensor_offset, Printable(ref.unknown_keys));
  }
  if (ref.basepath) {
    const LocationVerdict verdict = JudgeLocation(*ref.basepath);
    if (verdict.risk != LocationRisk::kInside &&
        FirstTime(rule::kExternalPath, std::string(ref.basepath->substr(0, kMaxLocationBytes)))) {
      ctx_.Report(rule::kExternalPath, Severity::kHigh,
                  "The 'basepath' external data entry of " + tensor + " is " + verdict.why +
                      "; onnx does not read through it, other tools may.",
                  ref.tensor_offset, "basepath=" + Printable(*ref.basepath));
    }
  }
  if (!ref.location) {
    if (ref.external && FirstTime(rule::kExternalInvalid, "no location")) {
      ctx_.Report(rule::kExternalInvalid, Severity::kMedium,
                  tensor + " has data_location EXTERNAL but no 'location' entry: no loader "
                           "can find its data.",
                  ref.tensor_offset);
    }
    return;
  }
  if (ref.location->size() > kMaxLocationBytes) {
    if (FirstTime(rule::kExternalInvalid, "long location")) {
      ctx_.Report(rule::kExternalInvalid, Severity::kMedium,
                  "The external data location of " + tensor + " is " +
                      std::to_string(ref.location->size()) +
                      " bytes long, longer than any file system path.",
                  ref.tensor_offset, "location=" + Printable(*ref.location));
    }
    return;
  }
  const std::string location(*ref.location);
  if (!JudgePath(ref, location)) return;
  std::optional<std::uint64_t> offset = 0;
  std::optional<std::uint64_t> length;
  if (ref.offset) offset = ParseDecimal(*ref.offset);
  if (ref.length) length = ParseDecimal(*ref.length);
  if (!offset || (ref.length && !length)) {
    if (FirstTime(rule::kExternalInvalid, "numbers " + location)) {
      ctx_.Report(rule::kExternalInvalid, Severity::kMedium,
                  "The offset or length of " + tensor + " is not a decimal number.",
                  ref.tensor_offset,
                  "offset=" + Printable(ref.offset.value_or(std::string_view())) +
                      " length=" + Printable(ref.length.value_or(std::string_view())));
    }
    return;
  }
  if (ref.external && !model_dir_.empty()) JudgeOnDisk(ref, location, *offset, length);
}

// False when the location is not worth looking up on disk.
bool ExternalDataCheck::JudgePath(const ExternalRef& ref, const std::string& location) {
  const std::string tensor = "tensor '" + Printable(ref.tensor_name, 80) + "'";
  const std::string evidence = "location=" + Printable(location);
  if (location.empty()) {
    if (FirstTime(rule::kExternalInvalid, location)) {
      ctx_.Report(rule::kExternalInvalid, Severity::kMedium,
                  "The external data location of " + tensor + " is empty.", ref.tensor_offset);
    }
    return false;
  }
  const LocationVerdict verdict = JudgeLocation(location);
  if (verdict.risk == LocationRisk::kEscapes) {
    if (FirstTime(rule::kExternalPath, location)) {
      ctx_.Report(rule::kExternalPath, Severity::kCritical,
                  "The external data location of " + tensor + " is " + verdict.why +
                      ": loading the model reads a file outside its folder (and may return "
                      "its bytes as tensor values).",
                  ref.tensor_offset, evidence);
    }
    return false;
  }
  if (verdict.risk == LocationRisk::kSuspicious) {
    if (FirstTime(rule::kExternalPath, location)) {
      ctx_.Report(rule::kExternalPath, Severity::kHigh,
                  "The external data location of " + tensor + " is " + verdict.why +
                      "; onnx.save never writes such a path.",
                  ref.tensor_offset, evidence);
    }
    return false;
  }
  if (ref.external && FirstTime(rule::kExternalData, location)) {
    ctx_.Report(rule::kExternalData, Severity::kInfo,
                "The model keeps tensor data in a separate file (first: " + tensor +
                    "); that file belongs to the model and must be shipped and verified with it.",
                ref.tensor_offset, evidence);
  }
  return true;
}

void ExternalDataCheck::JudgeOnDisk(const ExternalRef& ref, const std::string& location,
                                    std::uint64_t offset, std::optional<std::uint64_t> length) {
  const std::optional<std::uint64_t> size = LookUp(ref, location);
  if (!size) return;
  const std::optional<std::uint64_t> end = CheckedAdd(offset, length.value_or(0));
  if (end && *end <= *size) return;
  if (!FirstTime(rule::kExternalMissing, location + "\n" + std::to_string(offset))) return;
  ctx_.Report(rule::kExternalMissing, Severity::kMedium,
              "The data of tensor '" + Printable(ref.tensor_name, 80) +
                  "' lies past the end of its external file: loading fails.",
              ref.tensor_offset,
              "location=" + Printable(location) + " offset=" + std::to_string(offset) +
                  " length=" + (length ? std::to_string(*length) : std::string("(rest)")) +
                  " file size=" + std::to_string(*size));
}

std::optional<std::uint64_t> ExternalDataCheck::LookUp(const ExternalRef& ref,
                                                       const std::string& location) {
  if (const auto found = file_sizes_.find(location); found != file_sizes_.end()) {
    return found->second;
  }
  if (file_sizes_.size() >= kMaxExternalFiles) {
    if (!reported_file_limit_) {
      reported_file_limit_ = true;
      ctx_.Incomplete(rule::kLimit,
                      "The model names more than " + std::to_string(kMaxExternalFiles) +
                          " external data files; the others were judged by name only.",
                      ref.tensor_offset);
    }
    return std::nullopt;
  }
  CheckSymlinks(ref, location);
  const fs::path path = fs::path(model_dir_) / location;
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  std::optional<std::uint64_t> size;
  if (fs::is_regular_file(status)) {
    const std::uintmax_t bytes = fs::file_size(path, error);
    if (!error) size = static_cast<std::uint64_t>(bytes);
  }
  if (!size) {
    const bool exists = fs::exists(status);
    ctx_.Report(rule::kExternalMissing, Severity::kMedium,
                std::string(exists ? "The external data file is not a regular file"
                                   : "The external data file does not exist beside the model") +
                    " (tensor '" + Printable(ref.tensor_name, 80) +
                    "'): the model cannot be loaded or its weights checked.",
                ref.tensor_offset, "location=" + Printable(location));
  }
  file_sizes_.emplace(location, size);
  return size;
}

// A symbolic link on the way to the data file may point anywhere (CVE-2026-27489: onnx
// checked only the last component). Links that stay inside the model's folder are fine.
void ExternalDataCheck::CheckSymlinks(const ExternalRef& ref, const std::string& location) {
  std::error_code error;
  const fs::path base = fs::canonical(model_dir_, error);
  if (error) return;
  fs::path prefix = model_dir_;
  for (const fs::path& component : fs::path(location)) {
    prefix /= component;
    if (!fs::is_symlink(fs::symlink_status(prefix, error))) continue;
    const fs::path target = fs::weakly_canonical(prefix, error);
    if (error || IsWithin(base, target)) continue;
    ctx_.Report(rule::kExternalSymlink, Severity::kMedium,
                "The path to the external data of tensor '" + Printable(ref.tensor_name, 80) +
                    "' goes through a symbolic link that leads out of the model's folder.",
                ref.tensor_offset,
                "location=" + Printable(location) + " link=" + Printable(prefix.string()) +
                    " -> " + Printable(target.string()));
    return;
  }
}

}  // namespace mg::onnx
