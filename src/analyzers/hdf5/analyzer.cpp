// The HDF5 analyzer: reads only the root group's attributes, where Keras 2 (and Keras 3's
// legacy .h5 saving) keep the model's architecture as JSON: model_config and
// training_config (keras/saving/hdf5_format.py save_model_to_hdf5). Those are handed to the
// Keras analyzer. Datasets (the weights) are never read: they are data. A file without
// either attribute (a weights file, any other HDF5 data) has nothing that loads code.
#include "engine/analyzer.h"

#include <string>

#include "advisories/requirement.h"
#include "analyzers/hdf5/attribute.h"
#include "analyzers/hdf5/format.h"
#include "analyzers/hdf5/rules.h"
#include "engine/scan_context.h"

namespace mg::hdf5 {
namespace {

constexpr std::uint64_t kMaxShownVersion = 40;

std::string Quoted(ByteView value) {
  constexpr std::uint64_t kMaxShown = kMaxShownVersion;
  // Appended piece by piece: GCC 12 -Wrestrict misfires on "'" + std::string&&.
  std::string quoted(1, '\'');
  quoted += value.Prefix(kMaxShown).AsStringView();
  quoted += '\'';
  return quoted;
}

class Hdf5Scan {
 public:
  Hdf5Scan(ScanContext& ctx, ByteView file) : ctx_(ctx), file_(file) {}

  void Run() {
    auto layout = ReadSuperblock(file_);
    if (!layout) return Unreadable("the superblock", layout.error());
    layout_ = *layout;
    auto messages = ReadObjectHeader(layout_, layout_.root_header_address);
    if (!messages) return Unreadable("the root group's object header", messages.error());
    for (const HeaderMessage& message : *messages) {
      if (message.type == kMessageAttribute) RootAttribute(message);
      if (message.type == kMessageAttributeInfo) AttributeInfo(message);
    }
    if (!model_config_) return;
    std::string evidence;
    if (!keras_version_.empty()) evidence += "keras_version " + keras_version_;
    if (!backend_.empty()) evidence += (evidence.empty() ? "" : ", ") + ("backend " + backend_);
    ctx_.Report(rule::kKerasModel, Severity::kInfo,
                "A Keras model saved in HDF5: its model_config was analysed as a Keras "
                "configuration.",
                std::nullopt, evidence);
    ReportVersionAdvisories();
  }

 private:
  // The Keras release that saved the model against the advisory list (docs/advisories.md).
  void ReportVersionAdvisories() {
    if (release_.empty()) return;
    const std::string affected =
        advisories::DescribeRecordedRelease(advisories::Ecosystem::kPypi, "keras", release_);
    if (affected.empty()) return;
    ctx_.Report(rule::kKerasVersionAdvisory, Severity::kLow,
                "Saved by Keras " + release_ + ", " + affected + ". Load it with a fixed Keras.",
                std::nullopt, "keras_version " + keras_version_);
  }

  void Unreadable(const std::string& what, const Error& error) {
    ctx_.Incomplete(rule::kMalformed,
                    "The HDF5 file could not be read (" + what + ": " + error.message +
                        "); a Keras model_config may be in it unseen.",
                    error.offset);
  }

  void RootAttribute(const HeaderMessage& message) {
    if ((message.flags & kMessageFlagShared) != 0) {
      ctx_.Incomplete(rule::kUnreadableAttribute,
                      "A root attribute is stored as a shared message, which this reader does "
                      "not follow; it may be model_config.",
                      message.offset);
      return;
    }
    auto attribute = ReadAttribute(layout_, message);
    if (!attribute) {
      ctx_.Incomplete(rule::kMalformed,
                      "A root attribute message is unreadable: " + attribute.error().message + ".",
                      attribute.error().offset);
      return;
    }
    const std::string& name = attribute->name;
    const bool config = name == "model_config" || name == "training_config";
    if (!config && name != "keras_version" && name != "backend") return;
    auto value = ReadStringValue(layout_, *attribute);
    if (!value) {
      if (!config) return;  // only informational
      ctx_.Incomplete(rule::kUnreadableAttribute,
                      "Root attribute '" + name +
                          "' could not be read as a string: " + value.error().message + ".",
                      message.offset);
      return;
    }
    if (name == "keras_version") {
      keras_version_ = Quoted(*value);
      // A longer string is no release number (the evidence shows it clipped).
      if (value->size() <= kMaxShownVersion) release_ = std::string(value->AsStringView());
    } else if (name == "backend") {
      backend_ = Quoted(*value);
    } else {
      if (name == "model_config") model_config_ = true;
      ctx_.ScanEmbedded(
          std::string(name == "model_config" ? kModelConfigMember : kTrainingConfigMember), *value,
          "keras");
    }
  }

  // Spec IV.A.2.v: version, flags, [max creation index (2) if flag 0x01], fractal heap
  // address (O), name index B-tree address (O), ...
  void AttributeInfo(const HeaderMessage& message) {
    const ByteView data = message.data;
    const std::uint64_t heap_at = data.size() >= 2 && (data[1] & 0x01) != 0 ? 4 : 2;
    const auto heap = ReadSized(data, heap_at, layout_.offset_size);
    if (heap && layout_.IsUndefined(*heap)) return;  // no dense attributes
    ctx_.Incomplete(rule::kDenseAttributes,
                    "The root group keeps attributes in dense storage (a fractal heap), which "
                    "this reader does not decode; a Keras model_config there was not analysed.",
                    message.offset);
  }

  ScanContext& ctx_;
  ByteView file_;
  FileLayout layout_;
  bool model_config_ = false;
  std::string keras_version_;
  std::string release_;  // keras_version unquoted, when short enough to be one
  std::string backend_;
};

class Hdf5Analyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return kFormatName; }
  // HDF5 libraries find the superblock at 0 or after a user block, at 512, 1024, 2048 ...
  // (spec 2.1): a Keras model behind a user block still loads, so it is sniffed there too.
  int Sniff(ByteView data) const override {
    if (data.StartsWith(kSignature)) return 100;
    std::uint64_t position = 512;
    for (std::uint32_t probe = 1; probe < kMaxSuperblockProbes && position < data.size();
         ++probe, position *= 2) {
      if (data.Tail(position).StartsWith(kSignature)) return 90;
    }
    return 0;
  }
  void Analyze(ScanContext& ctx, ByteView data) const override { Hdf5Scan(ctx, data).Run(); }
  std::span<const RuleInfo> Rules() const override { return hdf5::Rules(); }
};

}  // namespace
}  // namespace mg::hdf5

namespace mg {

const Analyzer& Hdf5AnalyzerInstance() {
  static const hdf5::Hdf5Analyzer kInstance;
  return kInstance;
}

}  // namespace mg
