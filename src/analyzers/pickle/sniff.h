// Recognising a pickle from its first opcodes. PROTO 2..5 at the start is near-certain;
// protocol 0/1 pickles have no magic, so the first opcodes are validated (known opcodes, sane
// arguments, no stack underflow) before a text file can be taken for a pickle.
#pragma once

#include <cstdint>

#include "core/byte_view.h"

namespace mg::pickle {

// 0 (not a pickle) to 95. `text_window` bounds the search for the end of a STRING/UNICODE
// line: unbounded for a file (a protocol 0 pickle may open with a huge string, and must not
// escape analysis by it), bounded when probing many offsets of trailing data. Other text
// arguments are searched within 4 KiB (longer ones are invalid anyway).
int SniffPickle(ByteView data, std::uint64_t text_window = ~std::uint64_t{0});

}  // namespace mg::pickle
