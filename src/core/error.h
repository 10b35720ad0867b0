// Error codes shared by every parser. A parse problem is data (an Error with the absolute
// offset where it was detected), never an exception across a module boundary.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mg {

enum class ErrorCode : std::uint8_t {
  kTruncated,        // the input ended before a declared length or a required terminator
  kMalformed,        // bytes that the format does not allow at this position
  kLimitExceeded,    // a documented limit (size, depth, count, ratio, time) was reached
  kUnsupported,      // a valid construct that this version of modelgate does not analyse
  kIo,               // the operating system refused a read, open or map
  kInvalidArgument,  // a caller passed something that makes no sense (a bug or a usage error)
};

std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kMalformed;
  std::uint64_t offset = 0;  // absolute offset in the analysed buffer, 0 when not applicable
  std::string message;       // one sentence for a person

  static Error Truncated(std::uint64_t offset, std::string message) {
    return {ErrorCode::kTruncated, offset, std::move(message)};
  }
  static Error Malformed(std::uint64_t offset, std::string message) {
    return {ErrorCode::kMalformed, offset, std::move(message)};
  }
  static Error Limit(std::uint64_t offset, std::string message) {
    return {ErrorCode::kLimitExceeded, offset, std::move(message)};
  }
  static Error Unsupported(std::uint64_t offset, std::string message) {
    return {ErrorCode::kUnsupported, offset, std::move(message)};
  }
  static Error Io(std::string message) { return {ErrorCode::kIo, 0, std::move(message)}; }
};

}  // namespace mg
