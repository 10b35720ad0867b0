// State shared by the parts of one TensorFlow file's analysis: the capped reporter, the
// counters checked against the limits in rules.h, and the first wire-format error (after
// which the walk stops: fail closed, the file is `incomplete`).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "core/byte_view.h"
#include "core/error.h"
#include "core/protobuf.h"
#include "engine/capped_reporter.h"

namespace mg {
class ScanContext;
}

namespace mg::tensorflow {

class TfScan {
 public:
  explicit TfScan(ScanContext& ctx);

  ScanContext& ctx() { return ctx_; }
  CappedReporter& findings() { return findings_; }

  // Reports the first wire-format error of the file (TF-MALFORMED) and stops the walk.
  void Malformed(std::string_view message_name, const Error& error);
  // Reports that a limit stopped the walk (TF-LIMIT, or SCAN-LIMIT-TIME) and stops it.
  void LimitReached(std::string message, std::uint64_t offset);
  // Counts one node / function; false (and the walk stopped) past the limit or the time.
  bool CountNode(std::uint64_t offset);
  bool CountFunction(std::uint64_t offset);
  bool stopped() const { return stopped_; }

  std::uint64_t nodes() const { return nodes_; }
  std::uint64_t functions() const { return functions_; }

  // The checkpoint ops on the saver's path, summarised at the end (TF-CHECKPOINT-OPS).
  std::uint64_t checkpoint_ops = 0;
  std::uint64_t first_checkpoint_offset = 0;
  // The node that SaverDef.filename_tensor_name names in the meta graph being walked.
  std::string saver_filename_node;

 private:
  ScanContext& ctx_;
  CappedReporter findings_;
  std::uint64_t nodes_ = 0;
  std::uint64_t functions_ = 0;
  bool stopped_ = false;
};

// Calls `visit(const ProtoField&)` for each field of `message` (absolute offset `base`) until
// it returns false. A wire-format error is reported as malformed `message_name`; returns false
// when the walk must stop (error, limit or a false from `visit`).
template <typename Visit>
bool ForEachField(TfScan& scan, ByteView message, std::uint64_t base,
                  std::string_view message_name, Visit&& visit) {
  if (scan.stopped()) return false;
  ProtoReader reader(message, base);
  ProtoField field;
  while (true) {
    auto more = reader.Next(field);
    if (!more) {
      scan.Malformed(message_name, more.error());
      return false;
    }
    if (!*more) return true;
    if (!visit(static_cast<const ProtoField&>(field))) return false;
  }
}

// A length-delimited field (a string, bytes or a sub-message). libprotobuf treats a known
// field number with another wire type as an unknown field, and so does the analyzer.
inline bool IsBytes(const ProtoField& field, std::uint32_t number) {
  return field.number == number && field.type == WireType::kLengthDelimited;
}

// `text` cut to `max` bytes, with non-printable bytes as \xNN, for evidence.
std::string Excerpt(std::string_view text, std::size_t max = 120);

}  // namespace mg::tensorflow
