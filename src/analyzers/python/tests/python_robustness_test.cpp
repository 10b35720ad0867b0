// Every Python test file cut at many lengths and with bytes flipped, as source and as
// compiled Python: the analyzer always reports the module (never a crash, a hang or a silent
// pass), and a cut inside a string literal makes the scan incomplete.
#include <gtest/gtest.h>

#include <string>

#include "engine/scan_context.h"
#include "support/findings.h"
#include "support/test_paths.h"

namespace mg {
namespace {

Target AnalyzeAs(const std::string& name, const std::string& bytes) {
  Target target;
  target.path = name;
  ScanContext ctx(target, Limits{});
  target.format = AnalyzeBuffer(ctx, ByteView(bytes), "python");
  return target;
}

bool ReportsTheModule(const Target& target) {
  return test::Has(target, "PY-SOURCE") || test::Has(target, "PY-BYTECODE") ||
         test::Has(target, "PY-MALFORMED-BYTECODE");
}

TEST(PythonRobustnessTest, CutAndFlippedFilesAlwaysReport) {
  std::size_t inputs = 0;
  const auto folder = test::SourceDir() / "src" / "analyzers" / "python" / "testdata";
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const std::string original = test::ReadFile(entry.path());
    const std::string name = entry.path().filename().string();
    if (original.size() > 16384) continue;
    const std::size_t stride = original.size() / 150 + 1;
    for (std::size_t cut = 0; cut <= original.size(); cut += stride) {
      const Target target = AnalyzeAs(name, original.substr(0, cut));
      EXPECT_TRUE(ReportsTheModule(target)) << name << " cut at " << cut;
      ++inputs;
    }
    for (std::size_t at = 0; at < original.size(); at += stride) {
      std::string flipped = original;
      flipped[at] = static_cast<char>(flipped[at] ^ 0x5A);
      EXPECT_TRUE(ReportsTheModule(AnalyzeAs(name, flipped))) << name << " flipped at " << at;
      ++inputs;
    }
  }
  EXPECT_GT(inputs, 1000u);
}

TEST(PythonRobustnessTest, CutInsideAStringIsIncomplete) {
  const std::string source = "import os\nx = '''abc\nos.system('id')\n'''\n";
  const Target target = AnalyzeAs("m.py", source.substr(0, 25));
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  EXPECT_TRUE(test::Has(target, "PY-UNREADABLE"));
  EXPECT_FALSE(test::Has(target, "PY-RUNS-COMMAND"));
}

TEST(PythonRobustnessTest, DeepBracketsAndLongLinesStayLinear) {
  const std::string deep = std::string(200000, '(') + std::string(200000, ')');
  EXPECT_TRUE(ReportsTheModule(AnalyzeAs("deep.py", deep)));
  std::string many;
  for (int i = 0; i < 20000; ++i) many += "os.system('x')\n";
  const Target target = AnalyzeAs("many.py", many);
  EXPECT_LE(target.findings.size(), 70u);
  EXPECT_TRUE(test::Has(target, "PY-RUNS-COMMAND"));
}

}  // namespace
}  // namespace mg
