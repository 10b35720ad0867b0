// Fuzz target: the helpers that take resource names and ignore paths from a signed manifest
// (untrusted until its signature is checked, and chosen by whoever signed it). Properties:
// - NormalizeRelativePath accepts only relative, UTF-8, ".."-free paths, and is idempotent;
// - ResourceFilePath strips exactly ":<digits>:<digits>" from a shard name;
// - PrintablePath always yields valid UTF-8 without control characters.
// Lives in its own folder so that the target (fuzz_names) does not take the integrity module's
// fuzz.cpp slot.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "integrity/hash_model.h"
#include "integrity/model_files.h"

namespace {

using mg::integrity::SerializationMethod;

void Check(bool condition) {
  if (!condition) std::abort();
}

bool AllDigits(const std::string& text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

void CheckNormalized(const std::string& input) {
  const mg::Result<std::string> normalized = mg::integrity::NormalizeRelativePath(input);
  if (!normalized) return;
  const std::string& path = *normalized;
  Check(!path.empty() && path.front() != '/' && path.back() != '/');
  Check(mg::integrity::IsValidUtf8(path));
  Check(path.find("//") == std::string::npos);
  Check(("/" + path + "/").find("/../") == std::string::npos);
  Check(("/" + path + "/").find("/./") == std::string::npos);
  const mg::Result<std::string> again = mg::integrity::NormalizeRelativePath(path);
  Check(again.ok() && *again == path);
}

void CheckShardName(const std::string& input) {
  const auto file = mg::integrity::ResourceFilePath(input, SerializationMethod::kShards);
  if (!file) return;
  Check(!file->empty() && input.size() > file->size() &&
        input.compare(0, file->size(), *file) == 0);
  const std::string suffix = input.substr(file->size());
  const std::size_t second = suffix.find(':', 1);
  Check(suffix[0] == ':' && second != std::string::npos);
  Check(AllDigits(suffix.substr(1, second - 1)) && AllDigits(suffix.substr(second + 1)));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  CheckNormalized(input);
  CheckShardName(input);
  const std::string printable = mg::integrity::PrintablePath(input);
  Check(mg::integrity::IsValidUtf8(printable));
  for (const char c : printable) Check(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
  Check(mg::integrity::ResourceFilePath(input, SerializationMethod::kFiles) == input);
  return 0;
}
