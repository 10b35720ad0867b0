// The VM's opcode families, each on pickles built byte by byte.
#include <gtest/gtest.h>

#include "analyzers/pickle/opcodes.h"
#include "analyzers/pickle/tests/pickle_builder.h"

namespace mg::pickle::test {
namespace {

TEST(PickleOpcodesTest, KnowsAll68OpcodesOfProtocols0To5) {
  EXPECT_EQ(CountKnownOpcodes(), 68);
  EXPECT_EQ(LookupOpcode(0x98).name, "READONLY_BUFFER");
  EXPECT_EQ(LookupOpcode(0x96).protocol, 5);
  EXPECT_EQ(LookupOpcode('F').name, "FLOAT");
  EXPECT_EQ(LookupOpcode(0x84).name, "EXT4");
  EXPECT_TRUE(LookupOpcode(0xff).name.empty());
}

TEST(PickleVmTest, OsSystemViaGlobalReduceIsReportedWithEvidenceAndOffset) {
  PickleBuilder p;
  p.Global("os", "system").Mark().String("'echo pwned'").Tuple();
  const std::size_t reduce_at = p.size();
  p.Reduce().Stop();
  const Scan scan = Analyze(p.bytes());
  const Finding* call = CallFinding(scan, "os.system('echo pwned')");
  ASSERT_NE(call, nullptr);
  EXPECT_GE(call->severity, Severity::kHigh);
  EXPECT_EQ(call->location.offset, reduce_at);
  EXPECT_TRUE(call->location.member.empty());
  EXPECT_NE(call->message.find("os.system"), std::string::npos);
  EXPECT_TRUE(scan.complete());
}

TEST(PickleVmTest, ScalarsAndContainersOfEveryProtocolGiveNoFindings) {
  PickleBuilder p;
  p.Proto(5).Frame(0);  // an empty frame is legal
  p.Op(']').Memoize().Mark();
  p.Op('N').Op(0x88).Op(0x89).BinInt1(7).Op('M').Le(300, 2).BinInt(-5).Int(12).Raw("I01\n");
  p.Op('L').Raw("123456789012345678901234567890L\n").Op(0x8a).Le(10, 1).Raw("0123456789");
  p.Op(0x8b).Le(2, 4).Raw("\x01\x80").Op('F').Raw("1.5\n");
  p.Op('G').Raw(std::string_view("\x3f\xf8\0\0\0\0\0\0", 8));
  p.String("'a\\x41'").Unicode("caf\\u00e9").ShortBinString("s").BinString("bs");
  p.ShortUnicode("u").BinUnicode("bu").BinUnicode8("bu8");
  p.ShortBytes("b").BinBytes("bb").BinBytes8("bb8").ByteArray8("ba").Op(0x98);
  p.Op(')').Op(0x8f).Mark().BinInt1(1).Op(0x90);   // empty tuple, set + ADDITEMS
  p.Mark().BinInt1(1).Op(0x91);                    // FROZENSET
  p.Op('}').ShortUnicode("k").BinInt1(1).Op('s');  // dict + SETITEM
  p.Op('}').Mark().ShortUnicode("a").None().ShortUnicode("b").None().Op('u');
  p.Mark().BinInt1(1).BinInt1(2).Op('d');          // DICT
  p.Mark().BinInt1(1).Op('l').BinInt1(2).Op('a');  // LIST + APPEND
  p.BinInt1(1).Tuple1().BinInt1(1).BinInt1(2).Tuple2().BinInt1(1).BinInt1(2).BinInt1(3).Op(0x87);
  p.Op('e');          // APPENDS everything above the MARK into the first list
  p.Op('2').Op('0');  // DUP, POP
  p.Stop();
  const Scan scan = Analyze(p.bytes());
  for (const auto& f : scan.target.findings) ADD_FAILURE() << f.rule << ": " << f.message;
  EXPECT_TRUE(scan.complete());
}

TEST(PickleVmTest, MemoOpcodesStoreAndFetchValues) {
  PickleBuilder p;
  p.Proto(2).Global("os", "system").BinPut(3).Pop();
  p.ShortUnicode("id").Op('p').Raw("17\n").Pop();
  p.None().LongBinPut(70000).Pop();
  p.BinGet(3).Op('g').Raw("17\n").Tuple1().Reduce().Stop();
  const Scan scan = Analyze(p.bytes());
  EXPECT_NE(CallFinding(scan, "os.system('id')"), nullptr);
  EXPECT_TRUE(scan.complete());
}

TEST(PickleVmTest, InstObjNewObjAndNewObjExAreInvocations) {
  PickleBuilder p;
  p.Proto(4).Mark().ShortUnicode("a").Inst("mypkg", "Inst").Pop();
  p.Mark().Global("mypkg", "Obj").ShortUnicode("b").Op('o').Pop();
  p.Global("mypkg", "New").BinInt1(1).Tuple1().Op(0x81).Pop();
  p.Global("mypkg", "NewEx").Op(')').Op('}').Op(0x92).Pop();
  p.None().Stop();
  const Scan scan = Analyze(p.bytes());
  EXPECT_NE(CallFinding(scan, "mypkg.Inst('a')"), nullptr);
  EXPECT_NE(CallFinding(scan, "mypkg.Obj('b')"), nullptr);
  EXPECT_NE(CallFinding(scan, "mypkg.New.__new__(mypkg.New, 1)"), nullptr);
  EXPECT_NE(CallFinding(scan, "mypkg.NewEx.__new__(mypkg.NewEx, **{})"), nullptr);
  for (const auto* f : scan.Find("PICKLE-UNKNOWN-CALL")) EXPECT_EQ(f->severity, Severity::kHigh);
}

TEST(PickleVmTest, ImportOnlyUnknownGlobalIsMedium) {
  PickleBuilder p;
  p.Proto(2).Global("mypkg", "Thing").Stop();
  const Scan scan = Analyze(p.bytes());
  const Finding* f = scan.First("PICKLE-UNKNOWN-GLOBAL");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::kMedium);
  EXPECT_EQ(f->evidence, "mypkg.Thing");
  EXPECT_EQ(f->location.offset, 2u);
  EXPECT_EQ(scan.First("PICKLE-UNKNOWN-CALL"), nullptr);
}

TEST(PickleVmTest, BuildOnAnImportedGlobalIsMonkeyPatching) {
  PickleBuilder p;
  p.Proto(2).Global("mypkg", "Config").Op('}').ShortUnicode("debug").Op(0x88).Op('s');
  const std::size_t build_at = p.size();
  p.Op('b').Stop();
  const Scan scan = Analyze(p.bytes());
  const Finding* f = scan.First("PICKLE-GLOBAL-MUTATION");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::kHigh);
  EXPECT_EQ(f->location.offset, build_at);
  EXPECT_EQ(f->evidence, "mypkg.Config.__dict__.update({'debug': True})");
}

TEST(PickleVmTest, PersistentIdsAreInfo) {
  PickleBuilder p;
  p.Proto(2).Op('P').Raw("storage0\n").Mark().ShortUnicode("k").BinInt1(1).Tuple().Op('Q').Op('l');
  p.Stop();
  PickleBuilder q;
  q.Proto(2).Mark().Op('P').Raw("x\n").Op('l').Stop();
  const Scan scan = Analyze(q.bytes());
  const Finding* f = scan.First("PICKLE-PERSISTENT-ID");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::kInfo);
  EXPECT_EQ(f->evidence, "'x'");
  EXPECT_TRUE(scan.complete());
  const Scan scan2 = Analyze(p.bytes());
  ASSERT_NE(scan2.First("PICKLE-PERSISTENT-ID"), nullptr);
  EXPECT_EQ(scan2.First("PICKLE-PERSISTENT-ID")->message.find("seen 2 times") != std::string::npos,
            true);
}

TEST(PickleVmTest, ExtCodesAreUnresolvedAndIncomplete) {
  PickleBuilder p;
  p.Proto(2).Op(0x83).Le(0x1234, 2).ShortUnicode("x").Tuple1().Reduce().Stop();
  const Scan scan = Analyze(p.bytes());
  const auto ext = scan.Find("PICKLE-EXT-UNRESOLVED");
  ASSERT_EQ(ext.size(), 2u);
  EXPECT_EQ(ext[0]->severity, Severity::kMedium);
  EXPECT_EQ(ext[0]->location.offset, 2u);
  EXPECT_EQ(ext[1]->severity, Severity::kHigh);
  EXPECT_FALSE(scan.complete());
}

TEST(PickleVmTest, OutOfBandBufferIsOpaqueButLoads) {
  PickleBuilder p;
  p.Proto(5).Op(0x97).Op(0x98).Stop();
  const Scan scan = Analyze(p.bytes());
  EXPECT_TRUE(scan.target.findings.empty());
  EXPECT_TRUE(scan.complete());
}

TEST(PickleVmTest, RepeatedCallsOfOneClassGiveOneFindingWithACount) {
  PickleBuilder p;
  p.Proto(2).Global("mypkg", "Point").BinPut(0).Pop().Op(']').Mark();
  for (int i = 0; i < 10000; ++i) p.BinGet(0).BinInt1(1).Tuple1().Reduce();
  p.Op('e').Stop();
  const Scan scan = Analyze(p.bytes());
  const auto calls = scan.Find("PICKLE-UNKNOWN-CALL");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_NE(calls[0]->message.find("seen 10000 times"), std::string::npos);
  EXPECT_EQ(calls[0]->evidence, "mypkg.Point(1)");
}

TEST(PickleVmTest, EvidenceTruncatesLongStrings) {
  PickleBuilder p;
  p.Proto(2).Global("os", "system").BinUnicode(std::string(500, 'A')).Tuple1().Reduce().Stop();
  const Scan scan = Analyze(p.bytes());
  const std::string expected = "os.system('" + std::string(80, 'A') + "...')";
  EXPECT_NE(CallFinding(scan, expected), nullptr);
}

}  // namespace
}  // namespace mg::pickle::test

namespace mg::pickle::test {
namespace {

TEST(PickleVmTest, EvidenceIsValidUtf8WhateverTheInput) {
  PickleBuilder p;
  p.Proto(2).Global("os", "system").BinString("\xff\xfe").ShortUnicode("caf\xc3\xa9");
  p.BinUnicode("\xed\xa0\x80").Op(0x87).Reduce().Stop();
  const Scan scan = Analyze(p.bytes());
  EXPECT_NE(CallFinding(scan, "os.system('\\xff\\xfe', 'caf\xc3\xa9', '\\xed\\xa0\\x80')"),
            nullptr);
  PickleBuilder bad;
  bad.Proto(4).ShortUnicode("o\xffs").ShortUnicode("system").StackGlobal().Stop();
  const Scan bad_scan = Analyze(bad.bytes());
  ASSERT_NE(bad_scan.First("PICKLE-MALFORMED"), nullptr);
  PickleBuilder bad_global;
  bad_global.Global("o\xffs", "system").Stop();
  ASSERT_NE(Analyze(bad_global.bytes()).First("PICKLE-MALFORMED"), nullptr);
}

}  // namespace
}  // namespace mg::pickle::test
