// External data of ONNX tensors (onnx/onnx.proto TensorProto: data_location = EXTERNAL and
// external_data entries "location", "offset", "length", "checksum"; onnx docs/ExternalData.md).
// onnx.load joins the model's folder with `location` and reads `length` bytes at `offset`:
// a location that leaves the folder is an arbitrary file read (CVE-2022-25882 for a leading
// "../", CVE-2024-27318 for "a/../../x", CVE-2026-27489 for symbolic links).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace mg {
class ScanContext;
}

namespace mg::onnx {

// Distinct external files whose size is looked up on disk per model; further ones are only
// judged by name (and an incomplete finding says so).
inline constexpr std::size_t kMaxExternalFiles = 4096;
// Distinct (rule, location) findings reported per model; a model with a million tensors in
// a million files gets one finding per file up to this, then a single note.
inline constexpr std::size_t kMaxLocationFindings = 256;
// external_data entries read per tensor (onnx writes at most five keys).
inline constexpr std::uint64_t kMaxExternalEntries = 64;
// Longest location looked up on disk (Linux PATH_MAX); longer ones are invalid.
inline constexpr std::size_t kMaxLocationBytes = 4096;

enum class LocationRisk : std::uint8_t {
  kInside,      // a relative path that stays in the model's folder
  kSuspicious,  // stays inside lexically, but with ".." segments or control characters
  kEscapes,     // absolute, drive letter, backslash, URL, or ".." above the folder
};

struct LocationVerdict {
  LocationRisk risk = LocationRisk::kInside;
  std::string why;  // for kSuspicious and kEscapes
};

// Judges a location string by itself, as a path that will be joined to the model's folder on
// POSIX or Windows (onnx.load uses os.path.join; ONNX Runtime its own path type).
LocationVerdict JudgeLocation(std::string_view location);

// One tensor's external data reference, as read from the file.
// Views into the model file.
struct ExternalRef {
  std::string_view tensor_name;
  bool external = false;  // data_location == EXTERNAL
  std::optional<std::string_view> location;
  std::optional<std::string_view> offset;
  std::optional<std::string_view> length;
  std::optional<std::string_view> basepath;
  std::string unknown_keys;  // keys onnx does not define, comma-separated (bounded)
  std::uint64_t tensor_offset = 0;  // of the TensorProto, for findings
};

// Judges references one by one and, for a model that is a file on disk, checks the files
// beside it.
class ExternalDataCheck {
 public:
  explicit ExternalDataCheck(ScanContext& ctx);
  void Judge(const ExternalRef& ref);

 private:
  bool JudgePath(const ExternalRef& ref, const std::string& location);
  void JudgeOnDisk(const ExternalRef& ref, const std::string& location, std::uint64_t offset,
                   std::optional<std::uint64_t> length);
  std::optional<std::uint64_t> LookUp(const ExternalRef& ref, const std::string& location);
  void CheckSymlinks(const ExternalRef& ref, const std::string& location);
  // False once the finding for this (rule, location) was made or too many were.
  bool FirstTime(std::string_view rule, const std::string& location);

  ScanContext& ctx_;
  std::string model_dir_;  // empty when the model is not a file on disk
  std::map<std::string, std::optional<std::uint64_t>> file_sizes_;  // nullopt: unusable
  std::set<std::string> reported_;
  bool reported_file_limit_ = false;
  bool reported_finding_limit_ = false;
};

// A decimal integer as onnx writes offset and length (str(int)); nullopt otherwise.
std::optional<std::uint64_t> ParseDecimal(std::string_view text);

// Text from the file for evidence: printable ASCII kept, other bytes as \xHH, at most
// `max_chars` characters.
std::string Printable(std::string_view text, std::size_t max_chars = 160);

}  // namespace mg::onnx
