// Judges a Jinja2 chat template for sandbox escapes, from its token stream (jinja_lexer.h).
// Templates are rendered by Jinja2: llama-cpp-python before the CVE-2024-34359 fix used a
// plain jinja2.Environment, in which `x.__class__.__mro__[1].__subclasses__()` or
// `lipsum.__globals__['os'].popen(...)` run any code; Hugging Face renders with an
// ImmutableSandboxedEnvironment, which blocks '_'-prefixed attributes but has had escapes
// through attribute lookups by computed name (|attr, string formatting). Chat templates have
// no reason to touch Python internals, so any such reach is reported.
//
// Reusable by any analyzer that meets a chat template (GGUF metadata, tokenizer_config.json):
// the caller maps each issue kind to its own rule ID.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/jinja/jinja_lexer.h"
#include "report/severity.h"

namespace mg::jinja {

enum class IssueKind : std::uint8_t {
  kSandboxEscape,  // critical: reaches Python internals or a known exploit path
  kSuspicious,     // high: computed attribute names, private attributes, char-code formatting
  kUnlexable,      // medium: the template does not lex, so it cannot be judged
  kTooLarge,       // medium: longer than the analysis limit; only a text scan was done
};

struct TemplateIssue {
  IssueKind kind = IssueKind::kSuspicious;
  Severity severity = Severity::kHigh;
  std::string message;       // one sentence, without the template's name
  std::string evidence;      // an excerpt of the template around the problem
  std::uint64_t offset = 0;  // offset in the template text
};

struct TemplateLimits {
  // Chat templates are a few KB (the largest public ones, with tool calling, are ~20 KB).
  std::uint64_t max_template_bytes = 1 << 20;
  // Issues reported per template; the first ones carry the evidence that matters.
  std::size_t max_issues = 6;
  // False for strings that are not known to be templates (other metadata values that merely
  // contain '{{'): a string that does not lex is then just text, and no raw search is done,
  // since vocabularies hold tokens such as '__init__'.
  bool known_template = true;
  LexLimits lex;
};

// Issues found in `text`, most severe first (empty when the template is clean).
std::vector<TemplateIssue> AnalyzeChatTemplate(std::string_view text,
                                               const TemplateLimits& limits = {});

// An excerpt of `text` from `offset` (at most `max_bytes`), control characters shown as
// spaces, for evidence.
std::string TemplateExcerpt(std::string_view text, std::uint64_t offset, std::size_t max_bytes);

}  // namespace mg::jinja
