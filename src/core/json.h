// Bounded JSON parsing for untrusted documents (safetensors headers, Keras and Hugging Face
// configs, Spark metadata). nlohmann/json parses, through its SAX interface, so that this layer
// can enforce the limits itself (nesting depth, value count, string length) and see what a DOM
// hides: duplicate keys, which Python's json keeps the last of and other readers the first of.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/byte_view.h"
#include "core/result.h"

namespace mg {

using Json = nlohmann::ordered_json;

struct JsonLimits {
  std::uint32_t max_depth = 64;           // nested objects and arrays
  std::uint64_t max_values = 5'000'000;   // every scalar, object and array counts as one
  std::uint64_t max_string_bytes = 64ULL << 20;  // one string or key
};

struct JsonDocument {
  Json value;
  // JSON Pointers (RFC 6901) of keys that appeared more than once in the same object; the
  // value kept is the last one, as Python's json.loads does.
  std::vector<std::string> duplicate_keys;
};

// Parses `text` as one JSON document (nothing but whitespace may follow it). Errors carry the
// byte offset: kMalformed for bad syntax or invalid UTF-8, kLimitExceeded for a limit.
Result<JsonDocument> ParseJson(ByteView text, const JsonLimits& limits = {});

// Escapes a key for use in a JSON Pointer ("~" -> "~0", "/" -> "~1").
std::string JsonPointerToken(const std::string& key);

}  // namespace mg
