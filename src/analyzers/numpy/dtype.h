// The 'descr' of an .npy header, as numpy.lib.format.descr_to_dtype reads it: a type string
// ('<f4', '|b1', '<U10', '|O', '<M8[ns]'), a list of fields (name, descr) or
// (name, descr, shape) for structured dtypes (nested to any depth), or (descr, shape) for a
// subarray. What matters here: the item size (to check the data length) and whether any field
// is an object field (then numpy pickles the whole array).
#pragma once

#include <cstdint>
#include <string>

#include "analyzers/numpy/literal.h"

namespace mg::numpy {

struct DtypeInfo {
  bool ok = false;
  std::string error;         // why the descr is not a dtype NumPy would build (when !ok)
  bool unsupported = false;  // a type string outside the grammar NumPy writes (e.g. 'float64')
  bool has_object = false;   // an 'O' field anywhere
  std::uint64_t itemsize = 0;
  std::uint32_t fields = 0;  // fields counted, nested included
};

// Item sizes as on 64-bit Linux, where 'l', 'p' and 'O' are 8 bytes and 'g' 16: the sizes of
// platform-dependent codes only matter for the data length check of non-object arrays.
DtypeInfo DescribeDtype(const Literal& descr);

// One type string, e.g. '<f8' (also used by the tests).
DtypeInfo DescribeTypeString(const std::string& type);

}  // namespace mg::numpy
