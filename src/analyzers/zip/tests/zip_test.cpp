// Tests of the ZIP analyzer on the files in ../testdata (made by make_zips.py and
// make_torch.py): each discrepancy has its own file and test, and members must reach the
// engine with the right member chain.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "analyzers/zip/archive.h"
#include "engine/engine.h"
#include "engine/rule_catalog.h"
#include "support/findings.h"
#include "support/test_paths.h"

namespace mg {
namespace {

std::filesystem::path TestData(const std::string& name) {
  return test::AnalyzerTestData("zip", name);
}

Target Scan(const std::string& name, const Limits& limits = {}) {
  return ScanFile(TestData(name).string(), limits);
}

using test::AtMember;
using test::Has;
using test::WithRule;

// ZIP-* findings other than the informational ones: a clean archive has none.
std::vector<std::string> ZipProblems(const Target& target) {
  std::vector<std::string> rules;
  for (const auto& finding : target.findings) {
    if (finding.rule.rfind("ZIP-", 0) == 0 && finding.severity > Severity::kInfo) {
      rules.push_back(finding.rule);
    }
  }
  return rules;
}

void ExpectMembersReachEngine(const std::string& file) {
  const Target target = Scan(file);
  EXPECT_EQ(target.format, "zip");
  // The pickle member goes to the pickle analyzer, which reports its unknown global there.
  const Finding* pickle = AtMember(target, {"archive/data.pkl"}, "PICKLE-");
  ASSERT_NE(pickle, nullptr) << file;
  EXPECT_EQ(pickle->location.path, TestData(file).string());
  // Text inside an archive is data: the engine reports nothing for it.
  EXPECT_EQ(AtMember(target, {"archive/notes.txt"}, ""), nullptr) << file;
  EXPECT_TRUE(ZipProblems(target).empty()) << file << ": " << ZipProblems(target).front();
}

TEST(ZipAnalyzerTest, StoredMembersOfARealArchiveReachTheEngine) {
  ExpectMembersReachEngine("real_stored.zip");
}

TEST(ZipAnalyzerTest, DeflatedMembersOfARealArchiveReachTheEngine) {
  ExpectMembersReachEngine("real_deflated.zip");
}

TEST(ZipAnalyzerTest, CraftedStoredAndDeflatedArchivesReachTheEngine) {
  ExpectMembersReachEngine("stored.zip");
  ExpectMembersReachEngine("deflated.zip");
}

TEST(ZipAnalyzerTest, TorchCheckpointPickleIsAnalysedInItsMember) {
  const Target target = Scan("torch_small.pt");
  EXPECT_EQ(target.format, "zip");
  // A clean checkpoint: nothing at or above medium anywhere, storages and version included.
  for (const auto& finding : target.findings) {
    EXPECT_LT(finding.severity, Severity::kMedium) << finding.rule << " " << finding.message;
  }
  EXPECT_EQ(target.status, TargetStatus::kComplete);
  // PyTorch writes data descriptors and a ZIP64 end record: normal, not a discrepancy.
  EXPECT_TRUE(ZipProblems(target).empty());
  EXPECT_TRUE(Has(target, "ZIP-ZIP64"));
}

TEST(ZipAnalyzerTest, PklMemberGoesToThePickleAnalyzerWhateverItsFirstBytes) {
  const Target target = Scan("protocol0_pickle.zip");
  EXPECT_NE(AtMember(target, {"archive/data.pkl"}, "PICKLE-"), nullptr);
  EXPECT_EQ(AtMember(target, {"archive/data.pkl"}, "SCAN-UNRECOGNIZED-FORMAT"), nullptr);
}

TEST(ZipAnalyzerTest, NestedArchiveExtendsTheMemberChain) {
  const Target target = Scan("nested.zip");
  EXPECT_NE(AtMember(target, {"inner.zip", "archive/data.pkl"}, "PICKLE-"), nullptr);
}

TEST(ZipAnalyzerTest, StoredNestedArchiveIsNoRivalEndRecord) {
  const Target target = Scan("nested_stored.zip");
  EXPECT_TRUE(ZipProblems(target).empty()) << ZipProblems(target).front();
  EXPECT_NE(AtMember(target, {"inner.zip", "archive/data.pkl"}, "PICKLE-"), nullptr);
  // The inner members are not also listed as members of the outer archive.
  EXPECT_EQ(AtMember(target, {"archive/data.pkl"}, "PICKLE-"), nullptr);
}

TEST(ZipAnalyzerTest, EmptyArchiveIsCompleteWithoutFindings) {
  const Target target = Scan("empty.zip");
  EXPECT_EQ(target.format, "zip");
  EXPECT_EQ(target.status, TargetStatus::kComplete);
  EXPECT_TRUE(target.findings.empty());
}

TEST(ZipAnalyzerTest, LocalAndCentralNameMismatch) {
  const Target target = Scan("name_mismatch.zip");
  const auto found = WithRule(target, "ZIP-NAME-MISMATCH");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->severity, Severity::kHigh);
  EXPECT_NE(found[0]->evidence.find("archive/evil.pkl"), std::string::npos);
  // Same bytes under both names: analysed once, under the central name.
  EXPECT_NE(AtMember(target, {"archive/data.pkl"}, "PICKLE-"), nullptr);
}

TEST(ZipAnalyzerTest, DuplicateNamesAreReportedAndEveryCopyAnalysed) {
  const Target target = Scan("duplicate_names.zip");
  ASSERT_TRUE(Has(target, "ZIP-DUPLICATE-NAME"));
  int pickles = 0;
  for (const auto& finding : target.findings) {
    pickles += finding.location.member == std::vector<std::string>{"archive/data.pkl"} &&
               finding.rule.rfind("PICKLE-", 0) == 0;
  }
  EXPECT_GE(pickles, 2);
}

TEST(ZipAnalyzerTest, EncryptionFlagOnPlainDataIsReportedAndAnalysed) {
  const Target target = Scan("false_encryption.zip");
  EXPECT_TRUE(Has(target, "ZIP-FALSE-ENCRYPTION-FLAG"));
  EXPECT_FALSE(Has(target, "ZIP-ENCRYPTED"));
  EXPECT_NE(AtMember(target, {"archive/data.pkl"}, "PICKLE-"), nullptr);
}

TEST(ZipAnalyzerTest, EncryptedMemberIsIncompleteMedium) {
  const Target target = Scan("encrypted.zip");
  const auto found = WithRule(target, "ZIP-ENCRYPTED");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->severity, Severity::kMedium);
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
}

TEST(ZipAnalyzerTest, FlagsDifferingBetweenHeaders) {
  const Target target = Scan("flag_mismatch.zip");
  const auto found = WithRule(target, "ZIP-HEADER-MISMATCH");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0]->evidence.find("flags"), std::string::npos);
  EXPECT_FALSE(Has(target, "ZIP-OVERLAPPING-MEMBERS"));
}

TEST(ZipAnalyzerTest, DataDescriptorsAreReadAndCompared) {
  // A correct descriptor is not a discrepancy and is part of its member (no gap).
  const Target good = Scan("descriptor.zip");
  EXPECT_TRUE(ZipProblems(good).empty()) << ZipProblems(good).front();
  EXPECT_NE(AtMember(good, {"archive/data.pkl"}, "PICKLE-"), nullptr);
  const Target bad = Scan("descriptor_mismatch.zip");
  const auto found = WithRule(bad, "ZIP-HEADER-MISMATCH");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0]->evidence.find("0xdeadbeef"), std::string::npos);
}

TEST(ZipAnalyzerTest, ReservedFlagBits) {
  EXPECT_TRUE(Has(Scan("reserved_flags.zip"), "ZIP-RESERVED-FLAGS"));
}

TEST(ZipAnalyzerTest, CrcMismatchIsReportedButTheMemberStillAnalysed) {
  const Target target = Scan("crc_mismatch.zip");
  EXPECT_TRUE(Has(target, "ZIP-CRC-MISMATCH"));
  EXPECT_NE(AtMember(target, {"archive/data.pkl"}, "PICKLE-"), nullptr);
}

TEST(ZipAnalyzerTest, StoredSizesDifferAndBothLengthsAreAnalysed) {
  const Target target = Scan("size_mismatch.zip");
  EXPECT_TRUE(Has(target, "ZIP-SIZE-MISMATCH"));
  EXPECT_NE(AtMember(target, {"archive/data.pkl"}, "PICKLE-"), nullptr);
  EXPECT_NE(AtMember(target, {"archive/data.pkl [uncompressed size]"}, "PICKLE-"), nullptr);
}

TEST(ZipAnalyzerTest, MethodMismatchAnalysesBothReadings) {
  const Target target = Scan("method_mismatch.zip");
  EXPECT_TRUE(Has(target, "ZIP-HEADER-MISMATCH"));
  // The central header says stored: the raw deflate bytes are what that reader unpickles.
  EXPECT_NE(AtMember(target, {"archive/data.pkl"}, "PICKLE-"), nullptr);
  EXPECT_TRUE(Has(target, "ZIP-CRC-MISMATCH"));
  // The local header says deflated: a streaming reader gets the pickle.
  EXPECT_NE(AtMember(target, {"archive/data.pkl [local header]"}, "PICKLE-"), nullptr);
}

TEST(ZipAnalyzerTest, PrependedPickleIsAPolyglotAnalysedBothWays) {
  const Target target = Scan("prepended_pickle.zip");
  EXPECT_EQ(target.format, "zip");
  EXPECT_TRUE(Has(target, "ZIP-PREPENDED-DATA"));
  // Offsets were not adjusted (cat pickle zip): zipfile shifts them, miniz does not.
  EXPECT_TRUE(Has(target, "ZIP-OFFSET-MISMATCH"));
  EXPECT_NE(AtMember(target, {"<prepended data>"}, "PICKLE-"), nullptr);
}

TEST(ZipAnalyzerTest, PrependedDataWithAdjustedOffsets) {
  const Target target = Scan("prepended_adjusted.zip");
  EXPECT_TRUE(Has(target, "ZIP-PREPENDED-DATA"));
  EXPECT_FALSE(Has(target, "ZIP-OFFSET-MISMATCH"));
  EXPECT_NE(AtMember(target, {"<prepended data>"}, "PICKLE-"), nullptr);
}

TEST(ZipAnalyzerTest, PrependedDataBeforeZip64RecordsIsFollowed) {
  const Target target = Scan("prepended_zip64.zip");
  EXPECT_TRUE(Has(target, "ZIP-PREPENDED-DATA"));
  EXPECT_TRUE(Has(target, "ZIP-OFFSET-MISMATCH"));
  EXPECT_FALSE(Has(target, "ZIP-MALFORMED"));
  EXPECT_FALSE(Has(target, "ZIP-UNREFERENCED-DATA"));
  EXPECT_NE(AtMember(target, {"archive/data.pkl"}, "PICKLE-"), nullptr);
  EXPECT_NE(AtMember(target, {"<prepended data>"}, "PICKLE-"), nullptr);
}

TEST(ZipAnalyzerTest, AppendedData) {
  const Target target = Scan("appended.zip");
  const auto found = WithRule(target, "ZIP-APPENDED-DATA");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->severity, Severity::kLow);
}

TEST(ZipAnalyzerTest, CentralDirectoryCountMismatch) {
  EXPECT_TRUE(Has(Scan("count_mismatch.zip"), "ZIP-COUNT-MISMATCH"));
}

TEST(ZipAnalyzerTest, Zip64EndRecordIsReadAndReported) {
  const Target target = Scan("zip64.zip");
  EXPECT_TRUE(Has(target, "ZIP-ZIP64"));
  EXPECT_TRUE(ZipProblems(target).empty());
  EXPECT_NE(AtMember(target, {"archive/data.pkl"}, "PICKLE-"), nullptr);
}

TEST(ZipAnalyzerTest, OverlappingMembers) {
  const Target target = Scan("overlapping.zip");
  EXPECT_TRUE(Has(target, "ZIP-OVERLAPPING-MEMBERS"));
  EXPECT_NE(AtMember(target, {"inner.pkl"}, "PICKLE-"), nullptr);
}

TEST(ZipAnalyzerTest, MultipleEndRecordsAreAllFollowed) {
  const Target target = Scan("multiple_end_records.zip");
  EXPECT_TRUE(Has(target, "ZIP-MULTIPLE-END-RECORDS"));
  // Each end record lists a different member; both are analysed.
  EXPECT_NE(AtMember(target, {"archive/b.pkl"}, "PICKLE-"), nullptr);
  EXPECT_NE(AtMember(target, {"archive/a.txt"}, "PICKLE-"), nullptr);  // sniffed by content
}

TEST(ZipAnalyzerTest, LocalEntryMissingFromTheCentralDirectoryIsAnalysed) {
  const Target target = Scan("hidden_member.zip");
  EXPECT_TRUE(Has(target, "ZIP-UNREFERENCED-DATA"));
  EXPECT_NE(AtMember(target, {"archive/hidden.pkl [not in central directory]"}, "PICKLE-"),
            nullptr);
}

TEST(ZipAnalyzerTest, PathTraversalAndSuspiciousNames) {
  const Target target = Scan("path_traversal.zip");
  const auto traversal = WithRule(target, "ZIP-PATH-TRAVERSAL");
  ASSERT_EQ(traversal.size(), 3u);  // '..', absolute, drive letter
  EXPECT_EQ(traversal[0]->evidence, "../../outside.txt");
  EXPECT_EQ(traversal[1]->evidence, "/etc/absolute.txt");
  EXPECT_EQ(traversal[2]->evidence, "C:/drive.txt");
  const auto suspicious = WithRule(target, "ZIP-SUSPICIOUS-NAME");
  ASSERT_EQ(suspicious.size(), 2u);                        // backslash, NUL
  EXPECT_EQ(suspicious[1]->evidence, "nul\\x00byte.txt");  // escaped, never a raw NUL
}

TEST(ZipAnalyzerTest, UnsupportedMethodFailsClosed) {
  const Target target = Scan("unsupported_method.zip");
  const auto found = WithRule(target, "ZIP-UNSUPPORTED-METHOD");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_GE(found[0]->severity, Severity::kMedium);
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
}

TEST(ZipAnalyzerTest, Bzip2XzAndZstdMembersAreDecodedAndAnalysed) {
  for (const char* name : {"bzip2.zip", "xz.zip", "zstd.zip"}) {
    const Target target = Scan(name);
    EXPECT_EQ(target.status, TargetStatus::kComplete) << name;
    EXPECT_NE(AtMember(target, {"archive/data.pkl"}, "PICKLE-"), nullptr) << name;
    EXPECT_FALSE(Has(target, "ZIP-UNSUPPORTED-METHOD")) << name;
    EXPECT_FALSE(Has(target, "ZIP-DATA-ERROR")) << name;
  }
}

TEST(ZipAnalyzerTest, CorruptBzip2MemberIsADataError) {
  const Target target = Scan("bzip2_corrupt.zip");
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  const auto found = WithRule(target, "ZIP-DATA-ERROR");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0]->message.find("bzip2 stream"), std::string::npos) << found[0]->message;
}

TEST(ZipAnalyzerTest, TruncatedArchiveIsIncompleteButLocalEntriesAreAnalysed) {
  const Target target = Scan("truncated.zip");
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  const auto found = WithRule(target, "ZIP-MALFORMED");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->severity, Severity::kMedium);
  EXPECT_NE(AtMember(target, {"archive/data.pkl"}, "PICKLE-"), nullptr);
  EXPECT_TRUE(Has(target, "ZIP-DATA-ERROR"));
}

TEST(ZipAnalyzerTest, GarbageAfterMagicIsIncomplete) {
  const Target target = Scan("garbage.zip");
  EXPECT_EQ(target.format, "zip");
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  EXPECT_TRUE(Has(target, "ZIP-MALFORMED"));
}

TEST(ZipAnalyzerTest, CompressionRatioBombStopsFastAtTheLimit) {
  const auto start = std::chrono::steady_clock::now();
  const Target target = Scan("ratio_bomb.zip");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  const auto found = WithRule(target, "ZIP-COMPRESSION-RATIO");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->severity, Severity::kHigh);
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
}

TEST(ZipAnalyzerTest, DecompressionBudgetHoldsAcrossTheArchive) {
  Limits limits;
  limits.max_compression_ratio = 100000;  // let the ratio pass: the budget must stop it
  limits.max_decompressed_bytes = 1 << 20;
  const Target target = Scan("ratio_bomb.zip", limits);
  EXPECT_TRUE(Has(target, "SCAN-LIMIT-DECOMPRESSED"));
  EXPECT_FALSE(Has(target, "ZIP-COMPRESSION-RATIO"));
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
}

TEST(ZipAnalyzerTest, OverlappingBombIsStoppedByTheBudget) {
  Limits limits;
  limits.max_decompressed_bytes = 64 << 20;
  const auto start = std::chrono::steady_clock::now();
  const Target target = Scan("overlap_bomb.zip", limits);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_TRUE(Has(target, "ZIP-OVERLAPPING-MEMBERS"));
  EXPECT_TRUE(Has(target, "ZIP-DUPLICATE-NAME"));
  EXPECT_TRUE(Has(target, "SCAN-LIMIT-DECOMPRESSED"));
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
}

TEST(ZipAnalyzerTest, DeclaredTotalBeyondTheBudget) {
  Limits limits;
  limits.max_decompressed_bytes = 1 << 20;
  const Target target = Scan("declared_size.zip", limits);
  EXPECT_TRUE(Has(target, "ZIP-DECLARED-SIZE"));
  // The stream itself is small and ends early: a size mismatch, and the pickle is analysed.
  EXPECT_TRUE(Has(target, "ZIP-SIZE-MISMATCH"));
  EXPECT_NE(AtMember(target, {"archive/data.pkl"}, "PICKLE-"), nullptr);
}

TEST(ZipAnalyzerTest, MemberCountLimit) {
  Limits limits;
  limits.max_members = 10;
  const Target target = Scan("many_members.zip", limits);
  EXPECT_EQ(WithRule(target, "ZIP-TOO-MANY-MEMBERS").size(), 1u);
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  // The members left out are not reported as unreferenced data.
  EXPECT_FALSE(Has(target, "ZIP-UNREFERENCED-DATA"));
  std::size_t analysed = 0;
  for (const auto& finding : target.findings) analysed += !finding.location.member.empty();
  EXPECT_EQ(analysed, 10u);
}

TEST(ZipAnalyzerTest, RepeatedFindingsAreCappedAndCounted) {
  const Target target = Scan("many_crc_mismatches.zip");
  EXPECT_EQ(WithRule(target, "ZIP-CRC-MISMATCH").size(), 20u);
  // The local headers keep the right CRC: each disagreement is also a header mismatch.
  EXPECT_EQ(WithRule(target, "ZIP-HEADER-MISMATCH").size(), 20u);
  const auto capped = WithRule(target, "ZIP-FINDINGS-CAPPED");
  ASSERT_EQ(capped.size(), 2u);
  EXPECT_EQ(capped[0]->message.rfind("ZIP-CRC-MISMATCH: 5 more", 0), 0u);
  EXPECT_EQ(capped[1]->message.rfind("ZIP-HEADER-MISMATCH: 5 more", 0), 0u);
}

TEST(ZipAnalyzerTest, SniffScores) {
  auto sniff = [](const std::string& file) {
    const std::string bytes = test::ReadFile(TestData(file));
    return zip::SniffZip(ByteView(bytes));
  };
  EXPECT_EQ(sniff("stored.zip"), 100);
  EXPECT_EQ(sniff("empty.zip"), 100);
  const int polyglot = sniff("prepended_pickle.zip");
  EXPECT_GT(polyglot, 0);
  EXPECT_LT(polyglot, 100);
  EXPECT_GT(sniff("prepended_adjusted.zip"), 0);
  EXPECT_EQ(zip::SniffZip(ByteView(std::string_view("\x80\x02K\x07.", 5))), 0);
  EXPECT_EQ(zip::SniffZip(ByteView(std::string_view("just text, nothing else"))), 0);
}

TEST(ZipAnalyzerTest, EveryReportedRuleIsInTheCatalogue) {
  for (const auto& entry : std::filesystem::directory_iterator(TestData(""))) {
    if (entry.path().extension() == ".py") continue;
    const Target target = ScanFile(entry.path().string(), Limits{});
    for (const auto& finding : target.findings) {
      if (finding.rule.rfind("ZIP-", 0) != 0) continue;
      EXPECT_NE(FindRule(finding.rule), nullptr) << finding.rule;
    }
  }
}

}  // namespace
}  // namespace mg
