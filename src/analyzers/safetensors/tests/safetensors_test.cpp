// Tests of the safetensors analyzer on the files in ../testdata (made byte by byte by
// make_safetensors.py in the reference writer's layout): well-formed files are clean and
// complete, each departure from what tensor.rs accepts has its own file and finding, and bytes
// no tensor accounts for are analysed (a pickle hidden there is found).
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "analyzers/safetensors/header.h"
#include "engine/analyzer.h"
#include "engine/engine.h"
#include "engine/scan_context.h"
#include "support/findings.h"

namespace mg {
namespace {

using test::AtMember;
using test::Has;
using test::WithRule;

std::string TestPath(const std::string& name) {
  return test::AnalyzerTestData("safetensors", name).string();
}

Target Scan(const std::string& name) { return ScanFile(TestPath(name), Limits{}); }

std::vector<std::uint8_t> ReadBytes(const std::string& name) {
  std::ifstream in(TestPath(name), std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Runs the analyzer on `bytes` whatever they sniff as.
Target Forced(const std::vector<std::uint8_t>& bytes) {
  Target target;
  target.path = "forced.safetensors";
  ScanContext ctx(target, Limits{});
  AnalyzeBuffer(ctx, ByteView(bytes.data(), bytes.size()), "safetensors");
  return target;
}

std::string Describe(const Target& target) {
  std::string out;
  for (const auto& f : target.findings) out += f.rule + ": " + f.message + "\n";
  return out;
}

// The file is recognised, refused with exactly this rule (medium) and marked incomplete.
void ExpectRefused(const std::string& name, std::string_view rule) {
  const Target target = Scan(name);
  EXPECT_EQ(target.format, "safetensors") << name;
  EXPECT_EQ(target.status, TargetStatus::kIncomplete) << name << "\n" << Describe(target);
  const auto found = WithRule(target, rule);
  ASSERT_FALSE(found.empty()) << name << " lacks " << rule << "\n" << Describe(target);
  EXPECT_EQ(found[0]->severity, Severity::kMedium) << name;
}

TEST(SafetensorsAnalyzerTest, WellFormedFilesAreCleanAndComplete) {
  for (const char* name : {"model_f32.safetensors", "empty.safetensors",
                           "all_dtypes.safetensors", "zero_size.safetensors"}) {
    const Target target = Scan(name);
    EXPECT_EQ(target.format, "safetensors") << name;
    EXPECT_EQ(target.status, TargetStatus::kComplete) << name;
    EXPECT_TRUE(target.findings.empty()) << name << "\n" << Describe(target);
  }
}

TEST(SafetensorsAnalyzerTest, AcceptedButUnusualFilesGetOnlyLowNotes) {
  const Target extra = Scan("extra_field.safetensors");
  EXPECT_EQ(extra.status, TargetStatus::kComplete);
  ASSERT_EQ(extra.findings.size(), 1u) << Describe(extra);
  EXPECT_EQ(extra.findings[0].rule, "SAFETENSORS-UNEXPECTED-FIELD");
  EXPECT_EQ(extra.findings[0].severity, Severity::kLow);
  EXPECT_EQ(extra.findings[0].evidence, "'note'");

  const Target spaced = Scan("leading_space.safetensors");
  EXPECT_EQ(spaced.format, "safetensors");
  EXPECT_EQ(spaced.status, TargetStatus::kComplete);
  ASSERT_EQ(spaced.findings.size(), 1u) << Describe(spaced);
  EXPECT_EQ(spaced.findings[0].rule, "SAFETENSORS-NONCANONICAL-HEADER");
  EXPECT_NE(spaced.findings[0].message.find("does not start with '{'"), std::string::npos);
  EXPECT_NE(spaced.findings[0].message.find("not only spaces"), std::string::npos);

  const Target large = Scan("large_metadata.safetensors");
  EXPECT_EQ(large.status, TargetStatus::kComplete);
  ASSERT_EQ(large.findings.size(), 1u) << Describe(large);
  EXPECT_EQ(large.findings[0].rule, "SAFETENSORS-LARGE-METADATA");
  EXPECT_EQ(large.findings[0].severity, Severity::kInfo);
  EXPECT_NE(large.findings[0].message.find("'notes' holds 102400 bytes"), std::string::npos);
}

TEST(SafetensorsAnalyzerTest, HeaderLengthProblems) {
  ExpectRefused("header_past_end.safetensors", "SAFETENSORS-TRUNCATED");
  ExpectRefused("header_too_large.safetensors", "SAFETENSORS-HEADER-TOO-LARGE");
  const Target tiny = Forced(ReadBytes("too_short.safetensors"));
  EXPECT_EQ(tiny.status, TargetStatus::kIncomplete);
  EXPECT_TRUE(Has(tiny, "SAFETENSORS-TRUNCATED")) << Describe(tiny);
}

TEST(SafetensorsAnalyzerTest, HeaderThatIsNotJsonOrNotAnObject) {
  ExpectRefused("invalid_json.safetensors", "SAFETENSORS-INVALID-JSON");
  ExpectRefused("invalid_utf8.safetensors", "SAFETENSORS-INVALID-JSON");
  const Target array = Forced(ReadBytes("header_array.safetensors"));
  EXPECT_EQ(array.status, TargetStatus::kIncomplete);
  EXPECT_TRUE(Has(array, "SAFETENSORS-MALFORMED-HEADER")) << Describe(array);
}

TEST(SafetensorsAnalyzerTest, TensorEntriesOfTheWrongShape) {
  ExpectRefused("entry_not_object.safetensors", "SAFETENSORS-MALFORMED-HEADER");
  ExpectRefused("missing_field.safetensors", "SAFETENSORS-MALFORMED-HEADER");
  ExpectRefused("negative_shape.safetensors", "SAFETENSORS-MALFORMED-HEADER");
  ExpectRefused("unknown_dtype.safetensors", "SAFETENSORS-UNKNOWN-DTYPE");
  const Target negative = Scan("negative_shape.safetensors");
  EXPECT_NE(negative.findings[0].message.find("shape holds -2"), std::string::npos);
}

TEST(SafetensorsAnalyzerTest, SizesAreCheckedWithoutOverflow) {
  ExpectRefused("size_mismatch.safetensors", "SAFETENSORS-SIZE-MISMATCH");
  const Target mismatch = Scan("size_mismatch.safetensors");
  EXPECT_NE(mismatch.findings[0].message.find("takes 16 bytes, but its offsets span 12 bytes"),
            std::string::npos)
      << mismatch.findings[0].message;
  ExpectRefused("shape_overflow.safetensors", "SAFETENSORS-SIZE-MISMATCH");
  EXPECT_NE(Scan("shape_overflow.safetensors").findings[0].message.find("overflows"),
            std::string::npos);
  ExpectRefused("f4_odd.safetensors", "SAFETENSORS-SIZE-MISMATCH");
  EXPECT_NE(Scan("f4_odd.safetensors").findings[0].message.find("do not fill whole bytes"),
            std::string::npos);
}

TEST(SafetensorsAnalyzerTest, OffsetsMustTileTheBuffer) {
  ExpectRefused("offsets_past_buffer.safetensors", "SAFETENSORS-OFFSET-OUT-OF-BOUNDS");
  ExpectRefused("offsets_reversed.safetensors", "SAFETENSORS-OFFSET-OUT-OF-BOUNDS");
  ExpectRefused("overlap.safetensors", "SAFETENSORS-OFFSET-LAYOUT");
  EXPECT_NE(Scan("overlap.safetensors").findings[0].message.find("8 bytes shared"),
            std::string::npos);
  ExpectRefused("gap_at_start.safetensors", "SAFETENSORS-OFFSET-LAYOUT");
  ExpectRefused("trailing_zeros.safetensors", "SAFETENSORS-TRAILING-DATA");
  const Target trailing = Scan("trailing_zeros.safetensors");
  // A 56-byte header after the length field; the tensor ends at buffer byte 4.
  EXPECT_EQ(WithRule(trailing, "SAFETENSORS-TRAILING-DATA")[0]->location.offset, 8u + 56u + 4u);
}

TEST(SafetensorsAnalyzerTest, DuplicateKeysAndBadMetadata) {
  ExpectRefused("duplicate_key.safetensors", "SAFETENSORS-DUPLICATE-KEY");
  EXPECT_NE(Scan("duplicate_key.safetensors").findings[0].message.find("/w"), std::string::npos);
  ExpectRefused("metadata_not_strings.safetensors", "SAFETENSORS-BAD-METADATA");
  ExpectRefused("metadata_not_object.safetensors", "SAFETENSORS-BAD-METADATA");
}

TEST(SafetensorsAnalyzerTest, PicklesHiddenInUnclaimedBytesAreFound) {
  const Target trailing = Scan("trailing_pickle.safetensors");
  EXPECT_TRUE(Has(trailing, "SAFETENSORS-TRAILING-DATA"));
  const Finding* call = AtMember(trailing, {"<trailing data>"}, "PICKLE-DANGEROUS-CALL");
  ASSERT_NE(call, nullptr) << Describe(trailing);
  EXPECT_GE(call->severity, Severity::kHigh);

  const Target gap = Scan("gap_pickle.safetensors");
  EXPECT_TRUE(Has(gap, "SAFETENSORS-OFFSET-LAYOUT"));
  ASSERT_NE(AtMember(gap, {"<unreferenced bytes>"}, "PICKLE-DANGEROUS-CALL"), nullptr)
      << Describe(gap);
}

TEST(SafetensorsAnalyzerTest, FindingsPerRuleAreCapped) {
  // 100 tensors with a wrong size each: 20 listed, the rest counted.
  std::string header = "{";
  for (int i = 0; i < 100; ++i) {
    if (i > 0) header += ",";
    header += "\"t" + std::to_string(i) + "\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[" +
              std::to_string(i) + "," + std::to_string(i + 1) + "]}";
  }
  header += "}";
  std::string file;
  for (int i = 0; i < 8; ++i) file += static_cast<char>((header.size() >> (8 * i)) & 0xFF);
  file += header;
  file.append(100, '\0');
  const Target target = Forced(std::vector<std::uint8_t>(file.begin(), file.end()));
  EXPECT_EQ(WithRule(target, "SAFETENSORS-SIZE-MISMATCH").size(), 20u);
  const auto capped = WithRule(target, "SAFETENSORS-FINDINGS-CAPPED");
  ASSERT_EQ(capped.size(), 1u);
  EXPECT_NE(capped[0]->message.find("80 more"), std::string::npos) << capped[0]->message;
}

TEST(SafetensorsAnalyzerTest, SniffNeedsAPlausibleLengthAndABrace) {
  const Analyzer* analyzer = FindAnalyzer("safetensors");
  ASSERT_NE(analyzer, nullptr);
  const auto model = ReadBytes("model_f32.safetensors");
  const ByteView view(model.data(), model.size());
  EXPECT_EQ(analyzer->Sniff(view), 90);
  EXPECT_EQ(analyzer->SniffNamed("dir/model.safetensors", view), 100);
  EXPECT_EQ(analyzer->SniffNamed("dir/model.bin", view), 90);
  const std::string pickle = "\x80\x02}q\x00.";
  EXPECT_EQ(analyzer->SniffNamed("x.safetensors", ByteView(pickle)), 0);
  const std::string zeros(64, '\0');
  EXPECT_EQ(analyzer->Sniff(ByteView(zeros)), 0);
}

TEST(SafetensorsHeaderTest, DtypeTableFollowsTheReference) {
  ASSERT_NE(safetensors::FindDtype("F8_E4M3"), nullptr);
  EXPECT_EQ(safetensors::FindDtype("F4")->bits, 4u);
  EXPECT_EQ(safetensors::FindDtype("F6_E3M2")->bits, 6u);
  EXPECT_EQ(safetensors::FindDtype("C64")->bits, 64u);
  EXPECT_EQ(safetensors::FindDtype("BOOL")->bits, 8u);
  EXPECT_EQ(safetensors::FindDtype("f32"), nullptr);  // names are case-sensitive
  EXPECT_EQ(safetensors::FindDtype("F8_E4M3FN"), nullptr);
}

}  // namespace
}  // namespace mg
