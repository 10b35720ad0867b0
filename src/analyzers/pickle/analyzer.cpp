// The pickle analyzer: runs the symbolic VM over every pickle in the payload (PyTorch's legacy
// format writes five in a row, then raw storage bytes), reports what follows the last one, and
// flushes each pickle's de-duplicated findings.
#include "engine/analyzer.h"

#include <cstdio>

#include "analyzers/pickle/findings.h"
#include "analyzers/pickle/opcodes.h"
#include "analyzers/pickle/sniff.h"
#include "analyzers/pickle/vm.h"
#include "engine/scan_context.h"

namespace mg {
namespace {

using pickle::FindingSink;
using pickle::RunOutcome;
using pickle::RunResult;
using pickle::Vm;
using pickle::VmOptions;

std::string Hex(std::uint64_t value) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(value));
  return buf;
}

// torch.serialization's legacy format: magic number, protocol version, sys info, the object,
// then the list of storage keys, each pickled; raw storage bytes follow.
constexpr std::size_t kTorchLegacyPickles = 5;

// Opcodes a probe for a hidden pickle may run before it is taken for one.
constexpr std::uint64_t kMaxProbeOpcodes = 1'000'000;
// Protocol 0/1 openings validated while searching trailing data for a hidden pickle.
constexpr std::size_t kMaxTrailingSniffs = 256;

bool IsPadding(ByteView bytes) {
  for (std::uint64_t i = 0; i < bytes.size(); ++i) {
    const std::uint8_t c = bytes[i];
    if (c != 0 && c != '\n' && c != '\r' && c != ' ') return false;
  }
  return true;
}

// Whether a pickle may start at `p`: PROTO 2..5, or (while `sniffs_left` lasts, since
// validating costs up to 256 opcodes) a protocol 0/1 opening whose first opcodes validate.
bool IsPickleCandidate(ByteView data, std::uint64_t p, std::size_t& sniffs_left) {
  const std::uint8_t c = data[p];
  if (c == pickle::op::kProto) {
    return p + 1 < data.size() && data[p + 1] >= 2 && data[p + 1] <= 5;
  }
  static constexpr std::string_view kOpeners = "(]})cILFSVNKJMXUTGBCl";
  if (sniffs_left == 0 || kOpeners.find(static_cast<char>(c)) == std::string_view::npos) {
    return false;
  }
  --sniffs_left;
  return pickle::SniffPickle(data.Tail(p), std::uint64_t{1} << 16) >= 60;
}

// The next offset in [from, ...) where a pickle parses to STOP, if any.
std::optional<std::uint64_t> FindHiddenPickle(ScanContext& ctx, ByteView data, std::uint64_t from) {
  const std::uint64_t end = data.size() - from > pickle::kMaxTrailingSearchBytes
                                ? from + pickle::kMaxTrailingSearchBytes
                                : data.size();
  std::size_t probes = 0;
  std::size_t sniffs_left = kMaxTrailingSniffs;
  for (std::uint64_t p = from; p + 1 < end && probes < pickle::kMaxTrailingProbes; ++p) {
    if (!IsPickleCandidate(data, p, sniffs_left)) continue;
    ++probes;
    FindingSink scratch;
    VmOptions options;
    options.probe = true;
    // A probe runs at most ~kMaxProbeOpcodes: a long valid run counts as a pickle too.
    const std::uint64_t limit = ctx.limits().max_pickle_opcodes;
    options.opcode_budget = limit > kMaxProbeOpcodes ? limit - kMaxProbeOpcodes : 0;
    Vm probe(ctx, data, scratch, options);
    const RunResult result = probe.Run(p);
    if ((result.outcome == RunOutcome::kStop && result.opcodes >= 3) ||
        (result.outcome == RunOutcome::kLimit && result.opcodes >= kMaxProbeOpcodes / 2)) {
      return p;
    }
  }
  return std::nullopt;
}

class PickleAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return "pickle"; }
  int Sniff(ByteView data) const override { return pickle::SniffPickle(data); }
  void Analyze(ScanContext& ctx, ByteView data) const override;
  std::span<const RuleInfo> Rules() const override { return pickle::PickleRules(); }
};

void PickleAnalyzer::Analyze(ScanContext& ctx, ByteView data) const {
  if (data.empty()) {
    ctx.Incomplete(pickle::rule::kMalformed, "Malformed pickle: the payload is empty.", 0);
    return;
  }
  FindingSink sink;
  std::uint64_t pos = 0;
  std::uint64_t opcodes = 0;
  bool torch_legacy = false;
  std::size_t pickles = 0;
  while (pos < data.size()) {
    if (pickles >= pickle::kMaxPicklesPerPayload) {
      ctx.Incomplete(pickle::rule::kLimit,
                     "More than " + std::to_string(pickle::kMaxPicklesPerPayload) +
                         " pickles in one payload; the rest was not analysed.",
                     pos);
      return;
    }
    VmOptions options;
    options.opcode_budget = opcodes;
    RunResult result;
    {
      Vm vm(ctx, data, sink, options);
      result = vm.Run(pos);
    }
    sink.Flush(ctx);
    opcodes += result.opcodes;
    ++pickles;
    if (pickles == 1) torch_legacy = result.torch_legacy_magic;
    if (result.outcome != RunOutcome::kStop) return;  // reported by the VM
    pos = result.end;
    if (pos >= data.size()) return;
    const ByteView rest = data.Tail(pos);
    if (torch_legacy && pickles == kTorchLegacyPickles) {
      ctx.Report(pickle::rule::kTrailingData, Severity::kInfo,
                 std::to_string(rest.size()) + " bytes after the fifth pickle (ending at " +
                     Hex(pos) + ") are PyTorch legacy-format storage data.",
                 pos);
      return;
    }
    if (pickle::SniffPickle(rest) >= 60) continue;  // another pickle follows directly
    const auto hidden = FindHiddenPickle(ctx, data, pos);
    const std::uint64_t junk_end = hidden ? *hidden : data.size();
    const ByteView junk = data.Sub(pos, junk_end - pos).value_or(ByteView());
    const bool padding = IsPadding(junk);
    ctx.Report(pickle::rule::kTrailingData, padding ? Severity::kInfo : Severity::kLow,
               std::to_string(junk.size()) + " bytes after the STOP ending at " + Hex(pos) +
                   (padding ? " are padding" : " are not a pickle") +
                   (hidden ? "; another pickle starts at " + Hex(*hidden) + "." : "."),
               pos);
    if (!hidden) return;
    pos = *hidden;
  }
}

}  // namespace

const Analyzer& PickleAnalyzerInstance() {
  static const PickleAnalyzer kInstance;
  return kInstance;
}

}  // namespace mg
