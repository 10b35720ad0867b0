#include "advisories/requirement.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace mg::advisories {
namespace {

std::vector<std::string> Ids(std::string_view name, std::string_view spec) {
  std::vector<std::string> ids;
  for (const Advisory* a : AdvisoriesForRequirement(BundledAdvisories(), name, spec)) {
    ids.push_back(a->id);
  }
  return ids;
}

bool Has(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

TEST(Specifier, Intervals) {
  auto exact = ParseSpecifier("==2.5.1");
  ASSERT_TRUE(exact);
  EXPECT_EQ(exact->lower->text(), "2.5.1");
  EXPECT_EQ(exact->upper->text(), "2.5.1");
  auto compatible = ParseSpecifier("~=4.35.2");
  ASSERT_TRUE(compatible);
  EXPECT_EQ(compatible->upper->pep440().Normalized(), "4.36");
  EXPECT_FALSE(compatible->upper_inclusive);
  auto wildcard = ParseSpecifier("==2.9.*");
  ASSERT_TRUE(wildcard);
  EXPECT_EQ(wildcard->upper->pep440().Normalized(), "2.10");
  auto nines = ParseSpecifier("~=1.99");
  ASSERT_TRUE(nines);
  EXPECT_EQ(nines->upper->pep440().Normalized(), "2");
  auto marked = ParseSpecifier("[gpu] >=1.0, <2.0 ; python_version >= '3.8'");
  ASSERT_TRUE(marked);
  EXPECT_EQ(marked->lower->text(), "1.0");
  EXPECT_EQ(marked->upper->text(), "2.0");
  auto tighter = ParseSpecifier("<3,<2.5,>=1,>1.5,!=2.0");
  ASSERT_TRUE(tighter);
  EXPECT_EQ(tighter->upper->text(), "2.5");
  EXPECT_EQ(tighter->lower->text(), "1.5");
  EXPECT_FALSE(tighter->lower_inclusive);
  auto none = ParseSpecifier("");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->upper);
  for (const char* bad : {"~=1", "=>1.0", "==abc", ">=1.0,,", "[x", "<=1.*"}) {
    EXPECT_FALSE(ParseSpecifier(bad)) << bad;
  }
}

TEST(RequirementAdvisories, PinsAndRanges) {
  EXPECT_TRUE(Has(Ids("torch", "==2.5.1+cpu"), "CVE-2025-32434"));
  EXPECT_TRUE(Has(Ids("Torch", "===2.5.1"), "CVE-2025-32434"));
  EXPECT_TRUE(Has(Ids("torch", "<2.6"), "CVE-2025-32434"));
  EXPECT_TRUE(Has(Ids("torch", "<=2.5.1,>=2.0"), "CVE-2025-32434"));
  EXPECT_FALSE(Has(Ids("torch", "<=2.6.0"), "CVE-2025-32434"));  // allows the fix
  EXPECT_FALSE(Has(Ids("torch", ">=2.0"), "CVE-2025-32434"));     // unbounded above
  EXPECT_TRUE(Ids("torch", "").empty());
  EXPECT_TRUE(Ids("torch", "==2.6.0").size() == 1);  // only the later CVE-2026-24747
  // A band advisory: keras 3.0 <= v < 3.9; "keras<3.5" also allows 2.x, outside the band.
  EXPECT_TRUE(Has(Ids("keras", ">=3.0,<3.5"), "CVE-2025-1550"));
  EXPECT_FALSE(Has(Ids("keras", "<3.5"), "CVE-2025-1550"));
  EXPECT_TRUE(Has(Ids("keras", "==2.12.0"), "CVE-2024-3660"));
  EXPECT_TRUE(Has(Ids("transformers", "~=4.35.0"), "CVE-2023-6730"));
  EXPECT_FALSE(Has(Ids("transformers", "~=4.35"), "CVE-2023-6730"));  // up to 5.0
  EXPECT_TRUE(Has(Ids("llama_cpp_python", "==0.2.71"), "CVE-2024-34359"));
  // mlflow's advisories have no fixed release: no pin can avoid them, so none is reported.
  EXPECT_TRUE(Ids("mlflow", "==2.9.2").empty());
  EXPECT_TRUE(Ids("torch", "==not a version").empty());
}

TEST(RequirementAdvisories, ExactVersions) {
  const auto keras = AdvisoriesForVersion(BundledAdvisories(), Ecosystem::kPypi, "keras", "3.8.0");
  EXPECT_EQ(keras.size(), 4u);  // CVE-2025-1550, -8747, -9905, CVE-2026-1462
  EXPECT_TRUE(AdvisoriesForVersion(BundledAdvisories(), Ecosystem::kPypi, "keras", "x").empty());
}

}  // namespace
}  // namespace mg::advisories
