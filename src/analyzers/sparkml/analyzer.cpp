// The Spark ML model analyzer. A saved Spark ML stage (Scala or PySpark writer, Spark 2.x-4.x)
// is a folder whose metadata/ holds one part file with one JSON line; the loaders resolve its
// "class" by reflection or import, build nested stage paths from its uids and param values, and
// SQLTransformer runs its statement through spark.sql (spark-ml-format.md). The analyzer claims
// that part file by name and shape, judges the JSON, and, when the file is on disk, the model
// folder around it (folder.h).
#include "engine/analyzer.h"

#include <filesystem>
#include <string>

#include "analyzers/sparkml/folder.h"
#include "analyzers/sparkml/metadata.h"
#include "analyzers/sparkml/rules.h"
#include "engine/scan_context.h"

namespace mg::sparkml {
namespace {

constexpr int kMetadataScore = 90;
// The keys Spark's writers put first; looked for in this much of the first line.
constexpr std::uint64_t kSniffBytes = 1 << 20;

std::string_view ParentName(std::string_view path) {
  const std::size_t slash = path.find_last_of("/\\");
  if (slash == std::string_view::npos) return {};
  return PayloadBaseName(path.substr(0, slash));
}

bool Contains(ByteView data, std::string_view needle) {
  return std::string_view(reinterpret_cast<const char*>(data.data()), data.size()).find(needle) !=
         std::string_view::npos;
}

// A non-hidden file directly inside a folder named metadata, whose first line is a JSON object
// with "class" and "uid" or "sparkVersion" (DefaultParamsWriter.getMetadataToSave).
bool IsMetadataPart(std::string_view name, ByteView data) {
  const std::string_view base = PayloadBaseName(name);
  if (ParentName(name) != "metadata" || base.empty() || base.starts_with('.') ||
      base.starts_with('_')) {
    return false;
  }
  const ByteView line = FirstLine(data.Prefix(kSniffBytes));
  std::uint64_t start = 0;
  while (start < line.size() && (line[start] == ' ' || line[start] == '\t')) ++start;
  if (start >= line.size() || line[start] != '{') return false;
  return Contains(line, "\"class\"") &&
         (Contains(line, "\"uid\"") || Contains(line, "\"sparkVersion\""));
}

// pyspark.ml.connect's metadata.json (io_utils.py): "class" and "core_model_path" or
// "type": "spark_connect".
bool IsConnectMetadata(std::string_view name, ByteView data) {
  if (PayloadBaseName(name) != "metadata.json") return false;
  const ByteView head = data.Prefix(kSniffBytes);
  return Contains(head, "\"class\"") &&
         (Contains(head, "\"core_model_path\"") || Contains(head, "\"spark_connect\""));
}

class SparkmlAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return kFormatName; }
  int Sniff(ByteView) const override { return 0; }  // text without magic: the name decides
  int SniffNamed(std::string_view name, ByteView data) const override {
    return IsMetadataPart(name, data) || IsConnectMetadata(name, data) ? kMetadataScore : 0;
  }

  void Analyze(ScanContext& ctx, ByteView data) const override {
    if (PayloadBaseName(ctx.current_name()) == "metadata.json") {
      AnalyzeConnectMetadata(ctx, data, "metadata.json");
      return;
    }
    const std::string label = "metadata/" + std::string(PayloadBaseName(ctx.current_name()));
    const std::optional<MetadataInfo> info = AnalyzeMetadata(ctx, data, label);
    if (!info || ctx.depth() != 0 || ctx.target_path().empty()) return;
    const std::filesystem::path file(ctx.target_path());
    if (file.parent_path().filename() != "metadata") return;
    CheckModelFolder(ctx, file, *info);
  }

  std::span<const RuleInfo> Rules() const override { return sparkml::Rules(); }
};

}  // namespace
}  // namespace mg::sparkml

namespace mg {

const Analyzer& SparkmlAnalyzerInstance() {
  static const sparkml::SparkmlAnalyzer kInstance;
  return kInstance;
}

}  // namespace mg
