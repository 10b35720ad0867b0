// The folder checks of a Spark ML model whose metadata part file is on disk: the model folder is
// the parent of metadata/. Spark loads nested stages from folders named after the metadata
// (stages/<idx>_<uid>, pipelineModel, estimator, evaluator, bestModel, subModels, epm_*,
// classifier, model_<i>, treesMetadata; spark-ml-format.md §1.3-1.7), so this checks that each
// is where the loader will look, holds a stage of the kind expected there, and that nothing else
// is hidden beside them. Each nested metadata file is scanned by the engine on its own when the
// folder is scanned: here only its class is read, to check its position.
#pragma once

#include <filesystem>

#include "analyzers/sparkml/metadata.h"

namespace mg {
class ScanContext;
}

namespace mg::sparkml {

// Folder entries listed per directory, and nested positions checked per model.
inline constexpr std::size_t kMaxListedEntries = 4096;
inline constexpr std::size_t kMaxPositionChecks = 4096;
// Nested metadata read to learn its class (the first line of its first part file).
inline constexpr std::uint64_t kMaxNestedMetadataBytes = 4ULL << 20;

// `metadata_file` is the part file being scanned, inside <model>/metadata/.
void CheckModelFolder(ScanContext& ctx, const std::filesystem::path& metadata_file,
                      const MetadataInfo& info);

// True when the bytes look like a Parquet file: "PAR1" at both ends and a footer length that
// fits between them (Parquet: <magic> <data> <footer> <4-byte LE footer length> <magic>).
bool ParquetFrameIsSane(ByteView head, ByteView tail, std::uint64_t file_size);

}  // namespace mg::sparkml
