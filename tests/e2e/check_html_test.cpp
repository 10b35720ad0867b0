// `modelgate check --format html` opened in a real browser: Debian's Chromium, headless, dumps
// the DOM it built from the report and takes a screenshot and a PDF of it. The model is blocked
// by a pickle that calls os.system with markup as its argument, in a file whose name is markup:
// both must reach the DOM as text, never as elements. Skips when Chromium is not installed
// (scripts/install-deps.sh installs it).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "e2e/cli_runner.h"
#include "support/test_paths.h"

namespace mg::test {
namespace {

namespace fs = std::filesystem;

constexpr std::chrono::seconds kBrowserTimeout{90};

// $MODELGATE_CHROMIUM, or Debian's chromium on the PATH.
fs::path FindChromium() {
  if (const char* configured = std::getenv("MODELGATE_CHROMIUM"); configured && *configured) {
    return configured;
  }
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  for (std::size_t start = 0; start <= dirs.size();) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    for (const char* name : {"chromium", "chromium-browser"}) {
      const fs::path candidate = fs::path(dirs.substr(start, end - start)) / name;
      std::error_code error;
      if (!candidate.parent_path().empty() && fs::is_regular_file(candidate, error) &&
          access(candidate.c_str(), X_OK) == 0) {
        return candidate;
      }
    }
    start = end + 1;
  }
  return {};
}

// Headless, no GPU, a throwaway profile, nothing fetched in the background. --no-sandbox because
// Chromium's own sandbox refuses to start as root (CI containers); the page is our report with a
// CSP that forbids scripts and every fetch.
CliRun RunChromium(const fs::path& chromium, const fs::path& scratch,
                   const std::vector<std::string>& action, const fs::path& page) {
  std::vector<std::string> args = {"--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--disable-dev-shm-usage",
                                   "--no-first-run",
                                   "--disable-extensions",
                                   "--disable-background-networking",
                                   "--user-data-dir=" + (scratch / "profile").string()};
  args.insert(args.end(), action.begin(), action.end());
  args.push_back("file://" + page.string());
  CliOptions options;
  options.timeout = kBrowserTimeout;
  options.working_dir = scratch;
  return RunProgram(chromium, args, options);
}

// A protocol-0 pickle (pickletools: GLOBAL, MARK, STRING, TUPLE, REDUCE, STOP) that would call
// os.system("<script>...</script>"). Written here, scanned, never loaded.
constexpr std::string_view kPickle = "cos\nsystem\n(S'<script>alert(1)</script>'\ntR.";
constexpr std::string_view kHostileName = "<script>alert(2)<img src=x onerror=alert(3)>.pkl";

fs::path MakeBlockedModel(const fs::path& root) {
  const fs::path model = root / "bert";
  fs::create_directories(model);
  fs::copy_file(FixturesDir() / "clean" / "hf_model" / "model-00001-of-00002.safetensors",
                model / "model.safetensors");
  WriteFile(model / "config.json", "{\"hidden_size\": 8}");
  WriteFile(model / std::string(kHostileName), std::string(kPickle));
  return model;
}

fs::path WriteReport(const fs::path& root) {
  const fs::path model = MakeBlockedModel(root);
  const fs::path policy = root / "policy.yaml";
  WriteFile(policy, "version: 1\nfindings:\n  block_at: high\n");
  const fs::path report = root / "report.html";
  const CliRun run = RunCli({"check", "--policy", policy.string(), "--format", "html", "--output",
                             report.string(), model.string()});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  return report;
}

bool Has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST(CheckHtml, ReportIsSelfContainedAndEscapedWithoutABrowser) {
  TempDir dir;
  const std::string html = ReadFile(WriteReport(dir.path()));
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_FALSE(Has(html, "<script")) << html;
  EXPECT_FALSE(Has(html, "<img"));
  EXPECT_TRUE(Has(html, "Content-Security-Policy"));
  EXPECT_TRUE(Has(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_TRUE(Has(html, "&lt;script&gt;alert(2)&lt;img src=x onerror=alert(3)&gt;.pkl"));
}

TEST(CheckHtml, ChromiumRendersTheDecisionFindingsAndEscapedEvidence) {
  const fs::path chromium = FindChromium();
  if (chromium.empty()) GTEST_SKIP() << "chromium is not installed (scripts/install-deps.sh)";
  TempDir dir;
  const fs::path report = WriteReport(dir.path());

  const CliRun dom = RunChromium(chromium, dir.path(), {"--dump-dom"}, report);
  ASSERT_FALSE(dom.timed_out) << "chromium did not finish in " << kBrowserTimeout.count() << " s";
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  // The DOM as Chromium parsed it: a text node's < and > are serialised back as &lt; &gt;, so an
  // element made from attacker bytes would show up here as a raw tag.
  EXPECT_TRUE(Has(dom.out, "<title>Model risk assessment: BLOCK</title>")) << dom.out;
  EXPECT_TRUE(Has(dom.out, "data-decision=\"block\"")) << dom.out;
  EXPECT_TRUE(Has(dom.out, "Overall decision: BLOCK"));
  EXPECT_TRUE(Has(dom.out, "PICKLE-DANGEROUS-CALL")) << dom.out;
  EXPECT_TRUE(Has(dom.out, "&lt;script&gt;alert(1)&lt;/script&gt;")) << dom.out;
  EXPECT_TRUE(Has(dom.out, "&lt;script&gt;alert(2)&lt;img src=\"x\"") ||
              Has(dom.out, "&lt;script&gt;alert(2)&lt;img src=x"))
      << dom.out;
  EXPECT_FALSE(Has(dom.out, "<script")) << dom.out;
  EXPECT_FALSE(Has(dom.out, "<img")) << dom.out;
  EXPECT_TRUE(Has(dom.out, "<table class=\"findings\">"));
  EXPECT_TRUE(Has(dom.out, "Not required by the policy."));
}

// Rendered pixels and a printed PDF: the report page makes a much larger (busier) screenshot
// than an empty page of the same size, and printing yields a PDF.
TEST(CheckHtml, ChromiumScreenshotAndPrintAreNotEmpty) {
  const fs::path chromium = FindChromium();
  if (chromium.empty()) GTEST_SKIP() << "chromium is not installed (scripts/install-deps.sh)";
  TempDir dir;
  const fs::path report = WriteReport(dir.path());
  const fs::path blank = dir.path() / "blank.html";
  WriteFile(blank, "<!DOCTYPE html><html><head><title>x</title></head><body></body></html>\n");

  const auto screenshot = [&](const fs::path& page, const std::string& name) -> std::uintmax_t {
    const fs::path png = dir.path() / name;
    const CliRun run = RunChromium(
        chromium, dir.path(), {"--window-size=1200,1600", "--screenshot=" + png.string()}, page);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    std::error_code error;
    const std::uintmax_t size = fs::file_size(png, error);
    return error ? 0 : size;
  };
  const std::uintmax_t blank_png = screenshot(blank, "blank.png");
  const std::uintmax_t report_png = screenshot(report, "report.png");
  ASSERT_GT(blank_png, 0u);
  EXPECT_GT(report_png, 4 * blank_png) << "blank " << blank_png << " bytes, report " << report_png;
  EXPECT_EQ(ReadFile(dir.path() / "report.png").substr(1, 3), "PNG");

  const fs::path pdf = dir.path() / "report.pdf";
  const CliRun print = RunChromium(
      chromium, dir.path(), {"--no-pdf-header-footer", "--print-to-pdf=" + pdf.string()}, report);
  ASSERT_EQ(print.exit_code, 0) << print.err;
  const std::string pdf_bytes = ReadFile(pdf);
  EXPECT_EQ(pdf_bytes.rfind("%PDF-", 0), 0u);
  EXPECT_GT(pdf_bytes.size(), 10000u);
}

}  // namespace
}  // namespace mg::test
