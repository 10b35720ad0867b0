// Internals of sql_rules.cpp: a token stream with bracket matching and hint marks, an issue
// collector, and the rules that look at tokens anywhere in the text (script transforms,
// reflection, function calls, relations). Not an API for other analyzers.
#pragma once

#include <array>
#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/sparkml/sql_lexer.h"
#include "analyzers/sparkml/sql_rules.h"

namespace mg::sparksql {

class Scan {
 public:
  Scan(std::string_view source, std::vector<Token> tokens);

  std::string_view source() const { return source_; }
  const std::vector<Token>& tokens() const { return tokens_; }
  bool IsWord(std::size_t i, std::string_view upper) const;
  bool IsOp(std::size_t i, std::string_view op) const;
  bool IsName(std::size_t i) const;  // a word or a backquoted identifier
  bool InHint(std::size_t i) const { return i < in_hint_.size() && in_hint_[i]; }
  // Index of the ')' matching the '(' at i; tokens().size() when unmatched.
  std::size_t Match(std::size_t i) const;
  // ": 'a', 'b'" listing the string literals in [begin, end) (at most 3), or "".
  std::string StringsAfter(std::size_t begin, std::size_t end) const;

 private:
  std::string_view source_;
  std::vector<Token> tokens_;
  std::vector<bool> in_hint_;
  std::vector<std::size_t> match_;
};

class IssueSink {
 public:
  explicit IssueSink(std::string_view source) : source_(source) {}
  void Add(SqlIssueKind kind, Severity severity, std::uint64_t offset, std::string message);
  // Most severe first, then by offset; at most `max_issues`.
  std::vector<SqlIssue> Take(std::size_t max_issues);

 private:
  std::string_view source_;
  std::vector<SqlIssue> issues_;
  std::array<std::size_t, 16> per_kind_{};  // issues added per SqlIssueKind
};

// The rules that apply to tokens wherever they are: script transforms, reflection functions,
// IDENTIFIER(...), EXECUTE IMMEDIATE, INSERT ... DIRECTORY, unknown functions and relations.
void RunTokenRules(const Scan& scan, IssueSink& sink);

}  // namespace mg::sparksql
