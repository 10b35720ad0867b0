// A failed setup step inside the sandbox's child: which step and the errno. The child sends it
// to the supervisor, which reports SETUP_ERROR with this text.
#pragma once

#include <cstring>
#include <string>

namespace mg::sandbox {

struct StepError {
  int error = 0;     // errno, 0 when the step succeeded
  std::string step;  // "mount /usr", "pivot_root", ...

  bool failed() const { return error != 0; }
  std::string Describe() const { return step + ": " + std::strerror(error); }
};

inline StepError StepOk() { return {}; }
inline StepError StepFailed(int error, std::string step) { return {error, std::move(step)}; }

}  // namespace mg::sandbox
