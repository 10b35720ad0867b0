// Tests of the bounded YAML reader, path classification and requirement parsing that the MLflow
// analyzer is built on.
#include <gtest/gtest.h>

#include <string>

#include "analyzers/mlflow/model_folder.h"
#include "analyzers/mlflow/requirements.h"
#include "analyzers/mlflow/yaml_tree.h"

namespace mg::mlflow {
namespace {

TEST(MlflowYamlTest, ReadsMappingsSequencesAndNulls) {
  const std::string text =
      "flavors:\n  sklearn:\n    code: null\n    pickled_model: model.pkl\n"
      "list: [a, 'b', ~]\nempty:\nquoted: ''\n";
  const YamlParse parsed = ParseYaml(ByteView(text));
  ASSERT_TRUE(parsed.tree.has_value()) << parsed.error.message;
  const YamlTree& tree = *parsed.tree;
  const auto flavors = tree.Find(tree.root_index(), "flavors");
  ASSERT_TRUE(flavors.has_value());
  const auto sklearn = tree.Find(*flavors, "sklearn");
  ASSERT_TRUE(sklearn.has_value());
  EXPECT_EQ(tree.String(*sklearn, "pickled_model"), "model.pkl");
  EXPECT_EQ(tree.node(*tree.Find(*sklearn, "pickled_model")).line, 4u);
  EXPECT_FALSE(tree.String(*sklearn, "code").has_value());  // null
  const YamlNode& list = tree.node(*tree.Find(tree.root_index(), "list"));
  ASSERT_EQ(list.kind, YamlKind::kSequence);
  ASSERT_EQ(list.items.size(), 3u);
  EXPECT_TRUE(IsYamlNull(tree.node(list.items[2])));
  EXPECT_TRUE(IsYamlNull(tree.node(*tree.Find(tree.root_index(), "empty"))));
  // A quoted empty string is a string, not null (PyYAML agrees).
  EXPECT_FALSE(IsYamlNull(tree.node(*tree.Find(tree.root_index(), "quoted"))));
}

TEST(MlflowYamlTest, RepeatedKeyKeepsTheLastValueAsPyYamlDoes) {
  const YamlParse parsed = ParseYaml(ByteView(std::string("a: first\na: second\n")));
  ASSERT_TRUE(parsed.tree.has_value());
  EXPECT_EQ(parsed.tree->String(parsed.tree->root_index(), "a"), "second");
}

TEST(MlflowYamlTest, MergeKeysResolveAsInPyYaml) {
  // YAML 1.1 merge keys: explicit keys win, then earlier merged mappings.
  const std::string text =
      "base: &base {loader_module: evil, data: d1}\n"
      "other: &other {data: d2, code: c}\n"
      "pyfunc:\n  <<: [*base, *other]\n  python_version: '3.11'\n"
      "inline:\n  <<: {loader_module: hidden}\n  loader_module: shown\n";
  const YamlParse parsed = ParseYaml(ByteView(text));
  ASSERT_TRUE(parsed.tree.has_value()) << parsed.error.message;
  const YamlTree& tree = *parsed.tree;
  const std::uint32_t pyfunc = *tree.Find(tree.root_index(), "pyfunc");
  EXPECT_EQ(tree.String(pyfunc, "loader_module"), "evil");
  EXPECT_EQ(tree.String(pyfunc, "data"), "d1");
  EXPECT_EQ(tree.String(pyfunc, "code"), "c");
  EXPECT_EQ(tree.Entries(pyfunc).size(), 4u);
  EXPECT_EQ(tree.String(*tree.Find(tree.root_index(), "inline"), "loader_module"), "shown");
  EXPECT_EQ(tree.merge_count(), 2u);
}

TEST(MlflowYamlTest, AliasesAreReferencesAndWalksAreBudgeted) {
  // Nine levels of nine aliases: 9^9 nodes if expanded; the tree holds a few dozen.
  std::string text = "l0: &l0 [x, x, x]\n";
  for (int level = 1; level < 10; ++level) {
    const std::string name = std::to_string(level);
    const std::string previous = std::to_string(level - 1);
    text.append("l").append(name).append(": &l").append(name).append(" [");
    for (int i = 0; i < 9; ++i) text.append(i ? ", *l" : "*l").append(previous);
    text.append("]\n");
  }
  YamlLimits limits;
  limits.max_visits = 1000;
  const YamlParse parsed = ParseYaml(ByteView(text), limits);
  ASSERT_TRUE(parsed.tree.has_value()) << parsed.error.message;
  EXPECT_EQ(parsed.tree->alias_count(), 81u);
  const YamlTree& tree = *parsed.tree;
  // A naive recursive walk charged to the budget stops after max_visits.
  std::uint64_t visited = 0;
  const auto walk = [&](const auto& self, std::uint32_t index) -> void {
    if (!tree.Visit()) return;
    ++visited;
    for (std::uint32_t item : tree.node(index).items) self(self, item);
    for (const auto& entry : tree.node(index).entries) self(self, entry.second);
  };
  walk(walk, tree.root_index());
  EXPECT_EQ(visited, 1000u);
  EXPECT_TRUE(tree.BudgetSpent());
}

TEST(MlflowYamlTest, LimitsAndErrorsAreReportedNotThrown) {
  YamlLimits small;
  small.max_nodes = 10;
  EXPECT_FALSE(ParseYaml(ByteView(std::string("[1,2,3,4,5,6,7,8,9,10,11]")), small).tree);
  small = {};
  small.max_depth = 4;
  const YamlParse deep = ParseYaml(ByteView(std::string("[[[[[[x]]]]]]")), small);
  EXPECT_FALSE(deep.tree);
  EXPECT_NE(deep.error.message.find("deeper"), std::string::npos);
  small = {};
  small.max_bytes = 8;
  EXPECT_FALSE(ParseYaml(ByteView(std::string("key: value that is long")), small).tree);
  const YamlParse broken = ParseYaml(ByteView(std::string("a: 1\nb: [unclosed\n")));
  EXPECT_FALSE(broken.tree);
  EXPECT_FALSE(broken.error.message.empty());
  EXPECT_FALSE(ParseYaml(ByteView(std::string("a: 1\n---\nb: 2\n"))).tree);  // two documents
  EXPECT_FALSE(ParseYaml(ByteView(std::string("x: *nowhere\n"))).tree);
  EXPECT_FALSE(ParseYaml(ByteView(std::string(""))).tree);
  // yaml-cpp's own nesting guard (2000 levels) must not escape as an exception either.
  EXPECT_FALSE(ParseYaml(ByteView(std::string(5000, '['))).tree);
}

TEST(MlflowPathTest, ClassifiesValuesThatLeaveTheFolder) {
  for (const char* inside :
       {"model.pkl", "data", "sparkml", "code", "artifacts/a/../b.json", "./model.pkl"}) {
    EXPECT_EQ(PathEscapeReason(inside), "") << inside;
  }
  EXPECT_NE(PathEscapeReason("../model.pkl"), "");
  EXPECT_NE(PathEscapeReason("data/../../x"), "");
  EXPECT_NE(PathEscapeReason("/etc/passwd"), "");
  EXPECT_NE(PathEscapeReason("\\\\host\\share"), "");
  EXPECT_NE(PathEscapeReason("C:\\models\\m.pkl"), "");
  EXPECT_NE(PathEscapeReason("~/m.pkl"), "");
  EXPECT_NE(PathEscapeReason("s3://attacker.invalid/m"), "");
  EXPECT_NE(PathEscapeReason("dbfs:/models/m"), "");
  EXPECT_EQ(ShadowedModule("os"), "os");
  EXPECT_EQ(ShadowedModule("mlflow"), "mlflow");
  EXPECT_EQ(ShadowedModule("helpers"), "");
}

TEST(MlflowRequirementsTest, PinsAndSourcesOutsideAnIndex) {
  const std::string text =
      "mlflow==2.9.2\n"
      "scikit-learn>=1.2,<1.3  # comment\n"
      "-r requirements.txt\n"
      "-c constraints.txt\n"
      "--extra-index-url https://attacker.invalid/simple\n"
      "-ihttps://attacker.invalid/simple\n"
      "helper @ git+https://attacker.invalid/helper.git\n"
      "git+https://attacker.invalid/other.git#egg=other\n"
      "./wheels/pkg-1.0-py3-none-any.whl\n"
      "https://attacker.invalid/pkg.tar.gz\n"
      "-e .\n"
      "numpy\\\n"
      "==1.24.2\n"
      "\n# only a comment\n";
  RequirementList list;
  ASSERT_TRUE(ParseRequirementsText("requirements.txt", ByteView(text), list));
  ASSERT_EQ(list.pins.size(), 3u);
  EXPECT_EQ(list.pins[0].name, "mlflow");
  EXPECT_EQ(list.pins[0].spec, "==2.9.2");
  EXPECT_EQ(list.pins[1].name, "scikit-learn");
  EXPECT_EQ(list.pins[1].spec, ">=1.2,<1.3");
  EXPECT_EQ(list.pins[2].name, "numpy");
  EXPECT_EQ(list.pins[2].spec, "==1.24.2");
  ASSERT_EQ(list.sources.size(), 7u);
  EXPECT_EQ(list.sources[0].line, 5u);
  EXPECT_EQ(list.sources[0].why, "an extra package index");
  EXPECT_EQ(list.sources[1].why, "a different package index");
  EXPECT_EQ(list.sources[2].why, "a VCS reference");
  EXPECT_EQ(list.sources[4].why, "a local path");
  EXPECT_EQ(list.sources[5].why, "a URL");
  EXPECT_EQ(list.sources[6].why, "an editable (local or VCS) install");
  RequirementList outside;
  ParseRequirementLine("python_env.yaml", 0, "-r ../../other/requirements.txt", outside);
  EXPECT_EQ(outside.sources.size(), 1u);
}

}  // namespace
}  // namespace mg::mlflow
