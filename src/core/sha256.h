// SHA-256 of a buffer through OpenSSL's EVP interface, as lowercase hex.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/byte_view.h"

namespace mg {

// Called after each slice of the input is hashed, with the slice's offset and length.
using SliceDone = std::function<void(std::uint64_t offset, std::uint64_t length)>;

// Hashes `data` in 8 MiB slices; `slice_done` (optional) lets a caller release the pages of
// each slice once hashed (the engine drops them from a mapped file).
std::string Sha256Hex(ByteView data, const SliceDone& slice_done = {});

}  // namespace mg
