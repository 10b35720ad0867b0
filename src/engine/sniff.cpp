#include "engine/sniff.h"

#include <array>
#include <string_view>

#include "engine/analyzer.h"
#include "engine/scan_context.h"

namespace mg {

const Analyzer* SniffAnalyzer(ByteView data, std::string_view name) {
  const Analyzer* best = nullptr;
  int best_score = 0;
  for (const Analyzer* analyzer : RegisteredAnalyzers()) {
    const int score = analyzer->SniffNamed(name, data);
    if (score > best_score) {
      best = analyzer;
      best_score = score;
    }
  }
  return best;
}

namespace {

struct KnownFormat {
  std::string_view name;
  std::uint64_t magic_offset;
  std::string_view magic;
  bool can_carry_code;  // whether loading it can import or run code (fail closed if so)
  std::string_view why;
};

using namespace std::string_view_literals;

// Formats recognised by magic that no analyzer of this build handles yet. A registered
// analyzer always wins over this table.
constexpr std::array kKnownFormats = {
    KnownFormat{"hdf5", 0, "\x89HDF\r\n\x1a\n"sv, true, "Keras HDF5 models can hold Lambda code"},
    KnownFormat{"java-serialization", 0, "\xac\xed\x00\x05"sv, true,
                "Java serialization instantiates classes when read"},
    KnownFormat{"parquet", 0, "PAR1"sv, false, ""},
};

}  // namespace

std::string ReportUnanalysedFormat(ScanContext& ctx, ByteView data) {
  for (const auto& known : kKnownFormats) {
    if (!data.Tail(known.magic_offset).StartsWith(known.magic)) continue;
    if (known.can_carry_code) {
      ctx.Incomplete("SCAN-UNSUPPORTED-FORMAT",
                     "Recognised as " + std::string(known.name) +
                         ", which this version of modelgate cannot analyse yet (" +
                         std::string(known.why) + ").",
                     0);
    } else {
      ctx.Report("SCAN-UNSUPPORTED-FORMAT", Severity::kInfo,
                 "Recognised as " + std::string(known.name) +
                     ", a data format that cannot carry code; its content was not analysed.",
                 0);
    }
    return std::string(known.name);
  }
  // Top-level files only: inside an archive, unrecognised content is data (tensor storages,
  // text), and one note per member would bury what matters.
  if (!data.empty() && ctx.depth() == 0) {
    ctx.Report("SCAN-UNRECOGNIZED-FORMAT", Severity::kInfo,
               "The content matches no model format that can carry code; it was not analysed.",
               0);
  }
  return data.empty() ? "empty" : "unknown";
}

}  // namespace mg
