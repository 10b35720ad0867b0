// Fuzz target: the Spark ML metadata analysis (JSON, class resolution, uids, param values) and
// the Spark SQL lexer and SQLTransformer statement rules, both on the same arbitrary input: the
// bytes as a metadata part file, and as a statement.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "analyzers/sparkml/rules.h"
#include "analyzers/sparkml/sql_rules.h"
#include "engine/analyzer.h"
#include "engine/scan_context.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view statement(reinterpret_cast<const char*>(data), size);
  mg::sparksql::SqlLimits sql_limits;
  sql_limits.lex.max_statement_bytes = 1 << 16;
  // A first line starting with '@' is taken as the SQLTransformer's uid (pasted over __THIS__).
  std::string_view uid;
  if (statement.starts_with('@')) {
    const std::size_t newline = statement.find('\n');
    uid = statement.substr(1, newline == std::string_view::npos ? 0 : newline - 1);
  }
  auto issues = mg::sparksql::AnalyzeSqlStatement(statement, sql_limits, uid);
  for (const auto& issue : issues) {
    if (issue.offset > size || issue.message.empty()) __builtin_trap();
  }

  // No folder checks: the path has no metadata/ parent on disk.
  mg::Target target;
  target.path = "part-00000";
  mg::Limits limits;
  limits.max_time_per_file = std::chrono::seconds(5);
  limits.max_depth = 4;
  mg::ScanContext ctx(target, limits);
  mg::AnalyzeBuffer(ctx, mg::ByteView(data, size), mg::sparkml::kFormatName);
  for (const auto& finding : target.findings) {
    if (finding.rule.empty() || finding.message.empty()) __builtin_trap();
  }
  return 0;
}
