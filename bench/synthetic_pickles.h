// Pickles built in memory for the throughput benchmark, shaped like the files that
// make_pickles.py writes with CPython (same opcodes, same batching), so that Google Benchmark
// runs need no data files.
#pragma once

#include <cstdint>
#include <vector>

namespace mg::bench {

// A list of `count` numbers, alternating small ints (BININT1/BININT) and floats (BINFLOAT),
// appended in batches of 1000 as CPython's pickler does. Protocol 2 or 4 (4 adds FRAMEs).
std::vector<std::uint8_t> OpcodeDensePickle(std::uint64_t count, int protocol);

// A list of `count` distinct byte strings of `each` bytes (BINBYTES), protocol 4.
std::vector<std::uint8_t> DataDensePickle(std::uint64_t count, std::uint32_t each);

}  // namespace mg::bench
