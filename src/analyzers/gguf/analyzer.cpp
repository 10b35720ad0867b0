// The GGUF analyzer: parses the header, metadata and tensor infos (parser.h), judges every
// chat template (and any other metadata string that looks like Jinja) for sandbox escapes
// (template_rules.h), and checks that the tensor data the infos describe lies inside the
// file. Tensor data itself is never read; bytes after it are sniffed as an embedded payload.
#include "engine/analyzer.h"

#include <algorithm>
#include <set>
#include <string>

#include "analyzers/gguf/format.h"
#include "analyzers/gguf/parser.h"
#include "analyzers/gguf/rules.h"
#include "analyzers/jinja/template_rules.h"
#include "engine/capped_reporter.h"
#include "engine/scan_context.h"

namespace mg::gguf {
namespace {

std::string_view TemplateRule(jinja::IssueKind kind) {
  switch (kind) {
    case jinja::IssueKind::kSandboxEscape:
      return rule::kTemplateCodeExecution;
    case jinja::IssueKind::kSuspicious:
      return rule::kTemplateSuspicious;
    case jinja::IssueKind::kUnlexable:
      return rule::kTemplateUnparsable;
    case jinja::IssueKind::kTooLarge:
      return rule::kTemplateTooLarge;
  }
  return rule::kTemplateSuspicious;
}

std::string Where(const TemplateCandidate& candidate) {
  // Appended piece by piece: GCC 12 -Wrestrict misfires on "'" + std::string&&.
  std::string where(1, '\'');
  where += candidate.key;
  where += '\'';
  if (candidate.index) {
    where += '[';
    where += std::to_string(*candidate.index);
    where += ']';
  }
  return where;
}

std::optional<std::uint64_t> AlignUp(std::uint64_t value, std::uint64_t alignment) {
  const auto padded = CheckedAdd(value, alignment - 1);
  if (!padded) return std::nullopt;
  return *padded / alignment * alignment;
}

// Where one tensor's bytes lie, relative to the data section.
struct Extent {
  std::uint64_t begin;
  std::uint64_t size;
  std::string_view name;
};

class GgufScan {
 public:
  GgufScan(ScanContext& ctx, ByteView data)
      : ctx_(ctx), data_(data), out_(ctx, rule::kFindingsCapped) {}

  void Run() {
    file_ = ParseGguf(data_, [this] { return ctx_.TimeUp(); });
    if (file_.big_endian) {
      ctx_.Report(rule::kBigEndian, Severity::kInfo,
                  "The file is big-endian (GGUF version " + std::to_string(file_.version) +
                      "); it was read as such. Little-endian hosts refuse it.",
                  4);
    }
    JudgeTemplates();
    for (const Problem& problem : file_.problems) {
      if (problem.incomplete) {
        out_.Incomplete(problem.rule, problem.message, problem.offset, problem.severity);
      } else {
        out_.Report(problem.rule, problem.severity, problem.message, problem.offset,
                    problem.evidence);
      }
    }
    if (file_.fatal) {
      ReportFatal(*file_.fatal);
    } else if (const auto alignment = Alignment()) {
      CheckTensors(*alignment);
    }
    out_.Flush();
  }

 private:
  void ReportFatal(const Problem& fatal) {
    std::string message = fatal.message;
    if (!file_.metadata_complete) {
      message +=
          " Metadata after this point was not read: a chat template there could not "
          "be judged.";
    } else {
      message += " The tensor layout was not checked.";
    }
    out_.Incomplete(fatal.rule, std::move(message), fatal.offset);
  }

  void JudgeTemplates() {
    for (const TemplateCandidate& candidate : file_.templates) {
      if (ctx_.TimeUp()) {
        out_.Incomplete(rule::kLimitExceeded,
                        "The time limit ran out before " + Where(candidate) + " was judged.",
                        candidate.offset);
        return;
      }
      jinja::TemplateLimits limits;
      limits.known_template = candidate.chat_template_key;
      for (const auto& issue : jinja::AnalyzeChatTemplate(candidate.text, limits)) {
        const std::string message =
            (candidate.chat_template_key ? "Chat template " : "Metadata string ") +
            Where(candidate) + ": " + issue.message;
        const std::uint64_t offset = candidate.offset + issue.offset;
        if (issue.kind == jinja::IssueKind::kUnlexable ||
            issue.kind == jinja::IssueKind::kTooLarge) {
          out_.Incomplete(TemplateRule(issue.kind), message, offset, issue.severity);
        } else {
          out_.Report(TemplateRule(issue.kind), issue.severity, message, offset, issue.evidence);
        }
      }
    }
  }

  // general.alignment: a u32 power of two (gguf.cpp refuses others; a non-u32 type trips
  // an assertion there). nullopt when unusable, after a finding.
  std::optional<std::uint64_t> Alignment() {
    const auto it = std::find_if(file_.kvs.begin(), file_.kvs.end(),
                                 [](const KeyValue& kv) { return kv.key == kAlignmentKey; });
    if (it == file_.kvs.end()) return kDefaultAlignment;
    std::string problem;
    if (it->type != static_cast<std::uint32_t>(ValueType::kU32)) {
      problem = "is of type " + std::string(ValueTypeName(it->type)) + ", not u32";
    } else if (*it->unsigned_value == 0 || (*it->unsigned_value & (*it->unsigned_value - 1))) {
      problem = "is " + std::to_string(*it->unsigned_value) + ", not a power of two";
    } else if (*it->unsigned_value > kMaxAlignment) {
      problem = "is " + std::to_string(*it->unsigned_value) + ", over the limit of " +
                std::to_string(kMaxAlignment);
    }
    if (problem.empty()) return *it->unsigned_value;
    out_.Report(rule::kBadAlignment, Severity::kMedium,
                "general.alignment " + problem +
                    "; loaders refuse the file and the tensor "
                    "layout cannot be checked.",
                it->offset);
    return std::nullopt;
  }

  void TensorProblem(std::string_view rule_id, Severity severity, const TensorInfo& info,
                     const std::string& why) {
    out_.Report(rule_id, severity, "Tensor '" + std::string(info.name) + "' " + why + ".",
                info.info_offset, std::string(info.name));
  }

  // Bytes the tensor takes (ggml_nbytes for a contiguous tensor), or nullopt after a finding.
  std::optional<std::uint64_t> TensorBytes(const TensorInfo& info) {
    const GgmlType* type = FindGgmlType(info.type);
    if (type == nullptr) {
      TensorProblem(rule::kUnknownTensorType, Severity::kLow, info,
                    "has ggml type " + std::to_string(info.type) +
                        ", which this version does not know; its size was not checked");
      return std::nullopt;
    }
    for (std::uint32_t d = 0; d < info.n_dims; ++d) {
      if (info.dims[d] < 0) {
        TensorProblem(rule::kTensorInvalid, Severity::kMedium, info,
                      "has a negative dimension (" + std::to_string(info.dims[d]) + ")");
        return std::nullopt;
      }
    }
    const auto ne0 = static_cast<std::uint64_t>(info.dims[0]);
    if (ne0 % type->block_size != 0) {
      TensorProblem(rule::kTensorInvalid, Severity::kMedium, info,
                    "has rows of " + std::to_string(ne0) + " elements, not a multiple of the " +
                        std::string(type->name) + " block of " + std::to_string(type->block_size));
      return std::nullopt;
    }
    std::optional<std::uint64_t> bytes = CheckedMul(ne0 / type->block_size, type->type_size);
    for (std::uint32_t d = 1; d < kMaxDims && bytes; ++d) {
      bytes = CheckedMul(*bytes, static_cast<std::uint64_t>(info.dims[d]));
    }
    if (!bytes) {
      TensorProblem(rule::kTensorInvalid, Severity::kMedium, info,
                    "has a data size that overflows 64 bits");
    }
    return bytes;
  }

  void CheckTensors(std::uint64_t alignment) {
    const auto data_start = AlignUp(file_.infos_end, alignment);
    if (!data_start) return;
    std::vector<Extent> extents;
    std::set<std::string_view> names;
    std::uint64_t end = file_.infos_end;
    bool all_located = true;  // else where the data ends is unknown: no trailing-data check
    for (const TensorInfo& info : file_.tensors) {
      if (info.name.size() > kMaxTensorNameLength) {
        TensorProblem(
            rule::kTensorInvalid, Severity::kMedium, info,
            "has a name of " + std::to_string(info.name.size()) + " bytes; ggml allows 63");
      }
      if (!names.insert(info.name).second) {
        TensorProblem(rule::kTensorInvalid, Severity::kMedium, info, "is described twice");
      }
      if (info.offset % alignment != 0) {
        TensorProblem(rule::kTensorInvalid, Severity::kMedium, info,
                      "starts at data offset " + std::to_string(info.offset) +
                          ", not a multiple of the alignment " + std::to_string(alignment));
      }
      const auto bytes = TensorBytes(info);
      if (!bytes) {
        all_located = false;
        continue;
      }
      const auto begin = CheckedAdd(*data_start, info.offset);
      const auto stop = begin ? CheckedAdd(*begin, *bytes) : std::nullopt;
      if (!stop || *stop > data_.size()) {
        TensorProblem(rule::kTensorOutOfBounds, Severity::kMedium, info,
                      "declares " + std::to_string(*bytes) + " bytes at data offset " +
                          std::to_string(info.offset) + ", past the end of the " +
                          std::to_string(data_.size()) + "-byte file");
        all_located = false;
        continue;
      }
      extents.push_back({info.offset, *bytes, info.name});
      end = std::max(end, AlignUp(*stop, alignment).value_or(*stop));
    }
    CheckOverlaps(extents);
    if (all_located) CheckTrailing(end);
  }

  void CheckOverlaps(std::vector<Extent>& extents) {
    std::sort(extents.begin(), extents.end(),
              [](const Extent& a, const Extent& b) { return a.begin < b.begin; });
    for (std::size_t i = 1; i < extents.size(); ++i) {
      const Extent& prev = extents[i - 1];
      if (extents[i].size != 0 && prev.begin + prev.size > extents[i].begin) {
        out_.Report(rule::kTensorInvalid, Severity::kMedium,
                    "Tensor '" + std::string(extents[i].name) + "' overlaps the data of '" +
                        std::string(prev.name) + "'.",
                    std::nullopt, std::string(extents[i].name));
      }
    }
  }

  // GGUFWriter pads every tensor to the alignment, so a file ends at the last padded tensor.
  void CheckTrailing(std::uint64_t end) {
    if (end >= data_.size()) return;
    const ByteView rest = data_.Tail(end);
    if (std::all_of(rest.data(), rest.data() + rest.size(),
                    [](std::uint8_t byte) { return byte == 0; }) &&
        rest.size() < kMaxAlignment) {
      return;  // zero padding
    }
    out_.Report(rule::kTrailingData, Severity::kLow,
                std::to_string(rest.size()) +
                    " bytes follow the tensor data; they were sniffed "
                    "for another format.",
                end);
    ctx_.ScanEmbedded(std::string(kTrailingMember), rest);
  }

  ScanContext& ctx_;
  ByteView data_;
  CappedReporter out_;
  GgufFile file_;
};

class GgufAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return kFormatName; }
  int Sniff(ByteView data) const override { return data.StartsWith(kMagic) ? 100 : 0; }
  void Analyze(ScanContext& ctx, ByteView data) const override { GgufScan(ctx, data).Run(); }
  std::span<const RuleInfo> Rules() const override { return gguf::Rules(); }
};

}  // namespace
}  // namespace mg::gguf

namespace mg {

const Analyzer& GgufAnalyzerInstance() {
  static const gguf::GgufAnalyzer kInstance;
  return kInstance;
}

}  // namespace mg
