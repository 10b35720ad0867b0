#include "core/sha256.h"

#include <openssl/evp.h>

#include <array>
#include <memory>

namespace mg {

std::string Sha256Hex(ByteView data, const SliceDone& slice_done) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) return {};
  // Feed in 8 MiB slices so that a huge mapped file is hashed as a stream.
  constexpr std::uint64_t kSlice = 8ULL << 20;
  for (std::uint64_t offset = 0; offset < data.size(); offset += kSlice) {
    const std::uint64_t n = data.size() - offset < kSlice ? data.size() - offset : kSlice;
    if (EVP_DigestUpdate(ctx.get(), data.data() + offset, n) != 1) return {};
    if (slice_done) slice_done(offset, n);
  }
  if (EVP_DigestFinal_ex(ctx.get(), digest.data(), &length) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xF]);
  }
  return out;
}

}  // namespace mg
