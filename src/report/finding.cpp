#include "report/finding.h"

namespace mg {

std::string Location::Display() const {
  std::string out = path;
  for (const auto& m : member) {
    out += '!';
    out += m;
  }
  if (offset) out += " @" + std::to_string(*offset);
  return out;
}

}  // namespace mg
