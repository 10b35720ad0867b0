// The safetensors analyzer. A safetensors file is an 8-byte header length, a JSON header and
// a byte buffer; nothing in it is ever executed, so a file the reference reader accepts is
// clean. The analyzer checks the header as strictly as huggingface/safetensors' tensor.rs
// (read_metadata and Metadata::validate) does and reports every departure: a file that
// reader refuses is not a safetensors file whatever its name says, so it is `incomplete`
// (medium) and the bytes no tensor accounts for are sniffed for another format. Only the
// header is read: tensor bytes are never touched, so a 10 GB file costs a few page faults.
#include "engine/analyzer.h"

#include <algorithm>
#include <string>
#include <vector>

#include "analyzers/safetensors/header.h"
#include "analyzers/safetensors/rules.h"
#include "core/checked_math.h"
#include "core/reader.h"
#include "engine/capped_reporter.h"
#include "engine/scan_context.h"

namespace mg::safetensors {
namespace {

// Unreferenced byte ranges sniffed for another format; more are only reported.
constexpr int kMaxRangesSniffed = 4;

std::string Bytes(std::uint64_t count) { return std::to_string(count) + " bytes"; }

std::string ShapeText(const std::vector<std::uint64_t>& shape) {
  // Appended piece by piece: GCC 12 -Wrestrict misfires on "," + std::string&&.
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) text += ',';
    text += std::to_string(shape[i]);
  }
  text += ']';
  return text;
}

class SafetensorsScan {
 public:
  SafetensorsScan(ScanContext& ctx, ByteView file)
      : ctx_(ctx), file_(file), report_(ctx, rule::kFindingsCapped) {}

  void Run() {
    pre_ = ReadPreamble(file_);
    if (PreambleUsable()) CheckHeader();
    report_.Flush();
  }

 private:
  bool PreambleUsable() {
    switch (pre_.error) {
      case PreambleError::kNone:
        return true;
      case PreambleError::kTooShort:
        report_.Incomplete(rule::kTruncated,
                           "The file (" + Bytes(file_.size()) +
                               ") ends before the 8-byte header length.",
                           0);
        return false;
      case PreambleError::kTooLarge:
        report_.Incomplete(rule::kHeaderTooLarge,
                           "The header length field says " + Bytes(pre_.header_length) +
                               "; safetensors refuses headers over " + Bytes(kMaxHeaderBytes) +
                               ". The header was not parsed.",
                           0);
        return false;
      case PreambleError::kPastEnd:
        report_.Incomplete(rule::kTruncated,
                           "The header length field says " + Bytes(pre_.header_length) +
                               " but only " + Bytes(file_.size() - kLengthFieldBytes) +
                               " follow it.",
                           0);
        return false;
    }
    return false;
  }

  void CheckHeader() {
    CheckCanonical();
    JsonLimits limits;
    limits.max_values = kMaxJsonValues;
    auto doc = ParseJson(pre_.header, limits);
    if (!doc) {
      report_.Incomplete(rule::kInvalidJson,
                         "The header is not valid JSON text as safetensors reads it: " +
                             doc.error().message + ".",
                         kLengthFieldBytes + doc.error().offset);
      return SniffBuffer();
    }
    for (const std::string& pointer : doc->duplicate_keys) {
      report_.Incomplete(rule::kDuplicateKey,
                         "The header repeats the key " + Excerpt(pointer) +
                             ": readers disagree on which value counts, and only the last one "
                             "was checked.",
                         kLengthFieldBytes);
    }
    if (!doc->value.is_object()) {
      report_.Incomplete(rule::kMalformedHeader,
                         std::string("The header is a JSON ") + doc->value.type_name() +
                             ", not an object.",
                         kLengthFieldBytes);
      return SniffBuffer();
    }
    std::vector<TensorEntry> tensors;
    for (const auto& [key, value] : doc->value.items()) {
      if (key == kMetadataKey) {
        CheckMetadata(value);
      } else if (auto entry = CheckEntry(key, value)) {
        tensors.push_back(std::move(*entry));
      }
    }
    CheckLayout(tensors);
  }

  // What safetensors' writer produces: '{' right after the length, the JSON, then spaces to
  // an 8-byte boundary. Other readers may stop at the first '}' or insist on '{'.
  void CheckCanonical() {
    const std::string_view text = pre_.header.AsStringView();
    const std::size_t last = text.find_last_not_of(' ');
    std::string issues;
    if (text.empty() || text.front() != '{') issues = "it does not start with '{'";
    if (last != std::string_view::npos && text[last] != '}') {
      if (!issues.empty()) issues += "; ";
      issues += "the padding after the JSON is not only spaces";
    }
    if (issues.empty()) return;
    report_.Report(rule::kNoncanonicalHeader, Severity::kLow,
                   "The header is not laid out as safetensors writes it: " + issues + ".",
                   kLengthFieldBytes, Excerpt(text, 60));
  }

  void CheckMetadata(const Json& value) {
    const std::string error = MetadataError(value);
    if (!error.empty()) {
      report_.Incomplete(rule::kBadMetadata,
                         "__metadata__ must map strings to strings, but " + error + ".",
                         kLengthFieldBytes);
      return;
    }
    if (value.is_null()) return;
    for (const auto& [key, text] : value.items()) {
      const std::uint64_t length = text.get_ref<const std::string&>().size();
      if (length <= kLargeMetadataBytes) continue;
      report_.Report(rule::kLargeMetadata, Severity::kInfo,
                     "Metadata value '" + Excerpt(key, 60) + "' holds " + Bytes(length) +
                         ": a payload carried in the header, passed on by tools that read it.",
                     kLengthFieldBytes, Excerpt(text.get_ref<const std::string&>(), 120));
    }
  }

  std::optional<TensorEntry> CheckEntry(const std::string& name, const Json& value) {
    EntryRead read = ReadEntry(name, value);
    if (!read.entry) {
      report_.Incomplete(read.unknown_dtype ? rule::kUnknownDtype : rule::kMalformedHeader,
                         "Tensor '" + Excerpt(name) + "': " + read.error + ".",
                         kLengthFieldBytes);
      return std::nullopt;
    }
    TensorEntry& entry = *read.entry;
    if (!entry.extra_fields.empty()) {
      std::string fields;
      for (const auto& field : entry.extra_fields) {
        if (!fields.empty()) fields += ", ";
        fields += '\'';
        fields += Excerpt(field, 40);
        fields += '\'';
      }
      report_.Report(rule::kUnexpectedField, Severity::kLow,
                     "Tensor '" + Excerpt(name) +
                         "' has fields safetensors does not define; its reader ignores them.",
                     kLengthFieldBytes, fields);
    }
    if (entry.end < entry.begin) {
      report_.Incomplete(rule::kOffsetOutOfBounds,
                         "Tensor '" + Excerpt(name) + "' ends (" + std::to_string(entry.end) +
                             ") before it begins (" + std::to_string(entry.begin) + ").",
                         kLengthFieldBytes);
      return std::nullopt;
    }
    const TensorSize size = TensorBytes(entry);
    if (!size.bytes || *size.bytes != entry.end - entry.begin) {
      report_.Incomplete(
          rule::kSizeMismatch,
          "Tensor '" + Excerpt(name) + "' (" + std::string(entry.dtype->name) + ", shape " +
              ShapeText(entry.shape) + ") " +
              (size.bytes ? "takes " + Bytes(*size.bytes) : size.error) + ", but its offsets span " +
              Bytes(entry.end - entry.begin) + ".",
          kLengthFieldBytes);
    }
    return std::move(entry);
  }

  // tensor.rs validate: sorted by offsets, each tensor starts where the previous ended, and the
  // last one ends where the file ends.
  void CheckLayout(std::vector<TensorEntry>& tensors) {
    const std::uint64_t buffer_size = file_.size() - pre_.buffer_offset;
    std::sort(tensors.begin(), tensors.end(), [](const TensorEntry& a, const TensorEntry& b) {
      return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    std::uint64_t covered = 0;  // end of the bytes accounted for so far
    const TensorEntry* previous = nullptr;
    for (const TensorEntry& tensor : tensors) {
      if (tensor.end > buffer_size) {
        report_.Incomplete(rule::kOffsetOutOfBounds,
                           "Tensor '" + Excerpt(tensor.name) + "' ends at byte " +
                               std::to_string(tensor.end) + " of a buffer of " +
                               Bytes(buffer_size) + ".",
                           file_.size());
        continue;
      }
      if (tensor.begin > covered) {
        report_.Incomplete(rule::kOffsetLayout,
                           Bytes(tensor.begin - covered) + " before tensor '" +
                               Excerpt(tensor.name) + "' belong to no tensor.",
                           pre_.buffer_offset + covered);
        SniffRange(kUnreferencedMember, covered, tensor.begin);
      } else if (tensor.begin < covered && previous != nullptr) {
        report_.Incomplete(rule::kOffsetLayout,
                           "Tensor '" + Excerpt(tensor.name) + "' overlaps tensor '" +
                               Excerpt(previous->name) + "' (" +
                               Bytes(std::min(covered, tensor.end) - tensor.begin) + " shared).",
                           pre_.buffer_offset + tensor.begin);
      }
      if (tensor.end >= covered) {
        covered = tensor.end;
        previous = &tensor;
      }
    }
    if (covered < buffer_size) {
      report_.Incomplete(rule::kTrailingData,
                         Bytes(buffer_size - covered) + " follow the last tensor's data; "
                         "safetensors refuses a buffer its tensors do not cover.",
                         pre_.buffer_offset + covered);
      SniffRange(kTrailingMember, covered, buffer_size);
    }
  }

  // Bytes no tensor claims can hold anything: they are analysed as whatever they sniff as.
  void SniffRange(std::string_view member, std::uint64_t begin, std::uint64_t end) {
    if (ranges_sniffed_ >= kMaxRangesSniffed) return;
    ++ranges_sniffed_;
    const auto range = file_.Sub(pre_.buffer_offset + begin, end - begin);
    if (range) ctx_.ScanEmbedded(std::string(member), *range);
  }

  void SniffBuffer() {
    const ByteView data = file_.Tail(pre_.buffer_offset);
    if (!data.empty()) ctx_.ScanEmbedded(std::string(kDataMember), data);
  }

  ScanContext& ctx_;
  ByteView file_;
  CappedReporter report_;
  Preamble pre_;
  int ranges_sniffed_ = 0;
};

bool IsJsonSpace(std::uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool NamedSafetensors(std::string_view name) {
  constexpr std::string_view kExtension = ".safetensors";
  return name.size() >= kExtension.size() &&
         name.substr(name.size() - kExtension.size()) == kExtension;
}

// No magic number: a plausible length followed by '{' (after optional JSON whitespace).
int SniffContent(ByteView data) {
  Reader reader(data);
  const auto length = reader.U64Le();
  if (!length || *length < 2) return 0;
  std::uint64_t first = kLengthFieldBytes;
  while (first < data.size() && first < 64 && IsJsonSpace(data[first])) ++first;
  if (first >= data.size() || data[first] != '{') return 0;
  const bool immediate = first == kLengthFieldBytes;
  if (*length > kMaxHeaderBytes) return immediate ? 40 : 0;  // reported as too large
  if (!RangeFits(kLengthFieldBytes, *length, data.size())) return immediate ? 60 : 30;
  return immediate ? 90 : 60;
}

class SafetensorsAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return kFormatName; }
  int Sniff(ByteView data) const override { return SniffContent(data); }
  int SniffNamed(std::string_view name, ByteView data) const override {
    const int score = SniffContent(data);
    return score > 0 && NamedSafetensors(name) ? std::min(score + 10, 100) : score;
  }
  void Analyze(ScanContext& ctx, ByteView data) const override {
    SafetensorsScan(ctx, data).Run();
  }
  std::span<const RuleInfo> Rules() const override { return safetensors::Rules(); }
};

}  // namespace
}  // namespace mg::safetensors

namespace mg {

const Analyzer& SafetensorsAnalyzerInstance() {
  static const safetensors::SafetensorsAnalyzer kInstance;
  return kInstance;
}

}  // namespace mg
