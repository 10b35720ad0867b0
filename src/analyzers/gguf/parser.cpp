#include "analyzers/gguf/parser.h"

#include <set>

#include "analyzers/gguf/format.h"
#include "analyzers/jinja/jinja_lexer.h"
#include "analyzers/gguf/rules.h"
#include "core/reader.h"

namespace mg::gguf {
namespace {

// Each step returns false after recording in `fatal` why parsing cannot go on.
class Parser {
 public:
  Parser(ByteView data, const std::function<bool()>& time_up)
      : data_(data), in_(data), time_up_(time_up) {}

  GgufFile Run() {
    if (ReadHeader() && ReadKeyValues()) {
      file_.metadata_complete = true;
      if (ReadTensorInfos()) file_.infos_end = in_.position();
    }
    return std::move(file_);
  }

 private:
  bool Fail(std::string_view rule, std::string message, std::uint64_t offset) {
    file_.fatal = Problem{rule, Severity::kMedium, std::move(message), offset, {}};
    return false;
  }
  bool Truncated(std::string_view what) {
    return Fail(rule::kTruncated, "The file ends inside " + std::string(what) + ".",
                in_.position());
  }

  bool U32(std::uint32_t& out, std::string_view what) {
    auto v = big_endian_ ? in_.U32Be() : in_.U32Le();
    if (!v) return Truncated(what);
    out = *v;
    return true;
  }
  bool U64(std::uint64_t& out, std::string_view what) {
    auto v = big_endian_ ? in_.U64Be() : in_.U64Le();
    if (!v) return Truncated(what);
    out = *v;
    return true;
  }
  // Counts and lengths: u32 in version 1, u64 from version 2 on.
  bool Count(std::uint64_t& out, std::string_view what) {
    if (file_.version >= 2) return U64(out, what);
    std::uint32_t narrow = 0;
    if (!U32(narrow, what)) return false;
    out = narrow;
    return true;
  }
  std::uint64_t CountWidth() const { return file_.version >= 2 ? 8 : 4; }

  // A length-prefixed string, checked against `limit` and the bytes left before any use.
  bool String(std::string_view& out, std::uint64_t limit, std::string_view what) {
    const std::uint64_t at = in_.position();
    std::uint64_t length = 0;
    if (!Count(length, what)) return false;
    if (length > limit) {
      return Fail(rule::kLimitExceeded,
                  "The " + std::string(what) + " is declared " + std::to_string(length) +
                      " bytes long, over the limit of " + std::to_string(limit) + ".",
                  at);
    }
    if (length > in_.remaining()) {
      return Fail(rule::kTruncated,
                  "The " + std::string(what) + " is declared " + std::to_string(length) +
                      " bytes long but only " + std::to_string(in_.remaining()) +
                      " bytes remain in the file.",
                  at);
    }
    out = in_.Bytes(length)->AsStringView();
    return true;
  }

  bool ReadHeader() {
    const auto magic = in_.Bytes(kMagic.size());
    if (!magic) return Truncated("the magic number");
    if (magic->AsStringView() != kMagic) {
      return Fail(rule::kMalformed, "The file does not start with the GGUF magic.", 0);
    }
    std::uint32_t raw = 0;
    if (!U32(raw, "the version")) return false;
    // gguf.cpp: a version whose low 16 bits are zero was written with the other byte order.
    if ((raw & 0xFFFF) == 0 && raw != 0) {
      big_endian_ = true;
      raw = __builtin_bswap32(raw);
      file_.big_endian = true;
    }
    file_.version = raw;
    if (raw == 0 || raw > kMaxVersion) {
      return Fail(rule::kUnsupportedVersion,
                  "GGUF version " + std::to_string(raw) +
                      ": versions 1 to 3 are defined; the file was not read further.",
                  4);
    }
    if (!Count(file_.tensor_count, "the tensor count") ||
        !Count(file_.kv_count, "the metadata count")) {
      return false;
    }
    const std::uint64_t header_end = in_.position();
    if (file_.kv_count > kMaxKvCount) {
      return Fail(rule::kLimitExceeded,
                  "The header declares " + std::to_string(file_.kv_count) +
                      " metadata pairs, over the limit of " + std::to_string(kMaxKvCount) + ".",
                  header_end - CountWidth());
    }
    if (file_.tensor_count > kMaxTensorCount) {
      return Fail(rule::kLimitExceeded,
                  "The header declares " + std::to_string(file_.tensor_count) +
                      " tensors, over the limit of " + std::to_string(kMaxTensorCount) + ".",
                  header_end - 2 * CountWidth());
    }
    return true;
  }

  bool ReadKeyValues() {
    // A pair takes at least a key length, a type and one value byte.
    const std::uint64_t min_pair = CountWidth() + 4 + 1;
    if (file_.kv_count > in_.remaining() / min_pair) {
      return Fail(rule::kTruncated,
                  "The header declares " + std::to_string(file_.kv_count) +
                      " metadata pairs; the " + std::to_string(in_.remaining()) +
                      " bytes left cannot hold them.",
                  in_.position());
    }
    file_.kvs.reserve(file_.kv_count);
    std::set<std::string_view> keys;
    for (std::uint64_t i = 0; i < file_.kv_count; ++i) {
      KeyValue kv;
      kv.offset = in_.position();
      if (!String(kv.key, kMaxKeyLength, "metadata key")) return false;
      if (!keys.insert(kv.key).second) {
        file_.problems.push_back({rule::kDuplicateKey, Severity::kHigh,
                                  "The metadata key '" + std::string(kv.key) +
                                      "' appears more than once; readers disagree on which "
                                      "value wins (llama.cpp refuses the file).",
                                  kv.offset, std::string(kv.key)});
      }
      if (!U32(kv.type, "a metadata type")) return false;
      if (!ReadValue(kv, kv.type, 0, std::nullopt)) return false;
      file_.kvs.push_back(kv);
    }
    return true;
  }

  bool IsTemplateKey(std::string_view key) const {
    return key == kChatTemplateKey ||
           (key.size() > kChatTemplateKey.size() && key.rfind(kChatTemplateKey, 0) == 0 &&
            key[kChatTemplateKey.size()] == '.');
  }

  bool ReadString(KeyValue& kv, std::optional<std::uint64_t> index) {
    std::string_view text;
    const std::uint64_t at = in_.position();
    if (!String(text, kMaxStringLength, "string value of '" + std::string(kv.key) + "'")) {
      return false;
    }
    const bool template_key = IsTemplateKey(kv.key);
    if (!template_key && !jinja::LooksLikeJinja(text)) return true;
    if (file_.templates.size() < kMaxTemplateCandidates) {
      file_.templates.push_back({kv.key, index, text, at + CountWidth(), template_key});
    } else if (template_key ? !skipped_template_ : !skipped_strings_) {
      // A chat template left unjudged fails closed; other strings are noted once.
      file_.problems.push_back({rule::kLimitExceeded,
                                template_key ? Severity::kMedium : Severity::kLow,
                                "More than " + std::to_string(kMaxTemplateCandidates) +
                                    " strings look like templates; '" + std::string(kv.key) +
                                    "' and later ones were not judged.",
                                at,
                                {},
                                template_key});
      (template_key ? skipped_template_ : skipped_strings_) = true;
    }
    return true;
  }

  bool ReadValue(KeyValue& kv, std::uint32_t type, std::uint32_t depth,
                 std::optional<std::uint64_t> index) {
    if (type == static_cast<std::uint32_t>(ValueType::kString)) return ReadString(kv, index);
    if (type == static_cast<std::uint32_t>(ValueType::kArray)) return ReadArray(kv, depth);
    const std::optional<std::uint64_t> size = FixedSize(type);
    if (!size) {
      return Fail(rule::kMalformed,
                  "The value of '" + std::string(kv.key) + "' has type " + std::to_string(type) +
                      ", which GGUF does not define.",
                  in_.position() - 4);
    }
    const std::uint64_t at = in_.position();
    if (!in_.Bytes(*size)) return Truncated("the value of '" + std::string(kv.key) + "'");
    if (depth == 0) ReadScalar(kv, type, at);
    return true;
  }

  void ReadScalar(KeyValue& kv, std::uint32_t type, std::uint64_t at) {
    Reader scalar(data_.Tail(at), at);
    switch (static_cast<ValueType>(type)) {
      case ValueType::kU8:
        kv.unsigned_value = *scalar.U8();
        break;
      case ValueType::kU16:
        kv.unsigned_value = big_endian_ ? *scalar.U16Be() : *scalar.U16Le();
        break;
      case ValueType::kU32:
        kv.unsigned_value = big_endian_ ? *scalar.U32Be() : *scalar.U32Le();
        break;
      case ValueType::kU64:
        kv.unsigned_value = big_endian_ ? *scalar.U64Be() : *scalar.U64Le();
        break;
      case ValueType::kBool: {
        const std::uint8_t value = *scalar.U8();
        // gguf.md: a bool is one byte, 0 or 1; "anything else is invalid".
        if (value > 1) {
          file_.problems.push_back({rule::kMalformed,
                                    Severity::kLow,
                                    "The bool value of '" + std::string(kv.key) + "' is " +
                                        std::to_string(value) + ", not 0 or 1.",
                                    at,
                                    {}});
        }
        break;
      }
      default:
        break;
    }
  }

  bool ReadArray(KeyValue& kv, std::uint32_t depth) {
    const std::uint64_t at = in_.position();
    if (depth >= kMaxArrayDepth) {
      return Fail(rule::kLimitExceeded,
                  "Arrays in '" + std::string(kv.key) + "' are nested deeper than " +
                      std::to_string(kMaxArrayDepth) + " levels.",
                  at);
    }
    std::uint32_t element_type = 0;
    std::uint64_t count = 0;
    if (!U32(element_type, "an array type") || !Count(count, "an array length")) return false;
    if (depth == 0) {
      kv.element_type = element_type;
      kv.count = count;
    }
    if (count > kMaxArrayLength) {
      return Fail(rule::kLimitExceeded,
                  "The array '" + std::string(kv.key) + "' declares " + std::to_string(count) +
                      " elements, over the limit of " + std::to_string(kMaxArrayLength) + ".",
                  at);
    }
    if (const auto size = FixedSize(element_type)) {
      const auto bytes = CheckedMul(count, *size);
      if (!bytes || *bytes > in_.remaining()) {
        return Fail(rule::kTruncated,
                    "The array '" + std::string(kv.key) + "' declares " + std::to_string(count) +
                        " elements of " + std::string(ValueTypeName(element_type)) +
                        ", more than the bytes left in the file.",
                    at);
      }
      return in_.Skip(*bytes).ok() || Truncated("an array");
    }
    if (element_type != static_cast<std::uint32_t>(ValueType::kString) &&
        element_type != static_cast<std::uint32_t>(ValueType::kArray)) {
      return Fail(rule::kMalformed,
                  "The array '" + std::string(kv.key) + "' has element type " +
                      std::to_string(element_type) + ", which GGUF does not define.",
                  at);
    }
    // Strings take at least their length field, arrays their type and length.
    const std::uint64_t min_element = element_type == static_cast<std::uint32_t>(ValueType::kArray)
                                          ? 4 + CountWidth()
                                          : CountWidth();
    if (count > in_.remaining() / min_element) {
      return Fail(rule::kTruncated,
                  "The array '" + std::string(kv.key) + "' declares " + std::to_string(count) +
                      " elements; the bytes left in the file cannot hold them.",
                  at);
    }
    for (std::uint64_t i = 0; i < count; ++i) {
      if ((i & 0xFFF) == 0xFFF && time_up_()) {
        return Fail(rule::kLimitExceeded, "The time limit ran out inside an array.", at);
      }
      if (!ReadValue(kv, element_type, depth + 1, depth == 0 ? std::optional(i) : std::nullopt)) {
        return false;
      }
    }
    return true;
  }

  bool ReadTensorInfos() {
    // A tensor info takes at least a name length, n_dims, a type and an offset.
    const std::uint64_t min_info = CountWidth() + 4 + 4 + 8;
    if (file_.tensor_count > in_.remaining() / min_info) {
      return Fail(rule::kTruncated,
                  "The header declares " + std::to_string(file_.tensor_count) + " tensors; the " +
                      std::to_string(in_.remaining()) +
                      " bytes after the metadata cannot hold their descriptions.",
                  in_.position());
    }
    file_.tensors.reserve(file_.tensor_count);
    for (std::uint64_t i = 0; i < file_.tensor_count; ++i) {
      if ((i & 0xFFF) == 0xFFF && time_up_()) {
        return Fail(rule::kLimitExceeded, "The time limit ran out in the tensor infos.",
                    in_.position());
      }
      TensorInfo info;
      info.info_offset = in_.position();
      if (!String(info.name, kMaxTensorNameParse, "tensor name") ||
          !U32(info.n_dims, "a tensor's dimension count")) {
        return false;
      }
      if (info.n_dims > kMaxDims) {
        return Fail(rule::kLimitExceeded,
                    "Tensor '" + std::string(info.name) + "' has " + std::to_string(info.n_dims) +
                        " dimensions; ggml allows at most " + std::to_string(kMaxDims) + ".",
                    info.info_offset);
      }
      for (std::uint32_t d = 0; d < info.n_dims; ++d) {
        std::uint64_t dim = 0;
        if (!Count(dim, "a tensor's dimensions")) return false;
        info.dims[d] = static_cast<std::int64_t>(dim);
      }
      std::uint64_t offset = 0;
      if (!U32(info.type, "a tensor's type") || !U64(offset, "a tensor's offset")) return false;
      info.offset = offset;
      file_.tensors.push_back(info);
    }
    return true;
  }

  ByteView data_;
  Reader in_;
  const std::function<bool()>& time_up_;
  bool big_endian_ = false;
  bool skipped_strings_ = false;   // a string past kMaxTemplateCandidates was noted
  bool skipped_template_ = false;  // a chat template past kMaxTemplateCandidates was noted
  GgufFile file_;
};

}  // namespace

GgufFile ParseGguf(ByteView data, const std::function<bool()>& time_up) {
  return Parser(data, time_up).Run();
}

}  // namespace mg::gguf
