#include "core/json.h"

#include <optional>
#include <utility>

namespace mg {

namespace {

// Builds the DOM from SAX events, enforcing the limits as it goes. nlohmann's own DOM parser
// would accept any depth and silently keep one value of a duplicated key.
class BoundedBuilder : public nlohmann::json_sax<Json> {
 public:
  BoundedBuilder(JsonDocument& doc, const JsonLimits& limits) : doc_(doc), limits_(limits) {}

  bool null() override { return Put(Json(nullptr)); }
  bool boolean(bool value) override { return Put(Json(value)); }
  bool number_integer(number_integer_t value) override { return Put(Json(value)); }
  bool number_unsigned(number_unsigned_t value) override { return Put(Json(value)); }
  bool number_float(number_float_t value, const string_t& /*text*/) override {
    return Put(Json(value));
  }
  bool string(string_t& value) override {
    if (!CheckString(value)) return false;
    return Put(Json(std::move(value)));
  }
  bool binary(binary_t& /*value*/) override { return Fail(ErrorCode::kMalformed, "binary value"); }

  bool start_object(std::size_t /*elements*/) override { return Open(Json::object()); }
  bool start_array(std::size_t /*elements*/) override { return Open(Json::array()); }
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }

  bool key(string_t& value) override {
    if (!CheckString(value)) return false;
    Frame& frame = stack_.back();
    if (frame.container->contains(value)) {
      doc_.duplicate_keys.push_back(frame.pointer + "/" + JsonPointerToken(value));
      frame.container->erase(value);  // the last occurrence wins, as in Python
    }
    frame.key = std::move(value);
    return true;
  }

  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& ex) override {
    if (!error_) {
      error_ = Error::Malformed(position > 0 ? position - 1 : 0,
                                std::string("invalid JSON: ") + ex.what());
    }
    return false;
  }

  const std::optional<Error>& error() const { return error_; }

 private:
  struct Frame {
    Json* container;
    std::string pointer;  // JSON Pointer of the container
    std::string key;      // pending key, for objects
  };

  bool Count() {
    if (++values_ > limits_.max_values) {
      return Fail(ErrorCode::kLimitExceeded,
                  "more than " + std::to_string(limits_.max_values) + " JSON values");
    }
    return true;
  }

  bool CheckString(const string_t& value) {
    if (value.size() > limits_.max_string_bytes) {
      return Fail(ErrorCode::kLimitExceeded, "a JSON string longer than " +
                                                 std::to_string(limits_.max_string_bytes) +
                                                 " bytes");
    }
    return true;
  }

  // Inserts `value` at the current position and returns where it now lives.
  Json* Insert(Json value, std::string* pointer) {
    if (stack_.empty()) {
      doc_.value = std::move(value);
      *pointer = "";
      return &doc_.value;
    }
    Frame& frame = stack_.back();
    if (frame.container->is_object()) {
      *pointer = frame.pointer + "/" + JsonPointerToken(frame.key);
      Json& slot = (*frame.container)[frame.key];
      slot = std::move(value);
      return &slot;
    }
    *pointer = frame.pointer + "/" + std::to_string(frame.container->size());
    frame.container->push_back(std::move(value));
    return &frame.container->back();
  }

  bool Put(Json value) {
    if (!Count()) return false;
    std::string pointer;
    Insert(std::move(value), &pointer);
    return true;
  }

  bool Open(Json container) {
    if (!Count()) return false;
    if (stack_.size() >= limits_.max_depth) {
      return Fail(ErrorCode::kLimitExceeded,
                  "JSON nested deeper than " + std::to_string(limits_.max_depth) + " levels");
    }
    std::string pointer;
    Json* where = Insert(std::move(container), &pointer);
    stack_.push_back(Frame{where, std::move(pointer), {}});
    return true;
  }

  bool Close() {
    stack_.pop_back();
    return true;
  }

  bool Fail(ErrorCode code, std::string message) {
    if (!error_) error_ = Error{code, 0, std::move(message)};
    return false;
  }

  JsonDocument& doc_;
  const JsonLimits& limits_;
  std::vector<Frame> stack_;
  std::uint64_t values_ = 0;
  std::optional<Error> error_;
};

}  // namespace

std::string JsonPointerToken(const std::string& key) {
  std::string out;
  out.reserve(key.size());
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

Result<JsonDocument> ParseJson(ByteView text, const JsonLimits& limits) {
  JsonDocument doc;
  BoundedBuilder builder(doc, limits);
  const auto* begin = reinterpret_cast<const char*>(text.data());
  const bool ok = Json::sax_parse(begin, begin + text.size(), &builder,
                                  nlohmann::detail::input_format_t::json, /*strict=*/true);
  if (!ok) {
    if (builder.error()) return *builder.error();
    return Error::Malformed(0, "invalid JSON");
  }
  return doc;
}

}  // namespace mg
