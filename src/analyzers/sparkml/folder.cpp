#include "analyzers/sparkml/folder.h"

#include <algorithm>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "analyzers/sparkml/rules.h"
#include "core/mapped_file.h"
#include "engine/scan_context.h"

namespace mg::sparkml {
namespace {

namespace fs = std::filesystem;

struct Entry {
  std::string name;
  bool is_dir = false;
  bool is_file = false;
};

struct Listing {
  bool ok = false;
  bool truncated = false;
  std::string error;
  std::vector<Entry> entries;  // sorted by name
};

// Lists `dir` without following links (a link is neither a file nor a folder here; the walk
// reports links that leave the scanned folder).
Listing List(const fs::path& dir) {
  Listing out;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    out.error = ec.message();
    return out;
  }
  for (const fs::directory_iterator end; it != end; it.increment(ec)) {
    if (ec) {
      out.error = ec.message();
      return out;
    }
    if (out.entries.size() >= kMaxListedEntries) {
      out.truncated = true;
      break;
    }
    std::error_code status_ec;
    const fs::file_status status = it->symlink_status(status_ec);
    out.entries.push_back({it->path().filename().string(), fs::is_directory(status),
                           fs::is_regular_file(status)});
  }
  std::sort(out.entries.begin(), out.entries.end(),
            [](const Entry& a, const Entry& b) { return a.name < b.name; });
  out.ok = true;
  return out;
}

// Hadoop readers skip names starting with "_" or "." (FileInputFormat's hidden filter).
bool IsHidden(std::string_view name) { return name.starts_with('_') || name.starts_with('.'); }

// Side files Hadoop writes next to data: _SUCCESS and .<name>.crc checksums.
bool IsSideFile(std::string_view name) {
  return name == "_SUCCESS" || (name.starts_with('.') && name.ends_with(".crc"));
}

std::vector<std::string> PartFiles(const Listing& listing) {
  std::vector<std::string> parts;
  for (const Entry& entry : listing.entries) {
    if (entry.is_file && !IsHidden(entry.name)) parts.push_back(entry.name);
  }
  return parts;
}

bool IsDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(),
                                      [](char c) { return c >= '0' && c <= '9'; });
}

enum class Position : std::uint8_t {
  kTransformer,    // PipelineModel stage, bestModel, model_<i>, subModels
  kEstimator,      // estimator/, classifier/
  kEvaluator,      // evaluator/
  kPipelineModel,  // RFormulaModel's pipelineModel/
  kPipelineStage,  // Pipeline (unfitted) stage: an estimator or a transformer
};

bool Fits(StageRole role, Position position) {
  switch (position) {
    case Position::kTransformer:
      return IsTransformerRole(role);
    case Position::kEstimator:
      return role == StageRole::kEstimator || role == StageRole::kPipeline;
    case Position::kEvaluator:
      return role == StageRole::kEvaluator;
    case Position::kPipelineModel:
      return role == StageRole::kPipelineModel;
    case Position::kPipelineStage:
      return role != StageRole::kEvaluator;
  }
  return false;
}

std::string_view Expected(Position position) {
  switch (position) {
    case Position::kTransformer:
      return "a model or transformer";
    case Position::kEstimator:
      return "an estimator";
    case Position::kEvaluator:
      return "an evaluator";
    case Position::kPipelineModel:
      return "a PipelineModel";
    case Position::kPipelineStage:
      return "an estimator or transformer";
  }
  return "a stage";
}

constexpr std::size_t kMaxMissingReports = 16;

class FolderCheck {
 public:
  FolderCheck(ScanContext& ctx, const fs::path& metadata_file, const MetadataInfo& info)
      : ctx_(ctx),
        metadata_file_(metadata_file),
        model_dir_(metadata_file.parent_path().parent_path()),
        info_(info) {}

  void Run() {
    const Listing metadata = List(metadata_file_.parent_path());
    if (!metadata.ok) return Unlisted("metadata", metadata.error);
    const std::vector<std::string> parts = PartFiles(metadata);
    // Every part file is scanned; the folder is judged once, from the first of them.
    if (!parts.empty() && parts.front() != metadata_file_.filename().string()) return;
    if (parts.size() > 1) {
      ctx_.Report(rule::kMultipleParts, Severity::kMedium,
                  Where() + "metadata/ holds " + std::to_string(parts.size()) +
                      " part files; which one Spark reads first is not defined.",
                  std::nullopt, "metadata/: " + parts[0] + ", " + parts[1]);
    }
    for (const Entry& entry : metadata.entries) {
      if (!entry.is_file || (IsHidden(entry.name) && !IsSideFile(entry.name))) {
        Unexpected("metadata/" + entry.name, entry.is_file);
      }
    }
    const Listing top = List(model_dir_);
    if (!top.ok) return Unlisted(".", top.error);
    if (top.truncated) Truncated(".");
    for (const Entry& entry : top.entries) TopEntry(entry);
    if (!info_.entry) return;  // an unknown class: its layout is unknown too
    CheckLayout(info_.entry->layout);
    CheckParquetDir("data");
  }

 private:
  std::string Where() const { return "Spark model " + model_dir_.string() + ": "; }

  void Unlisted(const std::string& relative, const std::string& error) {
    ctx_.Incomplete(rule::kFolderIncomplete,
                    Where() + "could not list " + relative + " (" + error + ").");
  }

  void Truncated(const std::string& relative) {
    ctx_.Report(rule::kLimit, Severity::kMedium,
                Where() + relative + " has more entries than are checked.", std::nullopt,
                relative + " (limit " + std::to_string(kMaxListedEntries) + ")");
  }

  // Java serialization (ObjectOutputStream: magic AC ED, version 00 05) has no analyzer of its
  // own; in a Spark model it can only be meant for a custom loader's readObject.
  bool IsJavaSerialized(const std::string& relative) const {
    Result<MappedFile> file = MappedFile::Open((model_dir_ / relative).string());
    return file && file->view().StartsWith(std::string_view("\xAC\xED\x00\x05", 4));
  }

  void ReportJavaSerialized(const std::string& relative) {
    ctx_.Report(rule::kJavaSerialized, Severity::kHigh,
                Where() + "a Java-serialized object; deserializing it runs the readObject code "
                          "of whatever classes it names.",
                std::nullopt, relative);
  }

  void Unexpected(const std::string& relative, bool is_file = false) {
    if (is_file && IsJavaSerialized(relative)) return ReportJavaSerialized(relative);
    ctx_.Report(rule::kUnexpectedFile, Severity::kLow,
                Where() + "an entry Spark's writers do not create; Spark never loads it.",
                std::nullopt, relative);
  }

  bool IsExpectedTopName(const std::string& name) const {
    if (name == "metadata" || name == "data") return true;
    switch (info_.entry->layout) {
      case Layout::kPlain:
        return false;
      case Layout::kPipeline:
        return name == "stages";
      case Layout::kRFormulaModel:
        return name == "pipelineModel";
      case Layout::kValidatorModel:
        if (name == "bestModel" || name == "subModels") return true;
        [[fallthrough]];
      case Layout::kValidator:
        return name == "estimator" || name == "evaluator" || name.starts_with("epm_");
      case Layout::kOneVsRestModel:
        if (name.starts_with("model_") && IsDigits(name.substr(6))) return true;
        [[fallthrough]];
      case Layout::kOneVsRest:
        return name == "classifier";
      case Layout::kTreeEnsemble:
        return name == "treesMetadata";
    }
    return false;
  }

  void TopEntry(const Entry& entry) {
    if (entry.name == "complexParams") {
      ctx_.Report(rule::kComplexParams, Severity::kHigh,
                  Where() + "complexParams/ holds serialized objects that are deserialized "
                            "when the stage loads.",
                  std::nullopt, "complexParams/");
      return;
    }
    if (IsSideFile(entry.name) || !info_.entry) return;
    if (!entry.is_dir || !IsExpectedTopName(entry.name)) Unexpected(entry.name, entry.is_file);
  }

  void CheckLayout(Layout layout) {
    switch (layout) {
      case Layout::kPlain:
        return;
      case Layout::kPipeline:
        return Stages();
      case Layout::kRFormulaModel:
        // RFormulaModelWriter saves the pipeline with the RFormulaModel's own uid.
        return CheckPosition("pipelineModel", Position::kPipelineModel, info_.uid);
      case Layout::kValidatorModel:
        CheckPosition("bestModel", Position::kTransformer);
        SubModels();
        [[fallthrough]];
      case Layout::kValidator:
        CheckPosition("estimator", Position::kEstimator);
        CheckPosition("evaluator", Position::kEvaluator);
        for (const std::string& folder : info_.epm_folders) RequireFolder(folder);
        return;
      case Layout::kOneVsRestModel:
        Models();
        [[fallthrough]];
      case Layout::kOneVsRest:
        return CheckPosition("classifier", Position::kEstimator);
      case Layout::kTreeEnsemble:
        RequireFolder("treesMetadata");
        return CheckParquetDir("treesMetadata");
    }
  }

  void Missing(const std::string& relative, const std::string& why) {
    // numClasses or stageUids can name thousands of folders: the first few are enough.
    if (++missing_ > kMaxMissingReports) {
      if (missing_ == kMaxMissingReports + 1) {
        ctx_.Report(rule::kMissingStage, Severity::kMedium,
                    Where() + "more nested folders are missing than are listed.", std::nullopt,
                    "(further missing folders not listed)");
      }
      return;
    }
    ctx_.Report(rule::kMissingStage, Severity::kMedium,
                Where() + "the loader will read " + relative + ", which is missing.",
                std::nullopt, relative + " (" + why + ")");
  }

  void RequireFolder(const std::string& relative) {
    std::error_code ec;
    if (!fs::is_directory(fs::symlink_status(model_dir_ / relative, ec))) {
      Missing(relative, "named by " + info_.class_name);
    }
  }

  // The class in <relative>/metadata, checked against what the loader casts it to, and its uid
  // against the one the parent names (when it names one).
  void CheckPosition(const std::string& relative, Position position,
                     const std::string& expected_uid = {}) {
    if (++position_checks_ > kMaxPositionChecks) {
      if (position_checks_ == kMaxPositionChecks + 1) Truncated(relative);
      return;
    }
    const Listing nested = List(model_dir_ / relative / "metadata");
    const std::vector<std::string> parts = PartFiles(nested);
    if (!nested.ok || parts.empty()) {
      return Missing(relative + "/metadata", "expected " + std::string(Expected(position)));
    }
    Result<MappedFile> file = MappedFile::Open((model_dir_ / relative / "metadata" / parts[0]).string());
    if (!file) return;  // the engine reports a file it cannot read
    const ByteView line = FirstLine(file->view().Prefix(kMaxNestedMetadataBytes));
    const std::optional<MetadataHead> head = ReadMetadataHead(line);
    if (!head) return;  // malformed: reported when that file is scanned
    const std::string evidence = relative + "/metadata/" + parts[0];
    if (!expected_uid.empty() && head->uid && *head->uid != expected_uid) {
      ctx_.Report(rule::kUidMismatch, Severity::kLow,
                  Where() + relative + " has uid " + *head->uid + ", but its parent saved it as " +
                      expected_uid + "; Spark's writers keep them equal.",
                  std::nullopt, evidence + ": uid " + *head->uid);
    }
    const std::optional<CatalogEntry> entry = LookUpSparkClass(head->class_name, head->release);
    if (!entry || Fits(entry->role, position)) return;  // unknown classes: reported there
    ctx_.Report(rule::kPositionMismatch, Severity::kHigh,
                Where() + relative + " holds " + std::string(RoleName(entry->role)) + ", but " +
                    std::string(Expected(position)) + " is loaded from there.",
                std::nullopt, evidence + ": " + head->class_name);
  }

  // stages/<idx>_<uid> for every stageUids entry (Pipeline.SharedReadWrite.getStagePath).
  void Stages() {
    const Position position = info_.entry->role == StageRole::kPipeline
                                  ? Position::kPipelineStage
                                  : Position::kTransformer;
    std::set<std::string> expected;
    for (std::size_t i = 0; i < info_.stage_uids.size(); ++i) {
      if (info_.stage_uids[i].empty()) continue;  // a bad uid, reported with the metadata
      expected.insert(StageFolderName(i, info_.num_stages, info_.stage_uids[i]));
    }
    const Listing stages = List(model_dir_ / "stages");
    if (!stages.ok) {
      if (info_.num_stages > 0) Missing("stages", "stageUids has entries");
      return;
    }
    if (stages.truncated) Truncated("stages");
    std::set<std::string> present;
    for (const Entry& entry : stages.entries) {
      if (IsSideFile(entry.name)) continue;
      present.insert(entry.name);
      if (!entry.is_dir || !expected.contains(entry.name)) {
        ctx_.Report(rule::kExtraStage, Severity::kMedium,
                    Where() + "stages/ holds an entry no stageUids entry names; Spark never "
                              "loads it.",
                    std::nullopt, "stages/" + entry.name);
      }
    }
    for (std::size_t i = 0; i < info_.stage_uids.size(); ++i) {
      if (info_.stage_uids[i].empty()) continue;
      const std::string name = StageFolderName(i, info_.num_stages, info_.stage_uids[i]);
      if (!present.contains(name)) {
        Missing("stages/" + name, "stageUids/" + std::to_string(i));
      } else {
        CheckPosition("stages/" + name, position, info_.stage_uids[i]);
      }
    }
  }

  // subModels/fold<i>/<j> (CrossValidatorModel) or subModels/<j> (TrainValidationSplitModel).
  void SubModels() {
    const Listing folds = List(model_dir_ / "subModels");
    if (!folds.ok) return;  // optional: persistSubModels
    for (const Entry& fold : folds.entries) {
      if (!fold.is_dir) continue;
      const std::string relative = "subModels/" + fold.name;
      if (fold.name.starts_with("fold")) {
        const Listing models = List(model_dir_ / relative);
        for (const Entry& model : models.entries) {
          if (model.is_dir) CheckPosition(relative + "/" + model.name, Position::kTransformer);
        }
      } else {
        CheckPosition(relative, Position::kTransformer);
      }
    }
  }

  // model_0 .. model_<numClasses-1> (OneVsRestModel.load loops over numClasses).
  void Models() {
    if (info_.num_classes < 0) return;
    for (std::int64_t i = 0; i < info_.num_classes; ++i) {
      CheckPosition("model_" + std::to_string(i), Position::kTransformer);
    }
    const Listing top = List(model_dir_);
    for (const Entry& entry : top.entries) {
      if (!entry.name.starts_with("model_") || !IsDigits(entry.name.substr(6))) continue;
      if (entry.name.size() > 12 || std::stoll(entry.name.substr(6)) >= info_.num_classes) {
        ctx_.Report(rule::kExtraStage, Severity::kMedium,
                    Where() + "a model_<i> folder beyond numClasses; Spark never loads it.",
                    std::nullopt, entry.name);
      }
    }
  }

  // Parquet parts (read.parquet): magic at both ends, a footer length that fits.
  void CheckParquetDir(const std::string& relative) {
    const Listing listing = List(model_dir_ / relative);
    if (!listing.ok) return;
    if (listing.truncated) Truncated(relative);
    for (const Entry& entry : listing.entries) {
      if (IsHidden(entry.name)) continue;
      const std::string path = relative + "/" + entry.name;
      if (!entry.is_file) {
        Unexpected(path);
        continue;
      }
      Result<MappedFile> file = MappedFile::Open((model_dir_ / path).string());
      if (!file) continue;
      const ByteView view = file->view();
      const ByteView head = view.Prefix(4);
      const ByteView tail = view.Tail(view.size() >= 8 ? view.size() - 8 : 0);
      if (ParquetFrameIsSane(head, tail, view.size())) continue;
      if (IsJavaSerialized(path)) {
        ReportJavaSerialized(path);
        continue;
      }
      ctx_.Report(rule::kBrokenParquet, Severity::kMedium,
                  Where() + "a data part is not a well-framed Parquet file.", std::nullopt,
                  path + " (" + std::to_string(view.size()) + " bytes)");
    }
  }

  ScanContext& ctx_;
  fs::path metadata_file_;
  fs::path model_dir_;
  const MetadataInfo& info_;
  std::size_t position_checks_ = 0;
  std::size_t missing_ = 0;
};

}  // namespace

bool ParquetFrameIsSane(ByteView head, ByteView tail, std::uint64_t file_size) {
  // Smallest file: magic, footer length, magic (12 bytes) plus a non-empty footer.
  if (file_size < 13 || head.size() < 4 || tail.size() != 8) return false;
  if (!head.StartsWith("PAR1") || !tail.Tail(4).StartsWith("PAR1")) return false;
  const std::uint64_t footer = static_cast<std::uint64_t>(tail[0]) |
                               static_cast<std::uint64_t>(tail[1]) << 8 |
                               static_cast<std::uint64_t>(tail[2]) << 16 |
                               static_cast<std::uint64_t>(tail[3]) << 24;
  return footer > 0 && footer <= file_size - 12;
}

void CheckModelFolder(ScanContext& ctx, const fs::path& metadata_file, const MetadataInfo& info) {
  FolderCheck(ctx, metadata_file, info).Run();
}

}  // namespace mg::sparkml
