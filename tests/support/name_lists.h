// Building the organisation name lists a policy hands to the scan (engine/name_lists.h), for
// analyzer tests: NameLists().Allow(kind, {...}).Deny(kind, {...}).
#pragma once

#include <initializer_list>
#include <string_view>

#include "engine/name_lists.h"

namespace mg::test {

class NameLists {
 public:
  NameLists& Allow(NameKind kind, std::initializer_list<std::string_view> entries) {
    for (std::string_view entry : entries) lists_.allow[static_cast<std::size_t>(kind)].Add(entry);
    return *this;
  }
  NameLists& Deny(NameKind kind, std::initializer_list<std::string_view> entries) {
    for (std::string_view entry : entries) lists_.deny[static_cast<std::size_t>(kind)].Add(entry);
    return *this;
  }
  const OrgNameLists& lists() const { return lists_; }

 private:
  OrgNameLists lists_;
};

}  // namespace mg::test
