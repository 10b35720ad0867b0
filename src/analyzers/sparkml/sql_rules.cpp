#include "analyzers/sparkml/sql_rules.h"

#include <algorithm>
#include <initializer_list>
#include <set>
#include <utility>

#include "analyzers/sparkml/sql_scan.h"

namespace mg::sparksql {
namespace {

bool OneOf(std::string_view word, std::initializer_list<std::string_view> options) {
  return std::find(options.begin(), options.end(), word) != options.end();
}

// Statement kinds by their first keyword (SqlBaseParser `statement` alternatives).
enum class Shape : std::uint8_t { kQuery, kSideEffect, kSessionState, kReadOnly, kOther };

Shape ShapeOf(std::string_view first) {
  // A query may start with FROM (Hive's FROM-first form), TABLE t, VALUES, MAP/REDUCE.
  if (OneOf(first, {"SELECT", "WITH", "VALUES", "FROM", "TABLE", "MAP", "REDUCE"})) {
    return Shape::kQuery;
  }
  if (OneOf(first, {"INSERT", "CREATE", "DROP", "ALTER", "TRUNCATE", "DELETE", "UPDATE", "MERGE",
                    "LOAD", "REPLACE", "CALL", "GRANT", "REVOKE", "COMMENT", "IMPORT", "EXPORT"})) {
    return Shape::kSideEffect;
  }
  if (OneOf(first, {"CACHE", "UNCACHE", "CLEAR", "REFRESH", "MSCK", "REPAIR", "ANALYZE", "USE",
                    "RESET", "DECLARE"})) {
    return Shape::kSessionState;
  }
  if (OneOf(first, {"SHOW", "DESCRIBE", "DESC", "EXPLAIN", "LIST"})) return Shape::kReadOnly;
  return Shape::kOther;
}

class StatementRules {
 public:
  StatementRules(Scan& scan, IssueSink& sink) : scan_(scan), sink_(sink) {}

  // Judges the statement in tokens [begin, end) by its leading keywords.
  void Classify(std::size_t begin, std::size_t end) {
    std::size_t first = begin;
    while (first < end && scan_.IsOp(first, "(")) ++first;
    if (first >= end) return;
    const Token& head = scan_.tokens()[first];
    if (head.kind != TokenKind::kWord) {
      sink_.Add(SqlIssueKind::kNotQuery, Severity::kMedium, head.offset,
                "the statement does not start with a keyword; Spark would not run it as a query");
      return;
    }
    const std::string& word = head.upper;
    if (word == "ADD") return AddResource(first, end);
    if (word == "CREATE" && CreateFunction(first, end)) return;
    if (word == "SET") return SetConfig(first, end);
    if (word == "BEGIN" || (scan_.IsOp(first + 1, ":") && scan_.IsWord(first + 2, "BEGIN"))) {
      sink_.Add(SqlIssueKind::kDynamicSql, Severity::kCritical, head.offset,
                "a SQL script (BEGIN ... END) runs several statements, possibly built at run time");
      return;
    }
    if (word == "EXECUTE") return;  // EXECUTE IMMEDIATE is reported by the token rules
    switch (ShapeOf(word)) {
      case Shape::kQuery:
        return FromFirstInsert(first, end);
      case Shape::kSideEffect:
        sink_.Add(SqlIssueKind::kCommand, Severity::kHigh, head.offset,
                  "the statement is a " + word +
                      " command, which Spark runs eagerly (already at transformSchema) and which "
                      "changes tables, views or data");
        return;
      case Shape::kSessionState:
        sink_.Add(SqlIssueKind::kCommand, Severity::kMedium, head.offset,
                  "the statement is a " + word +
                      " command, which Spark runs eagerly and which changes session or catalog "
                      "state; it is not a query");
        return;
      case Shape::kReadOnly:
      case Shape::kOther:
        sink_.Add(SqlIssueKind::kNotQuery, Severity::kMedium, head.offset,
                  "the statement starts with " + word + ", not SELECT or WITH");
        return;
    }
  }

 private:
  // ADD JAR|JARS|FILE|FILES|ARCHIVE|ARCHIVES <uri>...: the URIs are fetched and JARs join the
  // class path of the session (ResourceList commands).
  void AddResource(std::size_t first, std::size_t end) {
    const Token& head = scan_.tokens()[first];
    if (first + 1 < end && scan_.tokens()[first + 1].kind == TokenKind::kWord &&
        OneOf(scan_.tokens()[first + 1].upper,
              {"JAR", "JARS", "FILE", "FILES", "ARCHIVE", "ARCHIVES"})) {
      sink_.Add(SqlIssueKind::kCodeLoading, Severity::kCritical, head.offset,
                "ADD " + scan_.tokens()[first + 1].upper +
                    " fetches a resource into the Spark session (JARs add classes)" +
                    scan_.StringsAfter(first + 2, end));
      return;
    }
    sink_.Add(SqlIssueKind::kCommand, Severity::kMedium, head.offset,
              "the statement is an ADD command, not a query");
  }

  // CREATE [OR REPLACE] [TEMPORARY] FUNCTION [IF NOT EXISTS] name AS 'class' [USING JAR ...]
  // loads a Hive UDF class; the Spark 4 SQL form (... RETURN expr) defines a SQL function.
  bool CreateFunction(std::size_t first, std::size_t end) {
    std::size_t i = first + 1;
    while (i < end && scan_.tokens()[i].kind == TokenKind::kWord &&
           OneOf(scan_.tokens()[i].upper, {"OR", "REPLACE", "TEMPORARY", "TEMP"})) {
      ++i;
    }
    if (!scan_.IsWord(i, "FUNCTION")) return false;
    const Token& head = scan_.tokens()[first];
    for (std::size_t j = i + 1; j + 1 < end; ++j) {
      if (scan_.IsWord(j, "AS") && scan_.tokens()[j + 1].kind == TokenKind::kString) {
        sink_.Add(SqlIssueKind::kCodeLoading, Severity::kCritical, head.offset,
                  "CREATE FUNCTION loads the Java class '" + scan_.tokens()[j + 1].text +
                      "' as a UDF" + scan_.StringsAfter(j + 2, end));
        return true;
      }
    }
    sink_.Add(SqlIssueKind::kCommand, Severity::kHigh, head.offset,
              "CREATE FUNCTION defines a function in the catalog or session that other code "
              "may call");
    return true;
  }

  // SET key=value changes a Spark or Hadoop setting of the session (credentials, endpoints,
  // spark.sql.* behaviour). SET VAR[IABLE] assigns a session variable.
  void SetConfig(std::size_t first, std::size_t end) {
    const Token& head = scan_.tokens()[first];
    if (scan_.IsWord(first + 1, "VAR") || scan_.IsWord(first + 1, "VARIABLE")) {
      sink_.Add(SqlIssueKind::kCommand, Severity::kMedium, head.offset,
                "SET VARIABLE assigns a session variable; it is not a query");
      return;
    }
    if (scan_.IsWord(first + 1, "TIME") && scan_.IsWord(first + 2, "ZONE")) {
      sink_.Add(SqlIssueKind::kCommand, Severity::kMedium, head.offset,
                "SET TIME ZONE changes the session time zone; it is not a query");
      return;
    }
    std::uint64_t text_end = scan_.tokens()[end - 1].end;
    std::string setting = SqlExcerpt(scan_.source().substr(0, text_end), head.offset, 120);
    sink_.Add(SqlIssueKind::kSetConfig, Severity::kHigh, head.offset,
              "SET changes the session configuration (it can redirect storage endpoints or "
              "swap credentials): " +
                  setting);
  }

  // FROM t INSERT INTO ... (Hive multi-insert) writes although it starts like a query.
  void FromFirstInsert(std::size_t first, std::size_t end) {
    if (!scan_.IsWord(first, "FROM")) return;
    for (std::size_t i = first; i < end; ++i) {
      if (scan_.IsWord(i, "INSERT")) {
        sink_.Add(SqlIssueKind::kCommand, Severity::kHigh, scan_.tokens()[i].offset,
                  "a FROM ... INSERT statement writes to tables");
        return;
      }
    }
  }

  Scan& scan_;
  IssueSink& sink_;
};

// Splits the tokens at top-level ';' into statements; a SQL script (BEGIN ... END) is one.
std::vector<std::pair<std::size_t, std::size_t>> SplitStatements(const Scan& scan) {
  std::vector<std::pair<std::size_t, std::size_t>> statements;
  std::size_t count = scan.tokens().size();
  bool script = scan.IsWord(0, "BEGIN") || (scan.IsOp(1, ":") && scan.IsWord(2, "BEGIN"));
  if (script) {
    statements.emplace_back(0, count);
    return statements;
  }
  std::size_t begin = 0;
  for (std::size_t i = 0; i <= count; ++i) {
    if (i == count || (scan.IsOp(i, ";") && !scan.InHint(i))) {
      if (i > begin) statements.emplace_back(begin, i);
      begin = i + 1;
    }
  }
  return statements;
}

}  // namespace

std::string_view SqlIssueKindName(SqlIssueKind kind) {
  switch (kind) {
    case SqlIssueKind::kScriptTransform:
      return "script-transform";
    case SqlIssueKind::kReflection:
      return "reflection";
    case SqlIssueKind::kCodeLoading:
      return "code-loading";
    case SqlIssueKind::kDynamicSql:
      return "dynamic-sql";
    case SqlIssueKind::kWriteDirectory:
      return "write-directory";
    case SqlIssueKind::kCredentialPath:
      return "credential-path";
    case SqlIssueKind::kFileRelation:
      return "file-relation";
    case SqlIssueKind::kOtherTable:
      return "other-table";
    case SqlIssueKind::kSetConfig:
      return "set-config";
    case SqlIssueKind::kMultipleStatements:
      return "multiple-statements";
    case SqlIssueKind::kCommand:
      return "command";
    case SqlIssueKind::kUnknownFunction:
      return "unknown-function";
    case SqlIssueKind::kNotQuery:
      return "not-query";
    case SqlIssueKind::kUnparseable:
      return "unparseable";
    case SqlIssueKind::kTooLarge:
      return "too-large";
  }
  return "unknown";
}

std::string SqlExcerpt(std::string_view text, std::uint64_t offset, std::size_t max_bytes) {
  if (offset >= text.size()) return {};
  std::size_t end = std::min<std::size_t>(text.size(), offset + max_bytes);
  // Do not cut a UTF-8 sequence in two.
  while (end > offset && end < text.size() &&
         (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;
  }
  std::string out(text.substr(offset, end - offset));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  return out;
}

namespace {

// Judges one token stream of `text`: lex errors, statement shapes, then the token rules.
std::vector<SqlIssue> JudgeReading(std::string_view text, LexResult lexed,
                                   const SqlLimits& limits) {
  IssueSink sink(text);
  if (lexed.error == LexError::kTooLong) {
    sink.Add(SqlIssueKind::kTooLarge, Severity::kMedium, 0,
             "the statement is longer than the analysis limit of " +
                 std::to_string(limits.lex.max_statement_bytes) + " bytes and was not analysed");
    return sink.Take(limits.max_issues);
  }
  if (lexed.error == LexError::kTooManyTokens) {
    sink.Add(SqlIssueKind::kTooLarge, Severity::kMedium, lexed.error_offset,
             "the statement has more tokens than the analysis limit; only the first " +
                 std::to_string(limits.lex.max_tokens) + " were checked");
  } else if (!lexed.ok()) {
    sink.Add(SqlIssueKind::kUnparseable, Severity::kMedium, lexed.error_offset,
             "the statement does not lex (" + lexed.message +
                 "), so it cannot be fully judged; the text before it was checked");
  }
  Scan scan(text, std::move(lexed.tokens));
  auto statements = SplitStatements(scan);
  if (statements.size() > 1) {
    sink.Add(SqlIssueKind::kMultipleStatements, Severity::kHigh,
             scan.tokens()[statements[1].first].offset,
             "the text holds " + std::to_string(statements.size()) +
                 " statements; SQLTransformer expects a single query");
  }
  StatementRules rules(scan, sink);
  for (const auto& [begin, end] : statements) rules.Classify(begin, end);
  RunTokenRules(scan, sink);
  return sink.Take(limits.max_issues);
}

bool SameTokens(const std::vector<Token>& a, const std::vector<Token>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const Token& x, const Token& y) {
    return x.kind == y.kind && x.offset == y.offset && x.end == y.end && x.text == y.text;
  });
}

// The issues of every reading, each (kind, message) once: the first reading's as they are, the
// others' with a note saying which reading found them.
class IssueMerger {
 public:
  void Add(std::vector<SqlIssue> issues, std::string_view note = {},
           std::initializer_list<SqlIssueKind> skipped = {}) {
    for (SqlIssue& issue : issues) {
      if (std::find(skipped.begin(), skipped.end(), issue.kind) != skipped.end()) continue;
      if (!seen_.emplace(issue.kind, issue.message).second) continue;
      if (!note.empty()) issue.message = std::string(note) + ": " + issue.message;
      merged_.push_back(std::move(issue));
    }
  }

  std::vector<SqlIssue> Take(std::size_t max_issues) {
    std::stable_sort(merged_.begin(), merged_.end(), [](const SqlIssue& a, const SqlIssue& b) {
      return a.severity > b.severity;
    });
    if (merged_.size() > max_issues) merged_.resize(max_issues);
    return std::move(merged_);
  }

 private:
  std::set<std::pair<SqlIssueKind, std::string>> seen_;
  std::vector<SqlIssue> merged_;
};

// Lex errors and limits of a second reading repeat the first one's or make Spark reject the
// text; relations there name the spliced view.
constexpr std::initializer_list<SqlIssueKind> kSecondReadingSkips = {
    SqlIssueKind::kUnparseable, SqlIssueKind::kTooLarge};

// Spark 2.x and 3.0 read comments differently (SqlBase.g4 before SPARK-33100 and SPARK-30049);
// a model loaded there runs what the older grammar sees.
struct OlderReading {
  LexDialect dialect;
  std::string_view note;
};
constexpr OlderReading kOlderReadings[] = {
    {{false, true}, "read as Spark 3.0 reads it ('/* */' comments do not nest)"},
    {{false, false},
     "read as Spark 2.x reads it ('/* */' comments do not nest, '--' comments end at the line "
     "break)"},
};

bool IsJavaWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool IsJavaSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\x0B' || c == '\f' || c == '\r';
}

// The statement with some byte ranges replaced, and the way back from its offsets to the
// statement's, so that issues of a rewritten reading point into the statement.
class RewrittenText {
 public:
  explicit RewrittenText(std::string_view statement) : statement_(statement) {}

  // Replaces [offset, offset + length) of the statement; ranges come in increasing order.
  void Replace(std::size_t offset, std::size_t length, std::string_view replacement) {
    Copy(offset);
    anchors_.push_back({text_.size(), offset, false});
    text_.append(replacement);
    copied_ = offset + length;
  }
  const std::string& Finish() {
    Copy(statement_.size());
    return text_;
  }
  std::size_t size() const { return text_.size(); }
  std::size_t StatementOffset(std::size_t text_offset) const {
    auto after = std::upper_bound(
        anchors_.begin(), anchors_.end(), text_offset,
        [](std::size_t offset, const Anchor& anchor) { return offset < anchor.text_offset; });
    if (after == anchors_.begin()) return std::min(text_offset, statement_.size());
    const Anchor& anchor = *(after - 1);
    const std::size_t inside = anchor.copied ? text_offset - anchor.text_offset : 0;
    return std::min(anchor.statement_offset + inside, statement_.size());
  }

 private:
  struct Anchor {
    std::size_t text_offset;
    std::size_t statement_offset;
    bool copied;  // a copied range (offsets map one to one), not a replacement
  };
  void Copy(std::size_t until) {
    if (until <= copied_) return;
    anchors_.push_back({text_.size(), copied_, true});
    text_.append(statement_.substr(copied_, until - copied_));
    copied_ = until;
  }

  std::string_view statement_;
  std::string text_;
  std::vector<Anchor> anchors_;
  std::size_t copied_ = 0;
};

// Issues of a rewritten reading, with offsets into the statement (excerpts stay from the
// rewritten text: they show what Spark parses).
std::vector<SqlIssue> MapOffsets(std::vector<SqlIssue> issues, const RewrittenText& rewritten) {
  for (SqlIssue& issue : issues) issue.offset = rewritten.StatementOffset(issue.offset);
  return issues;
}

}  // namespace

std::vector<VariableReference> FindVariableReferences(std::string_view text,
                                                      std::size_t max_references) {
  std::vector<VariableReference> found;
  std::size_t at = text.find("${");
  while (at != std::string_view::npos && found.size() < max_references) {
    // ConfigReader.REF_RE: \$\{(?:(\w+?):)?(\S+?)\} -- at least one non-space, then the first '}'.
    std::size_t close = at + 2;
    while (close < text.size() && !IsJavaSpace(text[close]) &&
           (text[close] != '}' || close == at + 2)) {
      ++close;
    }
    if (close >= text.size() || text[close] != '}') {
      // No '}' before this space (or the end): no "${" in between has one either.
      at = close >= text.size() ? std::string_view::npos : text.find("${", close);
      continue;
    }
    VariableReference reference;
    reference.offset = at;
    reference.length = close + 1 - at;
    const std::string_view body = text.substr(at + 2, close - at - 2);
    const std::size_t colon = body.find(':');
    if (colon != std::string_view::npos && colon > 0 && colon + 1 < body.size() &&
        std::all_of(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(colon),
                    IsJavaWordChar)) {
      reference.prefix = std::string(body.substr(0, colon));
    }
    found.push_back(std::move(reference));
    at = text.find("${", close + 1);
  }
  return found;
}

std::vector<SqlIssue> AnalyzeSqlStatement(std::string_view statement, const SqlLimits& limits,
                                          std::string_view uid) {
  LexResult lexed = LexSql(statement, limits.lex);
  const bool judged = lexed.error != LexError::kTooLong;
  std::vector<Token> tokens = lexed.tokens;
  IssueMerger merger;
  merger.Add(JudgeReading(statement, std::move(lexed), limits));
  if (!judged) return merger.Take(limits.max_issues);
  for (const OlderReading& older : kOlderReadings) {
    LexResult other = LexSql(statement, limits.lex, older.dialect);
    if (SameTokens(other.tokens, tokens)) continue;
    merger.Add(JudgeReading(statement, std::move(other), limits), older.note, kSecondReadingSkips);
  }
  // spark.sql substitutes ${var}, ${env:X}, ${system:y} ... (VariableSubstitution, on by
  // default) in the whole text, comments and strings included, before it lexes anything.
  const std::vector<VariableReference> references = FindVariableReferences(statement);
  if (!references.empty()) {
    const VariableReference& first = references.front();
    std::string message = "'";
    message.append(statement.substr(first.offset, std::min<std::size_t>(first.length, 80)));
    message.append(
        "' is replaced before parsing by a session setting, environment variable or JVM system "
        "property: the SQL that runs is built at run time and can carry secrets or end a comment "
        "early");
    IssueSink sink(statement);
    sink.Add(SqlIssueKind::kDynamicSql, Severity::kCritical, first.offset, std::move(message));
    merger.Add(sink.Take(1));
    // The reading with every reference empty, which is what an unset setting gives.
    RewrittenText substituted(statement);
    for (const VariableReference& reference : references) {
      substituted.Replace(reference.offset, reference.length, "");
    }
    const std::string& text = substituted.Finish();
    merger.Add(MapOffsets(JudgeReading(text, LexSql(text, limits.lex), limits), substituted),
               "after ${...} substitution (each reference empty)", kSecondReadingSkips);
  }
  // SQLTransformer pastes "<uid>_<12 hex digits>" over every "__THIS__", wherever it is; a uid
  // with other characters than [A-Za-z0-9_] changes how the text lexes.
  if (!uid.empty() && !std::all_of(uid.begin(), uid.end(), IsJavaWordChar) &&
      statement.find("__THIS__") != std::string_view::npos) {
    RewrittenText spliced(statement);
    const std::string view = std::string(uid) + "_000000000000";
    for (std::size_t at = statement.find("__THIS__");
         at != std::string_view::npos && spliced.size() <= limits.lex.max_statement_bytes;
         at = statement.find("__THIS__", at + 8)) {
      spliced.Replace(at, 8, view);
    }
    const std::string& text = spliced.Finish();
    if (text.size() <= limits.lex.max_statement_bytes) {
      merger.Add(MapOffsets(JudgeReading(text, LexSql(text, limits.lex), limits), spliced),
                 "after __THIS__ is replaced by the view name built from the uid '" +
                     std::string(uid.substr(0, 80)) + "'",
                 {SqlIssueKind::kUnparseable, SqlIssueKind::kTooLarge, SqlIssueKind::kOtherTable});
    }
  }
  return merger.Take(limits.max_issues);
}

}  // namespace mg::sparksql
