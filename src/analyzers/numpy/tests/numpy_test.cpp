// Tests of the NumPy analyzer on the files in ../testdata (made by make_npy.py): real files
// written by NumPy 1.24 must scan clean, each crafted problem has its own file and test, and
// object arrays (also inside .npz members) reach the pickle analyzer with the right chain.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/engine.h"
#include "support/test_paths.h"

namespace mg {
namespace {

std::filesystem::path TestData(const std::string& name) {
  return test::SourceDir() / "src" / "analyzers" / "numpy" / "testdata" / name;
}

Target Scan(const std::string& name) { return ScanFile(TestData(name).string(), Limits{}); }

std::vector<const Finding*> WithRule(const Target& target, std::string_view rule) {
  std::vector<const Finding*> found;
  for (const auto& finding : target.findings) {
    if (finding.rule == rule) found.push_back(&finding);
  }
  return found;
}

const Finding* Only(const Target& target, std::string_view rule) {
  const auto found = WithRule(target, rule);
  EXPECT_EQ(found.size(), 1u) << rule;
  return found.size() == 1 ? found[0] : nullptr;
}

// A finding whose rule starts with `prefix`, located in exactly this member chain.
const Finding* AtMember(const Target& target, const std::vector<std::string>& chain,
                        std::string_view prefix) {
  for (const auto& finding : target.findings) {
    if (finding.location.member == chain && finding.rule.rfind(prefix, 0) == 0) return &finding;
  }
  return nullptr;
}

Severity MaxSeverity(const Target& target) {
  Severity max = Severity::kInfo;
  for (const auto& finding : target.findings) max = std::max(max, finding.severity);
  return max;
}

void ExpectClean(const std::string& name) {
  const Target target = Scan(name);
  EXPECT_EQ(target.status, TargetStatus::kComplete) << name;
  for (const auto& finding : target.findings) {
    EXPECT_LT(finding.severity, Severity::kLow)
        << name << ": " << finding.rule << " " << finding.message << " " << finding.evidence;
  }
}

TEST(NumpyAnalyzerTest, RealNumpyFilesAreCleanAndComplete) {
  for (const char* name :
       {"float32.npy", "int64_be.npy", "bool.npy", "unicode.npy", "bytes.npy", "datetime.npy",
        "scalar.npy", "empty.npy", "fortran.npy", "structured.npy", "structured_padded.npy",
        "version2.npy", "version3.npy"}) {
    const Target target = Scan(name);
    EXPECT_EQ(target.format, "numpy") << name;
    EXPECT_TRUE(target.findings.empty())
        << name << ": " << target.findings.front().rule << " " << target.findings.front().message;
    EXPECT_EQ(target.status, TargetStatus::kComplete) << name;
  }
}

TEST(NumpyAnalyzerTest, CleanObjectArrayIsAPickleJudgedByThePickleAnalyzer) {
  for (const char* name : {"object.npy", "object_structured.npy"}) {
    const Target target = Scan(name);
    const Finding* object = Only(target, "NUMPY-OBJECT-ARRAY");
    ASSERT_NE(object, nullptr) << name;
    EXPECT_EQ(object->severity, Severity::kInfo);
    EXPECT_TRUE(object->location.member.empty());
    EXPECT_EQ(object->location.offset, 128u);  // the data starts on a 64-byte boundary
    EXPECT_NE(object->evidence.find("'|O'"), std::string::npos) << object->evidence;
    ExpectClean(name);
  }
}

TEST(NumpyAnalyzerTest, ObjectArrayWithOsSystemIsCaughtInsideTheArray) {
  for (const char* name : {"object_os_system.npy", "structured_object_os_system.npy"}) {
    const Target target = Scan(name);
    EXPECT_TRUE(Only(target, "NUMPY-OBJECT-ARRAY") != nullptr) << name;
    const Finding* call = AtMember(target, {"<object array>"}, "PICKLE-DANGEROUS-CALL");
    ASSERT_NE(call, nullptr) << name;
    EXPECT_GE(call->severity, Severity::kHigh);
    EXPECT_NE(call->evidence.find("os.system('echo pwned')"), std::string::npos) << call->evidence;
  }
}

TEST(NumpyAnalyzerTest, NpzMembersReachTheNumpyAnalyzer) {
  for (const char* name : {"arrays.npz", "arrays_compressed.npz", "with_object.npz"}) {
    const Target target = Scan(name);
    EXPECT_EQ(target.format, "zip") << name;
    EXPECT_EQ(target.status, TargetStatus::kComplete) << name;
    EXPECT_LT(MaxSeverity(target), Severity::kMedium) << name;
  }
  // The object member is unpickled by np.load: its pickle is analysed two levels down.
  const Target target = Scan("with_object.npz");
  EXPECT_NE(AtMember(target, {"names.npy"}, "NUMPY-OBJECT-ARRAY"), nullptr);
}

TEST(NumpyAnalyzerTest, MaliciousNpzMemberIsCaughtWithItsChain) {
  for (const char* name : {"evil.npz", "evil_compressed.npz"}) {
    const Target target = Scan(name);
    EXPECT_NE(AtMember(target, {"evil.npy"}, "NUMPY-OBJECT-ARRAY"), nullptr) << name;
    const Finding* call = AtMember(target, {"evil.npy", "<object array>"}, "PICKLE-DANGEROUS");
    ASSERT_NE(call, nullptr) << name;
    EXPECT_GE(call->severity, Severity::kHigh);
    EXPECT_EQ(AtMember(target, {"clean.npy"}, ""), nullptr) << name;
  }
}

TEST(NumpyAnalyzerTest, HeaderThatIsCodeIsHighAndIncomplete) {
  for (const char* name : {"non_literal_descr.npy", "fstring_descr.npy"}) {
    const Target target = Scan(name);
    const Finding* code = Only(target, "NUMPY-NON-LITERAL-HEADER");
    ASSERT_NE(code, nullptr) << name;
    EXPECT_EQ(code->severity, Severity::kHigh);
    EXPECT_NE(code->evidence.find("__import__("), std::string::npos) << code->evidence;
    EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  }
  const Target target = Scan("non_literal_descr.npy");
  const Finding* code = Only(target, "NUMPY-NON-LITERAL-HEADER");
  ASSERT_NE(code, nullptr);
  EXPECT_EQ(code->evidence, "__import__('os').system('echo pwned')");
  EXPECT_EQ(code->location.offset, 10u + 10u);  // where the name starts in the header
}

TEST(NumpyAnalyzerTest, DuplicateDescrUsesTheLastValueAsPythonDoes) {
  const Target target = Scan("duplicate_descr.npy");
  const Finding* duplicate = Only(target, "NUMPY-DUPLICATE-KEY");
  ASSERT_NE(duplicate, nullptr);
  EXPECT_EQ(duplicate->severity, Severity::kHigh);
  EXPECT_EQ(duplicate->evidence, "'descr' repeated: '<f8' is overridden by '|O'");
  // The last descr is '|O': the data is unpickled, and the pickle calls os.system.
  EXPECT_NE(AtMember(target, {"<object array>"}, "PICKLE-DANGEROUS-CALL"), nullptr);
}

TEST(NumpyAnalyzerTest, TrailingPickleIsReportedAndAnalysed) {
  const Target target = Scan("trailing_pickle.npy");
  const Finding* trailing = Only(target, "NUMPY-TRAILING-DATA");
  ASSERT_NE(trailing, nullptr);
  EXPECT_EQ(trailing->severity, Severity::kLow);
  EXPECT_EQ(trailing->location.offset, 128u + 16u);
  EXPECT_NE(AtMember(target, {"<trailing data>"}, "PICKLE-DANGEROUS-CALL"), nullptr);

  const Target zeros = Scan("trailing_zeros.npy");
  const Finding* padding = Only(zeros, "NUMPY-TRAILING-DATA");
  ASSERT_NE(padding, nullptr);
  EXPECT_NE(padding->evidence.find("32 bytes declared, 48 present"), std::string::npos)
      << padding->evidence;
  EXPECT_EQ(zeros.status, TargetStatus::kComplete);
}

void ExpectIncomplete(const std::string& name, std::string_view rule, std::string_view text) {
  const Target target = Scan(name);
  EXPECT_EQ(target.format, "numpy") << name;
  EXPECT_EQ(target.status, TargetStatus::kIncomplete) << name;
  const Finding* finding = Only(target, rule);
  ASSERT_NE(finding, nullptr) << name;
  EXPECT_GE(finding->severity, Severity::kMedium) << name;
  EXPECT_NE((finding->message + finding->evidence).find(text), std::string::npos)
      << name << ": " << finding->message << " | " << finding->evidence;
}

TEST(NumpyAnalyzerTest, TruncationsAreIncomplete) {
  ExpectIncomplete("preamble_only.npy", "NUMPY-TRUNCATED", "ends before");
  ExpectIncomplete("header_truncated.npy", "NUMPY-TRUNCATED", "declared 118 bytes");
  ExpectIncomplete("header_length_beyond.npy", "NUMPY-TRUNCATED", "1073741824");
  ExpectIncomplete("data_short.npy", "NUMPY-TRUNCATED", "800 bytes declared, 80 present");
}

TEST(NumpyAnalyzerTest, MalformedHeadersAreIncomplete) {
  ExpectIncomplete("unknown_version.npy", "NUMPY-UNSUPPORTED-VERSION", "version 4.1");
  ExpectIncomplete("huge_shape.npy", "NUMPY-MALFORMED-HEADER", "overflows 64 bits");
  ExpectIncomplete("unsupported_dtype.npy", "NUMPY-UNSUPPORTED-DTYPE", "'float64'");
  ExpectIncomplete("missing_key.npy", "NUMPY-MALFORMED-HEADER", "no 'fortran_order'");
  ExpectIncomplete("extra_key.npy", "NUMPY-MALFORMED-HEADER", "unknown header key 'x'");
  ExpectIncomplete("negative_shape.npy", "NUMPY-MALFORMED-HEADER", "negative");
  ExpectIncomplete("bad_utf8_v3.npy", "NUMPY-MALFORMED-HEADER", "UTF-8");
}

TEST(NumpyAnalyzerTest, NoncanonicalHeadersAreLow) {
  const Target padded = Scan("bad_padding.npy");
  const Finding* finding = Only(padded, "NUMPY-NONCANONICAL-HEADER");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->severity, Severity::kLow);
  EXPECT_NE(finding->message.find("comment"), std::string::npos) << finding->message;
  EXPECT_NE(finding->message.find("not 16-aligned"), std::string::npos) << finding->message;
  EXPECT_NE(finding->evidence.find("\\x09# x\\x0a"), std::string::npos) << finding->evidence;
  EXPECT_EQ(padded.status, TargetStatus::kComplete);

  const Target python2 = Scan("python2_long.npy");
  finding = Only(python2, "NUMPY-NONCANONICAL-HEADER");
  ASSERT_NE(finding, nullptr);
  EXPECT_NE(finding->message.find("'L' suffix"), std::string::npos);
  EXPECT_EQ(python2.status, TargetStatus::kComplete);
}

TEST(NumpyAnalyzerTest, LargeHeaderIsLowAndStillParsed) {
  const Target target = Scan("large_header.npy");
  const Finding* large = Only(target, "NUMPY-LARGE-HEADER");
  ASSERT_NE(large, nullptr);
  EXPECT_EQ(large->severity, Severity::kLow);
  EXPECT_EQ(target.status, TargetStatus::kComplete);
  EXPECT_TRUE(WithRule(target, "NUMPY-MALFORMED-HEADER").empty());
}

TEST(NumpyAnalyzerTest, FixtureNpyFilesOfTheExpectationSuiteAreClean) {
  for (const char* name : {"numpy_float.npy", "numpy_int.npy", "numpy_structured.npy",
                           "numpy_object.npy", "numpy_arrays.npz", "numpy_arrays_compressed.npz"}) {
    const Target target = ScanFile((test::FixturesDir() / "clean" / name).string(), Limits{});
    EXPECT_EQ(target.status, TargetStatus::kComplete) << name;
    EXPECT_LT(MaxSeverity(target), Severity::kMedium) << name;
  }
}

}  // namespace
}  // namespace mg
