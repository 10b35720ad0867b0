// Malformed input and resource limits: each finishes fast, is marked incomplete with a medium
// finding, and keeps memory bounded.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "analyzers/pickle/tests/pickle_builder.h"
#include "analyzers/pickle/vm_limits.h"

namespace mg::pickle::test {
namespace {

// Peak resident memory of this process in KiB (Linux VmHWM).
long PeakRssKib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

void ExpectMalformedAt(const std::string& bytes, std::uint64_t offset, std::string_view why) {
  const Scan scan = Analyze(bytes);
  const Finding* f = scan.First("PICKLE-MALFORMED");
  ASSERT_NE(f, nullptr) << why;
  EXPECT_EQ(f->severity, Severity::kMedium) << why;
  EXPECT_EQ(f->location.offset, offset) << why;
  EXPECT_NE(f->message.find(why), std::string::npos) << f->message;
  EXPECT_EQ(scan.target.status, TargetStatus::kIncomplete);
}

TEST(PickleMalformedTest, EachKindIsIncompleteWithAMediumFinding) {
  ExpectMalformedAt(std::string("\x80\x02N\xff.", 5), 3, "unknown opcode 0xff");
  ExpectMalformedAt(std::string("\x80\x02N", 3), 3, "ends before STOP");
  ExpectMalformedAt(std::string("\x80\x02R.", 4), 2, "stack underflow");
  ExpectMalformedAt(std::string("\x80\x02h\x05.", 5), 2, "never stored");
  ExpectMalformedAt(std::string("(K\x01"
                                "d.",
                                5),
                    3, "odd number of items");
  ExpectMalformedAt("Sabc\n.", 0, "must be quoted");
  ExpectMalformedAt(std::string("\x80\x02X\x10\x00\x00\x00"
                                "abc",
                                9),
                    2, "runs past the end");
  ExpectMalformedAt(std::string("\x80\x02"
                                "e.",
                                4),
                    2, "could not find MARK");
  ExpectMalformedAt("cos\nsys", 0, "unterminated global name");
  ExpectMalformedAt(std::string("\x80\x02K", 3), 2, "truncated BININT1");
  ExpectMalformedAt(std::string("\x80\x02"
                                "J\x01\x02",
                                5),
                    2, "truncated BININT");
  ExpectMalformedAt(std::string("\x80\x02(K\x01"
                                "e.",
                                6),
                    5, "stack underflow");
}

TEST(PickleMalformedTest, EmptyPayload) {
  const Scan scan = Analyze("");
  ASSERT_NE(scan.First("PICKLE-MALFORMED"), nullptr);
  EXPECT_FALSE(scan.complete());
}

TEST(PickleMalformedTest, CallsBeforeTheErrorAreStillReported) {
  PickleBuilder p;
  p.Proto(2).Call1("os", "system", "id").Op(0xfe);
  const Scan scan = Analyze(p.bytes());
  EXPECT_NE(CallFinding(scan, "os.system('id')"), nullptr);
  EXPECT_NE(scan.First("PICKLE-MALFORMED"), nullptr);
}

TEST(PickleLimitTest, HugeDeclaredLengthsAreRejectedWithoutAllocating) {
  PickleBuilder p;
  p.Proto(4).Op(0x8e).Le(std::uint64_t{1} << 62, 8).Raw("x");
  ExpectMalformedAt(p.bytes(), 2, "runs past the end");
  PickleBuilder frame;
  frame.Proto(4).Frame(~std::uint64_t{0}).None().Stop();
  const Scan scan = Analyze(frame.bytes());
  EXPECT_NE(scan.First("PICKLE-FRAME-MISMATCH"), nullptr);
  PickleBuilder long4;
  long4.Proto(2).Op(0x8b).Le(0xffffffff, 4);
  ExpectMalformedAt(long4.bytes(), 2, "runs past the end");
}

TEST(PickleLimitTest, MemoBombIsBounded) {
  const auto start = std::chrono::steady_clock::now();
  const long rss_before = PeakRssKib();
  PickleBuilder p;
  p.Proto(2).None();
  for (std::uint32_t i = 0; i < 100000; ++i) p.LongBinPut(0xF0000000u + i * 7);
  p.LongBinPut(static_cast<std::uint32_t>(kMaxMemoDenseIndex - 1));  // the largest dense index
  p.Stop();
  const Scan scan = Analyze(p.bytes());
  const Finding* limit = scan.First("PICKLE-LIMIT");
  ASSERT_NE(limit, nullptr);
  EXPECT_EQ(limit->severity, Severity::kMedium);
  EXPECT_FALSE(scan.complete());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_LT(PeakRssKib() - rss_before, 100 * 1024);
}

TEST(PickleLimitTest, MemoEntryDroppedAtTheLimitFetchesAsUnknownNotAnError) {
  PickleBuilder p;
  p.Proto(2).None();
  for (std::uint32_t i = 0; i <= kMaxMemoSparseEntries; ++i) p.LongBinPut(0xF0000000u + i);
  p.Pop().LongBinGet(0xF0000000u + static_cast<std::uint32_t>(kMaxMemoSparseEntries));
  p.Stop();
  const Scan scan = Analyze(p.bytes());
  EXPECT_NE(scan.First("PICKLE-LIMIT"), nullptr);
  EXPECT_EQ(scan.First("PICKLE-MALFORMED"), nullptr);
}

TEST(PickleLimitTest, DupBombHitsTheStackLimitAndImportsAreStillSeen) {
  const auto start = std::chrono::steady_clock::now();
  PickleBuilder p;
  p.Proto(2).Op(']');
  p.Raw(std::string(kMaxStackDepth + 10, '2'));  // DUP
  p.Global("os", "system").ShortUnicode("id").Tuple1().Reduce();
  p.Mark().ShortUnicode("x").Inst("mypkg", "Runner");
  p.Stop();
  const Scan scan = Analyze(p.bytes());
  const Finding* limit = scan.First("PICKLE-LIMIT");
  ASSERT_NE(limit, nullptr);
  EXPECT_NE(limit->message.find("stack"), std::string::npos);
  EXPECT_FALSE(scan.complete());
  // After the limit the stack is not modelled, but every global is still resolved.
  const Finding* imported = nullptr;
  for (const auto& f : scan.target.findings) {
    if (f.evidence == "os.system") imported = &f;
  }
  EXPECT_NE(imported, nullptr);
  EXPECT_NE(CallFinding(scan, "mypkg.Runner(...)"), nullptr);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

TEST(PickleLimitTest, DeepMarkNestingStops) {
  PickleBuilder p;
  p.Proto(2).Raw(std::string(kMaxMarkDepth + 5, '(')).Stop();
  const Scan scan = Analyze(p.bytes());
  const Finding* limit = scan.First("PICKLE-LIMIT");
  ASSERT_NE(limit, nullptr);
  EXPECT_EQ(limit->location.offset, 2 + kMaxMarkDepth);
  EXPECT_FALSE(scan.complete());
}

TEST(PickleLimitTest, DeepContainerNestingRendersBoundedEvidence) {
  PickleBuilder p;
  p.Proto(2).Global("os", "system").Op(']');
  for (int i = 0; i < 50000; ++i) p.Op(0x85);  // a tuple of a tuple of ... a list
  p.Tuple1().Reduce().Stop();
  const Scan scan = Analyze(p.bytes());
  const Finding* call = scan.First("PICKLE-UNKNOWN-CALL");
  if (call == nullptr) call = scan.First("PICKLE-DANGEROUS-CALL");
  ASSERT_NE(call, nullptr);
  EXPECT_LT(call->evidence.size(), kMaxEvidenceChars + 10);
  EXPECT_EQ(call->evidence.rfind("os.system(", 0), 0u);
}

TEST(PickleLimitTest, ManyLiveContainersStayWithinTheNodePool) {
  const auto start = std::chrono::steady_clock::now();
  PickleBuilder p;
  p.Proto(4).Op(']').Mark();
  // Memoized tuples stay reachable: more than the node pool holds.
  for (std::size_t i = 0; i < kMaxNodes + 1000; ++i) p.BinInt1(1).Tuple1().Memoize();
  p.Op('e').Call1("os", "system", "late").Stop();
  const Scan scan = Analyze(p.bytes());
  // The pool is full of live tuples: the call is still reported, its evidence may be reduced.
  bool found = false;
  for (const auto& f : scan.target.findings) {
    found = found ||
            (f.rule.find("CALL") != std::string::npos && f.evidence.rfind("os.system(", 0) == 0);
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(scan.First("PICKLE-MALFORMED"), nullptr);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(PickleLimitTest, OpcodeLimitStops) {
  PickleBuilder p;
  p.Proto(2).Op(']').Mark();
  for (int i = 0; i < 20000; ++i) p.BinInt1(1);
  p.Op('e').Stop();
  Limits limits;
  limits.max_pickle_opcodes = 10000;
  const Scan scan = Analyze(p.bytes(), limits);
  const Finding* limit = scan.First("PICKLE-LIMIT");
  ASSERT_NE(limit, nullptr);
  EXPECT_NE(limit->message.find("opcodes"), std::string::npos);
  EXPECT_FALSE(scan.complete());
}

}  // namespace
}  // namespace mg::pickle::test

namespace mg::pickle::test {
namespace {

TEST(PickleLimitTest, LongChainsOfCallsOnResultsDoNotRecurseDeeply) {
  PickleBuilder p;
  p.Proto(2).Global("mypkg", "f");
  for (int i = 0; i < 200000; ++i) p.Op(')').Reduce();  // f()()()...
  p.Global("pickle", "loads").Global("operator", "attrgetter");
  p.ShortUnicode("x").Tuple1().Reduce().Tuple1().Reduce();  // loads(attrgetter('x'))
  p.Stop();
  const Scan scan = Analyze(p.bytes());
  EXPECT_NE(scan.First("PICKLE-CALL-ON-RESULT"), nullptr);
  EXPECT_NE(scan.First("PICKLE-NESTED-UNDECODED"), nullptr);
}

}  // namespace
}  // namespace mg::pickle::test
