// SHA-256 of a buffer through OpenSSL's EVP interface, as lowercase hex.
#pragma once

#include <string>

#include "core/byte_view.h"

namespace mg {

std::string Sha256Hex(ByteView data);

}  // namespace mg
