// Google Benchmark: inflating a ZIP member. The same 256 MiB of raw deflate data is inflated
// three ways: a plain zlib inflate into a preallocated buffer (the floor: zlib's own speed),
// the shared bounded stream loop the ZIP analyzer decodes members with (src/decompress:
// budget-charged, output growing with what is produced), and the whole ZIP analyzer over a one-member archive (inflate, size and CRC checks, sniffing).
// Reported as bytes of inflated output per second; docs/performance.md records the results.
#include <benchmark/benchmark.h>
#include <zlib.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "decompress/stream.h"
#include "engine/scan_context.h"

namespace {

constexpr std::uint64_t kPlainBytes = 256ULL << 20;

// Tensor-like bytes: float32 values drawn from 256 levels, so that deflate finds some
// redundancy (about 2:1) but not the easy runs of an all-zero buffer.
std::vector<std::uint8_t> TensorLikeBytes() {
  std::vector<std::uint8_t> bytes(kPlainBytes);
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;
  for (std::uint64_t i = 0; i + 4 <= bytes.size(); i += 4) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const float value = static_cast<float>(static_cast<std::int8_t>(state >> 56)) / 64.0f;
    std::memcpy(&bytes[i], &value, sizeof(value));
  }
  return bytes;
}

// Raw deflate (no zlib header), as ZIP method 8 stores it.
std::vector<std::uint8_t> RawDeflate(const std::vector<std::uint8_t>& plain) {
  z_stream stream{};
  deflateInit2(&stream, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
  std::vector<std::uint8_t> out(deflateBound(&stream, plain.size()));
  stream.next_in = const_cast<std::uint8_t*>(plain.data());
  stream.avail_in = static_cast<uInt>(plain.size());
  stream.next_out = out.data();
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

struct Data {
  std::vector<std::uint8_t> plain = TensorLikeBytes();
  std::vector<std::uint8_t> deflated = RawDeflate(plain);
  std::uint32_t crc = static_cast<std::uint32_t>(crc32_z(0, plain.data(), plain.size()));
};

const Data& Shared() {
  static const Data data;
  return data;
}

void Put16(std::vector<std::uint8_t>& out, std::uint32_t value) {
  out.push_back(static_cast<std::uint8_t>(value));
  out.push_back(static_cast<std::uint8_t>(value >> 8));
}
void Put32(std::vector<std::uint8_t>& out, std::uint32_t value) {
  Put16(out, value & 0xFFFF);
  Put16(out, value >> 16);
}

// A one-member archive (APPNOTE 4.3.7 local header, 4.3.12 central header, 4.3.16 end record).
std::vector<std::uint8_t> OneMemberZip(const Data& data) {
  const std::string name = "archive/data/0";
  std::vector<std::uint8_t> zip;
  auto header_fields = [&](std::vector<std::uint8_t>& out) {
    Put16(out, 20);  // version needed
    Put16(out, 0);   // flags
    Put16(out, 8);   // deflated
    Put32(out, 0);   // time, date
    Put32(out, data.crc);
    Put32(out, static_cast<std::uint32_t>(data.deflated.size()));
    Put32(out, static_cast<std::uint32_t>(data.plain.size()));
    Put16(out, static_cast<std::uint32_t>(name.size()));
    Put16(out, 0);  // extra length
  };
  Put32(zip, 0x04034b50);
  header_fields(zip);
  zip.insert(zip.end(), name.begin(), name.end());
  zip.insert(zip.end(), data.deflated.begin(), data.deflated.end());
  const auto central_offset = static_cast<std::uint32_t>(zip.size());
  Put32(zip, 0x02014b50);
  Put16(zip, 20);  // version made by
  header_fields(zip);
  Put16(zip, 0);  // comment length
  Put16(zip, 0);  // disk
  Put16(zip, 0);  // internal attributes
  Put32(zip, 0);  // external attributes
  Put32(zip, 0);  // local header offset
  zip.insert(zip.end(), name.begin(), name.end());
  const auto central_size = static_cast<std::uint32_t>(zip.size()) - central_offset;
  Put32(zip, 0x06054b50);
  Put32(zip, 0);  // disks
  Put16(zip, 1);
  Put16(zip, 1);
  Put32(zip, central_size);
  Put32(zip, central_offset);
  Put16(zip, 0);
  return zip;
}

mg::Limits BenchLimits() {
  mg::Limits limits;
  limits.max_time_per_file = std::chrono::hours(1);
  return limits;
}

// Plain zlib: one inflate call over the whole stream. Arg 0 reuses one output buffer (zlib's
// speed alone); arg 1 allocates a fresh one per run, so its pages are faulted in each time, as
// they are for any decoder whose output is new memory.
void BM_ZlibInflate(benchmark::State& state) {
  const Data& data = Shared();
  const bool fresh = state.range(0) == 1;
  std::vector<std::uint8_t> reused(fresh ? 0 : data.plain.size());
  for (auto _ : state) {
    std::vector<std::uint8_t> allocated;
    if (fresh) allocated.resize(data.plain.size());
    std::vector<std::uint8_t>& out = fresh ? allocated : reused;
    z_stream stream{};
    inflateInit2(&stream, -15);
    stream.next_in = const_cast<std::uint8_t*>(data.deflated.data());
    stream.avail_in = static_cast<uInt>(data.deflated.size());
    stream.next_out = out.data();
    stream.avail_out = static_cast<uInt>(out.size());
    const int result = inflate(&stream, Z_FINISH);
    inflateEnd(&stream);
    if (result != Z_STREAM_END) state.SkipWithError("inflate failed");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.plain.size()));
}
BENCHMARK(BM_ZlibInflate)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void BM_DecodeStreamDeflate(benchmark::State& state) {
  const Data& data = Shared();
  const mg::Limits limits = BenchLimits();
  for (auto _ : state) {
    mg::Target target;
    mg::ScanContext ctx(target, limits);
    mg::decompress::OutputBuffer out;
    const mg::decompress::StreamResult result = mg::decompress::DecodeStream(
        ctx, mg::decompress::Codec::kRawDeflate,
        mg::ByteView(data.deflated.data(), data.deflated.size()), out, data.plain.size() + 1, 0);
    if (result.stop != mg::decompress::Stop::kStreamEnd || out.size() != data.plain.size()) {
      state.SkipWithError("DecodeStream did not reach the end of the stream");
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.plain.size()));
}
BENCHMARK(BM_DecodeStreamDeflate)->Unit(benchmark::kMillisecond);

void BM_ZipAnalyzerDeflatedMember(benchmark::State& state) {
  const Data& data = Shared();
  static const std::vector<std::uint8_t> zip = OneMemberZip(data);
  const mg::Limits limits = BenchLimits();
  for (auto _ : state) {
    mg::Target target;
    mg::ScanContext ctx(target, limits);
    mg::AnalyzeBuffer(ctx, mg::ByteView(zip.data(), zip.size()), "zip");
    bool clean = target.status == mg::TargetStatus::kComplete;
    for (const auto& finding : target.findings) clean &= finding.severity == mg::Severity::kInfo;
    if (!clean) state.SkipWithError("the archive was not analysed cleanly");
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.plain.size()));
}
BENCHMARK(BM_ZipAnalyzerDeflatedMember)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
