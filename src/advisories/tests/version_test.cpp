#include "advisories/version.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mg::advisories {
namespace {

std::string Norm(const std::string& text) {
  const auto parsed = ParsePep440(text);
  return parsed ? parsed->Normalized() : "<invalid>";
}

int Cmp(const std::string& a, const std::string& b) {
  const auto x = ParsePep440(a);
  const auto y = ParsePep440(b);
  EXPECT_TRUE(x && y) << a << " / " << b;
  if (!x || !y) return 99;
  return ComparePep440(*x, *y);
}

int CmpMaven(const std::string& a, const std::string& b) {
  const auto x = Version::Parse(Ecosystem::kMaven, a);
  const auto y = Version::Parse(Ecosystem::kMaven, b);
  EXPECT_TRUE(x && y) << a << " / " << b;
  if (!x || !y) return 99;
  return x->Compare(*y);
}

TEST(Pep440, NormalisesSpellings) {
  EXPECT_EQ(Norm("1.0"), "1.0");
  EXPECT_EQ(Norm("v1.0"), "1.0");
  EXPECT_EQ(Norm("  V2.6.0 \n"), "2.6.0");
  EXPECT_EQ(Norm("1.0-alpha-1"), "1.0a1");
  EXPECT_EQ(Norm("1.0.BETA2"), "1.0b2");
  EXPECT_EQ(Norm("1.0c1"), "1.0rc1");
  EXPECT_EQ(Norm("1.0pre3"), "1.0rc3");
  EXPECT_EQ(Norm("1.0preview"), "1.0rc0");
  EXPECT_EQ(Norm("1.0a"), "1.0a0");
  EXPECT_EQ(Norm("1.0-1"), "1.0.post1");
  EXPECT_EQ(Norm("1.0-r4"), "1.0.post4");
  EXPECT_EQ(Norm("1.0rev"), "1.0.post0");
  EXPECT_EQ(Norm("1.0.post"), "1.0.post0");
  EXPECT_EQ(Norm("1.0-dev"), "1.0.dev0");
  EXPECT_EQ(Norm("1!2.0_rc_1.post_2.dev_3"), "1!2.0rc1.post2.dev3");
  EXPECT_EQ(Norm("007.08"), "7.8");
  EXPECT_EQ(Norm("2.5.1+CPU"), "2.5.1+cpu");
  EXPECT_EQ(Norm("1.0+ubuntu-1_02"), "1.0+ubuntu.1.2");
  // Debian's python3-torch ships this one.
  EXPECT_EQ(Norm("1.13.0a0+gitunknown"), "1.13.0a0+gitunknown");
  EXPECT_EQ(Norm("123456789012345678901234567890.1"), "123456789012345678901234567890.1");
}

TEST(Pep440, RejectsNonVersions) {
  for (const char* bad : {"", "v", "abc", "1.0.", "1.0+", "1.0+a..b", "1.0 beta", "1..0",
                                "1.0a1a2", "1.0rc1rc2", "!1.0", "1!", "1.0-", "1.0+ubuntu!",
                                "1.0.dev1.post1", "1.0.*"}) {
    EXPECT_FALSE(ParsePep440(bad)) << bad;
  }
  EXPECT_FALSE(ParsePep440(std::string(kMaxVersionLength + 1, '1')));
}

TEST(Pep440, OrdersSuffixesAsTheSpecSays) {
  // The order listed in PEP 440's "Summary of permitted suffixes and relative ordering".
  const std::vector<std::string> ordered = {
      "1.0.dev456", "1.0a1",         "1.0a2.dev456",  "1.0a12.dev456", "1.0a12",
      "1.0b1.dev456", "1.0b2",       "1.0b2.post345.dev456", "1.0b2.post345", "1.0rc1.dev456",
      "1.0rc1",     "1.0",           "1.0+abc.5",     "1.0+abc.7",     "1.0+5",
      "1.0.post456.dev34", "1.0.post456", "1.0.15",   "1.1.dev1"};
  for (std::size_t i = 0; i + 1 < ordered.size(); ++i) {
    EXPECT_LT(Cmp(ordered[i], ordered[i + 1]), 0) << ordered[i] << " < " << ordered[i + 1];
    EXPECT_GT(Cmp(ordered[i + 1], ordered[i]), 0) << ordered[i + 1] << " > " << ordered[i];
  }
}

TEST(Pep440, EqualitiesAndEpochs) {
  EXPECT_EQ(Cmp("1.0", "1.0.0.0"), 0);
  EXPECT_EQ(Cmp("1.0", "v1"), 0);
  EXPECT_EQ(Cmp("1.0alpha1", "1.0a1"), 0);
  EXPECT_EQ(Cmp("1.0-1", "1.0.post1"), 0);
  EXPECT_EQ(Cmp("0!1.0", "1.0"), 0);
  EXPECT_GT(Cmp("1!0.1", "9999.0"), 0);
  EXPECT_LT(Cmp("2.5.9", "2.6.0"), 0);
  EXPECT_LT(Cmp("2.6.0rc1", "2.6.0"), 0);
  EXPECT_LT(Cmp("2.5.1+cu121", "2.6.0"), 0);
  EXPECT_GT(Cmp("2.6.0+cpu", "2.6.0"), 0);
  EXPECT_LT(Cmp("1.13.0a0+gitunknown", "1.13.0"), 0);
  EXPECT_LT(Cmp("3.10.0", "3.11.0"), 0);  // numeric, not lexical
  EXPECT_LT(Cmp("99999999999999999999", "100000000000000000000"), 0);
  EXPECT_EQ(Cmp("1.0+01", "1.0+1"), 0);
  EXPECT_LT(Cmp("1.0+abc", "1.0+abc.1"), 0);
}

TEST(Maven, OrdersQualifiersLikeComparableVersion) {
  const std::vector<std::string> ordered = {
      "1-alpha1", "1-alpha2", "1-beta1", "1-milestone1", "1-rc1", "1-snapshot", "1",
      "1-sp", "1-abc", "1-1", "1.1"};
  for (std::size_t i = 0; i + 1 < ordered.size(); ++i) {
    EXPECT_LT(CmpMaven(ordered[i], ordered[i + 1]), 0) << ordered[i] << " < " << ordered[i + 1];
  }
  EXPECT_EQ(CmpMaven("1.0", "1"), 0);
  EXPECT_EQ(CmpMaven("1.0.0", "1-ga"), 0);
  EXPECT_EQ(CmpMaven("1-final", "1"), 0);
  EXPECT_EQ(CmpMaven("1-cr1", "1-rc1"), 0);
  EXPECT_EQ(CmpMaven("1a1", "1-alpha-1"), 0);
  EXPECT_EQ(CmpMaven("1.0-RC1", "1.0-rc1"), 0);
  EXPECT_LT(CmpMaven("3.5.1", "3.5.10"), 0);
  EXPECT_LT(CmpMaven("3.4.4", "3.5.0"), 0);
}

TEST(Maven, SparkVersions) {
  EXPECT_LT(CmpMaven("4.0.0-preview1", "4.0.0-preview2"), 0);
  EXPECT_LT(CmpMaven("4.0.0-preview2", "4.0.0"), 0);
  EXPECT_LT(CmpMaven("3.5.1", "4.0.0-preview1"), 0);
  EXPECT_GT(CmpMaven("4.0.1", "4.0.0"), 0);
  const auto preview = Version::Parse(Ecosystem::kMaven, "4.0.0-preview1");
  ASSERT_TRUE(preview);
  EXPECT_TRUE(preview->is_prerelease());
  EXPECT_FALSE(Version::Parse(Ecosystem::kMaven, "3.5.1")->is_prerelease());
  EXPECT_FALSE(Version::Parse(Ecosystem::kMaven, ""));
}

TEST(VersionClass, KeepsTextAndEcosystem) {
  const auto v = Version::Parse(Ecosystem::kPypi, " 2.6.0rc1 ");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->text(), "2.6.0rc1");
  EXPECT_TRUE(v->is_prerelease());
  EXPECT_EQ(EcosystemName(v->ecosystem()), "pypi");
  EXPECT_EQ(ParseEcosystem("maven"), Ecosystem::kMaven);
  EXPECT_FALSE(ParseEcosystem("npm"));
}

}  // namespace
}  // namespace mg::advisories
