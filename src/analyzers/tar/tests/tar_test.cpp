// Tests of the TAR analyzer on the files in ../testdata (made by make_tars.py): real archives
// from Python's tarfile and malformed ones written block by block. Each finding has its own
// file and test, and members must reach the engine with the right member chain.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/scan_context.h"
#include "support/findings.h"
#include "support/test_paths.h"

namespace mg {
namespace {

std::filesystem::path TestData(const std::string& name) {
  return test::AnalyzerTestData("tar", name);
}

Target Scan(const std::string& name, const Limits& limits = {}) {
  return ScanFile(TestData(name).string(), limits);
}

using test::AtMember;
using test::Has;
using test::WithRule;

// The probe pickles call tarprobe.<name>, which the pickle analyzer reports as unknown.
bool ProbeReached(const Target& target, const std::vector<std::string>& chain) {
  return AtMember(target, chain, "PICKLE-UNKNOWN") != nullptr;
}

// TAR-* findings above info: a clean archive has none.
std::vector<std::string> TarProblems(const Target& target) {
  std::vector<std::string> rules;
  for (const auto& finding : target.findings) {
    if (finding.rule.rfind("TAR-", 0) == 0 && finding.severity > Severity::kInfo) {
      rules.push_back(finding.rule + ": " + finding.message);
    }
  }
  return rules;
}

std::string First(const std::vector<std::string>& items) {
  return items.empty() ? "" : items.front();
}

void ExpectMaliciousPickleFound(const std::string& file) {
  const Target target = Scan(file);
  EXPECT_EQ(target.format, "tar") << file;
  const Finding* call = AtMember(target, {"dir/data.pkl"}, "PICKLE-DANGEROUS-CALL");
  ASSERT_NE(call, nullptr) << file;
  EXPECT_EQ(call->severity, Severity::kCritical);
  EXPECT_EQ(call->location.path, TestData(file).string());
  EXPECT_NE(call->evidence.find("echo pwned"), std::string::npos) << call->evidence;
  // Text members are data: nothing is reported inside them.
  EXPECT_EQ(AtMember(target, {"dir/notes.txt"}, ""), nullptr) << file;
  EXPECT_TRUE(TarProblems(target).empty()) << file << ": " << First(TarProblems(target));
  EXPECT_EQ(target.status, TargetStatus::kComplete) << file;
}

TEST(TarAnalyzerTest, UstarArchiveFromTarfile) { ExpectMaliciousPickleFound("ustar.tar"); }

TEST(TarAnalyzerTest, GnuArchiveWithLongNameFromTarfile) {
  ExpectMaliciousPickleFound("gnu.tar");
  EXPECT_TRUE(ProbeReached(Scan("gnu.tar"), {"dir/" + std::string(120, 'n') + ".pkl"}));
}

TEST(TarAnalyzerTest, PaxArchiveWithLongAndUnicodeNamesFromTarfile) {
  ExpectMaliciousPickleFound("pax.tar");
  EXPECT_TRUE(ProbeReached(Scan("pax.tar"), {"dir/" + std::string(120, 'n') + ".pkl"}));
}

TEST(TarAnalyzerTest, TorchLegacyTarMembersReachThePickleAnalyzer) {
  const Target target = Scan("torch_legacy.tar");
  EXPECT_EQ(target.format, "tar");
  EXPECT_TRUE(ProbeReached(target, {"pickle"}));
  EXPECT_TRUE(ProbeReached(target, {"storages"}));
  EXPECT_TRUE(TarProblems(target).empty()) << First(TarProblems(target));
  // The plain pickles (an empty dict, an int) are clean.
  EXPECT_EQ(AtMember(target, {"sys_info"}, "PICKLE-"), nullptr);
  EXPECT_EQ(AtMember(target, {"tensors"}, "PICKLE-"), nullptr);
}

TEST(TarAnalyzerTest, EmptyArchiveIsCompleteWithoutFindings) {
  // An empty archive is all zeros: not claimed by sniffing (nothing marks it as tar), and
  // clean when analysed as tar.
  const Target sniffed = Scan("empty.tar");
  EXPECT_EQ(sniffed.status, TargetStatus::kComplete);
  for (const auto& finding : sniffed.findings) EXPECT_EQ(finding.severity, Severity::kInfo);
  Target target;
  const std::string bytes = test::ReadFile(TestData("empty.tar"));
  ScanContext ctx(target, Limits{});
  EXPECT_EQ(AnalyzeBuffer(ctx, ByteView(bytes), "tar"), "tar");
  EXPECT_EQ(target.status, TargetStatus::kComplete);
  EXPECT_TRUE(target.findings.empty());
}

TEST(TarAnalyzerTest, PathTraversalInNames) {
  const Target target = Scan("path_traversal.tar");
  const auto found = WithRule(target, "TAR-PATH-TRAVERSAL");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0]->severity, Severity::kHigh);
  EXPECT_EQ(found[0]->evidence, "../../evil.pkl");
  EXPECT_EQ(found[1]->evidence, "/etc/cron.d/job");
  EXPECT_TRUE(ProbeReached(target, {"../../evil.pkl"}));
}

TEST(TarAnalyzerTest, BackslashesInNames) {
  const Target target = Scan("backslash_name.tar");
  EXPECT_TRUE(Has(target, "TAR-SUSPICIOUS-NAME"));
  EXPECT_TRUE(Has(target, "TAR-PATH-TRAVERSAL"));  // Windows extractors climb on '\..'
}

TEST(TarAnalyzerTest, NulInGnuLongNameHidesATraversal) {
  const Target target = Scan("nul_long_name.tar");
  const auto suspicious = WithRule(target, "TAR-SUSPICIOUS-NAME");
  ASSERT_EQ(suspicious.size(), 1u);
  EXPECT_NE(suspicious[0]->evidence.find("\\x00../../evil.pkl"), std::string::npos);
  EXPECT_TRUE(Has(target, "TAR-PATH-TRAVERSAL"));
}

TEST(TarAnalyzerTest, LinksPointingOutside) {
  const Target target = Scan("symlink_outside.tar");
  const auto found = WithRule(target, "TAR-LINK-OUTSIDE");
  ASSERT_EQ(found.size(), 2u);  // 'model/inside' resolves to model/notes.txt: fine
  EXPECT_EQ(found[0]->severity, Severity::kHigh);
  EXPECT_EQ(found[0]->evidence, "model/weights -> ../../../etc");
  EXPECT_EQ(found[1]->evidence, "model/hard -> /etc/hostname");
  EXPECT_FALSE(Has(target, "TAR-LINK-CREDENTIALS"));
}

TEST(TarAnalyzerTest, LinksPointingAtCredentials) {
  const Target target = Scan("symlink_credentials.tar");
  const auto found = WithRule(target, "TAR-LINK-CREDENTIALS");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0]->severity, Severity::kHigh);
  EXPECT_EQ(found[0]->evidence, "model/config.json -> /home/user/.aws/credentials");
  // A hard link's target is relative to the archive root, so 'etc/shadow' stays inside.
  EXPECT_EQ(WithRule(target, "TAR-LINK-OUTSIDE").size(), 1u);
}

TEST(TarAnalyzerTest, MemberWrittenThroughAnEarlierSymlink) {
  const Target target = Scan("through_link.tar");
  const auto found = WithRule(target, "TAR-THROUGH-LINK");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->evidence, "dir/authorized_keys");
  EXPECT_TRUE(Has(target, "TAR-LINK-CREDENTIALS"));
}

TEST(TarAnalyzerTest, LinkTargetThroughAnEarlierSymlink) {
  // 'etc' -> /etc, then a hard link to 'etc/passwd': relative to the root, but it links the
  // real /etc/passwd once extracted.
  const Target target = Scan("link_through_link.tar");
  const auto found = WithRule(target, "TAR-THROUGH-LINK");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->evidence, "model/shadow -> etc/passwd");
  EXPECT_EQ(WithRule(target, "TAR-LINK-OUTSIDE").size(), 1u);  // only the symlink itself
}

TEST(TarAnalyzerTest, DeviceNodesAndFifos) {
  const Target target = Scan("devices.tar");
  const auto devices = WithRule(target, "TAR-DEVICE-NODE");
  ASSERT_EQ(devices.size(), 2u);
  EXPECT_EQ(devices[0]->severity, Severity::kHigh);
  EXPECT_EQ(devices[0]->evidence, "dev/mem");
  const auto fifos = WithRule(target, "TAR-FIFO");
  ASSERT_EQ(fifos.size(), 1u);
  EXPECT_EQ(fifos[0]->severity, Severity::kMedium);
}

TEST(TarAnalyzerTest, DuplicateNamesAreReportedAndEveryCopyAnalysed) {
  const Target target = Scan("duplicate_names.tar");
  const auto found = WithRule(target, "TAR-DUPLICATE-NAME");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->evidence, "dir/data.pkl");
  int probes = 0;
  for (const auto& finding : target.findings) {
    probes += finding.location.member == std::vector<std::string>{"dir/data.pkl"} &&
              finding.rule == "PICKLE-UNKNOWN-CALL";
  }
  EXPECT_GE(probes, 2);
}

TEST(TarAnalyzerTest, PaxPathDifferingFromUstarName) {
  const Target target = Scan("pax_path_mismatch.tar");
  const auto found = WithRule(target, "TAR-PAX-MISMATCH");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0]->evidence.find("../evil.pkl"), std::string::npos);
  EXPECT_TRUE(Has(target, "TAR-PATH-TRAVERSAL"));
  EXPECT_TRUE(ProbeReached(target, {"../evil.pkl"}));  // tarfile's name for it
}

TEST(TarAnalyzerTest, PaxSizeMismatchAnalysesBothReadings) {
  const Target target = Scan("pax_size_mismatch.tar");
  EXPECT_TRUE(Has(target, "TAR-PAX-MISMATCH"));
  // tarfile reads the pax-sized member and then the header hidden in the ustar-sized data.
  EXPECT_TRUE(ProbeReached(target, {"model/data.pkl"}));
  EXPECT_TRUE(ProbeReached(target, {"hidden.pkl"}));
  // A reader that ignores pax reads the whole ustar-sized member.
  EXPECT_NE(AtMember(target, {"model/data.pkl [ustar reading]"}, "PICKLE-"), nullptr);
}

TEST(TarAnalyzerTest, PrefixAreaOfAGnuHeaderIsReadDifferently) {
  const Target target = Scan("gnu_prefix.tar");
  const auto found = WithRule(target, "TAR-NAME-DISAGREEMENT");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->evidence, "../../data.pkl vs data.pkl");
  EXPECT_TRUE(Has(target, "TAR-PATH-TRAVERSAL"));  // tarfile's name climbs
  EXPECT_TRUE(ProbeReached(target, {"../../data.pkl"}));
  // GNU-format archives from tarfile leave that area empty.
  EXPECT_FALSE(Has(Scan("gnu.tar"), "TAR-NAME-DISAGREEMENT"));
}

TEST(TarAnalyzerTest, GlobalPaxPathRenamesEveryMember) {
  const Target target = Scan("global_pax.tar");
  EXPECT_TRUE(Has(target, "TAR-PAX-MISMATCH"));
  EXPECT_TRUE(Has(target, "TAR-DUPLICATE-NAME"));  // both members become model/data.pkl
  // A global header without path, linkpath or size changes nothing.
  EXPECT_TRUE(TarProblems(Scan("global_pax_comment.tar")).empty());
}

TEST(TarAnalyzerTest, TruncatedArchiveIsIncomplete) {
  const Target target = Scan("truncated.tar");
  const auto found = WithRule(target, "TAR-TRUNCATED");
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found[0]->severity, Severity::kMedium);
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
}

TEST(TarAnalyzerTest, MissingEndMarkerIsIncompleteButMembersAnalysed) {
  const Target target = Scan("no_end_marker.tar");
  EXPECT_TRUE(Has(target, "TAR-TRUNCATED"));
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  EXPECT_TRUE(ProbeReached(target, {"dir/data.pkl"}));
}

TEST(TarAnalyzerTest, BadChecksumIsReportedAndScanningContinues) {
  const Target target = Scan("bad_checksum.tar");
  const auto found = WithRule(target, "TAR-BAD-CHECKSUM");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->severity, Severity::kMedium);
  EXPECT_EQ(found[0]->location.offset, 1024u);
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  // GNU tar skips to the next valid header; tarfile would have stopped.
  EXPECT_TRUE(ProbeReached(target, {"dir/data.pkl [after bad header]"}));
}

TEST(TarAnalyzerTest, BadChecksumOnTheFirstHeaderStillSniffsAsTar) {
  const Target target = Scan("bad_checksum_first.tar");
  EXPECT_EQ(target.format, "tar");
  EXPECT_TRUE(Has(target, "TAR-BAD-CHECKSUM"));
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  // The bytes no reader can place are still sniffed: the pickle in them is found.
  EXPECT_TRUE(ProbeReached(target, {"<data after bad header at 0x0>"}));
}

TEST(TarAnalyzerTest, PickleWithUstarMagicStaysAPickle) {
  const Target sniffed = Scan("ustar_magic_pickle.bin");
  EXPECT_EQ(sniffed.format, "pickle");
  EXPECT_TRUE(ProbeReached(sniffed, {}));
  // Even when forced through the tar analyzer, the file is also read as what it sniffs as.
  Target target;
  const std::string bytes = test::ReadFile(TestData("ustar_magic_pickle.bin"));
  ScanContext ctx(target, Limits{});
  AnalyzeBuffer(ctx, ByteView(bytes), "tar");
  EXPECT_TRUE(Has(target, "TAR-TRUNCATED"));  // 295 bytes: not even one header
  EXPECT_TRUE(ProbeReached(target, {"<whole file>"}));
}

TEST(TarAnalyzerTest, TarThatIsAlsoAPickleIsReadBothWays) {
  const Target target = Scan("pickle_polyglot.tar");
  EXPECT_EQ(target.format, "tar");  // what torch.load reads
  const auto found = WithRule(target, "TAR-POLYGLOT");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->severity, Severity::kHigh);
  const Finding* call = AtMember(target, {"pickle"}, "PICKLE-DANGEROUS-CALL");
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->severity, Severity::kCritical);
  EXPECT_NE(AtMember(target, {"<whole file>"}, "PICKLE-"), nullptr);  // what pickle.load reads
  // A tar from tarfile reads as nothing else, and a name that is a trivial pickle ('N.')
  // is no polyglot worth reporting.
  EXPECT_FALSE(Has(Scan("ustar.tar"), "TAR-POLYGLOT"));
  const Target trivial = Scan("pickle_like_name.tar");
  EXPECT_FALSE(Has(trivial, "TAR-POLYGLOT"));
  EXPECT_TRUE(TarProblems(trivial).empty()) << First(TarProblems(trivial));
}

TEST(TarAnalyzerTest, UnreadableNumericFieldIsMalformed) {
  const Target target = Scan("bad_size_field.tar");
  EXPECT_TRUE(Has(target, "TAR-MALFORMED"));
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  EXPECT_TRUE(ProbeReached(target, {"dir/data.pkl [after bad header]"}));
}

TEST(TarAnalyzerTest, SignedChecksumIsAccepted) {
  const Target target = Scan("signed_checksum.tar");
  EXPECT_EQ(target.format, "tar");
  EXPECT_TRUE(TarProblems(target).empty()) << First(TarProblems(target));
  EXPECT_TRUE(ProbeReached(target, {"caf\xe9.pkl"}));
}

TEST(TarAnalyzerTest, Base256SizeIsRead) {
  const Target target = Scan("base256_size.tar");
  EXPECT_TRUE(TarProblems(target).empty()) << First(TarProblems(target));
  EXPECT_TRUE(ProbeReached(target, {"dir/data.pkl"}));
}

TEST(TarAnalyzerTest, MembersAfterTheEndMarkerAreAnalysed) {
  const Target target = Scan("data_after_end.tar");
  const auto found = WithRule(target, "TAR-DATA-AFTER-END");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->severity, Severity::kMedium);
  EXPECT_TRUE(ProbeReached(target, {"after.pkl [after end of archive]"}));
}

TEST(TarAnalyzerTest, TrailingBytesAfterTheEndAreLowAndSniffed) {
  const Target target = Scan("trailing_garbage.tar");
  const auto found = WithRule(target, "TAR-DATA-AFTER-END");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->severity, Severity::kLow);
  EXPECT_TRUE(ProbeReached(target, {"<data after end of archive>"}));
}

TEST(TarAnalyzerTest, DataDeclaredOnASymlink) {
  const Target target = Scan("data_on_symlink.tar");
  EXPECT_TRUE(Has(target, "TAR-DATA-ON-NON-FILE"));
  EXPECT_NE(AtMember(target, {"link [declared data]"}, "PICKLE-"), nullptr);
}

TEST(TarAnalyzerTest, GnuSparseMemberIsRebuilt) {
  const Target target = Scan("gnu_sparse.tar");
  const auto found = WithRule(target, "TAR-SPARSE");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->severity, Severity::kInfo);
  EXPECT_TRUE(ProbeReached(target, {"sparse.pkl"}));
  EXPECT_EQ(target.status, TargetStatus::kComplete);
}

TEST(TarAnalyzerTest, PaxSparseMemberIsIncomplete) {
  const Target target = Scan("pax_sparse.tar");
  const auto found = WithRule(target, "TAR-SPARSE");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->severity, Severity::kMedium);
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  // GNU.sparse.name differing from the GNUSparseFile.0/ ustar name is how GNU tar writes it.
  EXPECT_FALSE(Has(target, "TAR-PAX-MISMATCH"));
}

TEST(TarAnalyzerTest, MalformedPaxRecordIsReportedAndEarlierRecordsApplied) {
  const Target target = Scan("pax_bad_record.tar");
  const auto found = WithRule(target, "TAR-MALFORMED");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  // The valid first record renames the member (and so differs from its ustar name).
  EXPECT_TRUE(ProbeReached(target, {"model/a.txt"}));
  EXPECT_TRUE(Has(target, "TAR-PAX-MISMATCH"));
}

TEST(TarAnalyzerTest, RepeatedFindingsAreCapped) {
  const Target target = Scan("many_traversals.tar");
  EXPECT_EQ(WithRule(target, "TAR-PATH-TRAVERSAL").size(), 20u);
  const auto capped = WithRule(target, "TAR-FINDINGS-CAPPED");
  ASSERT_EQ(capped.size(), 1u);
  EXPECT_NE(capped[0]->message.find("TAR-PATH-TRAVERSAL: 10 more"), std::string::npos);
}

TEST(TarAnalyzerTest, MemberLimit) {
  Limits limits;
  limits.max_members = 10;
  const Target target = Scan("many_members.tar", limits);
  const auto found = WithRule(target, "TAR-TOO-MANY-MEMBERS");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->severity, Severity::kMedium);
  EXPECT_EQ(target.status, TargetStatus::kIncomplete);
  EXPECT_TRUE(TarProblems(Scan("many_members.tar")).empty());
}

}  // namespace
}  // namespace mg
