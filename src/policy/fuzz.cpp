// Fuzz target: the policy parser on arbitrary bytes. A policy that loads must decide on an
// empty scan without crashing, and must block it (nothing was analysed).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "policy/decide.h"
#include "policy/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > mg::policy::kMaxPolicyBytes) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const mg::policy::PolicyLoad load = mg::policy::ParsePolicy(text, "/fuzz/policy.yaml");
  if (load.policy.has_value() != load.errors.empty()) __builtin_trap();
  if (load.policy) {
    mg::policy::Evidence evidence;
    evidence.model_path = "/fuzz/model";
    const auto decision =
        mg::policy::Decide(*load.policy, evidence, std::chrono::system_clock::now());
    if (decision.allowed()) __builtin_trap();
  }
  for (const auto& error : load.errors) (void)error.ToString();
  return 0;
}
