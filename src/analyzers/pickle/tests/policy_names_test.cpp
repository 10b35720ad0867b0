// The policy's pickle_globals lists (engine/name_lists.h) applied by the pickle VM: an allowed
// unknown global is no longer unknown, a denied one is PICKLE-POLICY-DENIED-GLOBAL, and the
// built-in denylist wins over any allow entry.
#include <gtest/gtest.h>

#include <string>

#include "analyzers/pickle/tests/pickle_builder.h"
#include "support/name_lists.h"
#include "support/test_paths.h"

namespace mg::pickle::test {
namespace {

using mg::test::NameLists;

Scan AnalyzeWith(const std::string& bytes, const NameLists& names) {
  Scan scan;
  scan.target.path = "test.pkl";
  ScanContext ctx(scan.target, Limits{}, &names.lists());
  AnalyzeBuffer(ctx, ByteView(std::string_view(bytes)), "pickle");
  return scan;
}

// pickletools: PROTO 2, GLOBAL 'mylab.models Net', EMPTY_TUPLE, NEWOBJ, STOP: an instance of a
// class of the team's own code.
std::string OwnClassPickle() {
  return PickleBuilder().Proto(2).Global("mylab.models", "Net").Op(')').Op(0x81).Stop().bytes();
}

std::string ReadFixture(const std::string& relative) {
  return mg::test::ReadFile(mg::test::FixturesDir() / relative);
}

TEST(PicklePolicyNames, WithoutListsAnOwnClassIsUnknown) {
  const Scan scan = Analyze(OwnClassPickle());
  EXPECT_NE(scan.First("PICKLE-UNKNOWN-CALL"), nullptr);
  EXPECT_EQ(scan.First("PICKLE-POLICY-DENIED-GLOBAL"), nullptr);
}

TEST(PicklePolicyNames, AnAllowedGlobalIsNotUnknown) {
  for (const auto entry : {"mylab.models.Net", "mylab.*", "mylab.models."}) {
    const Scan scan =
        AnalyzeWith(OwnClassPickle(), NameLists().Allow(NameKind::kPickleGlobal, {entry}));
    EXPECT_TRUE(scan.target.findings.empty()) << entry << ": " << scan.target.findings[0].rule;
  }
  // An exact entry for the module does not cover its classes; other kinds' lists do not count.
  Scan scan = AnalyzeWith(OwnClassPickle(), NameLists()
                                                .Allow(NameKind::kPickleGlobal, {"mylab.models"})
                                                .Allow(NameKind::kKerasModule, {"mylab.*"}));
  EXPECT_NE(scan.First("PICKLE-UNKNOWN-CALL"), nullptr);
  // Only the allowed global is vouched for: the other one stays unknown.
  const std::string two = PickleBuilder()
                              .Proto(2)
                              .Global("mylab.models", "Net")
                              .Op(')')
                              .Op(0x81)
                              .Global("otherlab", "Net")
                              .Op(')')
                              .Op(0x81)
                              .Tuple2()
                              .Stop()
                              .bytes();
  scan = AnalyzeWith(two, NameLists().Allow(NameKind::kPickleGlobal, {"mylab.*"}));
  const auto unknown = scan.Find("PICKLE-UNKNOWN-CALL");
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_NE(unknown[0]->message.find("otherlab.Net"), std::string::npos);
}

TEST(PicklePolicyNames, TheBuiltInDenylistStillFiresWhenAllowed) {
  const NameLists names = NameLists().Allow(
      NameKind::kPickleGlobal, {"os.system", "os.*", "posix.system", "builtins.*", "mylab.*"});
  const Scan os_system = AnalyzeWith(ReadFixture("malicious/os_system_p2.pkl"), names);
  const Finding* call = os_system.First("PICKLE-DANGEROUS-CALL");
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->severity, Severity::kCritical);
  const Scan eval = AnalyzeWith(ReadFixture("malicious/builtins_eval.pkl"), names);
  EXPECT_NE(eval.First("PICKLE-DANGEROUS-CALL"), nullptr);
  // A dunder walk below an allowed class reaches internals: a trampoline, not the class.
  const Scan walk = AnalyzeWith(
      PickleBuilder().Proto(4).Global("mylab", "Net.__init__.__globals__").Stop().bytes(), names);
  EXPECT_NE(walk.First("PICKLE-DANGEROUS-GLOBAL"), nullptr);
}

TEST(PicklePolicyNames, ADeniedBenignGlobalIsReportedOnItsOwn) {
  // A real scikit-learn pickle: every global is on the built-in allowlist.
  const std::string logreg = ReadFixture("clean/sklearn_logreg_p4.pkl");
  ASSERT_TRUE(Analyze(logreg).target.findings.empty());
  const Scan scan =
      AnalyzeWith(logreg, NameLists().Deny(NameKind::kPickleGlobal, {"sklearn.linear_model.*"}));
  const auto denied = scan.Find("PICKLE-POLICY-DENIED-GLOBAL");
  ASSERT_EQ(denied.size(), 1u);
  EXPECT_EQ(denied[0]->severity, Severity::kCritical);
  EXPECT_EQ(denied[0]->evidence,
            "sklearn.linear_model._logistic.LogisticRegression (policy deny entry "
            "'sklearn.linear_model.*')");
  EXPECT_EQ(scan.target.findings.size(), 1u);  // nothing else changes
  EXPECT_TRUE(scan.complete());
}

TEST(PicklePolicyNames, DenyAddsToTheBuiltInVerdictAndMatchesPythonTwoNames) {
  // Protocol 0: __builtin__.eval is judged as builtins.eval (CPython's _compat_pickle).
  const std::string py2 = ReadFixture("malicious/py2_builtin_eval.pkl");
  const Scan scan = AnalyzeWith(py2, NameLists().Deny(NameKind::kPickleGlobal, {"builtins.eval"}));
  EXPECT_NE(scan.First("PICKLE-POLICY-DENIED-GLOBAL"), nullptr);
  EXPECT_NE(scan.First("PICKLE-DANGEROUS-CALL"), nullptr);
  // Allowing and denying the same name: the deny is reported.
  const Scan both = AnalyzeWith(OwnClassPickle(), NameLists()
                                                      .Allow(NameKind::kPickleGlobal, {"mylab.*"})
                                                      .Deny(NameKind::kPickleGlobal, {"mylab.*"}));
  EXPECT_NE(both.First("PICKLE-POLICY-DENIED-GLOBAL"), nullptr);
}

}  // namespace
}  // namespace mg::pickle::test
