// Judgements on single fields (names, flags) and a reporter that caps repeated findings, so a
// hostile archive with a million bad names yields a readable report.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/byte_view.h"
#include "analyzers/zip/rules.h"
#include "engine/capped_reporter.h"
#include "report/severity.h"

namespace mg {
class ScanContext;
}

namespace mg::zip {

// The shared capped reporter, summarising under ZIP-FINDINGS-CAPPED.
class Findings : public CappedReporter {
 public:
  explicit Findings(ScanContext& ctx) : CappedReporter(ctx, rule::kFindingsCapped) {}
};

// ZIP-PATH-TRAVERSAL and ZIP-SUSPICIOUS-NAME for one member name (APPNOTE 4.4.17.1: a name
// is a relative path with forward slashes, no drive letter and no leading slash).
void CheckName(Findings& findings, ByteView name, std::uint64_t header_offset);

// ZIP-RESERVED-FLAGS for one header's general purpose flags.
void CheckReservedFlags(Findings& findings, std::uint16_t flags, std::string_view member,
                        std::uint64_t header_offset);

// "0x1f 0x8b ..." for evidence: the first bytes of a region, in hex.
std::string HexPrefix(ByteView bytes, std::uint64_t count = 8);

// "0x1a2b" for messages.
std::string Hex(std::uint64_t value);

}  // namespace mg::zip
