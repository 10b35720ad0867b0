// The Jinja analyzer: a chat template on its own — a `chat_template.jinja` file beside a
// Hugging Face model (transformers 4.43+ saves templates there), or a template another
// analyzer hands over (tokenizer_config.json's chat_template). The judgement is
// template_rules.h, shared with the GGUF analyzer; this file maps its issues to rules.
#include "engine/analyzer.h"

#include <array>
#include <string>

#include "analyzers/jinja/template_rules.h"
#include "engine/scan_context.h"

namespace mg::jinja {
namespace {

namespace rule {
inline constexpr std::string_view kCodeExecution = "JINJA-TEMPLATE-CODE-EXECUTION";
inline constexpr std::string_view kSuspicious = "JINJA-TEMPLATE-SUSPICIOUS";
inline constexpr std::string_view kUnparsable = "JINJA-TEMPLATE-UNPARSABLE";
inline constexpr std::string_view kTooLarge = "JINJA-TEMPLATE-TOO-LARGE";
}  // namespace rule

constexpr std::array kRules = {
    RuleInfo{rule::kCodeExecution, Severity::kCritical, "Template escapes the sandbox",
             "A Jinja2 template (a chat template file, or one carried by a tokenizer config) "
             "reaches Python internals: a special attribute such as __class__, __globals__ or "
             "__subclasses__ (by '.', by a subscript, through the attr filter, or assembled "
             "from string pieces), a dangerous name (popen, eval, getattr, ...) as an "
             "attribute, or a Jinja global used in public exploits (lipsum, cycler, joiner, "
             "self, ...) reached for attributes. Unsandboxed renderers (llama-cpp-python before "
             "the CVE-2024-34359 fix) run the code when a prompt is formatted; sandboxed ones "
             "have had escapes through the same paths.",
             "Sandbox escape: attribute access reaches '__globals__'. "
             "{{ lipsum.__globals__['os'].popen('id').read() }}"},
    RuleInfo{rule::kSuspicious, Severity::kHigh, "Template looks up attributes by name",
             "The template uses constructs that ordinary chat templates do not and that "
             "sandbox escapes rely on: the attr filter, a '_'-prefixed attribute, os, system or "
             "open as an attribute, string formatting from character codes, \\N{...} escapes.",
             "Suspicious template code: the attr filter looks attributes up by name."},
    RuleInfo{rule::kUnparsable, Severity::kMedium, "Template cannot be read",
             "The template does not lex as Jinja2 (an unterminated tag, comment, string or raw "
             "block, unbalanced brackets), so it cannot be judged: `incomplete`. The unread "
             "rest is still searched for special attribute names.",
             "The template cannot be read as Jinja (a '{{' tag is never closed at offset 812)."},
    RuleInfo{rule::kTooLarge, Severity::kMedium, "Template too large",
             "The template is longer than the 1 MiB analysis limit (real chat templates are a "
             "few KB); only a text search for special attribute names was done: `incomplete`.",
             "The template is 4194304 bytes long, over the 1048576-byte analysis limit."},
};

std::string_view RuleFor(IssueKind kind) {
  switch (kind) {
    case IssueKind::kSandboxEscape:
      return rule::kCodeExecution;
    case IssueKind::kSuspicious:
      return rule::kSuspicious;
    case IssueKind::kUnlexable:
      return rule::kUnparsable;
    case IssueKind::kTooLarge:
      return rule::kTooLarge;
  }
  return rule::kSuspicious;
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Text, not binary: no NUL byte in the first 4 KiB.
bool LooksLikeText(ByteView data) {
  const ByteView head = data.Prefix(4096);
  for (std::uint64_t i = 0; i < head.size(); ++i) {
    if (head[i] == 0) return false;
  }
  return !data.empty();
}

class JinjaAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return "jinja"; }

  // Templates are plain text: nothing in the content alone says "Jinja".
  int Sniff(ByteView /*data*/) const override { return 0; }

  int SniffNamed(std::string_view name, ByteView data) const override {
    const bool template_name =
        EndsWith(name, ".jinja") || EndsWith(name, ".jinja2") || EndsWith(name, ".j2");
    return template_name && LooksLikeText(data) ? 80 : 0;
  }

  void Analyze(ScanContext& ctx, ByteView data) const override {
    // AnalyzeChatTemplate already keeps the first few issues (TemplateLimits::max_issues).
    for (const TemplateIssue& issue : AnalyzeChatTemplate(data.AsStringView())) {
      if (issue.kind == IssueKind::kUnlexable || issue.kind == IssueKind::kTooLarge) {
        ctx.Incomplete(RuleFor(issue.kind), issue.message, issue.offset, issue.severity);
      } else {
        ctx.Report(RuleFor(issue.kind), issue.severity, issue.message, issue.offset,
                   issue.evidence);
      }
    }
  }

  std::span<const RuleInfo> Rules() const override { return kRules; }
};

}  // namespace
}  // namespace mg::jinja

namespace mg {
const Analyzer& JinjaAnalyzerInstance() {
  static const jinja::JinjaAnalyzer instance;
  return instance;
}
}  // namespace mg
