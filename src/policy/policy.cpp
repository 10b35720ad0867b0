#include "policy/policy.h"

#include <fnmatch.h>

#include <algorithm>
#include <cstdio>

namespace mg::policy {

std::string_view SignatureMethodName(SignatureMethod method) {
  switch (method) {
    case SignatureMethod::kKey:
      return "key";
    case SignatureMethod::kCertificate:
      return "certificate";
    case SignatureMethod::kSigstore:
      return "sigstore";
  }
  return "?";
}

std::string Date::ToString() const {
  char text[16];
  std::snprintf(text, sizeof(text), "%04d-%02u-%02u", year, month, day);
  return text;
}

Date DateOf(std::chrono::system_clock::time_point when) {
  const std::chrono::year_month_day day(std::chrono::floor<std::chrono::days>(when));
  return {static_cast<int>(day.year()), static_cast<unsigned>(day.month()),
          static_cast<unsigned>(day.day())};
}

bool SignatureClause::AcceptsMethod(std::string_view method) const {
  if (methods.empty()) return true;
  return std::any_of(methods.begin(), methods.end(), [method](SignatureMethod accepted) {
    return SignatureMethodName(accepted) == method;
  });
}

bool ModelMatches(std::string_view pattern, std::string_view model_path) {
  const std::string glob(pattern);
  std::string path(model_path);
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  if (fnmatch(glob.c_str(), path.c_str(), 0) == 0) return true;
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return false;
  return fnmatch(glob.c_str(), path.c_str() + slash + 1, 0) == 0;
}

}  // namespace mg::policy
