// The organisation name lists: entry syntax and matching (docs/policy.md, "Name lists").
#include "engine/name_lists.h"

#include <gtest/gtest.h>

#include <string>

namespace mg {
namespace {

TEST(NameLists, PlainEntriesMatchExactlyAndPrefixesOnlyBelow) {
  NamePatterns patterns;
  patterns.Add("mylab.models.Net");
  patterns.Add("tools.*");
  patterns.Add("io.acme.");
  EXPECT_EQ(patterns.Match("mylab.models.Net"), "mylab.models.Net");
  EXPECT_FALSE(patterns.Match("mylab.models.Net2"));
  EXPECT_FALSE(patterns.Match("mylab.models.Net.sub"));  // a plain entry is exact
  EXPECT_FALSE(patterns.Match("mylab.models"));
  EXPECT_EQ(patterns.Match("tools.x"), "tools.*");
  EXPECT_EQ(patterns.Match("tools.a.b.c"), "tools.*");
  EXPECT_FALSE(patterns.Match("tools"));      // the module itself is not below it
  EXPECT_FALSE(patterns.Match("tools."));     // nothing after the dot
  EXPECT_FALSE(patterns.Match("toolsmith.x"));  // a longer first component
  EXPECT_EQ(patterns.Match("io.acme.Stage"), "io.acme.");  // "x." is the same as "x.*"
  EXPECT_FALSE(patterns.Match(""));
}

TEST(NameLists, TheMostGeneralPrefixIsNamedWhenSeveralMatch) {
  NamePatterns patterns;
  patterns.Add("a.b.*");
  patterns.Add("a.*");
  patterns.Add("a.b.*");  // repeated: kept once
  EXPECT_EQ(patterns.Match("a.b.c"), "a.*");
}

TEST(NameLists, EmptyListsMatchNothing) {
  const OrgNameLists& none = OrgNameLists::None();
  EXPECT_TRUE(none.empty());
  EXPECT_FALSE(none.Allowed(NameKind::kPickleGlobal, "os.system"));
  EXPECT_FALSE(none.Denied(NameKind::kKerasModule, "keras.layers"));
  OrgNameLists lists;
  lists.deny[static_cast<std::size_t>(NameKind::kKerasModule)].Add("keras.layers");
  EXPECT_FALSE(lists.empty());
  EXPECT_EQ(lists.Denied(NameKind::kKerasModule, "keras.layers"), "keras.layers");
  // Lists are per kind.
  EXPECT_FALSE(lists.Denied(NameKind::kPysparkModule, "keras.layers"));
  EXPECT_FALSE(lists.Allowed(NameKind::kKerasModule, "keras.layers"));
}

TEST(NameLists, EntriesAreDottedAsciiIdentifiers) {
  for (const char* good : {"os", "mylab.models.Net", "mylab.*", "mylab.", "_private._x1",
                           "a.b.c.d.e.*"}) {
    EXPECT_FALSE(ValidateNameEntry(NameKind::kPickleGlobal, good)) << good;
  }
  for (const char* bad : {"", "*", ".*", ".", "..", ".mylab", "mylab..Net", "mylab.*.Net",
                          "mylab.**", "my lab", "1abc", "a.1b", "mylab*", "a-b", "a/b",
                          "caf\xc3\xa9", "a$b"}) {
    EXPECT_TRUE(ValidateNameEntry(NameKind::kPickleGlobal, bad)) << bad;
  }
  // '$' names nested JVM classes: Spark ML classes only.
  EXPECT_FALSE(ValidateNameEntry(NameKind::kSparkMlClass, "com.acme.Stage$Model"));
  EXPECT_TRUE(ValidateNameEntry(NameKind::kKerasModule, "com.acme.Stage$Model"));
  EXPECT_FALSE(ValidateNameEntry(NameKind::kKerasModule, std::string(kMaxNameEntryLength, 'a')));
  const auto long_entry =
      ValidateNameEntry(NameKind::kKerasModule, std::string(kMaxNameEntryLength + 1, 'a'));
  ASSERT_TRUE(long_entry);
  EXPECT_NE(long_entry->find("longer than"), std::string::npos);
}

TEST(NameLists, DenyEvidenceNamesTheEntryAndStaysShort) {
  EXPECT_EQ(PolicyDenyEvidence("mylab.Net", "mylab.*"), "mylab.Net (policy deny entry 'mylab.*')");
  const std::string evidence = PolicyDenyEvidence("a." + std::string(5000, 'x'), "a.*");
  EXPECT_LT(evidence.size(), 300u);
  EXPECT_NE(evidence.find("...") , std::string::npos);
}

}  // namespace
}  // namespace mg
