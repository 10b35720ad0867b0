// Judges a SQLTransformer statement (paramMap.statement of
// org.apache.spark.ml.feature.SQLTransformer, spark-ml-format.md §3.1 and §7 rule 5). Spark
// replaces "__THIS__" with a temporary view of the input and passes the text to spark.sql(),
// already in transformSchema and without any check that it is a query; commands run eagerly.
// The only benign shape is one SELECT/WITH query over __THIS__ using Spark's built-in
// functions; everything else is reported with the reason and the text that shows it.
//
// Works on the token stream of sql_lexer.h (no full parse); see docs/spark-sql.md for the
// rules, severities and limits. The caller maps each issue kind to its own rule ID.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/sparkml/sql_lexer.h"
#include "report/severity.h"

namespace mg::sparksql {

enum class SqlIssueKind : std::uint8_t {
  kScriptTransform,     // critical: TRANSFORM/MAP/REDUCE ... USING '<command>', RECORDWRITER/READER
  kReflection,          // critical: reflect / java_method / try_reflect call a static Java method
  kCodeLoading,         // critical: ADD JAR|FILE|ARCHIVE, CREATE FUNCTION ... AS '<class>'
  kDynamicSql,          // critical: EXECUTE IMMEDIATE, SQL scripting BEGIN..END, IDENTIFIER(expr)
  kWriteDirectory,      // critical: INSERT OVERWRITE [LOCAL] DIRECTORY writes files
  kCredentialPath,      // critical: a path relation that names credentials or secret files
  kFileRelation,        // high: <format>.`<path>` reads files or URIs directly
  kOtherTable,          // high: a table other than __THIS__ or a CTE of the statement
  kSetConfig,           // high: SET key=value changes Spark/Hadoop configuration
  kMultipleStatements,  // high: more than one statement
  kCommand,             // high or medium: DDL/DML/commands (see the message)
  kUnknownFunction,     // medium: a function Spark does not ship (a UDF registered elsewhere)
  kNotQuery,            // medium: a statement that is not a SELECT/WITH query
  kUnparseable,         // medium: the statement does not lex (unterminated string or comment)
  kTooLarge,            // medium: over the analysis limits; only the part lexed was checked
};

struct SqlIssue {
  SqlIssueKind kind = SqlIssueKind::kNotQuery;
  Severity severity = Severity::kMedium;
  std::string message;       // one sentence
  std::uint64_t offset = 0;  // offset in the statement
  std::string excerpt;       // the statement's text around `offset`, as evidence
};

struct SqlLimits {
  LexLimits lex;
  // Issues reported per statement; the most severe are kept.
  std::size_t max_issues = 16;
};

// Issues found in `statement`, most severe first, then by offset (empty when it is clean).
// Besides Spark's current grammar, the text is read as Spark 2.x and 3.0 lex it, after ${...}
// variable substitution, and, when `uid` (the SQLTransformer's) has characters outside
// [A-Za-z0-9_], with that uid pasted over __THIS__ as SQLTransformer does; issues only another
// reading has say which reading found them.
std::vector<SqlIssue> AnalyzeSqlStatement(std::string_view statement, const SqlLimits& limits = {},
                                          std::string_view uid = {});

// A "${name}" or "${prefix:name}" reference that spark.sql replaces before parsing
// (VariableSubstitution with ConfigReader: setting, env:, system:, hiveconf: ...).
struct VariableReference {
  std::size_t offset = 0;
  std::size_t length = 0;  // "${" to "}" inclusive
  std::string prefix;      // "env", "system", ... or empty
};
std::vector<VariableReference> FindVariableReferences(std::string_view text,
                                                      std::size_t max_references = 1024);

// Stable lower-case name of a kind ("script-transform", "unparseable", ...), for rule IDs.
std::string_view SqlIssueKindName(SqlIssueKind kind);

// True when `name` (any case) is a function Spark ships (FunctionRegistry built-ins).
bool IsSparkBuiltinFunction(std::string_view name);

// True when the built-in list is sorted and free of duplicates (IsSparkBuiltinFunction
// searches it by bisection); for the unit tests.
bool BuiltinFunctionListIsSorted();

// An excerpt of `text` from `offset` (at most `max_bytes`), control characters as spaces.
std::string SqlExcerpt(std::string_view text, std::uint64_t offset, std::size_t max_bytes = 80);

}  // namespace mg::sparksql
