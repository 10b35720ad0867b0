// Content sniffing: which analyzer takes a buffer, and what to say about buffers none takes.
#pragma once

#include <string>
#include <string_view>

#include "core/byte_view.h"

namespace mg {

class Analyzer;
class ScanContext;

// The registered analyzer whose SniffNamed() is most confident, or nullptr. `name` is the file
// path or archive member name the data came from (empty when unknown).
const Analyzer* SniffAnalyzer(ByteView data, std::string_view name = {});

// For a buffer no analyzer takes: recognises well-known magic numbers of formats this build
// does not analyse and reports them (fail closed: medium and `incomplete` when the format can
// carry code, info otherwise); anything else is `unknown` with an info finding. Returns the
// format name for the report.
std::string ReportUnanalysedFormat(ScanContext& ctx, ByteView data);

}  // namespace mg
