// Analyses one pickle file with the pickle analyzer alone (no hashing, no rendering) and
// prints one JSON line: bytes, seconds, throughput and peak memory. Peak memory is sampled
// from /proc/self/status every 2 ms: RssAnon (heap and stacks: what the analyzer allocates)
// and VmHWM (which also counts the mapped input's pages, reclaimable page cache).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

#include "core/mapped_file.h"
#include "engine/scan_context.h"

namespace {

std::uint64_t StatusKib(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(key) + ":";
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) == 0) return std::stoull(line.substr(prefix.size()));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s FILE.pkl\n", argv[0]);
    return 2;
  }
  auto file = mg::MappedFile::Open(argv[1]);
  if (!file) {
    std::fprintf(stderr, "%s\n", file.error().message.c_str());
    return 2;
  }
  std::atomic<bool> done{false};
  std::atomic<std::uint64_t> peak_anon_kib{StatusKib("RssAnon")};
  std::thread sampler([&] {
    while (!done) {
      const std::uint64_t now = StatusKib("RssAnon");
      if (now > peak_anon_kib) peak_anon_kib = now;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });

  mg::Limits limits;
  limits.max_time_per_file = std::chrono::hours(1);
  mg::Target target;
  const auto start = std::chrono::steady_clock::now();
  {
    mg::ScanContext ctx(target, limits);
    mg::AnalyzeBuffer(ctx, file->view(), "pickle");
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  done = true;
  sampler.join();

  const double bytes = static_cast<double>(file->size());
  std::printf(
      "{\"file\": \"%s\", \"bytes\": %.0f, \"seconds\": %.4f, \"mb_per_s\": %.1f, "
      "\"peak_rss_anon_mib\": %.1f, \"vm_hwm_mib\": %.1f, \"status\": \"%s\", "
      "\"findings\": %zu}\n",
      argv[1], bytes, seconds, bytes / seconds / 1e6,
      static_cast<double>(peak_anon_kib.load()) / 1024.0,
      static_cast<double>(StatusKib("VmHWM")) / 1024.0,
      std::string(mg::TargetStatusName(target.status)).c_str(), target.findings.size());
  return 0;
}
