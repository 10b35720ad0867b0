#include "advisories/advisory.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace mg::advisories {
namespace {

Version Py(const std::string& text) { return *Version::Parse(Ecosystem::kPypi, text); }

VersionRange Range(const std::string& text, Ecosystem ecosystem = Ecosystem::kPypi) {
  auto range = ParseRange(ecosystem, text);
  EXPECT_TRUE(range) << text;
  return range ? *range : VersionRange{};
}

TEST(AdvisoryRange, BoundsAndPreReleases) {
  const VersionRange below = Range("<2.6.0");
  EXPECT_TRUE(below.Contains(Py("1.13.1")));
  EXPECT_TRUE(below.Contains(Py("2.5.1+cu121")));     // local version of an affected release
  EXPECT_TRUE(below.Contains(Py("2.6.0rc1")));        // pre-release of the fix: fail closed
  EXPECT_TRUE(below.Contains(Py("2.6.0.dev20241112")));
  EXPECT_FALSE(below.Contains(Py("2.6.0")));
  EXPECT_FALSE(below.Contains(Py("2.6.0+cpu")));      // local build of the fixed release
  EXPECT_FALSE(below.Contains(Py("2.6.0.post1")));
  EXPECT_FALSE(below.Contains(Py("1!1.0")));          // a later epoch

  const VersionRange band = Range(" >=3.0.0 , <3.9.0 ");
  EXPECT_FALSE(band.Contains(Py("2.15.0")));
  EXPECT_TRUE(band.Contains(Py("3.0.0")));
  EXPECT_FALSE(band.Contains(Py("3.0.0rc1")));  // before the lower bound
  EXPECT_TRUE(band.Contains(Py("3.8.0.post1")));
  EXPECT_FALSE(band.Contains(Py("3.9")));

  EXPECT_TRUE(Range("<=1.2,!=1.1").Contains(Py("1.2.0")));
  EXPECT_FALSE(Range("<=1.2,!=1.1").Contains(Py("1.1.0")));
  EXPECT_TRUE(Range("==1.1").Contains(Py("1.1.0")));
  EXPECT_TRUE(Range(">1.1").Contains(Py("1.1.post1")));
}

TEST(AdvisoryRange, RejectsMalformedRanges) {
  for (const char* bad : {"", "2.6.0", "<", "<abc", ">=1.0,", "~=1.0", "<1.0;>2"}) {
    EXPECT_FALSE(ParseRange(Ecosystem::kPypi, bad)) << bad;
  }
}

TEST(AdvisoryRange, MavenRanges) {
  const VersionRange spark = Range(">=4.0.0-preview1,<4.0.0", Ecosystem::kMaven);
  EXPECT_TRUE(spark.Contains(*Version::Parse(Ecosystem::kMaven, "4.0.0-preview2")));
  EXPECT_FALSE(spark.Contains(*Version::Parse(Ecosystem::kMaven, "4.0.0")));
  EXPECT_FALSE(spark.Contains(*Version::Parse(Ecosystem::kMaven, "3.5.1")));
}

TEST(PackageNames, Pep503) {
  EXPECT_EQ(NormalizePackageName("Llama_CPP.Python"), "llama-cpp-python");
  EXPECT_EQ(NormalizePackageName("scikit__learn"), "scikit-learn");
  EXPECT_EQ(NormalizePackageName("torch"), "torch");
  EXPECT_EQ(NormalizePackageName("PyYAML"), "pyyaml");
}

constexpr char kSmallList[] = R"({
  "advisories": [
    {"id": "CVE-0000-0001", "aliases": ["GHSA-xxxx"], "package": "Demo_Lib", "ecosystem": "pypi",
     "affected": ["<1.0", ">=2.0,<2.1"], "fixed": "2.1", "severity": "high",
     "loading_path": "demo.load", "summary": "s", "source": "https://example.invalid/1"}
  ],
  "packages": [{"name": "other", "ecosystem": "pypi", "note": "n"}]
})";

TEST(AdvisoryList, ParsesAndMatches) {
  auto list = ParseAdvisories(ByteView(std::string_view(kSmallList)));
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->advisories.size(), 1u);
  const Advisory& advisory = list->advisories[0];
  EXPECT_EQ(advisory.package, "demo-lib");
  EXPECT_EQ(advisory.severity, Severity::kHigh);
  EXPECT_EQ(advisory.aliases, std::vector<std::string>{"GHSA-xxxx"});
  EXPECT_EQ(list->Matching(Ecosystem::kPypi, "demo-lib", Py("0.9")).size(), 1u);
  EXPECT_EQ(list->Matching(Ecosystem::kPypi, "demo-lib", Py("2.0.5")).size(), 1u);
  EXPECT_TRUE(list->Matching(Ecosystem::kPypi, "demo-lib", Py("1.5")).empty());
  EXPECT_TRUE(list->Matching(Ecosystem::kMaven, "demo-lib",
                             *Version::Parse(Ecosystem::kMaven, "0.9")).empty());
  // Advised packages are watched even when "packages" does not list them.
  EXPECT_NE(list->FindPackage(Ecosystem::kPypi, "demo-lib"), nullptr);
  ASSERT_NE(list->FindPackage(Ecosystem::kPypi, "other"), nullptr);
  EXPECT_EQ(list->FindPackage(Ecosystem::kPypi, "other")->note, "n");
}

TEST(AdvisoryList, RejectsIncompleteEntries) {
  const std::string good =
      R"({"id": "X", "package": "p", "ecosystem": "pypi", "affected": ["<1"],
          "severity": "low", "loading_path": "l", "summary": "s", "source": "u")";
  EXPECT_TRUE(ParseAdvisories(ByteView("{\"advisories\": [" + good + "}]}")));
  for (const std::string& broken : {
           std::string(R"({"advisories": {}})"),
           std::string("[]"),
           "{\"advisories\": [" + good + ", \"fixed\": \"not a version!\"}]}",
           "{\"advisories\": [" + good + ", \"affected\": []}]}",
           "{\"advisories\": [" + good + ", \"affected\": [\"1.0\"]}]}",
           "{\"advisories\": [" + good + ", \"severity\": \"urgent\"}]}",
           "{\"advisories\": [" + good + ", \"ecosystem\": \"npm\"}]}",
           "{\"advisories\": [" + good + ", \"source\": \"\"}]}",
           std::string("{\"advisories\": [{\"id\": \"X\"}]}"),
           std::string("{\"advisories\": [")}) {
    EXPECT_FALSE(ParseAdvisories(ByteView(broken))) << broken;
  }
}

// The bundled list parses, every entry cites a source, ids are unique, and the entries the
// issue asks for are there with their published ranges.
TEST(BundledAdvisories, ParseAndCoverTheModelLoaders) {
  auto parsed = ParseAdvisories(ByteView(BundledAdvisoriesJson()));
  ASSERT_TRUE(parsed) << parsed.error().message;
  const AdvisoryList& list = BundledAdvisories();
  ASSERT_EQ(list.advisories.size(), parsed->advisories.size());
  std::set<std::string> ids;
  std::set<std::string> packages;
  for (const Advisory& advisory : list.advisories) {
    EXPECT_TRUE(ids.insert(advisory.id).second) << advisory.id;
    EXPECT_EQ(advisory.source.rfind("https://", 0), 0u) << advisory.id;
    EXPECT_FALSE(advisory.loading_path.empty()) << advisory.id;
    packages.insert(advisory.package);
    // The fixed version is outside every affected range.
    if (!advisory.fixed.empty()) {
      EXPECT_FALSE(advisory.Affects(*Version::Parse(advisory.ecosystem, advisory.fixed)))
          << advisory.id;
    }
  }
  for (const char* name : {"torch", "keras", "transformers", "mlflow", "joblib", "numpy",
                           "llama-cpp-python", "onnx"}) {
    EXPECT_TRUE(packages.count(name)) << name;
  }
  const auto torch = list.Matching(Ecosystem::kPypi, "torch", Py("1.13.0a0+gitunknown"));
  EXPECT_GE(torch.size(), 2u);
  EXPECT_TRUE(list.Matching(Ecosystem::kPypi, "numpy", Py("1.24.2")).empty());
  EXPECT_EQ(list.Matching(Ecosystem::kPypi, "numpy", Py("1.16.2")).size(), 1u);
  EXPECT_TRUE(list.Matching(Ecosystem::kPypi, "joblib", Py("1.2.0")).empty());
  EXPECT_EQ(list.Matching(Ecosystem::kPypi, "keras", Py("3.8.0")).size(), 4u);
  EXPECT_NE(list.FindPackage(Ecosystem::kPypi, "safetensors"), nullptr);
  EXPECT_NE(list.FindPackage(Ecosystem::kMaven, "spark"), nullptr);
}

}  // namespace
}  // namespace mg::advisories
