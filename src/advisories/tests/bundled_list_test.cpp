// The bundled list's content: every entry cites a primary source, and the entries added from
// the projects' own advisories match the ranges published there (data/advisories.json).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "advisories/advisory.h"
#include "advisories/audit.h"
#include "advisories/requirement.h"

namespace mg::advisories {
namespace {

Version Py(const std::string& text) { return *Version::Parse(Ecosystem::kPypi, text); }

std::vector<std::string> Ids(std::string_view package, const std::string& version) {
  std::vector<std::string> ids;
  for (const Advisory* a : BundledAdvisories().Matching(Ecosystem::kPypi, package, Py(version))) {
    ids.push_back(a->id);
  }
  return ids;
}

bool Has(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// Sources are the projects' advisories or release notes, the CVE record, or the coordinator
// that issued the CVE; vulnerability aggregators and blogs are not accepted (docs/advisories.md).
TEST(BundledList, EverySourceIsPrimary) {
  const std::vector<std::string> primary = {
      "https://github.com/pytorch/pytorch/",   "https://github.com/keras-team/keras/",
      "https://github.com/tensorflow/tensorflow/", "https://github.com/onnx/onnx/",
      "https://github.com/abetlen/llama-cpp-python/", "https://github.com/joblib/joblib/",
      "https://github.com/advisories/GHSA-",  "https://www.cve.org/CVERecord?id=",
      "https://nvd.nist.gov/vuln/detail/",    "https://kb.cert.org/vuls/id/",
      "https://numpy.org/doc/",               "https://github.com/apache/spark/"};
  ASSERT_FALSE(BundledAdvisories().advisories.empty());
  for (const Advisory& advisory : BundledAdvisories().advisories) {
    const bool known = std::any_of(primary.begin(), primary.end(), [&](const std::string& p) {
      return advisory.source.rfind(p, 0) == 0;
    });
    EXPECT_TRUE(known) << advisory.id << " cites " << advisory.source;
    // A CVE record link names its own id.
    if (advisory.source.rfind("https://www.cve.org/", 0) == 0) {
      EXPECT_NE(advisory.source.find(advisory.id), std::string::npos) << advisory.id;
    }
  }
}

// SPARK-52122 was introduced and fixed between 4.0.0-preview2 and 4.0.0: only snapshots and
// release candidates in between are affected, in Maven order (docs/advisories.md).
TEST(BundledList, SparkConnectMlLoaderOnlyBetweenPreview2AndTheRelease) {
  const auto spark = [](const std::string& version) {
    std::vector<std::string> ids;
    for (const Advisory* a : BundledAdvisories().Matching(
             Ecosystem::kMaven, "spark", *Version::Parse(Ecosystem::kMaven, version))) {
      ids.push_back(a->id);
    }
    return ids;
  };
  for (const char* affected : {"4.0.0-rc1", "4.0.0-rc7", "4.0.0-SNAPSHOT"}) {
    EXPECT_TRUE(Has(spark(affected), "SPARK-52122")) << affected;
  }
  for (const char* unaffected :
       {"4.0.0", "4.0.1", "4.1.0", "4.0.0-preview1", "4.0.0-preview2", "3.5.7", "3.5.8"}) {
    EXPECT_FALSE(Has(spark(unaffected), "SPARK-52122")) << unaffected;
  }
  // pyspark's own versions are not listed: its jars carry Spark's version and are read as Spark.
  EXPECT_FALSE(Has(Ids("pyspark", "4.0.0.dev2"), "SPARK-52122"));
}

// TensorFlow publishes one range per maintained branch; each backport release is outside it.
TEST(BundledList, TensorflowBranchRanges) {
  EXPECT_TRUE(Has(Ids("tensorflow", "2.5.0"), "CVE-2021-37678"));
  EXPECT_TRUE(Has(Ids("tensorflow", "2.3.3"), "CVE-2021-37678"));
  for (const char* fixed : {"2.5.1", "2.4.3", "2.3.4", "2.6.0"}) {
    EXPECT_FALSE(Has(Ids("tensorflow", fixed), "CVE-2021-37678")) << fixed;
  }
  EXPECT_TRUE(Has(Ids("tensorflow", "2.3.0"), "CVE-2020-15211"));
  EXPECT_TRUE(Has(Ids("tensorflow", "1.15.3"), "CVE-2020-15211"));
  EXPECT_FALSE(Has(Ids("tensorflow", "1.15.4"), "CVE-2020-15211"));
  EXPECT_FALSE(Has(Ids("tensorflow", "2.2.1"), "CVE-2020-15211"));
  EXPECT_TRUE(Has(Ids("tensorflow", "2.7.0"), "CVE-2022-23561"));
  EXPECT_FALSE(Has(Ids("tensorflow", "2.6.3"), "CVE-2022-23561"));
  EXPECT_TRUE(Ids("tensorflow", "2.16.1").empty());
  // A pin to a branch that also allows its backport is not reported; an exact pin is.
  const auto& list = BundledAdvisories();
  EXPECT_TRUE(AdvisoriesForRequirement(list, "tensorflow", "~=2.5.0").empty());
  const auto pinned = AdvisoriesForRequirement(list, "tensorflow", "==2.5.0");
  EXPECT_TRUE(std::any_of(pinned.begin(), pinned.end(),
                          [](const Advisory* a) { return a->id == "CVE-2021-37678"; }));
}

TEST(BundledList, KerasAndOnnxEntries) {
  // safe_mode ignored for .h5 files: Keras 3.0.0 through 3.11.2.
  EXPECT_TRUE(Has(Ids("keras", "3.11.2"), "CVE-2025-9905"));
  EXPECT_FALSE(Has(Ids("keras", "3.11.3"), "CVE-2025-9905"));
  EXPECT_FALSE(Has(Ids("keras", "2.15.0"), "CVE-2025-9905"));
  // onnx 1.20.1 has the four external-data advisories fixed in 1.21.0, nothing older.
  const auto onnx = Ids("onnx", "1.20.1");
  for (const char* id : {"CVE-2026-27489", "CVE-2026-34445", "CVE-2026-34446", "CVE-2026-34447"}) {
    EXPECT_TRUE(Has(onnx, id)) << id;
  }
  EXPECT_EQ(onnx.size(), 4u);
  EXPECT_TRUE(Ids("onnx", "1.21.0").empty());
  // llama-cpp-python rendered templates with Jinja2 from 0.2.30 on.
  EXPECT_TRUE(Ids("llama-cpp-python", "0.2.29").empty());
  EXPECT_TRUE(Has(Ids("llama-cpp-python", "0.2.30"), "CVE-2024-34359"));
}

}  // namespace
}  // namespace mg::advisories

namespace mg::advisories {
namespace {

// tensorflow-gpu, -cpu, -macos... ship TensorFlow's code under TensorFlow's version numbers:
// installed or pinned under those names, TensorFlow's advisories apply.
TEST(BundledList, TensorflowDistributionsShareItsAdvisories) {
  const AdvisoryList& list = BundledAdvisories();
  EXPECT_EQ(list.AdvisoryName(Ecosystem::kPypi, "tensorflow-gpu"), "tensorflow");
  EXPECT_EQ(list.AdvisoryName(Ecosystem::kPypi, "tensorflow-cpu"), "tensorflow");
  EXPECT_EQ(list.AdvisoryName(Ecosystem::kPypi, "torch"), "torch");
  EXPECT_EQ(list.AdvisoryName(Ecosystem::kPypi, "not-watched"), "not-watched");
  // Nightlies are dev releases of the next version, so ranges written for releases would
  // misjudge them: tf-nightly is deliberately not one of the distributions.
  EXPECT_EQ(list.AdvisoryName(Ecosystem::kPypi, "tf-nightly"), "tf-nightly");

  std::vector<std::string> ids;
  for (const Advisory* a : AdvisoriesForVersion(list, Ecosystem::kPypi, "TensorFlow_GPU", "2.5.0")) {
    ids.push_back(a->id);
  }
  EXPECT_TRUE(Has(ids, "CVE-2021-37678")) << ids.size();
  EXPECT_TRUE(AdvisoriesForVersion(list, Ecosystem::kPypi, "tensorflow-gpu", "2.11.0").empty());

  Environment environment;
  environment.packages.push_back(
      {"tensorflow-macos", "tensorflow-macos", Ecosystem::kPypi, "2.5.0", "site/tf.dist-info"});
  const Report report = AuditEnvironment(list, environment);
  bool advisory_found = false;
  for (const Target& target : report.targets) {
    for (const Finding& finding : target.findings) {
      if (finding.rule == kRuleAdvisory &&
          finding.message.find("CVE-2021-37678") != std::string::npos &&
          finding.message.find("tensorflow-macos 2.5.0") != std::string::npos) {
        advisory_found = true;
      }
    }
  }
  EXPECT_TRUE(advisory_found);
}

TEST(BundledList, DistributionsMustBeNames) {
  const std::string bad = R"({"advisories": [], "packages": [
      {"name": "tensorflow", "ecosystem": "pypi", "distributions": "tensorflow-gpu"}]})";
  EXPECT_FALSE(ParseAdvisories(ByteView(reinterpret_cast<const std::uint8_t*>(bad.data()),
                                        bad.size())));
}

}  // namespace
}  // namespace mg::advisories
