#include "analyzers/jinja/template_rules.h"

#include <algorithm>
#include <iterator>
#include <optional>

namespace mg::jinja {
namespace {

// Python special attributes that public Jinja2 SSTI payloads walk to reach os/subprocess:
// object graph (__class__, __mro__, __base__, __subclasses__), function internals
// (__globals__, __builtins__, __init__, __code__), importing (__import__, __loader__).
constexpr std::string_view kDangerousDunders[] = {
    "__class__",    "__mro__",  "__base__",    "__bases__",  "__subclasses__",   "__globals__",
    "__builtins__", "__init__", "__import__",  "__dict__",   "__getattribute__", "__getattr__",
    "__code__",     "__func__", "__self__",    "__module__", "__reduce__",       "__reduce_ex__",
    "__loader__",   "__spec__", "__getitem__", "__call__",   "__closure__",      "__new__"};

// Functions and attributes a payload ends at; a chat template never names them as an
// attribute, a subscript or an |attr argument.
constexpr std::string_view kDangerousNames[] = {
    "popen",   "subprocess", "eval",        "exec",         "getattr",      "setattr", "builtins",
    "globals", "mro",        "subclasses",  "func_globals", "f_globals",    "f_back",  "gi_frame",
    "gi_code", "tb_frame",   "load_module", "check_output", "import_module"};

// Names payloads use that an ordinary object could also have as an attribute
// (`settings.system`): high rather than critical on their own.
constexpr std::string_view kAmbiguousNames[] = {"os",      "system", "open",   "import",
                                                "compile", "spawn",  "environ"};

// Jinja2 (and Flask) globals whose attributes lead to Python globals in public exploits:
// lipsum.__globals__, cycler.__init__.__globals__, joiner/namespace likewise, self (the
// TemplateReference), config and request (Flask).
constexpr std::string_view kExploitGlobals[] = {"lipsum",    "cycler",  "joiner",
                                                "namespace", "self",    "config",
                                                "request",   "url_for", "get_flashed_messages"};

template <std::size_t N>
bool In(const std::string_view (&set)[N], std::string_view word) {
  return std::find(std::begin(set), std::end(set), word) != std::end(set);
}

std::string_view DunderIn(std::string_view text) {
  for (std::string_view dunder : kDangerousDunders) {
    if (text.find(dunder) != std::string_view::npos) return dunder;
  }
  return {};
}

bool IsOp(const Token& token, std::string_view op) {
  return token.kind == TokenKind::kOperator && token.text == op;
}
bool IsName(const Token& token, std::string_view name) {
  return token.kind == TokenKind::kName && token.text == name;
}

struct Finding {
  IssueKind kind;
  std::string reason;
};

// The strongest reason to distrust one tag, or nullopt.
class TagJudge {
 public:
  explicit TagJudge(const std::vector<Token>& tokens) : t_(tokens) {}

  std::optional<Finding> Judge() {
    for (std::size_t i = 0; i < t_.size() && !critical_; ++i) JudgeToken(i);
    return best_;
  }

 private:
  void Escape(std::string reason) {
    if (!critical_) best_ = Finding{IssueKind::kSandboxEscape, std::move(reason)};
    critical_ = true;
  }
  void Suspicious(std::string reason) {
    if (!best_) best_ = Finding{IssueKind::kSuspicious, std::move(reason)};
  }

  // The string literal or name used as an attribute name at `i`, if it is one.
  void JudgeAttributeName(std::string_view name, std::string_view how) {
    if (name.rfind("__", 0) == 0)
      return Escape(std::string(how) + " reaches '" + std::string(name) + "'");
    if (In(kDangerousNames, name)) {
      return Escape(std::string(how) + " reaches '" + std::string(name) + "'");
    }
    if (In(kAmbiguousNames, name)) {
      return Suspicious(std::string(how) + " reaches '" + std::string(name) +
                        "', a name sandbox escapes use");
    }
    if (!name.empty() && name[0] == '_') {
      Suspicious(std::string(how) + " reaches the private attribute '" + std::string(name) + "'");
    }
  }

  void JudgeToken(std::size_t i) {
    const Token& token = t_[i];
    const Token* next = i + 1 < t_.size() ? &t_[i + 1] : nullptr;
    const Token* prev = i > 0 ? &t_[i - 1] : nullptr;
    if (token.kind == TokenKind::kName) {
      if (token.text.rfind("__", 0) == 0) {
        return Escape("the name '" + token.text + "' is a Python special attribute");
      }
      if (prev != nullptr && IsOp(*prev, ".")) JudgeAttributeName(token.text, "attribute access");
      if (In(kExploitGlobals, token.text) && next != nullptr &&
          (IsOp(*next, ".") || IsOp(*next, "[") ||
           (IsOp(*next, "|") && i + 2 < t_.size() && IsName(t_[i + 2], "attr")))) {
        return Escape("the Jinja global '" + token.text +
                      "' is reached for attributes (a public sandbox-escape path)");
      }
      if (token.text == "attr" && prev != nullptr && IsOp(*prev, "|")) JudgeAttrFilter(i);
      if ((token.text == "format") && prev != nullptr && (IsOp(*prev, "|") || IsOp(*prev, "."))) {
        JudgeFormat(i);
      }
      return;
    }
    if (token.kind != TokenKind::kString) return;
    if (token.undecodable) {
      Suspicious("a string uses a \\N{...} escape, which spells characters by name");
    }
    if (std::string_view dunder = DunderIn(token.text); !dunder.empty()) {
      return Escape("a string literal names '" + std::string(dunder) + "'");
    }
    if (prev != nullptr && IsOp(*prev, "[") && next != nullptr && IsOp(*next, "]")) {
      JudgeAttributeName(token.text, "a subscript");
    }
  }

  // x|attr(name): getattr by a computed or literal name, the usual way around filters.
  void JudgeAttrFilter(std::size_t i) {
    if (i + 2 < t_.size() && IsOp(t_[i + 1], "(") && t_[i + 2].kind == TokenKind::kString) {
      JudgeAttributeName(t_[i + 2].text, "the attr filter");
      if (critical_) return;
    }
    Suspicious("the attr filter looks attributes up by name");
  }

  // '%c'|format(95) or '{0}'.format('_'): names built from character codes or pieces.
  void JudgeFormat(std::size_t i) {
    for (std::size_t k = i > 3 ? i - 3 : 0; k < std::min(t_.size(), i + 8); ++k) {
      if (t_[k].kind != TokenKind::kString) continue;
      const std::string& s = t_[k].text;
      if (s.find("%c") != std::string::npos || s.find('_') != std::string::npos) {
        return Suspicious("string formatting builds text from character codes or underscores");
      }
    }
  }

  const std::vector<Token>& t_;
  std::optional<Finding> best_;
  bool critical_ = false;
};

// All string literals of the template, in order, with 'x' * n expanded: a dunder that only
// appears here was assembled from pieces ('__cla' ~ 'ss__', ['__', 'globals__']|join).
struct JoinedStrings {
  std::string text;
  std::vector<std::pair<std::size_t, const Tag*>> starts;  // where each tag's pieces begin
};

JoinedStrings ConcatenatedStrings(const std::vector<Tag>& tags) {
  JoinedStrings all;
  for (const Tag& tag : tags) {
    const auto& t = tag.tokens;
    all.starts.emplace_back(all.text.size(), &tag);
    for (std::size_t i = 0; i < t.size() && all.text.size() < (1u << 20); ++i) {
      if (t[i].kind != TokenKind::kString) continue;
      std::size_t repeat = 1;
      if (i + 2 < t.size() && IsOp(t[i + 1], "*") && t[i + 2].kind == TokenKind::kNumber &&
          t[i + 2].text.size() == 1) {
        repeat = static_cast<std::size_t>(t[i + 2].text[0] - '0');
      }
      for (std::size_t r = 0; r < repeat; ++r) all.text += t[i].text;
    }
  }
  return all;
}

// The tag whose string pieces start the assembled name (the evidence for it).
const Tag* TagAt(const JoinedStrings& joined, std::size_t position) {
  const Tag* found = nullptr;
  for (const auto& [start, tag] : joined.starts) {
    if (start > position) break;
    if (start < joined.text.size() && start <= position) found = tag;
  }
  return found;
}

// Text search for when the template cannot be lexed (or is too large): the needles that
// public payloads cannot avoid.
std::optional<TemplateIssue> ScanRawText(std::string_view text, std::uint64_t base) {
  for (std::string_view dunder : kDangerousDunders) {
    const std::size_t at = text.find(dunder);
    if (at == std::string_view::npos) continue;
    return TemplateIssue{IssueKind::kSandboxEscape, Severity::kCritical,
                         "Text the lexer could not read names the Python special attribute '" +
                             std::string(dunder) + "'.",
                         TemplateExcerpt(text, at > 40 ? at - 40 : 0, 160), base + at};
  }
  for (std::string_view global : kExploitGlobals) {
    for (std::size_t at = text.find(global); at != std::string_view::npos;
         at = text.find(global, at + 1)) {
      const std::size_t after = at + global.size();
      if (after < text.size() && (text[after] == '.' || text[after] == '[')) {
        return TemplateIssue{IssueKind::kSandboxEscape, Severity::kCritical,
                             "Text the lexer could not read reaches the Jinja global '" +
                                 std::string(global) + "' for attributes.",
                             TemplateExcerpt(text, at, 160), base + at};
      }
    }
  }
  return std::nullopt;
}

void SortAndCap(std::vector<TemplateIssue>& issues, std::size_t cap) {
  std::stable_sort(
      issues.begin(), issues.end(),
      [](const TemplateIssue& a, const TemplateIssue& b) { return a.severity > b.severity; });
  if (issues.size() > cap) issues.resize(cap);
}

}  // namespace

std::string TemplateExcerpt(std::string_view text, std::uint64_t offset, std::size_t max_bytes) {
  if (offset >= text.size()) return {};
  std::string out(text.substr(offset, max_bytes));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  if (offset + max_bytes < text.size()) out += "...";
  return out;
}

std::vector<TemplateIssue> AnalyzeChatTemplate(std::string_view text,
                                               const TemplateLimits& limits) {
  std::vector<TemplateIssue> issues;
  if (text.size() > limits.max_template_bytes) {
    if (!limits.known_template) return issues;
    issues.push_back({IssueKind::kTooLarge, Severity::kMedium,
                      "The template is " + std::to_string(text.size()) + " bytes long, over the " +
                          std::to_string(limits.max_template_bytes) +
                          "-byte analysis limit; only a text search was done.",
                      TemplateExcerpt(text, 0, 80), 0});
    if (auto raw = ScanRawText(text, 0)) issues.push_back(std::move(*raw));
    SortAndCap(issues, limits.max_issues);
    return issues;
  }
  const LexResult lexed = Lex(text, limits.lex);
  if (!lexed.ok && !limits.known_template) return issues;
  for (const Tag& tag : lexed.tags) {
    const auto verdict = TagJudge(tag.tokens).Judge();
    if (!verdict) continue;
    const bool escape = verdict->kind == IssueKind::kSandboxEscape;
    issues.push_back(
        {verdict->kind, escape ? Severity::kCritical : Severity::kHigh,
         (escape ? "Sandbox escape: " : "Suspicious template code: ") + verdict->reason + ".",
         TemplateExcerpt(text, tag.begin, std::min<std::uint64_t>(tag.end - tag.begin, 200)),
         tag.begin});
  }
  const JoinedStrings joined = ConcatenatedStrings(lexed.tags);
  if (std::string_view dunder = DunderIn(joined.text); !dunder.empty()) {
    const bool single = std::any_of(issues.begin(), issues.end(), [](const TemplateIssue& i) {
      return i.kind == IssueKind::kSandboxEscape;
    });
    if (!single) {
      const Tag* tag = TagAt(joined, joined.text.find(dunder));
      const std::uint64_t offset = tag != nullptr ? tag->begin : 0;
      const std::string evidence =
          tag != nullptr
              ? TemplateExcerpt(text, offset, std::min<std::uint64_t>(tag->end - offset, 200))
              : TemplateExcerpt(joined.text, 0, 200);
      issues.push_back({IssueKind::kSandboxEscape, Severity::kCritical,
                        "Sandbox escape: the string literals join into '" + std::string(dunder) +
                            "' (a name assembled from pieces).",
                        evidence, offset});
    }
  }
  if (!lexed.ok) {
    issues.push_back({IssueKind::kUnlexable, Severity::kMedium,
                      "The template cannot be read as Jinja (" + lexed.error + " at offset " +
                          std::to_string(lexed.error_offset) + ", near '" +
                          TemplateExcerpt(text, lexed.error_offset, 40) +
                          "'), so it cannot be judged; a renderer may still run part of it.",
                      TemplateExcerpt(text, lexed.error_offset, 120), lexed.error_offset});
    const bool escape_found = std::any_of(issues.begin(), issues.end(), [](const auto& i) {
      return i.kind == IssueKind::kSandboxEscape;
    });
    if (!escape_found) {
      if (auto raw = ScanRawText(text.substr(lexed.error_offset), lexed.error_offset)) {
        issues.push_back(std::move(*raw));
      }
    }
  }
  SortAndCap(issues, limits.max_issues);
  return issues;
}

}  // namespace mg::jinja
