// A progress line for long hashing runs (hash, sign, verify): drawn on stderr only when stderr
// is a terminal and the run has lasted a second, erased when done, so logs and pipes get none.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace mg::cli {

class ProgressLine {
 public:
  explicit ProgressLine(std::string verb = "hashing");
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // Bytes hashed so far of `total`; called from the thread that started the run.
  void Update(std::uint64_t done, std::uint64_t total);

 private:
  using Clock = std::chrono::steady_clock;
  std::string verb_;
  bool enabled_;
  bool drawn_ = false;
  Clock::time_point start_;
};

}  // namespace mg::cli
