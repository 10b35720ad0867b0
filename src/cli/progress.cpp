#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace mg::cli {

ProgressLine::ProgressLine(std::string verb)
    : verb_(std::move(verb)), enabled_(::isatty(STDERR_FILENO) == 1), start_(Clock::now()) {}

ProgressLine::~ProgressLine() {
  if (drawn_) std::cerr << "\r\033[K" << std::flush;
}

void ProgressLine::Update(std::uint64_t done, std::uint64_t total) {
  const double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
  if (!enabled_ || seconds < 1.0 || total == 0) return;
  const double gb = 1e9;
  char line[160];
  std::snprintf(line, sizeof(line), "\r%s %3.0f%%  %.2f / %.2f GB  %.2f GB/s\033[K",
                verb_.c_str(), 100.0 * static_cast<double>(done) / static_cast<double>(total),
                static_cast<double>(done) / gb, static_cast<double>(total) / gb,
                static_cast<double>(done) / gb / seconds);
  std::cerr << line << std::flush;
  drawn_ = true;
}

}  // namespace mg::cli
