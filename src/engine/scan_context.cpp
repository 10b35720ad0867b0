#include "engine/scan_context.h"

#include <algorithm>
#include <utility>

#include "engine/analyzer.h"
#include "engine/sniff.h"

namespace mg {

ScanContext::ScanContext(Target& target, const Limits& limits, const OrgNameLists* name_lists)
    : target_(target),
      limits_(limits),
      name_lists_(name_lists != nullptr ? *name_lists : OrgNameLists::None()),
      deadline_(std::chrono::steady_clock::now() + limits.max_time_per_file) {}

void ScanContext::Report(std::string_view rule, Severity severity, std::string message,
                         std::optional<std::uint64_t> offset, std::string evidence) {
  Finding finding;
  finding.rule = std::string(rule);
  finding.severity = severity;
  finding.message = std::move(message);
  finding.location.path = target_.path;
  finding.location.member = members_;
  finding.location.offset = offset;
  finding.evidence = std::move(evidence);
  target_.findings.push_back(std::move(finding));
}

void ScanContext::Incomplete(std::string_view rule, std::string message,
                             std::optional<std::uint64_t> offset, Severity severity) {
  if (target_.status == TargetStatus::kComplete) target_.status = TargetStatus::kIncomplete;
  Report(rule, severity < Severity::kMedium ? Severity::kMedium : severity, std::move(message),
         offset);
}

bool ScanContext::ConsumeDecompressed(std::uint64_t bytes, std::optional<std::uint64_t> offset) {
  decompressed_ += bytes;
  if (decompressed_ <= limits_.max_decompressed_bytes) return true;
  if (!reported_decompression_limit_) {
    reported_decompression_limit_ = true;
    Incomplete("SCAN-LIMIT-DECOMPRESSED",
               "More than " + std::to_string(limits_.max_decompressed_bytes) +
                   " bytes were decompressed or decoded; the rest was not analysed.",
               offset);
  }
  return false;
}

void ScanContext::ScanEmbedded(std::string member, ByteView data, std::string_view format) {
  if (members_.size() >= limits_.max_depth) {
    Incomplete("SCAN-LIMIT-DEPTH",
               "Embedded payload '" + member + "' is nested deeper than " +
                   std::to_string(limits_.max_depth) + " levels and was not analysed.");
    return;
  }
  if (TimeUp()) {
    if (!reported_time_limit_) {
      reported_time_limit_ = true;
      Incomplete("SCAN-LIMIT-TIME", "The time limit for this file ran out before embedded "
                                    "payload '" + member + "' was analysed.");
    }
    return;
  }
  members_.push_back(std::move(member));
  const std::string analysed_as = AnalyzeBuffer(*this, data, format);
  members_.pop_back();
  std::vector<std::string>& formats = target_.embedded_formats;
  const auto at = std::lower_bound(formats.begin(), formats.end(), analysed_as);
  if (at == formats.end() || *at != analysed_as) formats.insert(at, analysed_as);
}

void ScanContext::ReleaseInput(ByteView range) const {
  if (mapped_ == nullptr || range.empty()) return;
  const ByteView file = mapped_->view();
  const auto begin = reinterpret_cast<std::uintptr_t>(file.data());
  const auto start = reinterpret_cast<std::uintptr_t>(range.data());
  if (start < begin || start - begin > file.size() || range.size() > file.size() - (start - begin)) {
    return;
  }
  mapped_->DropPages(start - begin, range.size());
}

ByteView ScanContext::Own(std::vector<std::uint8_t> bytes) {
  owned_.push_back(std::move(bytes));
  return ByteView(owned_.back().data(), owned_.back().size());
}

std::string AnalyzeBuffer(ScanContext& ctx, ByteView data, std::string_view format) {
  const Analyzer* analyzer = format.empty() ? SniffAnalyzer(data, ctx.current_name()) : FindAnalyzer(format);
  if (analyzer != nullptr) {
    analyzer->Analyze(ctx, data);
    return std::string(analyzer->Name());
  }
  return ReportUnanalysedFormat(ctx, data);
}

}  // namespace mg
