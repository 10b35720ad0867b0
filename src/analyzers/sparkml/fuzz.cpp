// Fuzz target: the Spark SQL lexer and the SQLTransformer statement rules on arbitrary text.
// (The Spark ML folder analyzer will extend this target when it lands in this folder.)
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "analyzers/sparkml/sql_rules.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view statement(reinterpret_cast<const char*>(data), size);
  mg::sparksql::SqlLimits limits;
  limits.lex.max_statement_bytes = 1 << 16;
  auto issues = mg::sparksql::AnalyzeSqlStatement(statement, limits);
  for (const auto& issue : issues) {
    if (issue.offset > size || issue.message.empty()) __builtin_trap();
  }
  return 0;
}
