// Recognising a pickle from its first opcodes. PROTO 2..5 at the start is near-certain;
// protocol 0/1 pickles have no magic, so the first opcodes are validated (known opcodes, sane
// arguments, no stack underflow) before a text file can be taken for a pickle.
#pragma once

#include "core/byte_view.h"

namespace mg::pickle {

// 0 (not a pickle) to 95.
int SniffPickle(ByteView data);

}  // namespace mg::pickle
