#include "engine/engine.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "core/mapped_file.h"
#include "core/sha256.h"
#include "engine/scan_context.h"
#include "engine/walk.h"

namespace mg {

namespace {

Target ReportEscapingLink(const WalkEntry& entry) {
  Target target;
  target.path = entry.path;
  target.format = "symlink";
  Finding finding;
  finding.rule = "SCAN-SYMLINK-ESCAPE";
  finding.severity = Severity::kHigh;
  finding.message =
      "This symbolic link points outside the scanned folder; a loader following it reads a "
      "file that was not scanned.";
  finding.location.path = entry.path;
  finding.evidence = "-> " + entry.escaping_link_target;
  target.findings.push_back(std::move(finding));
  return target;
}

}  // namespace

Target ScanFile(const std::string& path, const Limits& limits, bool sha256,
                const OrgNameLists* name_lists) {
  Target target;
  target.path = path;
  auto mapped = MappedFile::Open(path);
  if (!mapped) {
    target.status = TargetStatus::kError;
    target.format = "unknown";
    Finding finding;
    finding.rule = "SCAN-IO-ERROR";
    finding.severity = Severity::kMedium;
    finding.message = "The file could not be read: " + mapped.error().message + ".";
    finding.location.path = path;
    target.findings.push_back(std::move(finding));
    return target;
  }
  const ByteView data = mapped->view();
  target.size = data.size();
  if (sha256) {
    // Hashing reads every byte; dropping each hashed slice keeps a large file's pages from
    // staying resident when the analyzer only needs a few of them (tensor data is skipped).
    target.sha256 = Sha256Hex(data, [&mapped](std::uint64_t offset, std::uint64_t length) {
      mapped->DropPages(offset, length);
    });
  }
  ScanContext ctx(target, limits, name_lists);
  ctx.SetMappedInput(&*mapped);
  if (data.size() > limits.max_file_size) {
    target.format = "unknown";
    ctx.Incomplete("SCAN-LIMIT-FILE-SIZE",
                   "The file is larger than the file size limit (" +
                       std::to_string(limits.max_file_size) + " bytes) and was not analysed.");
    return target;
  }
  target.format = AnalyzeBuffer(ctx, data);
  return target;
}

ScanOutcome Scan(const std::vector<std::string>& paths, const ScanOptions& options) {
  ScanOutcome outcome;
  WalkResult walk = ExpandPaths(paths);
  outcome.errors = std::move(walk.errors);

  std::vector<Target> targets(walk.files.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < walk.files.size(); i = next++) {
      const WalkEntry& entry = walk.files[i];
      targets[i] = entry.escaping_link_target.empty()
                       ? ScanFile(entry.path, options.limits, options.sha256,
                                  options.name_lists.get())
                       : ReportEscapingLink(entry);
    }
  };
  unsigned jobs = options.jobs != 0 ? options.jobs : std::thread::hardware_concurrency();
  jobs = std::clamp<unsigned>(jobs, 1, std::max<std::size_t>(walk.files.size(), 1));
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(worker);
  worker();
  for (auto& thread : threads) thread.join();

  for (const auto& target : targets) {
    if (target.status == TargetStatus::kError) {
      outcome.errors.push_back("cannot read " + target.path);
    }
  }
  outcome.report.targets = std::move(targets);
  return outcome;
}

}  // namespace mg
