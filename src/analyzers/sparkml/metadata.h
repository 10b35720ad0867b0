// The metadata of one saved Spark ML stage: metadata/part-* holds one JSON line (class,
// timestamp, sparkVersion, uid, paramMap, defaultParamMap, extra keys), which the loaders read
// with read.text(...).first() and resolve "class" by reflection or import
// (spark-ml-format.md §1.1, §2, §7). This file judges that JSON; folder.h checks the folders.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyzers/sparkml/catalog.h"
#include "core/byte_view.h"

namespace mg {
class ScanContext;
}

namespace mg::sparkml {

// Limits on what one metadata file may make the analyzer (and the loader) do.
inline constexpr std::uint64_t kMaxMetadataBytes = 16ULL << 20;  // one part file
inline constexpr std::size_t kMaxLinesAnalysed = 4;      // further lines are counted only
inline constexpr std::size_t kMaxStages = 4096;          // stageUids entries
inline constexpr std::size_t kMaxParamMaps = 4096;       // estimatorParamMaps entries, total
inline constexpr std::int64_t kMaxNumClasses = 4096;     // OneVsRestModel model_<i> folders
inline constexpr std::size_t kMaxPathValues = 10'000;    // string values checked as paths

// What the folder checks need from the first line (the one Spark reads).
struct MetadataInfo {
  std::string class_name;
  std::optional<CatalogEntry> entry;  // when Spark ships the class (role as of `release`)
  std::optional<SparkRelease> release;  // from sparkVersion
  std::string uid;
  std::vector<std::string> stage_uids;  // paramMap.stageUids, plain uids only, in order
  std::size_t num_stages = 0;           // stageUids.size() (zero padding of stage folders)
  bool stages_complete = true;          // false when some uid was not plain or over the limit
  std::vector<std::string> epm_folders;  // estimatorParamMaps values with isJson false
  std::int64_t num_classes = -1;         // OneVsRestModel's numClasses, capped
};

// Analyses the bytes of a metadata part file and reports through `ctx`; `label` names the
// file in messages. Returns the first line's facts, or nothing when it could not be read.
std::optional<MetadataInfo> AnalyzeMetadata(ScanContext& ctx, ByteView data,
                                            const std::string& label);

// The same for a Spark 3.5 pyspark.ml.connect metadata.json (one JSON document, not a line;
// core_model_path and inline "stages"; spark-ml-format.md §1.10).
std::optional<MetadataInfo> AnalyzeConnectMetadata(ScanContext& ctx, ByteView data,
                                                   const std::string& label);

// What a parent stage checks of a nested stage's metadata line, without reporting anything.
struct MetadataHead {
  std::string class_name;
  std::optional<std::string> uid;  // when a string
  std::optional<SparkRelease> release;
};
std::optional<MetadataHead> ReadMetadataHead(ByteView first_line);

// The first line of `data` (without the line break), as Spark's text reader would return it.
ByteView FirstLine(ByteView data);

// True for uids Spark's writers produce: [A-Za-z0-9_-]{1,128}.
bool IsPlainUid(std::string_view uid);

// True for strings that are an absolute path, a URI, or contain a ".." component.
bool IsPathEscape(std::string_view value);

// The stage folder name a pipeline writer uses: index zero-padded to the digits of the stage
// count, "_", uid (Pipeline.SharedReadWrite.getStagePath).
std::string StageFolderName(std::size_t index, std::size_t num_stages, std::string_view uid);

}  // namespace mg::sparkml
