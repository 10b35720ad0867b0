// ScanContext: what an analyzer sees of the scan. It collects findings for one target (a file
// on disk), knows where in the member chain the analyzer is, enforces the limits, and lets an
// analyzer hand an embedded payload (a member, a nested pickle) back to the engine.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/byte_view.h"
#include "core/limits.h"
#include "core/mapped_file.h"
#include "engine/name_lists.h"
#include "report/report.h"

namespace mg {

class ScanContext {
 public:
  // `name_lists` (the policy's, for `modelgate check`) must outlive the context; nullptr: none.
  ScanContext(Target& target, const Limits& limits, const OrgNameLists* name_lists = nullptr);
  ScanContext(const ScanContext&) = delete;
  ScanContext& operator=(const ScanContext&) = delete;

  const Limits& limits() const { return limits_; }
  // The organisation's extra allowed and denied names (empty outside `modelgate check`).
  const OrgNameLists& name_lists() const { return name_lists_; }

  // Reports a finding located at `offset` in the payload being analysed.
  void Report(std::string_view rule, Severity severity, std::string message,
              std::optional<std::uint64_t> offset = std::nullopt, std::string evidence = {});

  // Fail closed: the payload could not be fully analysed. Marks the target `incomplete` and
  // reports why, at medium or above.
  void Incomplete(std::string_view rule, std::string message,
                  std::optional<std::uint64_t> offset = std::nullopt,
                  Severity severity = Severity::kMedium);

  // True once the per-file time limit has passed; long loops poll it.
  bool TimeUp() const { return std::chrono::steady_clock::now() >= deadline_; }

  // Accounts for `bytes` produced by decompression or decoding; false (and an incomplete
  // finding) when the scan's budget is exhausted.
  bool ConsumeDecompressed(std::uint64_t bytes, std::optional<std::uint64_t> offset);

  // Analyses an embedded payload with the engine: sniffed like a file unless `format` names an
  // analyzer. `member` is appended to the location chain for findings inside it. `data` must
  // stay alive for the call; use Own() to keep decoded bytes alive for the rest of the scan.
  void ScanEmbedded(std::string member, ByteView data, std::string_view format = {});

  // Keeps a buffer alive until the target is finished and returns a view of it.
  ByteView Own(std::vector<std::uint8_t> bytes);

  // The engine names the mapped file being scanned, so that an analyzer streaming through a
  // large input can drop the pages it has passed (ReleaseInput). A range that is not inside
  // the mapped file (a decompressed buffer) is left alone.
  void SetMappedInput(const MappedFile* file) { mapped_ = file; }
  void ReleaseInput(ByteView range) const;

  // The on-disk path of the file being scanned (for findings about files beside it).
  const std::string& target_path() const { return target_.path; }
  // The name of the payload being analysed: the innermost member name, else the file path.
  std::string_view current_name() const {
    return members_.empty() ? std::string_view(target_.path) : std::string_view(members_.back());
  }

  std::uint32_t depth() const { return static_cast<std::uint32_t>(members_.size()); }
  const std::vector<std::string>& member_chain() const { return members_; }

 private:
  Target& target_;
  const Limits limits_;  // a copy: callers may pass a temporary
  const OrgNameLists& name_lists_;
  std::chrono::steady_clock::time_point deadline_;
  std::vector<std::string> members_;
  std::uint64_t decompressed_ = 0;
  bool reported_decompression_limit_ = false;
  bool reported_time_limit_ = false;
  std::deque<std::vector<std::uint8_t>> owned_;
  const MappedFile* mapped_ = nullptr;
};

// Runs the analyzer that sniffs best (or `format`) over `data` within `ctx`; used by the
// engine for files and by ScanContext::ScanEmbedded. Returns the format name chosen.
std::string AnalyzeBuffer(ScanContext& ctx, ByteView data, std::string_view format = {});

}  // namespace mg
