// One test per evasion the VM must see through.
#include <gtest/gtest.h>

#include "analyzers/pickle/tests/pickle_builder.h"

namespace mg::pickle::test {
namespace {

TEST(PickleEvasionTest, MemoIndirectionStoredPoppedAndFetchedMuchLater) {
  PickleBuilder p;
  p.Proto(4).ShortUnicode("os").LongBinPut(100).Pop().ShortUnicode("system").Memoize().Pop();
  p.Op(']').Mark();
  for (int i = 0; i < 2000; ++i) p.BinInt1(static_cast<std::uint8_t>(i));
  p.Op('e').Pop();
  p.LongBinGet(100).BinGet(1).StackGlobal().ShortUnicode("id").Tuple1();  // MEMOIZE used len(memo)
  const std::size_t reduce_at = p.size();
  p.Reduce().Stop();
  const Scan scan = Analyze(p.bytes());
  const Finding* call = CallFinding(scan, "os.system('id')");
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->location.offset, reduce_at);
  EXPECT_TRUE(scan.complete());
}

TEST(PickleEvasionTest, StackGlobalOperandsFromEscapedStringAndUnicode) {
  PickleBuilder p;
  p.Proto(4).String("'o\\x73'").Unicode("sys\\u0074em").StackGlobal();
  p.String("\"echo \\'hi\\'\"").Tuple1().Reduce().Stop();
  const Scan scan = Analyze(p.bytes());
  EXPECT_NE(CallFinding(scan, "os.system('echo \\'hi\\'')"), nullptr);
}

TEST(PickleEvasionTest, StackGlobalOperandsFromBinStrings) {
  PickleBuilder p;
  p.Proto(4).ShortBinString("os").BinString("system").StackGlobal();
  p.BinUnicode8("id").Tuple1().Reduce().Stop();
  const Scan scan = Analyze(p.bytes());
  EXPECT_NE(CallFinding(scan, "os.system('id')"), nullptr);
}

TEST(PickleEvasionTest, StackGlobalWithComputedModuleIsCritical) {
  PickleBuilder p;
  p.Proto(4).Global("builtins", "str.join").ShortUnicode("").Op(']').Mark();
  p.ShortUnicode("o").ShortUnicode("s").Op('e').Tuple2().Reduce();
  const std::size_t stack_global_at = p.size() + 8;
  p.ShortUnicode("system").StackGlobal().ShortUnicode("id").Tuple1().Reduce().Stop();
  const Scan scan = Analyze(p.bytes());
  const auto dynamic = scan.Find("PICKLE-DYNAMIC-GLOBAL");
  ASSERT_FALSE(dynamic.empty());
  EXPECT_EQ(dynamic[0]->severity, Severity::kCritical);
  EXPECT_EQ(dynamic[0]->location.offset, stack_global_at);
  EXPECT_EQ(dynamic[0]->evidence, "STACK_GLOBAL(builtins.str.join('', ['o', 's']), 'system')");
  ASSERT_EQ(dynamic.size(), 2u);  // and its call
  EXPECT_EQ(dynamic[1]->evidence,
            "STACK_GLOBAL(builtins.str.join('', ['o', 's']), 'system')('id')");
}

TEST(PickleEvasionTest, StackGlobalWithBytesOperandIsMalformed) {
  PickleBuilder p;
  p.Proto(4).ShortBytes("os").ShortUnicode("system").StackGlobal().Stop();
  const Scan scan = Analyze(p.bytes());
  ASSERT_NE(scan.First("PICKLE-MALFORMED"), nullptr);
  EXPECT_FALSE(scan.complete());
}

TEST(PickleEvasionTest, DottedNamesAreJudgedAsWritten) {
  PickleBuilder p;
  p.Proto(4).ShortUnicode("os.system").ShortUnicode("__call__").StackGlobal();
  p.ShortUnicode("id").Tuple1().Reduce().Pop();
  p.ShortUnicode("builtins").ShortUnicode("getattr.__self__.eval").StackGlobal();
  p.ShortUnicode("1").Tuple1().Reduce().Stop();
  const Scan scan = Analyze(p.bytes());
  EXPECT_NE(CallFinding(scan, "os.system.__call__('id')"), nullptr);
  EXPECT_NE(CallFinding(scan, "builtins.getattr.__self__.eval('1')"), nullptr);
}

TEST(PickleEvasionTest, PythonTwoModuleNamesAreReported) {
  PickleBuilder p;
  p.Global("__builtin__", "eval").Mark().String("'1+1'").Tuple().Reduce().Stop();
  const Scan scan = Analyze(p.bytes());
  const Finding* call = CallFinding(scan, "__builtin__.eval('1+1')");
  ASSERT_NE(call, nullptr);
  EXPECT_GE(call->severity, Severity::kHigh);
}

TEST(PickleEvasionTest, CallsHiddenByPopAndPopMark) {
  PickleBuilder p;
  p.Proto(2).Call1("os", "system", "a").Pop();
  p.Mark().Call1("posix", "system", "b").Op('1');
  p.None().Stop();
  const Scan scan = Analyze(p.bytes());
  EXPECT_NE(CallFinding(scan, "os.system('a')"), nullptr);
  EXPECT_NE(CallFinding(scan, "posix.system('b')"), nullptr);
}

TEST(PickleEvasionTest, GetattrChainResolvesToTheFunctionCalled) {
  PickleBuilder p;
  p.Proto(2).Global("builtins", "getattr").Call1("builtins", "__import__", "os");
  p.ShortUnicode("system").Tuple2().Reduce().ShortUnicode("id").Tuple1();
  const std::size_t final_call = p.size();
  p.Reduce().Stop();
  const Scan scan = Analyze(p.bytes());
  const Finding* call =
      CallFinding(scan, "builtins.getattr(builtins.__import__('os'), 'system')('id')");
  ASSERT_NE(call, nullptr);
  EXPECT_NE(call->message.find("os.system"), std::string::npos);
  EXPECT_EQ(call->location.offset, final_call);
  EXPECT_EQ(scan.First("PICKLE-CALL-ON-RESULT"), nullptr);
}

TEST(PickleEvasionTest, SysModulesGetitemAndMethodCallerResolve) {
  PickleBuilder p;
  // operator.methodcaller('system', 'id')(operator.getitem(sys.modules, 'os'))
  p.Proto(2).Global("operator", "methodcaller").ShortUnicode("system").ShortUnicode("id");
  p.Tuple2().Reduce();
  p.Global("operator", "getitem").Global("sys", "modules").ShortUnicode("os").Tuple2().Reduce();
  p.Tuple1().Reduce().Stop();
  const Scan scan = Analyze(p.bytes());
  const Finding* call = CallFinding(
      scan, "operator.methodcaller('system', 'id')(operator.getitem(sys.modules, 'os'))");
  ASSERT_NE(call, nullptr);
  EXPECT_NE(call->message.find("os.system"), std::string::npos);
}

TEST(PickleEvasionTest, CallOnAnUnresolvableResultIsHigh) {
  PickleBuilder p;
  p.Proto(2).Global("mypkg", "factory").Op(')').Reduce().ShortUnicode("x").Tuple1().Reduce();
  p.Stop();
  const Scan scan = Analyze(p.bytes());
  const Finding* f = scan.First("PICKLE-CALL-ON-RESULT");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::kHigh);
  EXPECT_EQ(f->evidence, "mypkg.factory()('x')");
}

TEST(PickleEvasionTest, SeveralPicklesWithJunkBetween) {
  PickleBuilder first;
  first.Proto(2).BinInt1(1).Stop();
  PickleBuilder second;
  second.Proto(2).Call1("os", "system", "id").Stop();
  const std::string junk = "\x01\x02garbage\xfe\xfd";
  const std::string bytes = first.bytes() + junk + second.bytes() + second.bytes();
  const Scan scan = Analyze(bytes);
  const Finding* trailing = scan.First("PICKLE-TRAILING-DATA");
  ASSERT_NE(trailing, nullptr);
  EXPECT_EQ(trailing->severity, Severity::kLow);
  EXPECT_EQ(trailing->location.offset, first.size());
  const auto calls =
      scan.Find("PICKLE-UNKNOWN-CALL").size() + scan.Find("PICKLE-DANGEROUS-CALL").size();
  EXPECT_EQ(calls, 2u);  // once per pickle
  const Finding* call = CallFinding(scan, "os.system('id')");
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->location.offset, first.size() + junk.size() + second.size() - 2);
}

TEST(PickleEvasionTest, TorchLegacyTrailingStorageIsInfo) {
  PickleBuilder magic;
  magic.Proto(2).Op(0x8a).Le(10, 1).Raw("\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19").Op('.');
  PickleBuilder small;
  small.Proto(2).BinInt1(1).Stop();
  std::string bytes = magic.bytes();
  for (int i = 0; i < 4; ++i) bytes += small.bytes();
  const std::size_t storage_at = bytes.size();
  bytes += std::string("\x04\0\0\0\0\0\0\0cos\nsystem\n", 19);  // raw storage, not opcodes
  const Scan scan = Analyze(bytes);
  const Finding* trailing = scan.First("PICKLE-TRAILING-DATA");
  ASSERT_NE(trailing, nullptr);
  EXPECT_EQ(trailing->severity, Severity::kInfo);
  EXPECT_EQ(trailing->location.offset, storage_at);
  EXPECT_NE(trailing->message.find("PyTorch"), std::string::npos);
  EXPECT_EQ(scan.target.findings.size(), 1u);
  EXPECT_TRUE(scan.complete());
}

TEST(PickleEvasionTest, FrameLengthThatLiesIsReportedAndAnalysisGoesOn) {
  PickleBuilder p;
  p.Proto(4).Frame(1 << 20).Call1("os", "system", "id").Stop();
  const Scan scan = Analyze(p.bytes());
  const Finding* frame = scan.First("PICKLE-FRAME-MISMATCH");
  ASSERT_NE(frame, nullptr);
  EXPECT_EQ(frame->severity, Severity::kMedium);
  EXPECT_EQ(frame->location.offset, 2u);
  EXPECT_NE(CallFinding(scan, "os.system('id')"), nullptr);
}

TEST(PickleEvasionTest, OpcodeCrossingAFrameEnd) {
  PickleBuilder p;
  p.Proto(4).Frame(3).ShortUnicode("abcdef").Pop().None().Stop();
  const Scan scan = Analyze(p.bytes());
  const Finding* frame = scan.First("PICKLE-FRAME-MISMATCH");
  ASSERT_NE(frame, nullptr);
  EXPECT_EQ(frame->location.offset, 11u);
}

TEST(PickleEvasionTest, ProtoInOddPlaces) {
  PickleBuilder p;
  p.Proto(2).None().Pop().Proto(4).Call1("os", "system", "id").Stop();
  const Scan scan = Analyze(p.bytes());
  const Finding* anomaly = scan.First("PICKLE-PROTOCOL-ANOMALY");
  ASSERT_NE(anomaly, nullptr);
  EXPECT_EQ(anomaly->severity, Severity::kLow);
  EXPECT_EQ(anomaly->location.offset, 4u);
  EXPECT_NE(CallFinding(scan, "os.system('id')"), nullptr);

  PickleBuilder bad;
  bad.Proto(9).None().Stop();
  const Scan bad_scan = Analyze(bad.bytes());
  ASSERT_NE(bad_scan.First("PICKLE-MALFORMED"), nullptr);
  EXPECT_FALSE(bad_scan.complete());
}

TEST(PickleEvasionTest, NewerOpcodesThanDeclaredAreAnAnomaly) {
  PickleBuilder p;
  p.Proto(2).ShortUnicode("os").ShortUnicode("system").StackGlobal().Stop();
  const Scan scan = Analyze(p.bytes());
  ASSERT_NE(scan.First("PICKLE-PROTOCOL-ANOMALY"), nullptr);
}

TEST(PickleEvasionTest, BytesAfterStop) {
  PickleBuilder p;
  p.Proto(2).None().Stop();
  const Scan padded = Analyze(p.bytes() + std::string(64, '\0'));
  ASSERT_NE(padded.First("PICKLE-TRAILING-DATA"), nullptr);
  EXPECT_EQ(padded.First("PICKLE-TRAILING-DATA")->severity, Severity::kInfo);
  const Scan junk = Analyze(p.bytes() + "\xde\xad\xbe\xef hidden");
  ASSERT_NE(junk.First("PICKLE-TRAILING-DATA"), nullptr);
  EXPECT_EQ(junk.First("PICKLE-TRAILING-DATA")->severity, Severity::kLow);
  EXPECT_EQ(junk.First("PICKLE-TRAILING-DATA")->location.offset, 4u);
}

}  // namespace
}  // namespace mg::pickle::test

namespace mg::pickle::test {
namespace {

TEST(PickleEvasionTest, PartialResolvesToTheWrappedFunction) {
  PickleBuilder p;
  p.Proto(2).Global("functools", "partial").Global("os", "system").ShortUnicode("id").Tuple2();
  p.Reduce().Op(')').Reduce().Stop();
  const Scan scan = Analyze(p.bytes());
  const Finding* call = CallFinding(scan, "functools.partial(os.system, 'id')()");
  ASSERT_NE(call, nullptr);
  EXPECT_NE(call->message.find("os.system"), std::string::npos);
}

TEST(PickleEvasionTest, ReconstructorThenBuildRunsTheClassSetstate) {
  PickleBuilder p;
  p.Proto(2).Global("copyreg", "_reconstructor").Global("mypkg", "Gadget");
  p.Global("builtins", "object").None().Op(0x87).Reduce();
  p.Op('}').ShortUnicode("cmd").ShortUnicode("id").Op('s');
  const std::size_t build_at = p.size();
  p.Op('b').Stop();
  const Scan scan = Analyze(p.bytes());
  const Finding* call = CallFinding(scan, "mypkg.Gadget.__setstate__(...)");
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->location.offset, build_at);
  EXPECT_GE(call->severity, Severity::kHigh);
}

}  // namespace
}  // namespace mg::pickle::test

namespace mg::pickle::test {
namespace {

// torch's legacy persistent_load returns the class of an id ('module', cls, file, source).
// A clean whole-module checkpoint instantiates torch's own classes (allowed); the same shape
// with a dangerous class must be judged as a call of that class.
PickleBuilder LegacyModuleId(std::string_view module, std::string_view name) {
  PickleBuilder p;
  p.Proto(2).Mark().ShortBinString("module").Global(module, name);
  p.ShortBinString("source.py").ShortBinString("class X: pass").Tuple().Op('Q');  // BINPERSID
  return p;
}

TEST(PickleEvasionTest, TorchLegacyModulePersistentIdIsJudgedAsItsClass) {
  PickleBuilder clean = LegacyModuleId("torch.nn.modules.linear", "Linear");
  clean.Op(')').Op(0x81).Stop();  // EMPTY_TUPLE, NEWOBJ: Linear.__new__(Linear)
  const Scan clean_scan = Analyze(clean.bytes());
  for (const auto& finding : clean_scan.target.findings) {
    EXPECT_LT(finding.severity, Severity::kMedium) << finding.rule << ": " << finding.message;
  }

  PickleBuilder evil = LegacyModuleId("subprocess", "Popen");
  evil.ShortBinString("id").Tuple1().Reduce().Stop();
  const Scan evil_scan = Analyze(evil.bytes());
  const Finding* call = evil_scan.First("PICKLE-DANGEROUS-CALL");
  ASSERT_NE(call, nullptr);
  EXPECT_GE(call->severity, Severity::kHigh);
  EXPECT_NE(call->evidence.find("subprocess.Popen"), std::string::npos) << call->evidence;
}

}  // namespace
}  // namespace mg::pickle::test

namespace mg::pickle::test {
namespace {

PickleBuilder GetattrOf(std::string_view module, std::string_view name, std::string_view attr) {
  PickleBuilder p;
  p.Proto(4).ShortUnicode("builtins").ShortUnicode("getattr").StackGlobal();
  p.ShortUnicode(module).ShortUnicode(name).StackGlobal().ShortUnicode(attr).Tuple2().Reduce();
  return p;
}

TEST(PickleEvasionTest, EnumMemberReadThroughGetattrIsAnAttributeNotATrampoline) {
  // Python 3.11 writes http.HTTPStatus.OK as getattr(http.HTTPStatus, 'OK').
  const Scan scan = Analyze(GetattrOf("http", "HTTPStatus", "OK").Stop().bytes());
  EXPECT_EQ(scan.First("PICKLE-DANGEROUS-CALL"), nullptr);
  bool read_reported = false;
  for (const Finding* f : scan.Find("PICKLE-UNKNOWN-GLOBAL")) {
    read_reported |= f->evidence == "builtins.getattr(http.HTTPStatus, 'OK')";
    EXPECT_EQ(f->severity, Severity::kMedium);
  }
  EXPECT_TRUE(read_reported);
}

TEST(PickleEvasionTest, GetattrOnAnAllowedClassIsSilent) {
  const Scan scan = Analyze(GetattrOf("collections", "OrderedDict", "fromkeys").Stop().bytes());
  EXPECT_TRUE(scan.target.findings.empty()) << scan.target.findings.front().rule;
}

TEST(PickleEvasionTest, GetattrReachingADeniedOrPrivateAttributeStaysATrampoline) {
  const Scan denied = Analyze(GetattrOf("subprocess", "Popen", "communicate").Stop().bytes());
  ASSERT_NE(denied.First("PICKLE-DANGEROUS-CALL"), nullptr);
  EXPECT_GE(denied.First("PICKLE-DANGEROUS-CALL")->severity, Severity::kHigh);

  const Scan dunder = Analyze(GetattrOf("collections", "OrderedDict", "__init__").Stop().bytes());
  ASSERT_NE(dunder.First("PICKLE-DANGEROUS-CALL"), nullptr);

  // The attribute read is fine, but calling what it returned is judged on its own.
  PickleBuilder call = GetattrOf("os", "path", "join");
  call.ShortUnicode("a").Tuple1().Reduce().Stop();
  const Scan called = Analyze(call.bytes());
  EXPECT_NE(CallFinding(called, "builtins.getattr(os.path, 'join')('a')"), nullptr);
}

}  // namespace
}  // namespace mg::pickle::test
