// Early returns for Result/Status in the integrity module, where most functions are a sequence
// of checks that each may fail with a message naming the field.
#pragma once

#include <utility>

#define MG_INTEGRITY_CONCAT_INNER(a, b) a##b
#define MG_INTEGRITY_CONCAT(a, b) MG_INTEGRITY_CONCAT_INNER(a, b)

// `lhs = value of expr`, or return its error.
#define MG_ASSIGN_OR_RETURN(lhs, expr) \
  MG_ASSIGN_OR_RETURN_IMPL(MG_INTEGRITY_CONCAT(mg_result_, __LINE__), lhs, expr)
#define MG_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.error();             \
  lhs = std::move(tmp.value())

#define MG_RETURN_IF_ERROR(expr)                     \
  do {                                               \
    auto mg_status_ = (expr);                        \
    if (!mg_status_.ok()) return mg_status_.error(); \
  } while (false)
