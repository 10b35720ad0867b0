// The Python analyzer: source (.py, .pyw) and compiled modules (.pyc, .pyo), as files in a
// scanned folder or as members of an archive. Python has no magic number, so the file name
// decides (with content that must look like text, or like a .pyc header). Every module is
// reported, because loaders import it (transformers' trust_remote_code, a folder on
// sys.path); uses of dangerous callables are reported on top, with their line.
#include "engine/analyzer.h"

#include <algorithm>
#include <string>

#include "analyzers/python/bytecode.h"
#include "analyzers/python/calls.h"
#include "analyzers/python/rules.h"
#include "analyzers/python/tokenizer.h"
#include "engine/scan_context.h"

namespace mg::python {
namespace {

// Sniff scores: below the pickle analyzer's confident scores (60-75), so that a protocol 0
// pickle named .py is still analysed as the pickle it is.
constexpr int kSourceScore = 50;
constexpr int kBytecodeScore = 90;
// How much of a file the text check looks at, and the share of control bytes it tolerates.
constexpr std::uint64_t kTextCheckBytes = 64 << 10;
constexpr std::uint64_t kMaxControlPerMille = 20;
constexpr std::size_t kMaxEvidenceLine = 160;
constexpr std::size_t kMaxNotableNames = 12;

std::string Extension(std::string_view name) {
  const std::string_view base = PayloadBaseName(name);
  const std::size_t dot = base.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return {};
  std::string ext(base.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

bool IsSourceName(std::string_view name) {
  const std::string ext = Extension(name);
  return ext == "py" || ext == "pyw";
}
bool IsBytecodeName(std::string_view name) {
  const std::string ext = Extension(name);
  return ext == "pyc" || ext == "pyo";
}

// PEP 3120: source is UTF-8 text; a NUL byte or many control bytes mean it is something else.
bool LooksLikeText(ByteView data) {
  const ByteView head = data.Prefix(kTextCheckBytes);
  std::uint64_t control = 0;
  for (std::uint64_t i = 0; i < head.size(); ++i) {
    const std::uint8_t c = head[i];
    if (c == 0) return false;
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v') ++control;
  }
  return control * 1000 <= head.size() * kMaxControlPerMille;
}

// The source line holding `offset`, trimmed and shortened for evidence.
std::string LineAt(std::string_view text, std::uint64_t offset) {
  const std::size_t start = text.find_last_of("\r\n", offset == 0 ? 0 : offset - 1);
  const std::size_t begin = offset == 0 || start == std::string_view::npos ? 0 : start + 1;
  const std::size_t end = std::min(text.find_first_of("\r\n", offset), text.size());
  std::string_view line = text.substr(begin, end - begin);
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  if (line.size() <= kMaxEvidenceLine) return std::string(line);
  return std::string(line.substr(0, kMaxEvidenceLine)) + "...";
}

struct DangerText {
  std::string_view rule;
  std::string_view what;
};

DangerText Describe(Danger danger) {
  switch (danger) {
    case Danger::kCommand:
      return {rule::kRunsCommand, "runs a command"};
    case Danger::kCode:
      return {rule::kRunsCode, "runs Python code it is given"};
    case Danger::kNetwork:
      return {rule::kNetwork, "opens a network connection"};
    case Danger::kDeserialize:
      return {rule::kDeserialize, "deserializes objects (which can run code)"};
    case Danger::kNative:
      return {rule::kNativeCode, "loads or calls native code"};
  }
  return {rule::kRunsCode, "runs code"};
}

std::uint32_t CountLines(std::string_view text) {
  if (text.empty()) return 0;
  const auto newlines = std::count(text.begin(), text.end(), '\n');
  return static_cast<std::uint32_t>(newlines) + (text.back() == '\n' ? 0 : 1);
}

void AnalyzeSource(ScanContext& ctx, ByteView data) {
  const std::string_view text = data.AsStringView();
  const std::string file(PayloadBaseName(ctx.current_name()));
  const Tokenized tokenized = Tokenize(text);
  const std::vector<DangerousUse> uses = FindDangerousUses(tokenized.tokens);

  std::string summary = std::to_string(CountLines(text)) + " lines; " +
                        std::to_string(uses.size()) + " dangerous use(s)";
  for (std::size_t i = 0; i < uses.size() && i < 3; ++i) {
    summary += (i == 0 ? " (" : ", ") + std::string("line ") + std::to_string(uses[i].line) + ": " +
               uses[i].name;
  }
  if (!uses.empty()) summary += uses.size() > 3 ? ", ...)" : ")";
  if (tokenized.tokens.empty() && tokenized.complete) {
    ctx.Report(rule::kSource, Severity::kLow,
               "Python module " + file +
                   " holds no code (comments and blank lines only); "
                   "importing it runs nothing.",
               0, summary);
  } else {
    ctx.Report(rule::kSource, Severity::kMedium,
               "Python module " + file +
                   ": code that a loader runs when it imports the file "
                   "(trust_remote_code=True, or a model folder on sys.path). Review it.",
               0, summary);
  }
  for (std::size_t i = 0; i < uses.size() && i < kMaxUseFindings; ++i) {
    const DangerousUse& use = uses[i];
    const DangerText danger = Describe(use.danger);
    std::string message = file + " line " + std::to_string(use.line) + " " +
                          (use.called ? "calls " : "refers to ") + use.name + ", which " +
                          std::string(danger.what);
    if (use.decodes) message += "; its arguments decode data first (a hidden payload)";
    ctx.Report(danger.rule, Severity::kHigh, message + ".", use.offset,
               "line " + std::to_string(use.line) + ": " + LineAt(text, use.offset) +
                   (use.decodes ? " (runs decoded data)" : ""));
  }
  if (uses.size() > kMaxUseFindings) {
    ctx.Report(Describe(uses[kMaxUseFindings].danger).rule, Severity::kHigh,
               file + ": " + std::to_string(uses.size() - kMaxUseFindings) +
                   " more dangerous uses were found and not listed one by one.",
               0);
  }
  if (!tokenized.complete) {
    ctx.Incomplete(rule::kUnreadable,
                   file + " could not be read to the end (" + tokenized.error +
                       "); code after line " + std::to_string(tokenized.error_line) +
                       " was not checked.",
                   tokenized.error_offset);
  }
}

void AnalyzeBytecode(ScanContext& ctx, ByteView data) {
  const std::string file(PayloadBaseName(ctx.current_name()));
  const PycHeader header = ReadPycHeader(data);
  if (!header.ok) {
    ctx.Incomplete(rule::kMalformedBytecode,
                   "Compiled Python module " + file + " has an unusable header: " + header.error +
                       ". CPython refuses it; its code was not looked at.",
                   header.error_offset);
    return;
  }
  std::string evidence = "CPython " + header.version + " bytecode (magic " +
                         std::to_string(header.magic) + ", " + header.validation + ")";
  const std::vector<std::string> names =
      NotableNames(data.Tail(header.header_size), kMaxNotableNames);
  for (std::size_t i = 0; i < names.size(); ++i) {
    evidence += (i == 0 ? "; names seen: " : ", ") + names[i];
  }
  ctx.Report(rule::kBytecode, Severity::kMedium,
             "Compiled Python module " + file +
                 ": code that Python imports like source and "
                 "that cannot be reviewed by reading it.",
             0, evidence);
}

class PythonAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return kFormatName; }
  // No magic number: only a name says a file is Python.
  int Sniff(ByteView) const override { return 0; }
  int SniffNamed(std::string_view name, ByteView data) const override {
    if (IsSourceName(name)) return LooksLikeText(data) ? kSourceScore : 0;
    // PEP 3147: 2-byte version magic, then "\r\n" (so that text-mode copies corrupt it).
    if (IsBytecodeName(name) && data.size() >= 4 && data[2] == '\r' && data[3] == '\n') {
      return kBytecodeScore;
    }
    return 0;
  }
  void Analyze(ScanContext& ctx, ByteView data) const override {
    if (data.size() >= 4 && data[2] == '\r' && data[3] == '\n' &&
        IsBytecodeName(ctx.current_name())) {
      return AnalyzeBytecode(ctx, data);
    }
    AnalyzeSource(ctx, data);
  }
  std::span<const RuleInfo> Rules() const override { return python::Rules(); }
};

}  // namespace
}  // namespace mg::python

namespace mg {

const Analyzer& PythonAnalyzerInstance() {
  static const python::PythonAnalyzer kInstance;
  return kInstance;
}

}  // namespace mg
