// Finds, in the tokens of one Python file, the uses of callables that run commands or code,
// open network connections, deserialize, or load native code. Names are resolved through the
// file's imports ("import subprocess as sp", "from os import system as s"), flow-insensitively:
// an import anywhere in the file counts for every line. The table is in calls.cpp and in
// docs/python.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analyzers/python/tokenizer.h"

namespace mg::python {

enum class Danger : std::uint8_t { kCommand, kCode, kNetwork, kDeserialize, kNative };

struct DangerousUse {
  Danger danger;
  std::string name;      // the resolved dotted name, e.g. "os.system"
  bool called = false;   // followed by '(' (else a reference: an alias, a callback)
  bool decodes = false;  // a code-running call whose arguments decode data (base64, zlib...)
  std::uint32_t line = 0;
  std::uint64_t offset = 0;
};

// Whether a dotted `name` (already resolved through imports) is in the table; sets `danger`.
// Builtins (exec, eval...) count only when `called`. Exposed for the tests of the table.
bool ClassifyName(const std::string& name, bool called, Danger* danger);

// Every dangerous use in `tokens`, in source order; one per (name, line).
std::vector<DangerousUse> FindDangerousUses(const std::vector<Token>& tokens);

}  // namespace mg::python
