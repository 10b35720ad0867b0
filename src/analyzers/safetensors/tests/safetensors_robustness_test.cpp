// Hostile headers: the limits that bound work and memory (nesting, value count, the 100 MB
// header cap) hold, and each ends in a finding, never a crash.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "analyzers/safetensors/header.h"
#include "engine/scan_context.h"
#include "support/findings.h"

namespace mg {
namespace {

std::string WithLength(std::uint64_t length, const std::string& rest) {
  std::string file;
  for (int i = 0; i < 8; ++i) file += static_cast<char>((length >> (8 * i)) & 0xFF);
  return file + rest;
}

Target Analyze(const std::string& file) {
  Target target;
  target.path = "hostile.safetensors";
  ScanContext ctx(target, Limits{});
  AnalyzeBuffer(ctx, ByteView(file), "safetensors");
  return target;
}

TEST(SafetensorsRobustnessTest, DeepNestingStopsAtTheDepthLimit) {
  const std::string header = "{\"a\":" + std::string(200000, '[') + std::string(200000, ']') + "}";
  const Target target = Analyze(WithLength(header.size(), header));
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  EXPECT_TRUE(test::Has(target, "SAFETENSORS-INVALID-JSON"));
}

TEST(SafetensorsRobustnessTest, TooManyValuesStopAtTheValueLimit) {
  std::string header = "{\"a\":[0";
  header.reserve(2 * safetensors::kMaxJsonValues + 16);
  for (std::uint64_t i = 0; i < safetensors::kMaxJsonValues; ++i) header += ",0";
  header += "]}";
  const auto start = std::chrono::steady_clock::now();
  const Target target = Analyze(WithLength(header.size(), header));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  const auto found = test::WithRule(target, "SAFETENSORS-INVALID-JSON");
  ASSERT_EQ(found.size(), 1u);
}

TEST(SafetensorsRobustnessTest, HeaderCapIsTheReferenceLimitExactly) {
  // One byte over the cap: refused without reading; at the cap: only truncated.
  const Target over = Analyze(WithLength(safetensors::kMaxHeaderBytes + 1, "{}"));
  EXPECT_TRUE(test::Has(over, "SAFETENSORS-HEADER-TOO-LARGE"));
  const Target at = Analyze(WithLength(safetensors::kMaxHeaderBytes, "{}"));
  EXPECT_FALSE(test::Has(at, "SAFETENSORS-HEADER-TOO-LARGE"));
  EXPECT_TRUE(test::Has(at, "SAFETENSORS-TRUNCATED"));
  const Target huge = Analyze(WithLength(~std::uint64_t{0}, "{}"));
  EXPECT_TRUE(test::Has(huge, "SAFETENSORS-HEADER-TOO-LARGE"));
}

TEST(SafetensorsRobustnessTest, OffsetsNearTheTopOfTheRangeDoNotOverflow) {
  const std::string header =
      "{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[18446744073709551614,"
      "18446744073709551615]},\"v\":{\"dtype\":\"C64\",\"shape\":[4611686018427387904],"
      "\"data_offsets\":[0,0]}}";
  const Target target = Analyze(WithLength(header.size(), header));
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  EXPECT_TRUE(test::Has(target, "SAFETENSORS-OFFSET-OUT-OF-BOUNDS"));
  EXPECT_TRUE(test::Has(target, "SAFETENSORS-SIZE-MISMATCH"));
}

TEST(SafetensorsRobustnessTest, EveryPrefixOfAValidFileIsHandled) {
  const std::string header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
  const std::string file = WithLength(header.size(), header) + std::string(8, '\0');
  EXPECT_TRUE(Analyze(file).findings.empty());
  for (std::size_t length = 0; length < file.size(); ++length) {
    const Target target = Analyze(file.substr(0, length));
    EXPECT_EQ(target.status, TargetStatus::kIncomplete) << length;
  }
}

}  // namespace
}  // namespace mg
