#include "integrity/file_hasher.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

namespace mg::integrity {
namespace {

const EVP_MD* Md(HashAlgorithm algorithm) {
  return algorithm == HashAlgorithm::kSha256 ? EVP_sha256() : EVP_blake2b512();
}

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

Error HashError(const RangeHashJob& job, const std::string& what) {
  const std::string name = job.display_name != nullptr ? *job.display_name : "file";
  return Error::Io(name + ": " + what);
}

}  // namespace

std::size_t DigestSize(HashAlgorithm algorithm) {
  return algorithm == HashAlgorithm::kSha256 ? 32 : 64;
}

std::vector<std::uint8_t> HashBytes(HashAlgorithm algorithm, const void* data, std::size_t size) {
  std::vector<std::uint8_t> digest(EVP_MAX_MD_SIZE);
  unsigned int digest_size = 0;
  // EVP_Digest with a built-in algorithm fails only when memory runs out; an empty digest then
  // matches no real one.
  if (EVP_Digest(data, size, digest.data(), &digest_size, Md(algorithm), nullptr) != 1) {
    digest_size = 0;
  }
  digest.resize(digest_size);
  return digest;
}

Result<std::vector<std::uint8_t>> HashFileRange(HashAlgorithm algorithm, const RangeHashJob& job,
                                                std::vector<std::uint8_t>& buffer,
                                                std::atomic<std::uint64_t>* done_bytes,
                                                const std::atomic<bool>* stop) {
  if (buffer.empty()) buffer.resize(kHashReadBufferSize);
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), Md(algorithm), nullptr) != 1) {
    return HashError(job, "cannot initialise " + HashAlgorithmName(algorithm));
  }
  // Sequential reads let the kernel read ahead further; advisory, so failures do not matter.
  (void)posix_fadvise(job.fd, static_cast<off_t>(job.start),
                      static_cast<off_t>(job.end - job.start), POSIX_FADV_SEQUENTIAL);
  std::uint64_t offset = job.start;
  while (offset < job.end) {
    if (stop != nullptr && stop->load(std::memory_order_relaxed)) {
      return HashError(job, "hashing stopped after an error elsewhere");
    }
    const std::uint64_t want = std::min<std::uint64_t>(buffer.size(), job.end - offset);
    const ssize_t got = pread(job.fd, buffer.data(), want, static_cast<off_t>(offset));
    if (got < 0) {
      if (errno == EINTR) continue;
      return HashError(job, std::string("read failed: ") + std::strerror(errno));
    }
    if (got == 0) {
      return HashError(job, "file became shorter while it was hashed (" + std::to_string(offset) +
                                " of " + std::to_string(job.end) + " bytes)");
    }
    if (EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<std::size_t>(got)) != 1) {
      return HashError(job, "digest update failed");
    }
    offset += static_cast<std::uint64_t>(got);
    if (done_bytes != nullptr) done_bytes->fetch_add(static_cast<std::uint64_t>(got));
  }
  if (job.expect_eof_at_end) {
    std::uint8_t probe = 0;
    ssize_t got = 0;
    do {
      got = pread(job.fd, &probe, 1, static_cast<off_t>(job.end));
    } while (got < 0 && errno == EINTR);
    if (got != 0) return HashError(job, "file grew while it was hashed");
  }
  std::vector<std::uint8_t> digest(EVP_MAX_MD_SIZE);
  unsigned int digest_size = 0;
  if (EVP_DigestFinal_ex(ctx.get(), digest.data(), &digest_size) != 1) {
    return HashError(job, "digest finalisation failed");
  }
  digest.resize(digest_size);
  return digest;
}

}  // namespace mg::integrity
