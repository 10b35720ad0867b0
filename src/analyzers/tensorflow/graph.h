// Walks a GraphDef: its nodes and every FunctionDef of its function library, judging each
// NodeDef's op and attributes (ops.h) and reporting through the TfScan.
#pragma once

#include <cstdint>

#include "analyzers/tensorflow/scan.h"
#include "core/byte_view.h"

namespace mg::tensorflow {

// `graph` is a serialized GraphDef at absolute offset `base`.
void ScanGraphDef(TfScan& scan, ByteView graph, std::uint64_t base);

}  // namespace mg::tensorflow
