// Tests of the Jinja lexer and the chat-template rules: the realistic clean templates in
// ../testdata/templates/ (checked with jinja2's parser by hand) have no issue, each escape in
// ../testdata/templates/malicious/ is found, and the lexer follows Jinja in the details that
// decide what is code (raw blocks, comments, balanced brackets, string escapes).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "analyzers/jinja/jinja_lexer.h"
#include "analyzers/jinja/template_rules.h"
#include "support/test_paths.h"

namespace mg::jinja {
namespace {

namespace fs = std::filesystem;

fs::path Templates() {
  return test::SourceDir() / "src" / "analyzers" / "jinja" / "testdata" / "templates";
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

Severity MaxSeverity(const std::vector<TemplateIssue>& issues) {
  Severity max = Severity::kInfo;
  for (const auto& issue : issues) max = std::max(max, issue.severity);
  return max;
}

bool HasKind(const std::vector<TemplateIssue>& issues, IssueKind kind) {
  return std::any_of(issues.begin(), issues.end(),
                     [kind](const TemplateIssue& issue) { return issue.kind == kind; });
}

std::string Describe(const std::vector<TemplateIssue>& issues) {
  std::string out;
  for (const auto& issue : issues) out += issue.message + " [" + issue.evidence + "]\n";
  return out;
}

TEST(ChatTemplateTest, RealisticCleanTemplatesHaveNoIssue) {
  int count = 0;
  for (const auto& entry : fs::directory_iterator(Templates())) {
    if (entry.path().extension() != ".jinja") continue;
    ++count;
    const std::string text = ReadFile(entry.path());
    const LexResult lexed = Lex(text);
    EXPECT_TRUE(lexed.ok) << entry.path() << ": " << lexed.error;
    EXPECT_GT(lexed.tags.size(), 3u) << entry.path();
    const auto issues = AnalyzeChatTemplate(text);
    EXPECT_TRUE(issues.empty()) << entry.path() << ":\n" << Describe(issues);
  }
  EXPECT_EQ(count, 7);  // Llama 3, ChatML, Mistral, Gemma, Phi-3, DeepSeek, Qwen with tools
}

TEST(ChatTemplateTest, EveryMaliciousTemplateIsCaught) {
  struct Case {
    const char* file;
    Severity at_least;
    const char* evidence;  // a substring of some issue's evidence
  };
  const Case cases[] = {
      {"subclasses_popen.jinja", Severity::kCritical, "__subclasses__"},
      {"lipsum_globals.jinja", Severity::kCritical, "lipsum.__globals__"},
      {"cycler_init.jinja", Severity::kCritical, "cycler.__init__"},
      {"attr_filter_hex.jinja", Severity::kCritical, "attr('\\x5f\\x5fclass"},
      {"attr_filter_plain.jinja", Severity::kCritical, "attr('__globals__')"},
      {"concat_join.jinja", Severity::kCritical, "'__glo' ~ 'bals__'"},
      {"subscript_strings.jinja", Severity::kCritical, "['__class__']"},
      {"self_context.jinja", Severity::kCritical, "self._TemplateReference__context"},
      {"unicode_escape.jinja", Severity::kCritical, "\\u005f"},
      {"namespace_init.jinja", Severity::kCritical, "namespace.__init__"},
      {"format_chars.jinja", Severity::kHigh, "format"},
      {"unterminated_payload.jinja", Severity::kCritical, "joiner.__init__"},
      {"unterminated.jinja", Severity::kMedium, "message['content']"},
  };
  int count = 0;
  for (const auto& entry : fs::directory_iterator(Templates() / "malicious")) {
    if (entry.path().extension() == ".jinja") ++count;
  }
  EXPECT_EQ(count, static_cast<int>(std::size(cases))) << "a template without a test case";
  for (const Case& c : cases) {
    const auto issues = AnalyzeChatTemplate(ReadFile(Templates() / "malicious" / c.file));
    EXPECT_GE(MaxSeverity(issues), c.at_least) << c.file << ":\n" << Describe(issues);
    EXPECT_TRUE(std::any_of(
        issues.begin(), issues.end(),
        [&](const TemplateIssue& i) { return i.evidence.find(c.evidence) != std::string::npos; }))
        << c.file << ":\n"
        << Describe(issues);
  }
}

TEST(ChatTemplateTest, UnterminatedTemplatesAreUnlexable) {
  const auto plain =
      AnalyzeChatTemplate(ReadFile(Templates() / "malicious" / "unterminated.jinja"));
  ASSERT_TRUE(HasKind(plain, IssueKind::kUnlexable)) << Describe(plain);
  EXPECT_EQ(MaxSeverity(plain), Severity::kMedium);
  for (const char* text : {"{{ x", "{# note", "{% raw %}{{ x }}", "{{ 'abc }}", "{{ (a }}",
                           "{{ a) }}", "{{ a ? b }}"}) {
    const auto issues = AnalyzeChatTemplate(text);
    EXPECT_TRUE(HasKind(issues, IssueKind::kUnlexable)) << text;
  }
}

TEST(ChatTemplateTest, OrdinaryConstructsAreNotFlagged) {
  for (const char* text : {
           "{% set ns = namespace(found=false, count=0) %}{% set ns.count = ns.count + 1 %}",
           "{{ message['content'].strip().split('\\n')[0] }}",
           "{% for k, v in tool.items() %}{{ k }}={{ v | tojson(indent=2) }}{% endfor %}",
           "{{ raise_exception('Roles must alternate') }}",
           "{{ messages[0]['role'] == 'system' }}{{ '_' }}{{ 'snake_case_name' }}",
           "{{ {'a': {'b': 1}} | tojson }}",
           "{{ '}}' + '%}' }}{{ x -}}  {%- if y +%}{% endif %}",
           "{% raw %}{{ x.__class__ }}{% endraw %}",
           "{# {{ lipsum.__globals__ }} is only a comment #}",
           "text with {{ no }} escape",
       }) {
    const auto issues = AnalyzeChatTemplate(text);
    EXPECT_TRUE(issues.empty()) << text << ":\n" << Describe(issues);
  }
}

TEST(ChatTemplateTest, SandboxEscapeShapes) {
  for (const char* text : {
           "{{ x.__class__ }}",
           "{{ x['__globals__'] }}",
           "{{ x|attr('__mro__') }}",
           "{{ x['\\x5f\\x5fclass\\x5f\\x5f'] }}",
           "{{ x['\\137\\137class\\137\\137'] }}",
           "{{ x[('_' * 2) ~ 'class' ~ ('_' * 2)] }}",
           "{{ x.popen('id') }}",
           "{{ x['popen'] }}",
           "{{ messages[0].__class__ }}",
           "{{ x.0.__class__ }}",
           "{{ x.__class__.__mro__[1].__subclasses__() }}",
           "{{ config.items() }}",
           "{{ request['application'] }}",
           "{{ cycler|attr('x') }}",
       }) {
    const auto issues = AnalyzeChatTemplate(text);
    EXPECT_TRUE(HasKind(issues, IssueKind::kSandboxEscape)) << text << ":\n" << Describe(issues);
    EXPECT_EQ(MaxSeverity(issues), Severity::kCritical) << text;
  }
  for (const char* text :
       {"{{ x|attr(name) }}", "{{ x._private }}", "{{ x['_hidden'] }}", "{{ '%c'|format(95) }}",
        "{{ x['\\N{LOW LINE}'] }}", "{{ settings.system }}", "{{ x['os'] }}"}) {
    const auto issues = AnalyzeChatTemplate(text);
    EXPECT_TRUE(HasKind(issues, IssueKind::kSuspicious)) << text << ":\n" << Describe(issues);
  }
}

TEST(ChatTemplateTest, UnknownTemplatesOnlyReportWhatLexes) {
  TemplateLimits limits;
  limits.known_template = false;
  // A vocabulary token such as '{{' or '__init__' is not a template.
  EXPECT_TRUE(AnalyzeChatTemplate("{{", limits).empty());
  EXPECT_TRUE(AnalyzeChatTemplate("{% __init__", limits).empty());
  EXPECT_TRUE(
      HasKind(AnalyzeChatTemplate("{{ lipsum.__globals__ }}", limits), IssueKind::kSandboxEscape));
}

TEST(ChatTemplateTest, TooLargeTemplateIsSearchedAsText) {
  TemplateLimits limits;
  limits.max_template_bytes = 64;
  const std::string text = std::string(100, ' ') + "{{ x.__globals__ }}";
  const auto issues = AnalyzeChatTemplate(text, limits);
  EXPECT_TRUE(HasKind(issues, IssueKind::kTooLarge));
  EXPECT_TRUE(HasKind(issues, IssueKind::kSandboxEscape));
}

TEST(JinjaLexerTest, TokensOfATag) {
  const LexResult lexed = Lex("a {%- set x = y['k'] ~ \"\\x41\\u00e9\" | f(1.5e3) -%} b");
  ASSERT_TRUE(lexed.ok) << lexed.error;
  ASSERT_EQ(lexed.tags.size(), 1u);
  const Tag& tag = lexed.tags[0];
  EXPECT_EQ(tag.kind, TagKind::kStatement);
  EXPECT_EQ(tag.begin, 2u);
  std::vector<std::string> texts;
  for (const Token& token : tag.tokens) texts.push_back(token.text);
  const std::vector<std::string> expected = {"set", "x",         "=", "y", "[", "k",     "]",
                                             "~",   "A\xc3\xa9", "|", "f", "(", "1.5e3", ")"};
  EXPECT_EQ(texts, expected);
  EXPECT_EQ(tag.tokens[5].kind, TokenKind::kString);
  EXPECT_EQ(tag.tokens[12].kind, TokenKind::kNumber);
}

TEST(JinjaLexerTest, BracketsKeepATagOpen) {
  const LexResult lexed = Lex("{{ {'a': {'b': '}}'}} }}tail{{ z }}");
  ASSERT_TRUE(lexed.ok) << lexed.error;
  ASSERT_EQ(lexed.tags.size(), 2u);
  EXPECT_EQ(lexed.tags[1].tokens.at(0).text, "z");
}

TEST(JinjaLexerTest, LimitsStopLexing) {
  LexLimits limits;
  limits.max_tokens = 10;
  EXPECT_FALSE(Lex("{{ a + b + c + d + e + f + g }}", limits).ok);
  limits = LexLimits{};
  limits.max_bracket_depth = 3;
  EXPECT_FALSE(Lex("{{ ((((a)))) }}", limits).ok);
  EXPECT_TRUE(Lex("{{ (((a))) }}", limits).ok);
}

}  // namespace
}  // namespace mg::jinja
