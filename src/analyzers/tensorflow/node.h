// One NodeDef as the analyzer sees it: views into the file, nothing copied.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "analyzers/tensorflow/rules.h"
#include "analyzers/tensorflow/scan.h"
#include "core/byte_view.h"

namespace mg::tensorflow {

struct AttrEntry {
  std::string_view key;
  ByteView value;  // a serialized AttrValue
  std::uint64_t value_offset = 0;
};

struct NodeInfo {
  std::string_view name;  // singular fields: the last occurrence wins, as in libprotobuf
  std::string_view op;
  std::uint64_t offset = 0;  // of the NodeDef's key
  std::array<std::string_view, kMaxInputsKept> inputs{};  // the first data/control inputs
  std::uint32_t input_count = 0;
  std::vector<AttrEntry> attrs;

  // The attr named `key` (the last entry with that key, as a protobuf map keeps), or nullptr.
  const AttrEntry* Attr(std::string_view key) const;
};

// Parses a NodeDef payload; false after reporting a malformed message or a limit.
bool ParseNode(TfScan& scan, ByteView payload, std::uint64_t payload_offset,
               std::uint64_t key_offset, NodeInfo& node);

// AttrValue.s (the last one), if the value holds one; nullopt otherwise or on error (reported).
std::optional<std::string_view> AttrString(TfScan& scan, const AttrEntry& attr);

// Calls `on_string` for each string in the AttrValue: s, list.s, string tensors (also in
// lists) and, recursively up to kMaxAttrDepth, the attrs of func values. False if the walk
// must stop (malformed, too deep).
using StringVisitor = std::function<void(std::string_view text, std::uint64_t offset)>;
bool VisitAttrStrings(TfScan& scan, ByteView value, std::uint64_t base, std::uint32_t depth,
                      const StringVisitor& on_string);

// The node name an input refers to: "^ctrl" -> "ctrl", "a/b:0" -> "a/b",
// "Const:output:0" -> "Const".
std::string_view InputNodeName(std::string_view input);

}  // namespace mg::tensorflow
