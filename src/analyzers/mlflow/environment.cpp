#include "analyzers/mlflow/environment.h"

#include <algorithm>

#include "advisories/requirement.h"
#include "analyzers/mlflow/rules.h"
#include "analyzers/mlflow/yaml_tree.h"

namespace mg::mlflow {
namespace {

// conda channels that are package indexes of their own name; a URL or path is not.
bool IsPlainChannel(const std::string& channel) {
  return !channel.empty() && channel.find(':') == std::string::npos &&
         channel.find('/') == std::string::npos && channel.find('\\') == std::string::npos &&
         channel.front() != '.' && channel.front() != '~';
}

// conda nests pip's list one level down; aliases could make the tree cyclic, hence the depth.
constexpr int kMaxRequirementNesting = 4;

void YamlRequirements(const YamlTree& tree, std::uint32_t list, const std::string& file,
                      RequirementList& out, int depth = 0) {
  if (depth > kMaxRequirementNesting || tree.node(list).kind != YamlKind::kSequence) return;
  for (std::uint32_t item : tree.node(list).items) {
    if (!tree.Visit()) return;
    const YamlNode& entry = tree.node(item);
    if (entry.kind == YamlKind::kScalar) {
      ParseRequirementLine(file, entry.line, entry.text, out);
    } else if (entry.kind == YamlKind::kMapping) {
      // conda.yaml: dependencies: [python=3.10, pip, {pip: [mlflow==2.9.2, ...]}]
      if (const auto pip = tree.Find(item, "pip"))
        YamlRequirements(tree, *pip, file, out, depth + 1);
    }
  }
}

// Why a file that ReadSmall did not return cannot be read; nothing when it is simply absent.
void NoteUnreadable(const ModelFolder& folder, const std::string& file, Environment& env) {
  switch (folder.Lookup(file)) {
    case Presence::kMissing:
      return;
    case Presence::kOutside:
      env.unreadable.emplace_back(file, "a symbolic link out of the model folder");
      return;
    case Presence::kPresent:
      env.unreadable.emplace_back(file, "larger than " + std::to_string(kMaxRequirementsBytes) +
                                            " bytes or not a regular file");
      return;
  }
}

void ReadYamlEnvironment(const ModelFolder& folder, const std::string& file, Environment& env) {
  const auto text = folder.ReadSmall(file, kMaxRequirementsBytes);
  if (!text) return NoteUnreadable(folder, file, env);
  const YamlParse parsed = ParseYaml(ByteView(*text));
  if (!parsed.tree) {
    env.unreadable.emplace_back(
        file,
        "YAML error" +
            (parsed.error.line ? " at line " + std::to_string(parsed.error.line) : std::string()) +
            ": " + parsed.error.message);
    return;
  }
  const YamlTree& tree = *parsed.tree;
  if (tree.root().kind != YamlKind::kMapping) return;
  if (const auto channels = tree.Find(tree.root_index(), "channels");
      channels && tree.node(*channels).kind == YamlKind::kSequence) {
    for (std::uint32_t item : tree.node(*channels).items) {
      const YamlNode& channel = tree.node(item);
      if (channel.kind == YamlKind::kScalar && !IsPlainChannel(channel.text)) {
        env.requirements.sources.push_back(
            RequirementSource{file, channel.line, channel.text.substr(0, 200),
                              "a conda channel given by URL or path"});
      }
    }
  }
  // python_env.yaml: build_dependencies and dependencies are pip requirement lines.
  for (const char* key : {"dependencies", "build_dependencies"}) {
    if (const auto list = tree.Find(tree.root_index(), key)) {
      YamlRequirements(tree, *list, file, env.requirements);
    }
  }
  if (tree.BudgetSpent()) env.unreadable.emplace_back(file, "past the YAML visit budget");
}

}  // namespace

Environment ReadEnvironment(const ModelFolder& folder) {
  Environment env;
  if (const auto text = folder.ReadSmall("requirements.txt", kMaxRequirementsBytes)) {
    if (!ParseRequirementsText("requirements.txt", ByteView(*text), env.requirements)) {
      env.unreadable.emplace_back("requirements.txt",
                                  "more than " + std::to_string(kMaxRequirementLines) + " lines");
    }
  } else {
    NoteUnreadable(folder, "requirements.txt", env);
  }
  ReadYamlEnvironment(folder, "conda.yaml", env);
  ReadYamlEnvironment(folder, "python_env.yaml", env);
  return env;
}

// "requirements.txt:3", or the file alone for YAML entries without a line.
std::string Where(const RequirementSource& source) {
  std::string where = source.file;
  if (source.line) {
    where += ':';
    where += std::to_string(source.line);
  }
  return where;
}

namespace {

// A pin is judged by the versions it allows (advisories/requirement.h): one finding per
// requirement line, naming every advisory that applies to all of them.
void CheckRequirementAdvisories(ScanContext& ctx, const RequirementList& requirements) {
  const auto& list = advisories::BundledAdvisories();
  for (const Requirement& pin : requirements.pins) {
    const auto matching = advisories::AdvisoriesForRequirement(list, pin.name, pin.spec);
    if (matching.empty()) continue;
    RequirementSource where{pin.file, pin.line, "", ""};
    ctx.Report(rule::kRequirementAdvisory, advisories::HighestSeverity(matching, Severity::kHigh),
               Where(where) + " asks for " + pin.name + pin.spec + ", affected by " +
                   advisories::DescribeAdvisories(advisories::Ecosystem::kPypi, matching) + ".",
               std::nullopt, pin.name + pin.spec);
  }
}

}  // namespace

void CheckEnvironment(ScanContext& ctx, const ModelFolder& folder) {
  const Environment env = ReadEnvironment(folder);
  for (const RequirementSource& source : env.requirements.sources) {
    ctx.Report(
        rule::kRequirementSource, Severity::kMedium,
        source.file + " installs " + source.why + " when MLflow builds the model's environment.",
        std::nullopt, Where(source) + ": " + source.text);
  }
  CheckRequirementAdvisories(ctx, env.requirements);
  for (const auto& [file, why] : env.unreadable) {
    ctx.Incomplete(rule::kEnvMalformed, file + " beside MLmodel could not be read (" + why +
                                            "): the packages it installs were not checked.");
  }
}

}  // namespace mg::mlflow
