#include "analyzers/sparkml/sql_scan.h"

#include <algorithm>
#include <initializer_list>
#include <optional>

namespace mg::sparksql {
namespace {

bool OneOf(std::string_view word, std::initializer_list<std::string_view> options) {
  return std::find(options.begin(), options.end(), word) != options.end();
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Keywords that may be followed by '(' without being a function call.
bool IsNonCallKeyword(std::string_view upper) {
  return OneOf(upper, {"IN",          "EXISTS",
                       "VALUES",      "AS",
                       "USING",       "ON",
                       "OVER",        "WITHIN",
                       "FROM",        "JOIN",
                       "AND",         "OR",
                       "NOT",         "WHEN",
                       "THEN",        "ELSE",
                       "WHERE",       "HAVING",
                       "BY",          "SELECT",
                       "OPTIONS",     "TBLPROPERTIES",
                       "PARTITION",   "ROLLUP",
                       "CUBE",        "SETS",
                       "LATERAL",     "PIVOT",
                       "UNPIVOT",     "FOR",
                       "TABLESAMPLE", "UNION",
                       "INTERSECT",   "EXCEPT",
                       "MINUS",       "ALL",
                       "DISTINCT",    "ANY",
                       "SOME",        "WITH",
                       "INTO",        "TABLE",
                       "DECIMAL",     "DEC",
                       "NUMERIC",     "VARCHAR",
                       "CHAR",        "CHARACTER",
                       "LIMIT",       "RETURN",
                       "RETURNS",     "IS",
                       "LIKE",        "ILIKE",
                       "RLIKE",       "BETWEEN",
                       "CASE",        "IDENTIFIER",
                       "TRANSFORM",   "SERDEPROPERTIES",
                       "CLUSTERED",   "PARTITIONED",
                       "SORTED",      "QUALIFY",
                       "GROUP"});
}

// Keywords after which an expression (hence a call) may follow; any other word before
// "name(" makes the name a relation alias with a column list, as in `__THIS__ t(a, b)`.
bool StartsExpression(std::string_view upper) {
  return IsNonCallKeyword(upper) ||
         OneOf(upper,
               {"END",    "DIV",   "ESCAPE", "ORDER",     "SORT",      "CLUSTER", "DISTRIBUTE",
                "OFFSET", "RANGE", "ROWS",   "PRECEDING", "FOLLOWING", "IF",      "NULLS",
                "ASC",    "DESC",  "SET",    "GROUP",     "OUTER",     "VIEW"});
}

// Data source names that `<source>.\`<path>\`` resolves to files (ResolveSQLOnFile).
bool IsFileFormat(std::string_view lower) {
  return OneOf(lower, {"parquet", "orc", "json", "csv", "text", "textfile", "avro", "binaryfile",
                       "delta", "libsvm", "image", "xml", "hudi", "iceberg", "protobuf"});
}

// A path that names credentials or secret files (see docs/spark-sql.md).
bool LooksLikeCredentials(std::string_view path) {
  std::string lower = Lower(path);
  std::size_t scheme = lower.find("://");
  if (scheme != std::string::npos) {
    std::size_t at = lower.find('@', scheme + 3);
    std::size_t slash = lower.find('/', scheme + 3);
    if (at != std::string::npos && at < slash &&
        lower.substr(scheme + 3, at - scheme - 3).find(':') != std::string::npos) {
      return true;  // user:password@host
    }
  }
  for (std::string_view marker :
       {"secret",      "password",      "passwd",           "token",
        "credential",  "access_key",    "accesskey",        "x-amz-",
        "sig=",        "/.aws/",        "/.ssh/",           "id_rsa",
        "/etc/shadow", "/etc/passwd",   ".netrc",           "/proc/self/environ",
        "/proc/self/", ".kube/config",  "/var/run/secrets", "keytab",
        ".pgpass",     ".docker/config"}) {
    if (lower.find(marker) != std::string::npos) return true;
  }
  return false;
}

bool IsReflectionName(std::string_view upper) {
  return upper == "REFLECT" || upper == "JAVA_METHOD" || upper == "TRY_REFLECT";
}

class TokenRules {
 public:
  TokenRules(const Scan& scan, IssueSink& sink) : scan_(scan), sink_(sink), t_(scan.tokens()) {}

  void Run() {
    CollectCteNames();
    for (std::size_t i = 0; i < t_.size(); ++i) {
      ScriptTransform(i);
      DynamicSql(i);
      InsertDirectory(i);
      if (scan_.IsOp(i + 1, "(")) Call(i);
    }
    Relations();
  }

 private:
  const Token& T(std::size_t i) const { return t_[i]; }
  bool IsString(std::size_t i) const { return i < t_.size() && t_[i].kind == TokenKind::kString; }

  // SELECT TRANSFORM(cols) [ROW FORMAT ...] [RECORDWRITER 'c'] USING 'command' runs the
  // command on the executors (SPARK-32106: also without Hive). MAP/REDUCE ... USING are the
  // same clause. The higher-order transform(array, x -> ...) is never followed by
  // ROW/RECORDWRITER/USING; a string after USING only occurs in this clause.
  void ScriptTransform(std::size_t i) {
    if (scan_.IsWord(i, "TRANSFORM") && scan_.IsOp(i + 1, "(")) {
      std::size_t after = scan_.Match(i + 1) + 1;
      if (scan_.IsWord(after, "ROW") || scan_.IsWord(after, "RECORDWRITER") ||
          scan_.IsWord(after, "USING")) {
        if (!HasUsingString(after)) {
          sink_.Add(SqlIssueKind::kScriptTransform, Severity::kCritical, T(i).offset,
                    "TRANSFORM(...) followed by " + T(after).upper +
                        " is a script transform, which runs a command on the executors");
        }
      }
    }
    if (scan_.IsWord(i, "USING") && IsString(i + 1)) {
      sink_.Add(
          SqlIssueKind::kScriptTransform, Severity::kCritical, T(i).offset,
          "script transform: USING runs the command '" + T(i + 1).text + "' on the executors");
    }
    if ((scan_.IsWord(i, "RECORDWRITER") || scan_.IsWord(i, "RECORDREADER")) && IsString(i + 1)) {
      sink_.Add(SqlIssueKind::kScriptTransform, Severity::kCritical, T(i).offset,
                T(i).upper + " loads the class '" + T(i + 1).text + "' for a script transform");
    }
  }

  // ROW FORMAT ... RECORDWRITER '...' before USING is short; the bound keeps the search linear.
  bool HasUsingString(std::size_t from) const {
    constexpr std::size_t kMaxClauseTokens = 256;
    for (std::size_t j = from;
         j + 1 < t_.size() && j < from + kMaxClauseTokens && !scan_.IsOp(j, ";"); ++j) {
      if (scan_.IsWord(j, "USING")) return IsString(j + 1);
      if (scan_.IsWord(j, "FROM") || scan_.IsWord(j, "SELECT")) return false;
    }
    return false;
  }

  void DynamicSql(std::size_t i) {
    if (scan_.IsWord(i, "EXECUTE") && scan_.IsWord(i + 1, "IMMEDIATE")) {
      std::string text = IsString(i + 2) ? ": '" + T(i + 2).text + "'" : "";
      sink_.Add(SqlIssueKind::kDynamicSql, Severity::kCritical, T(i).offset,
                "EXECUTE IMMEDIATE runs SQL text built at run time" + text);
    }
  }

  // INSERT OVERWRITE [LOCAL] DIRECTORY 'path' writes query results as files.
  void InsertDirectory(std::size_t i) {
    if (!scan_.IsWord(i, "INSERT")) return;
    for (std::size_t j = i + 1; j < t_.size() && j <= i + 3; ++j) {
      if (scan_.IsWord(j, "DIRECTORY")) {
        std::string path = IsString(j + 1) ? " '" + T(j + 1).text + "'" : "";
        sink_.Add(SqlIssueKind::kWriteDirectory, Severity::kCritical, T(i).offset,
                  "INSERT ... DIRECTORY writes files to" + (path.empty() ? " a path" : path));
        return;
      }
    }
  }

  // "name(" at i: reflection functions, IDENTIFIER(...), and functions Spark does not ship.
  void Call(std::size_t i) {
    if (scan_.IsWord(i, "IDENTIFIER")) return IdentifierCall(i);
    // "reflect"(...) is a call when spark.sql.ansi.doubleQuotedIdentifiers is on.
    if (IsString(i) && IsReflectionName(Upper(T(i).text))) return Reflection(i, T(i).text);
    if (!scan_.IsName(i)) return;
    if (IsReflectionName(T(i).upper)) return Reflection(i, T(i).text);
    if (T(i).upper == "READ_FILES") return ReadFiles(i);
    if (scan_.InHint(i) || IsNotCall(i)) return;
    std::string name = T(i).text;
    std::size_t first = i;
    constexpr std::size_t kMaxNameParts = 8;  // catalog.db.function is 3
    for (std::size_t parts = 1; parts < kMaxNameParts && first >= 2 && scan_.IsOp(first - 1, ".") &&
                                scan_.IsName(first - 2);
         ++parts) {
      first -= 2;
      name = T(first).text + "." + name;
    }
    std::string lower = Lower(name);
    bool builtin_qualified =
        lower.rfind("builtin.", 0) == 0 || lower.rfind("system.builtin.", 0) == 0;
    bool known = first == i ? IsSparkBuiltinFunction(name)
                            : builtin_qualified && IsSparkBuiltinFunction(T(i).text);
    if (known || cte_names_.count(T(i).upper) != 0) return;
    if (!reported_functions_.insert(lower).second) return;
    sink_.Add(SqlIssueKind::kUnknownFunction, Severity::kMedium, T(first).offset,
              "'" + name +
                  "' is not a Spark built-in function: a UDF registered by other code "
                  "(or a catalog function) runs");
  }

  bool IsNotCall(std::size_t i) const {
    if (T(i).kind == TokenKind::kWord && IsNonCallKeyword(T(i).upper)) return true;
    if (i == 0) return false;
    const Token& previous = T(i - 1);
    if (previous.kind == TokenKind::kOperator) {
      return previous.text == "::" || previous.text == ")";  // a cast type, an alias list
    }
    if (previous.kind == TokenKind::kQuotedIdent) return true;
    if (previous.kind == TokenKind::kWord) {
      // AS t(a, b) is an alias; TABLE t(...), INTO t(...), EXISTS t(...) name DDL targets.
      if (OneOf(previous.upper, {"AS", "TABLE", "VIEW", "INTO", "FUNCTION", "EXISTS"})) return true;
      return !StartsExpression(previous.upper);
    }
    return false;
  }

  // reflect('class', 'method', args...) calls any static Java method (CallMethodViaReflection).
  void Reflection(std::size_t i, const std::string& name) {
    std::size_t open = i + 1;
    std::string target;
    if (IsString(open + 1)) {
      target = T(open + 1).text;
      if (scan_.IsOp(open + 2, ",") && IsString(open + 3)) target += "." + T(open + 3).text;
    }
    sink_.Add(
        SqlIssueKind::kReflection, Severity::kCritical, T(i).offset,
        name + "() calls a static Java method by reflection" +
            (target.empty() ? std::string(" (class and method not literal here)") : ": " + target));
  }

  // read_files('<path>') (Databricks; [unverified] in open-source Spark) reads files like a
  // <format>.`path` relation.
  void ReadFiles(std::size_t i) {
    std::string path = IsString(i + 2) ? T(i + 2).text : "";
    bool secret = LooksLikeCredentials(path);
    sink_.Add(secret ? SqlIssueKind::kCredentialPath : SqlIssueKind::kFileRelation,
              secret ? Severity::kCritical : Severity::kHigh, T(i).offset,
              "read_files() reads the path '" + path + "' directly");
  }

  // IDENTIFIER('name') names a function or table from a constant string (Spark 3.5+);
  // anything but one literal hides the name until run time.
  void IdentifierCall(std::size_t i) {
    std::size_t open = i + 1;
    bool literal = IsString(open + 1) && scan_.IsOp(open + 2, ")");
    if (!literal) {
      sink_.Add(SqlIssueKind::kDynamicSql, Severity::kCritical, T(i).offset,
                "IDENTIFIER(...) computes a function or table name at run time");
      return;
    }
    std::string name = T(open + 1).text;
    std::size_t dot = name.rfind('.');
    std::string last = Lower(dot == std::string::npos ? name : name.substr(dot + 1));
    if (scan_.IsOp(open + 3, "(")) {
      if (last == "reflect" || last == "java_method" || last == "try_reflect") {
        Reflection(open + 2, name);  // reports at the ')' before the argument list
      } else if (!IsSparkBuiltinFunction(name) && reported_functions_.insert(Lower(name)).second) {
        sink_.Add(SqlIssueKind::kUnknownFunction, Severity::kMedium, T(i).offset,
                  "IDENTIFIER('" + name + "') calls a function Spark does not ship");
      }
    }
  }

  // WITH name [(cols)] AS (query), ...: names that FROM may use besides __THIS__.
  void CollectCteNames() {
    for (std::size_t i = 0; i < t_.size(); ++i) {
      if (!scan_.IsWord(i, "WITH")) continue;
      std::size_t k = scan_.IsWord(i + 1, "RECURSIVE") ? i + 2 : i + 1;
      while (scan_.IsName(k)) {
        std::size_t name = k++;
        if (scan_.IsOp(k, "(")) k = scan_.Match(k) + 1;
        if (scan_.IsWord(k, "AS")) ++k;
        if (!scan_.IsOp(k, "(")) break;
        cte_names_.insert(T(name).upper);
        k = scan_.Match(k) + 1;
        if (!scan_.IsOp(k, ",")) break;
        ++k;
      }
    }
  }

  struct Frame {
    bool in_from = false;  // between FROM and the end of the FROM clause
    bool lateral = false;  // after LATERAL VIEW, commas separate column aliases
    bool call = false;     // the parentheses of a function call (EXTRACT(x FROM y) ...)
  };

  // Walks the FROM clauses: each relation after FROM, JOIN or a FROM-level ',' must be
  // __THIS__, a CTE name, a subquery, or a table-valued function call.
  void Relations() {
    std::vector<Frame> frames(1);
    bool next_frame_from = false;
    for (std::size_t i = 0; i < t_.size(); ++i) {
      if (scan_.InHint(i)) continue;
      if (scan_.IsOp(i, "(")) {
        Frame frame;
        frame.call = i > 0 && scan_.IsName(i - 1) && !IsNotCall(i - 1);
        frame.in_from = next_frame_from;
        next_frame_from = false;
        if (frames.size() < t_.size()) frames.push_back(frame);
        if (frame.in_from) CheckRelation(i + 1, next_frame_from);
        continue;
      }
      next_frame_from = false;
      if (scan_.IsOp(i, ")") || scan_.IsOp(i, ";")) {
        if (frames.size() > 1 && scan_.IsOp(i, ")")) frames.pop_back();
        if (scan_.IsOp(i, ";")) frames.assign(1, Frame{});
        continue;
      }
      Frame& frame = frames.back();
      if (scan_.IsWord(i, "FROM") && !frame.call && !(i > 0 && scan_.IsWord(i - 1, "DISTINCT"))) {
        frame.in_from = true;
        frame.lateral = false;
        CheckRelation(i + 1, next_frame_from);
      } else if (scan_.IsWord(i, "JOIN") ||
                 (scan_.IsOp(i, ",") && frame.in_from && !frame.lateral)) {
        frame.in_from = true;
        CheckRelation(i + 1, next_frame_from);
      } else if (scan_.IsWord(i, "TABLE") && StartsTableQuery(i)) {
        CheckRelation(i + 1, next_frame_from);  // TABLE t is the query SELECT * FROM t
      } else if (scan_.IsWord(i, "LATERAL") && scan_.IsWord(i + 1, "VIEW")) {
        frame.lateral = true;
      } else if (T(i).kind == TokenKind::kWord &&
                 OneOf(T(i).upper, {"WHERE", "GROUP", "HAVING", "ORDER", "SORT", "CLUSTER",
                                    "DISTRIBUTE", "LIMIT", "OFFSET", "UNION", "INTERSECT", "EXCEPT",
                                    "MINUS", "WINDOW", "QUALIFY", "SELECT", "INSERT"})) {
        frame.in_from = false;
      }
    }
  }

  // TABLE at the start of a query term (not CREATE/DROP/INSERT INTO TABLE ...).
  bool StartsTableQuery(std::size_t i) const {
    if (i == 0 || scan_.IsOp(i - 1, "(") || scan_.IsOp(i - 1, ";")) return true;
    return T(i - 1).kind == TokenKind::kWord &&
           OneOf(T(i - 1).upper, {"UNION", "INTERSECT", "EXCEPT", "MINUS", "ALL", "DISTINCT"});
  }

  // The relation starting at token j. A '(' holding a relation (not a query) makes the
  // next frame a FROM frame, as in FROM (a JOIN b).
  void CheckRelation(std::size_t j, bool& next_frame_from) {
    if (j >= t_.size()) return;
    if (scan_.IsOp(j, "(")) {
      const bool query = scan_.IsOp(j + 1, "(") ||
                         (j + 1 < t_.size() && T(j + 1).kind == TokenKind::kWord &&
                          OneOf(T(j + 1).upper, {"SELECT", "WITH", "VALUES", "FROM", "TABLE"}));
      next_frame_from = !query;
      return;
    }
    if (scan_.IsWord(j, "LATERAL") || scan_.IsWord(j, "VALUES")) return;
    std::vector<std::size_t> parts;
    std::optional<std::string> computed;  // IDENTIFIER('name')
    if (scan_.IsWord(j, "IDENTIFIER") && scan_.IsOp(j + 1, "(")) {
      if (IsString(j + 2) && scan_.IsOp(j + 3, ")"))
        computed = T(j + 2).text;
      else
        return;  // reported as dynamic SQL by IdentifierCall
    } else {
      for (std::size_t k = j; scan_.IsName(k) && parts.size() < 8; k += 2) {
        parts.push_back(k);
        if (!scan_.IsOp(k + 1, ".")) break;
      }
      if (parts.empty()) return;
      if (scan_.IsOp(parts.back() + 1, "(")) return;  // a table-valued function
    }
    JudgeRelation(j, parts, computed);
  }

  void JudgeRelation(std::size_t j, const std::vector<std::size_t>& parts,
                     const std::optional<std::string>& computed) {
    std::string name = computed ? *computed : T(parts.front()).text;
    if (parts.size() == 2) {
      std::string path = T(parts[1]).text;
      bool path_like = path.find_first_of("/:\\") != std::string::npos;
      if (IsFileFormat(Lower(name)) || path_like) {
        bool secret = LooksLikeCredentials(path);
        sink_.Add(secret ? SqlIssueKind::kCredentialPath : SqlIssueKind::kFileRelation,
                  secret ? Severity::kCritical : Severity::kHigh, T(j).offset,
                  "the query reads the path '" + path + "' directly with the '" + name +
                      "' data source" +
                      (secret ? ", a path that names credentials or secrets"
                              : " (files or remote URIs beyond the input)"));
        return;
      }
    }
    if (parts.size() <= 1) {
      if (name == "__THIS__" || cte_names_.count(Upper(name)) != 0) return;
      if (name.find("://") != std::string::npos) {
        bool secret = LooksLikeCredentials(name);
        sink_.Add(secret ? SqlIssueKind::kCredentialPath : SqlIssueKind::kFileRelation,
                  secret ? Severity::kCritical : Severity::kHigh, T(j).offset,
                  "the query reads the URI '" + name + "' directly");
        return;
      }
    } else {
      for (std::size_t k = 1; k < parts.size(); ++k) name += "." + T(parts[k]).text;
    }
    sink_.Add(SqlIssueKind::kOtherTable, Severity::kHigh, T(j).offset,
              "the query reads the table '" + name +
                  "', not only __THIS__ (other data of the session or catalog)");
  }

  static std::string Upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return out;
  }

  const Scan& scan_;
  IssueSink& sink_;
  const std::vector<Token>& t_;
  std::set<std::string> cte_names_;
  std::set<std::string> reported_functions_;
};

}  // namespace

Scan::Scan(std::string_view source, std::vector<Token> tokens)
    : source_(source),
      tokens_(std::move(tokens)),
      in_hint_(tokens_.size(), false),
      match_(tokens_.size(), tokens_.size()) {
  bool hint = false;
  std::vector<std::size_t> open;
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    if (tokens_[i].kind == TokenKind::kHintStart) hint = true;
    in_hint_[i] = hint;
    if (tokens_[i].kind == TokenKind::kHintEnd) hint = false;
    if (IsOp(i, "(")) open.push_back(i);
    if (IsOp(i, ")") && !open.empty()) {
      match_[open.back()] = i;
      open.pop_back();
    }
  }
}

bool Scan::IsWord(std::size_t i, std::string_view upper) const {
  return i < tokens_.size() && tokens_[i].kind == TokenKind::kWord && tokens_[i].upper == upper;
}

bool Scan::IsOp(std::size_t i, std::string_view op) const {
  return i < tokens_.size() && tokens_[i].kind == TokenKind::kOperator && tokens_[i].text == op;
}

bool Scan::IsName(std::size_t i) const {
  return i < tokens_.size() &&
         (tokens_[i].kind == TokenKind::kWord || tokens_[i].kind == TokenKind::kQuotedIdent);
}

std::size_t Scan::Match(std::size_t i) const { return i < match_.size() ? match_[i] : i; }

std::string Scan::StringsAfter(std::size_t begin, std::size_t end) const {
  std::string out;
  std::size_t shown = 0;
  for (std::size_t i = begin; i < end && i < tokens_.size() && shown < 3; ++i) {
    if (tokens_[i].kind != TokenKind::kString) continue;
    out += (shown++ == 0 ? ": '" : ", '") + tokens_[i].text + "'";
  }
  return out;
}

void IssueSink::Add(SqlIssueKind kind, Severity severity, std::uint64_t offset,
                    std::string message) {
  // The first occurrences of a kind carry the evidence; this bounds memory on huge inputs.
  constexpr std::size_t kMaxPerKind = 32;
  std::size_t& count = per_kind_[static_cast<std::size_t>(kind)];
  if (count >= kMaxPerKind) return;
  ++count;
  SqlIssue issue;
  issue.kind = kind;
  issue.severity = severity;
  issue.message = std::move(message);
  issue.offset = offset;
  issue.excerpt = SqlExcerpt(source_, offset);
  issues_.push_back(std::move(issue));
}

std::vector<SqlIssue> IssueSink::Take(std::size_t max_issues) {
  std::stable_sort(issues_.begin(), issues_.end(), [](const SqlIssue& a, const SqlIssue& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    return a.offset < b.offset;
  });
  if (issues_.size() > max_issues) issues_.resize(max_issues);
  return std::move(issues_);
}

void RunTokenRules(const Scan& scan, IssueSink& sink) { TokenRules(scan, sink).Run(); }

}  // namespace mg::sparksql
