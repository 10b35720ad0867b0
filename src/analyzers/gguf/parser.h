// The GGUF parser: header, metadata key-value pairs and tensor infos, read through a bounded
// cursor. It copies nothing: keys, names and strings are views into the mapped file. It
// judges nothing either, beyond structure; problems are returned as data (rules.h IDs).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/byte_view.h"
#include "report/severity.h"

namespace mg::gguf {

// A string value worth judging as a Jinja template: any value of a tokenizer.chat_template*
// key, and any other string that contains a tag opener.
struct TemplateCandidate {
  std::string_view key;
  std::optional<std::uint64_t> index;  // element index when inside an array
  std::string_view text;
  std::uint64_t offset = 0;  // of the string's bytes in the file
  bool chat_template_key = false;
};

struct KeyValue {
  std::string_view key;
  std::uint64_t offset = 0;  // of the key's length field
  std::uint32_t type = 0;
  std::uint32_t element_type = 0;               // arrays only
  std::uint64_t count = 1;                      // arrays only
  std::optional<std::uint64_t> unsigned_value;  // u8/u16/u32/u64 scalars
};

struct TensorInfo {
  std::string_view name;
  std::uint64_t info_offset = 0;
  std::uint32_t n_dims = 0;
  std::array<std::int64_t, 4> dims{1, 1, 1, 1};
  std::uint32_t type = 0;
  std::uint64_t offset = 0;  // relative to the start of the tensor data
};

struct Problem {
  std::string_view rule;
  Severity severity = Severity::kMedium;
  std::string message;
  std::uint64_t offset = 0;
  std::string evidence;
  bool incomplete = false;  // something that can carry code was left unjudged
};

struct GgufFile {
  std::uint32_t version = 0;
  bool big_endian = false;
  std::uint64_t tensor_count = 0;
  std::uint64_t kv_count = 0;
  std::vector<KeyValue> kvs;
  std::vector<TemplateCandidate> templates;
  std::vector<TensorInfo> tensors;
  std::uint64_t infos_end = 0;     // offset just past the last tensor info
  std::vector<Problem> problems;   // structure problems that did not stop parsing
  std::optional<Problem> fatal;    // what stopped parsing (the rest was not read)
  bool metadata_complete = false;  // every key-value pair was read
};

// Parses `data`; `time_up` is polled in long loops (a true return stops parsing as fatal).
GgufFile ParseGguf(ByteView data, const std::function<bool()>& time_up);

}  // namespace mg::gguf
