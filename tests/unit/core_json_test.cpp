#include "core/json.h"

#include <string>

#include <gtest/gtest.h>

namespace mg {
namespace {

Result<JsonDocument> Parse(std::string_view text, const JsonLimits& limits = {}) {
  return ParseJson(ByteView(text), limits);
}

TEST(CoreJson, ParsesADocumentKeepingKeyOrder) {
  auto doc = Parse(R"({"b": [1, -2, 3.5, true, null], "a": {"s": "x\u00e9"}})");
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  EXPECT_EQ(doc->value.begin().key(), "b");
  EXPECT_EQ(doc->value["b"][1].get<int>(), -2);
  EXPECT_DOUBLE_EQ(doc->value["b"][2].get<double>(), 3.5);
  EXPECT_EQ(doc->value["a"]["s"].get<std::string>(), "x\xc3\xa9");
  EXPECT_TRUE(doc->duplicate_keys.empty());
}

TEST(CoreJson, ReportsDuplicateKeysWithTheirPointerAndKeepsTheLast) {
  auto doc = Parse(R"({"t": {"a/b": 1, "a/b": 2}, "x": [{"k": 1, "k": 3}]})");
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  ASSERT_EQ(doc->duplicate_keys.size(), 2u);
  EXPECT_EQ(doc->duplicate_keys[0], "/t/a~1b");
  EXPECT_EQ(doc->duplicate_keys[1], "/x/0/k");
  EXPECT_EQ(doc->value["t"]["a/b"].get<int>(), 2);
  EXPECT_EQ(doc->value["x"][0]["k"].get<int>(), 3);
}

TEST(CoreJson, RejectsSyntaxErrorsWithAnOffset) {
  auto doc = Parse(R"({"a": 1,, "b": 2})");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.error().code, ErrorCode::kMalformed);
  EXPECT_EQ(doc.error().offset, 8u);
}

TEST(CoreJson, RejectsTrailingContentAndInvalidUtf8) {
  EXPECT_FALSE(Parse(R"({"a": 1} {"b": 2})").ok());
  EXPECT_FALSE(Parse("{\"a\": \"\xff\"}").ok());
  EXPECT_TRUE(Parse("  {\"a\": 1}\n\t ").ok());
}

TEST(CoreJson, EnforcesTheDepthLimit) {
  JsonLimits limits;
  limits.max_depth = 3;
  EXPECT_TRUE(Parse("[[[1]]]", limits).ok());
  auto deep = Parse("[[[[1]]]]", limits);
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.error().code, ErrorCode::kLimitExceeded);
  // A hostile depth far beyond the limit stops early instead of exhausting memory.
  auto very_deep = Parse(std::string(1'000'000, '['), limits);
  ASSERT_FALSE(very_deep.ok());
  EXPECT_EQ(very_deep.error().code, ErrorCode::kLimitExceeded);
}

TEST(CoreJson, EnforcesValueCountAndStringLength) {
  JsonLimits limits;
  limits.max_values = 4;
  EXPECT_TRUE(Parse("[1, 2, 3]", limits).ok());
  EXPECT_EQ(Parse("[1, 2, 3, 4]", limits).error().code, ErrorCode::kLimitExceeded);
  limits = JsonLimits{};
  limits.max_string_bytes = 3;
  EXPECT_TRUE(Parse(R"({"abc": "xyz"})", limits).ok());
  EXPECT_EQ(Parse(R"({"abcd": 1})", limits).error().code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(Parse(R"(["wxyz"])", limits).error().code, ErrorCode::kLimitExceeded);
}

}  // namespace
}  // namespace mg
