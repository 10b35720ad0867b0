// Tests of the GGUF analyzer on the files in ../testdata (written byte by byte by
// make_gguf.py): clean models of every version and byte order scan clean and complete, each
// template escape is critical with the template as evidence, and each malformed file gets
// its own finding without a crash.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/scan_context.h"
#include "support/findings.h"

namespace mg {
namespace {

using test::Has;
using test::WithRule;

Target Scan(const std::string& name) {
  return ScanFile(test::AnalyzerTestData("gguf", name).string(), Limits{});
}

Severity MaxSeverity(const Target& target) {
  Severity max = Severity::kInfo;
  for (const auto& finding : target.findings) max = std::max(max, finding.severity);
  return max;
}

std::string Describe(const Target& target) {
  std::string out;
  for (const auto& f : target.findings) out += f.rule + ": " + f.message + "\n";
  return out;
}

TEST(GgufAnalyzerTest, CleanModelsOfEveryVersionAreCleanAndComplete) {
  for (const char* name : {"llama3_v3.gguf", "chatml_v2.gguf", "mistral_v1.gguf",
                           "templates_v3.gguf", "all_types.gguf"}) {
    const Target target = Scan(name);
    EXPECT_EQ(target.format, "gguf") << name;
    EXPECT_EQ(target.status, TargetStatus::kComplete) << name << "\n" << Describe(target);
    EXPECT_TRUE(target.findings.empty()) << name << "\n" << Describe(target);
  }
}

TEST(GgufAnalyzerTest, BigEndianFileIsReadAsSuch) {
  const Target target = Scan("gemma_big_endian.gguf");
  EXPECT_EQ(target.status, TargetStatus::kComplete) << Describe(target);
  ASSERT_EQ(target.findings.size(), 1u) << Describe(target);
  EXPECT_EQ(target.findings[0].rule, "GGUF-BIG-ENDIAN");
  EXPECT_EQ(target.findings[0].severity, Severity::kInfo);
  // The template inside is judged in the right byte order too.
  const Target evil = Scan("escape_big_endian.gguf");
  EXPECT_TRUE(Has(evil, "GGUF-BIG-ENDIAN"));
  EXPECT_TRUE(Has(evil, "GGUF-TEMPLATE-CODE-EXECUTION")) << Describe(evil);
}

TEST(GgufAnalyzerTest, TemplateEscapesAreCriticalWithTheTemplateAsEvidence) {
  struct Case {
    const char* file;
    const char* evidence;
  };
  for (const Case& c : {Case{"template_subclasses_popen.gguf", "__subclasses__()"},
                        Case{"template_lipsum_globals.gguf", "attacker.invalid"},
                        Case{"template_cycler_init.gguf", "cycler.__init__"},
                        Case{"template_attr_filter_hex.gguf", "\\x5f\\x5fclass"},
                        Case{"template_attr_filter_plain.gguf", "__globals__"},
                        Case{"template_concat_join.gguf", "bals__"},
                        Case{"template_subscript_strings.gguf", "['__mro__']"},
                        Case{"template_self_context.gguf", "self._TemplateReference"},
                        Case{"template_unicode_escape.gguf", "\\u005f"},
                        Case{"template_namespace_init.gguf", "namespace.__init__"},
                        Case{"escape_v1.gguf", "cycler.__init__"}}) {
    const Target target = Scan(c.file);
    const auto found = WithRule(target, "GGUF-TEMPLATE-CODE-EXECUTION");
    ASSERT_FALSE(found.empty()) << c.file << "\n" << Describe(target);
    EXPECT_EQ(found[0]->severity, Severity::kCritical);
    EXPECT_NE(found[0]->message.find("'tokenizer.chat_template'"), std::string::npos);
    EXPECT_TRUE(std::any_of(
        found.begin(), found.end(),
        [&](const Finding* f) { return f->evidence.find(c.evidence) != std::string::npos; }))
        << c.file << ": " << found[0]->evidence;
  }
}

TEST(GgufAnalyzerTest, EscapeOutsideTheMainTemplateIsFound) {
  const Target named = Scan("named_template_escape.gguf");
  const auto found = WithRule(named, "GGUF-TEMPLATE-CODE-EXECUTION");
  ASSERT_EQ(found.size(), 1u) << Describe(named);
  EXPECT_NE(found[0]->message.find("'tokenizer.chat_template.rag'"), std::string::npos);

  const Target description = Scan("description_escape.gguf");
  const auto in_description = WithRule(description, "GGUF-TEMPLATE-CODE-EXECUTION");
  ASSERT_EQ(in_description.size(), 1u) << Describe(description);
  EXPECT_NE(in_description[0]->message.find("'general.description'"), std::string::npos);
}

TEST(GgufAnalyzerTest, RepeatedTemplateKeyIsFlaggedAndBothValuesJudged) {
  const Target target = Scan("duplicate_template_key.gguf");
  const auto duplicate = WithRule(target, "GGUF-DUPLICATE-KEY");
  ASSERT_EQ(duplicate.size(), 1u) << Describe(target);
  EXPECT_EQ(duplicate[0]->severity, Severity::kHigh);
  EXPECT_EQ(duplicate[0]->evidence, "tokenizer.chat_template");
  EXPECT_EQ(MaxSeverity(target), Severity::kCritical);
}

TEST(GgufAnalyzerTest, SuspiciousTemplateIsHigh) {
  const Target target = Scan("template_format_chars.gguf");
  EXPECT_TRUE(Has(target, "GGUF-TEMPLATE-SUSPICIOUS")) << Describe(target);
  EXPECT_GE(MaxSeverity(target), Severity::kHigh);
}

TEST(GgufAnalyzerTest, UnreadableTemplateIsIncomplete) {
  const Target plain = Scan("template_unterminated.gguf");
  EXPECT_EQ(plain.status, TargetStatus::kIncomplete);
  const auto unparsable = WithRule(plain, "GGUF-TEMPLATE-UNPARSABLE");
  ASSERT_EQ(unparsable.size(), 1u) << Describe(plain);
  EXPECT_EQ(unparsable[0]->severity, Severity::kMedium);

  const Target payload = Scan("template_unterminated_payload.gguf");
  EXPECT_EQ(payload.status, TargetStatus::kIncomplete);
  EXPECT_TRUE(Has(payload, "GGUF-TEMPLATE-CODE-EXECUTION")) << Describe(payload);
}

TEST(GgufAnalyzerTest, TrailingDataIsSniffedAndThePickleJudged) {
  const Target target = Scan("trailing_pickle.gguf");
  EXPECT_TRUE(Has(target, "GGUF-TRAILING-DATA")) << Describe(target);
  const Finding* call = test::AtMember(target, {"<trailing data>"}, "PICKLE-");
  ASSERT_NE(call, nullptr) << Describe(target);
  EXPECT_GE(call->severity, Severity::kHigh);
}

// Each malformed file: the rule expected, whether parsing stopped (incomplete).
struct Malformed {
  const char* file;
  const char* rule;
  bool incomplete;
};

TEST(GgufAnalyzerTest, MalformedFilesGetTheirOwnFinding) {
  for (const Malformed& m : {
           Malformed{"huge_kv_count.gguf", "GGUF-LIMIT-EXCEEDED", true},
           Malformed{"kv_count_beyond_eof.gguf", "GGUF-TRUNCATED", true},
           Malformed{"huge_tensor_count.gguf", "GGUF-LIMIT-EXCEEDED", true},
           Malformed{"unsupported_version.gguf", "GGUF-UNSUPPORTED-VERSION", true},
           Malformed{"truncated_in_metadata.gguf", "GGUF-TRUNCATED", true},
           Malformed{"truncated_in_template.gguf", "GGUF-TRUNCATED", true},
           Malformed{"string_beyond_eof.gguf", "GGUF-TRUNCATED", true},
           Malformed{"array_count_beyond_eof.gguf", "GGUF-TRUNCATED", true},
           Malformed{"unknown_value_type.gguf", "GGUF-MALFORMED", true},
           Malformed{"deep_nested_array.gguf", "GGUF-LIMIT-EXCEEDED", true},
           Malformed{"too_many_dims.gguf", "GGUF-LIMIT-EXCEEDED", true},
           Malformed{"bad_alignment.gguf", "GGUF-BAD-ALIGNMENT", false},
           Malformed{"alignment_not_u32.gguf", "GGUF-BAD-ALIGNMENT", false},
           Malformed{"tensor_out_of_bounds.gguf", "GGUF-TENSOR-OUT-OF-BOUNDS", false},
           Malformed{"tensor_offset_overflow.gguf", "GGUF-TENSOR-OUT-OF-BOUNDS", false},
           Malformed{"tensor_misaligned.gguf", "GGUF-TENSOR-INVALID", false},
           Malformed{"unknown_tensor_type.gguf", "GGUF-UNKNOWN-TENSOR-TYPE", false},
       }) {
    const Target target = Scan(m.file);
    EXPECT_EQ(target.format, "gguf") << m.file;
    EXPECT_TRUE(Has(target, m.rule)) << m.file << "\n" << Describe(target);
    EXPECT_EQ(target.status == TargetStatus::kIncomplete, m.incomplete) << m.file << "\n"
                                                                        << Describe(target);
    const Severity expected =
        std::string(m.rule) == "GGUF-UNKNOWN-TENSOR-TYPE" ? Severity::kLow : Severity::kMedium;
    EXPECT_EQ(MaxSeverity(target), expected) << m.file << "\n" << Describe(target);
  }
}

TEST(GgufAnalyzerTest, TemplatesPastTheCandidateLimitFailClosed) {
  const Target target = Scan("many_template_strings.gguf");
  const auto limits = WithRule(target, "GGUF-LIMIT-EXCEEDED");
  ASSERT_EQ(limits.size(), 2u) << Describe(target);
  EXPECT_EQ(limits[0]->severity, Severity::kLow);  // vocabulary-like strings: noted once
  EXPECT_EQ(limits[1]->severity, Severity::kMedium);
  EXPECT_NE(limits[1]->message.find("'tokenizer.chat_template'"), std::string::npos);
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
}

TEST(GgufAnalyzerTest, TruncatedTemplateSaysTheRestWasNotJudged) {
  const Target target = Scan("truncated_in_template.gguf");
  const auto truncated = WithRule(target, "GGUF-TRUNCATED");
  ASSERT_EQ(truncated.size(), 1u);
  EXPECT_NE(truncated[0]->message.find("tokenizer.chat_template"), std::string::npos)
      << truncated[0]->message;
  EXPECT_NE(truncated[0]->message.find("could not be judged"), std::string::npos);
}

// The analyzer forced on `bytes` (as ScanEmbedded(..., "gguf") would).
Target Forced(const std::vector<std::uint8_t>& bytes) {
  Target target;
  target.path = "forced.gguf";
  ScanContext ctx(target, Limits{});
  AnalyzeBuffer(ctx, ByteView(bytes.data(), bytes.size()), "gguf");
  return target;
}

TEST(GgufAnalyzerTest, NotGgufWhenForcedIsMalformed) {
  const Target target = Forced({'G', 'G', 'U', 'X', 3, 0, 0, 0});
  EXPECT_TRUE(Has(target, "GGUF-MALFORMED")) << Describe(target);
  EXPECT_TRUE(Has(Forced({'G', 'G'}), "GGUF-TRUNCATED"));
}

// Every strict prefix of a clean model is reported at medium or above: cut in the header or
// metadata it is truncated (incomplete), cut in the tensor data the last tensor is outside the
// file. No prefix crashes or is called clean.
TEST(GgufAnalyzerTest, EveryPrefixOfACleanModelIsReported) {
  std::ifstream in(test::AnalyzerTestData("gguf", "llama3_v3.gguf"), std::ios::binary);
  const std::vector<std::uint8_t> whole((std::istreambuf_iterator<char>(in)), {});
  ASSERT_GT(whole.size(), 10000u);
  for (std::size_t length = 0; length < whole.size(); length += 13) {
    const std::vector<std::uint8_t> prefix(whole.begin(), whole.begin() + length);
    const Target target = Forced(prefix);
    EXPECT_GE(MaxSeverity(target), Severity::kMedium) << length << "\n" << Describe(target);
  }
}

}  // namespace
}  // namespace mg
