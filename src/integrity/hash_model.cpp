#include "integrity/hash_model.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "integrity/file_hasher.h"
#include "integrity/model_files.h"

namespace mg::integrity {
namespace {

// One unit of work: a whole file (files) or one shard (shards).
struct WorkItem {
  std::size_t file = 0;  // index into ModelListing::files
  std::uint64_t start = 0;
  std::uint64_t end = 0;
};

std::vector<WorkItem> PlanWork(const std::vector<ModelFile>& files,
                               const Serialization& serialization) {
  std::vector<WorkItem> items;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::uint64_t size = files[i].size;
    if (serialization.method == SerializationMethod::kFiles) {
      items.push_back({i, 0, size});
      continue;
    }
    // OMS v1.0 §6.3.2: consecutive shard_size ranges, the last one shorter; an empty file has
    // none and so no resource at all.
    for (std::uint64_t start = 0; start < size;) {
      const std::uint64_t end =
          size - start > serialization.shard_size ? start + serialization.shard_size : size;
      items.push_back({i, start, end});
      start = end;
    }
  }
  return items;
}

// Runs the items over `thread_count` workers. Largest items first, so one big file started last
// does not leave the other threads idle at the end.
class ParallelHasher {
 public:
  ParallelHasher(const ModelListing& listing, std::vector<WorkItem> items, HashAlgorithm algorithm,
                 bool whole_files)
      : listing_(listing),
        items_(std::move(items)),
        algorithm_(algorithm),
        whole_files_(whole_files),
        digests_(items_.size()) {
    order_.resize(items_.size());
    for (std::size_t i = 0; i < order_.size(); ++i) order_[i] = i;
    std::stable_sort(order_.begin(), order_.end(), [this](std::size_t a, std::size_t b) {
      return items_[a].end - items_[a].start > items_[b].end - items_[b].start;
    });
  }

  const std::vector<WorkItem>& items() const { return items_; }
  std::vector<std::vector<std::uint8_t>>& digests() { return digests_; }

  Status Run(unsigned thread_count, std::uint64_t total_bytes, const ProgressFn& progress) {
    thread_count = std::max(1u, std::min<unsigned>(thread_count, items_.size()));
    std::vector<std::thread> workers;
    workers.reserve(thread_count);
    for (unsigned i = 0; i < thread_count; ++i) workers.emplace_back([this] { Work(); });
    // Progress is reported from this thread, outside the lock, and always once at the end.
    for (bool all_finished = false; !all_finished;) {
      {
        std::unique_lock lock(mutex_);
        all_finished = finished_cv_.wait_for(lock, std::chrono::milliseconds(100),
                                             [&] { return finished_ == thread_count; });
      }
      if (progress) progress(done_bytes_.load(), total_bytes);
    }
    for (std::thread& worker : workers) worker.join();
    if (error_) return *error_;
    return {};
  }

 private:
  void Work() {
    std::vector<std::uint8_t> buffer(kHashReadBufferSize);
    while (!stop_.load(std::memory_order_relaxed)) {
      const std::size_t next = next_.fetch_add(1);
      if (next >= order_.size()) break;
      if (Status hashed = HashItem(order_[next], buffer); !hashed) {
        Fail(hashed.error());
        break;
      }
    }
    std::lock_guard lock(mutex_);
    ++finished_;
    finished_cv_.notify_one();
  }

  Status HashItem(std::size_t index, std::vector<std::uint8_t>& buffer) {
    const WorkItem& item = items_[index];
    const ModelFile& file = listing_.files[item.file];
    Result<int> fd = listing_.Open(file);
    if (!fd) return fd.error();
    RangeHashJob job;
    job.fd = *fd;
    job.start = item.start;
    job.end = item.end;
    job.expect_eof_at_end = whole_files_;
    job.display_name = &file.name;
    Result<std::vector<std::uint8_t>> digest =
        HashFileRange(algorithm_, job, buffer, &done_bytes_, &stop_);
    close(*fd);
    if (!digest) return digest.error();
    digests_[index] = *std::move(digest);
    return {};
  }

  void Fail(Error error) {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = std::move(error);  // the first error is the one worth reading
    stop_.store(true);
  }

  const ModelListing& listing_;
  std::vector<WorkItem> items_;
  HashAlgorithm algorithm_;
  bool whole_files_;
  std::vector<std::vector<std::uint8_t>> digests_;  // by item index
  std::vector<std::size_t> order_;
  std::atomic<std::size_t> next_{0};
  std::atomic<std::uint64_t> done_bytes_{0};
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable finished_cv_;
  unsigned finished_ = 0;
  std::optional<Error> error_;
};

}  // namespace

HashOptions OptionsToVerify(const Manifest& signed_manifest, bool ignore_unsigned_files) {
  HashOptions options;
  options.serialization = signed_manifest.serialization;
  options.allow_empty = true;
  std::vector<std::string> files;
  for (const Resource& resource : signed_manifest.resources) {
    std::optional<std::string> file =
        ResourceFilePath(resource.name, signed_manifest.serialization.method);
    if (!file) continue;  // a malformed shard name matches nothing and is reported missing
    if (*file == ".") options.single_file_name = SingleFileName::kDot;
    files.push_back(*std::move(file));
  }
  if (ignore_unsigned_files) {
    std::sort(files.begin(), files.end());
    files.erase(std::unique(files.begin(), files.end()), files.end());
    options.files_to_hash = std::move(files);
  }
  return options;
}

std::string ResourceAlgorithm(const Serialization& serialization) {
  std::string name = HashAlgorithmName(serialization.hash);
  if (serialization.method == SerializationMethod::kShards) {
    name += "-sharded-" + std::to_string(serialization.shard_size);
  }
  return name;
}

std::optional<std::string> ResourceFilePath(const std::string& resource_name,
                                            SerializationMethod method) {
  if (method == SerializationMethod::kFiles) return resource_name;
  // OMS v1.0 §6.3.2: the last two ':'-separated components are the decimal offsets.
  std::size_t cut = resource_name.size();
  for (int component = 0; component < 2; ++component) {
    const std::size_t colon = resource_name.rfind(':', cut == 0 ? 0 : cut - 1);
    if (colon == std::string::npos || colon + 1 == cut) return std::nullopt;
    for (std::size_t i = colon + 1; i < cut; ++i) {
      if (resource_name[i] < '0' || resource_name[i] > '9') return std::nullopt;
    }
    cut = colon;
  }
  if (cut == 0) return std::nullopt;
  return resource_name.substr(0, cut);
}

std::string HexDigest(const std::vector<std::uint8_t>& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(digest.size() * 2);
  for (const std::uint8_t byte : digest) {
    hex += kHex[byte >> 4];
    hex += kHex[byte & 0xf];
  }
  return hex;
}

Result<Manifest> HashModel(const std::filesystem::path& model, const HashOptions& options,
                           const ProgressFn& progress) {
  const Serialization& serialization = options.serialization;
  if (serialization.method == SerializationMethod::kShards && serialization.shard_size == 0) {
    return Error{ErrorCode::kInvalidArgument, 0, "shard size must be a positive integer"};
  }
  ListOptions list_options;
  list_options.allow_symlinks = serialization.allow_symlinks;
  list_options.ignore_git_paths = options.ignore_git_paths;
  list_options.ignore_paths = serialization.ignore_paths;
  list_options.signature_path = options.signature_path;
  list_options.single_file_name = options.single_file_name;
  list_options.only_files = options.files_to_hash;
  list_options.on_warning = options.on_warning;
  Result<ModelListing> listing = ListModelFiles(model, list_options);
  if (!listing) return listing.error();

  std::vector<WorkItem> items = PlanWork(listing->files, serialization);
  if (items.empty() && !options.allow_empty) {
    return Error{ErrorCode::kInvalidArgument, 0,
                 "nothing to hash in " + PrintablePath(model.string()) +
                     ": the model has no file (or only empty files, with shards) after "
                     "exclusions, and OMS v1.0 §6.1 requires at least one"};
  }
  std::uint64_t total_bytes = 0;
  for (const WorkItem& item : items) total_bytes += item.end - item.start;
  unsigned threads = options.threads != 0 ? options.threads : std::thread::hardware_concurrency();
  ParallelHasher hasher(*listing, std::move(items), serialization.hash,
                        serialization.method == SerializationMethod::kFiles);
  if (Status hashed = hasher.Run(threads, total_bytes, progress); !hashed) return hashed.error();

  Manifest manifest;
  manifest.serialization = serialization;
  manifest.serialization.ignore_paths = listing->ignored;
  manifest.model_name = listing->model_name;
  const std::string algorithm = ResourceAlgorithm(serialization);
  const bool shards = serialization.method == SerializationMethod::kShards;
  for (std::size_t i = 0; i < hasher.items().size(); ++i) {
    const WorkItem& item = hasher.items()[i];
    std::string name = listing->files[item.file].name;
    if (shards) {
      // Appended piece by piece: g++ 12 -Wrestrict misfires on a chain of string operator+.
      name.append(":").append(std::to_string(item.start));
      name.append(":").append(std::to_string(item.end));
    }
    manifest.resources.push_back({std::move(name), algorithm, std::move(hasher.digests()[i])});
  }
  // OMS v1.0 §5.2.1: byte-wise (code point) order of name; shard offsets sort as text.
  std::sort(manifest.resources.begin(), manifest.resources.end(),
            [](const Resource& a, const Resource& b) { return a.name < b.name; });
  return manifest;
}

}  // namespace mg::integrity
