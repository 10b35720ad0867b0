// A finding is data: a stable rule ID, a severity, one sentence, where, and the evidence.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report/severity.h"

namespace mg {

struct Location {
  std::string path;                  // the file on disk, as given on the command line
  std::vector<std::string> member;   // archive members (or embedded payloads) leading to it
  std::optional<std::uint64_t> offset;  // byte offset inside the innermost member or file

  // "model.pt!archive/data.pkl" style chain, for people.
  std::string Display() const;
};

struct Finding {
  std::string rule;      // stable ID from the rule catalogue, e.g. PICKLE-DANGEROUS-CALL
  Severity severity = Severity::kInfo;
  std::string message;   // one sentence a person understands
  Location location;
  std::string evidence;  // e.g. the call rebuilt as Python-like code: os.system('id')
};

}  // namespace mg
