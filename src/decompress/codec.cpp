#include "decompress/codec.h"

#include <bzlib.h>
#include <lz4frame.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include <string_view>

namespace mg::decompress {

namespace {

Step Made(std::size_t in_size, std::size_t in_left, std::size_t out_size, std::size_t out_left) {
  Step step;
  step.in_used = in_size - in_left;
  step.out_made = out_size - out_left;
  return step;
}

class ZlibDecoder final : public Decoder {
 public:
  // -15: raw deflate (RFC 1951, the body of a gzip member); 15: zlib header and Adler-32.
  explicit ZlibDecoder(int window_bits) { ok_ = inflateInit2(&stream_, window_bits) == Z_OK; }
  ~ZlibDecoder() override {
    if (ok_) inflateEnd(&stream_);
  }
  ZlibDecoder(const ZlibDecoder&) = delete;
  ZlibDecoder& operator=(const ZlibDecoder&) = delete;
  bool ok() const { return ok_; }

  Step Run(const std::uint8_t* in, std::size_t in_size, std::uint8_t* out,
           std::size_t out_size) override {
    // zlib's API takes a non-const pointer but never writes through next_in.
    stream_.next_in = const_cast<Bytef*>(in);
    stream_.avail_in = static_cast<uInt>(in_size);
    stream_.next_out = out;
    stream_.avail_out = static_cast<uInt>(out_size);
    const int status = inflate(&stream_, Z_NO_FLUSH);
    Step step = Made(in_size, stream_.avail_in, out_size, stream_.avail_out);
    const std::string_view message = stream_.msg != nullptr ? stream_.msg : "corrupt data";
    switch (status) {
      case Z_OK:
      case Z_BUF_ERROR:  // no progress possible with this input: more is needed
        break;
      case Z_STREAM_END:
        step.status = StepStatus::kStreamEnd;
        break;
      case Z_NEED_DICT:
        step.status = StepStatus::kUnsupported;
        step.error = "it needs a preset dictionary (FDICT)";
        break;
      default:
        // zlib's own wording for an Adler-32 mismatch (inflate.c).
        step.status =
            message == "incorrect data check" ? StepStatus::kChecksum : StepStatus::kError;
        step.error = std::string(message);
        break;
    }
    return step;
  }

 private:
  z_stream stream_{};
  bool ok_ = false;
};

class Bzip2Decoder final : public Decoder {
 public:
  Bzip2Decoder() { ok_ = BZ2_bzDecompressInit(&stream_, 0, 0) == BZ_OK; }
  ~Bzip2Decoder() override {
    if (ok_) BZ2_bzDecompressEnd(&stream_);
  }
  Bzip2Decoder(const Bzip2Decoder&) = delete;
  Bzip2Decoder& operator=(const Bzip2Decoder&) = delete;
  bool ok() const { return ok_; }

  Step Run(const std::uint8_t* in, std::size_t in_size, std::uint8_t* out,
           std::size_t out_size) override {
    // libbzip2 takes char pointers and never writes through next_in.
    stream_.next_in = const_cast<char*>(reinterpret_cast<const char*>(in));
    stream_.avail_in = static_cast<unsigned>(in_size);
    stream_.next_out = reinterpret_cast<char*>(out);
    stream_.avail_out = static_cast<unsigned>(out_size);
    const int status = BZ2_bzDecompress(&stream_);
    Step step = Made(in_size, stream_.avail_in, out_size, stream_.avail_out);
    if (status == BZ_STREAM_END) {
      step.status = StepStatus::kStreamEnd;
    } else if (status != BZ_OK) {
      // libbzip2 reports block and stream CRC mismatches as BZ_DATA_ERROR too.
      step.status = StepStatus::kError;
      step.error = status == BZ_DATA_ERROR_MAGIC ? "bad stream magic"
                   : status == BZ_MEM_ERROR      ? "out of memory"
                                                 : "data error or CRC mismatch";
    }
    return step;
  }

 private:
  bz_stream stream_{};
  bool ok_ = false;
};

class LzmaDecoder final : public Decoder {
 public:
  enum class Container : std::uint8_t { kXz, kAlone, kAuto };
  explicit LzmaDecoder(Container container) {
    // No LZMA_CONCATENATED: the caller handles concatenation and trailing data itself.
    lzma_ret status = LZMA_PROG_ERROR;
    switch (container) {
      case Container::kXz:
        status = lzma_stream_decoder(&stream_, kMaxDecoderMemory, 0);
        break;
      case Container::kAlone:
        status = lzma_alone_decoder(&stream_, kMaxDecoderMemory);
        break;
      case Container::kAuto:
        status = lzma_auto_decoder(&stream_, kMaxDecoderMemory, 0);
        break;
    }
    ok_ = status == LZMA_OK;
  }
  ~LzmaDecoder() override { lzma_end(&stream_); }
  LzmaDecoder(const LzmaDecoder&) = delete;
  LzmaDecoder& operator=(const LzmaDecoder&) = delete;
  bool ok() const { return ok_; }

  Step Run(const std::uint8_t* in, std::size_t in_size, std::uint8_t* out,
           std::size_t out_size) override {
    stream_.next_in = in;
    stream_.avail_in = in_size;
    stream_.next_out = out;
    stream_.avail_out = out_size;
    const lzma_ret status = lzma_code(&stream_, LZMA_RUN);
    Step step = Made(in_size, stream_.avail_in, out_size, stream_.avail_out);
    switch (status) {
      case LZMA_OK:
      case LZMA_BUF_ERROR:  // no progress possible with this input: more is needed
        break;
      case LZMA_STREAM_END:
        step.status = StepStatus::kStreamEnd;
        break;
      case LZMA_MEMLIMIT_ERROR:
        step.status = StepStatus::kUnsupported;
        step.error = "its dictionary needs more than " + std::to_string(kMaxDecoderMemory >> 20) +
                     " MiB of decoder memory";
        break;
      case LZMA_OPTIONS_ERROR:
        step.status = StepStatus::kUnsupported;
        step.error = "it uses filters or options liblzma does not support";
        break;
      case LZMA_FORMAT_ERROR:
        step.status = StepStatus::kError;
        step.error = "the header is not valid";
        break;
      default:
        // Integrity check (CRC32/CRC64/SHA-256) failures are LZMA_DATA_ERROR too.
        step.status = StepStatus::kError;
        step.error = status == LZMA_MEM_ERROR ? "out of memory" : "data error or check mismatch";
        break;
    }
    return step;
  }

 private:
  lzma_stream stream_ = LZMA_STREAM_INIT;
  bool ok_ = false;
};

class ZstdDecoder final : public Decoder {
 public:
  ZstdDecoder() : context_(ZSTD_createDCtx()) {
    // The window limit bounds decoder memory (RFC 8878 3.1.1.1.2: Window_Size).
    int window_log = 10;
    while ((std::uint64_t{1} << (window_log + 1)) <= kMaxDecoderMemory) ++window_log;
    ok_ = context_ != nullptr &&
          !ZSTD_isError(ZSTD_DCtx_setParameter(context_, ZSTD_d_windowLogMax, window_log));
  }
  ~ZstdDecoder() override { ZSTD_freeDCtx(context_); }
  ZstdDecoder(const ZstdDecoder&) = delete;
  ZstdDecoder& operator=(const ZstdDecoder&) = delete;
  bool ok() const { return ok_; }

  Step Run(const std::uint8_t* in, std::size_t in_size, std::uint8_t* out,
           std::size_t out_size) override {
    ZSTD_inBuffer input{in, in_size, 0};
    ZSTD_outBuffer output{out, out_size, 0};
    const std::size_t result = ZSTD_decompressStream(context_, &output, &input);
    Step step;
    step.in_used = input.pos;
    step.out_made = output.pos;
    if (ZSTD_isError(result)) {
      const ZSTD_ErrorCode code = ZSTD_getErrorCode(result);
      step.status =
          code == ZSTD_error_checksum_wrong ? StepStatus::kChecksum
          : code == ZSTD_error_frameParameter_windowTooLarge || code == ZSTD_error_dictionary_wrong
              ? StepStatus::kUnsupported
              : StepStatus::kError;
      step.error = ZSTD_getErrorName(result);
    } else if (result == 0) {  // zstd.h: 0 once a frame is fully decoded and flushed
      step.status = StepStatus::kStreamEnd;
    }
    return step;
  }

 private:
  ZSTD_DCtx* context_;
  bool ok_ = false;
};

class Lz4Decoder final : public Decoder {
 public:
  Lz4Decoder() { ok_ = !LZ4F_isError(LZ4F_createDecompressionContext(&context_, LZ4F_VERSION)); }
  ~Lz4Decoder() override {
    if (ok_) LZ4F_freeDecompressionContext(context_);
  }
  Lz4Decoder(const Lz4Decoder&) = delete;
  Lz4Decoder& operator=(const Lz4Decoder&) = delete;
  bool ok() const { return ok_; }

  Step Run(const std::uint8_t* in, std::size_t in_size, std::uint8_t* out,
           std::size_t out_size) override {
    std::size_t in_used = in_size;
    std::size_t out_made = out_size;
    // lz4frame.h: stops exactly at the end of a frame and returns 0 there.
    const std::size_t result = LZ4F_decompress(context_, out, &out_made, in, &in_used, nullptr);
    Step step;
    step.in_used = in_used;
    step.out_made = out_made;
    if (LZ4F_isError(result)) {
      const std::string_view name = LZ4F_getErrorName(result);
      step.status = name.find("Checksum_invalid") != std::string_view::npos ? StepStatus::kChecksum
                                                                            : StepStatus::kError;
      step.error = std::string(name);
    } else if (result == 0) {
      step.status = StepStatus::kStreamEnd;
    }
    return step;
  }

 private:
  LZ4F_dctx* context_ = nullptr;
  bool ok_ = false;
};

template <typename T, typename... Args>
std::unique_ptr<Decoder> Checked(std::string& error, Args... args) {
  auto decoder = std::make_unique<T>(args...);
  if (decoder->ok()) return decoder;
  error = "the decoder could not be initialised";
  return nullptr;
}

}  // namespace

std::unique_ptr<Decoder> MakeDecoder(Codec codec, std::string& error) {
  switch (codec) {
    case Codec::kRawDeflate:
      return Checked<ZlibDecoder>(error, -MAX_WBITS);
    case Codec::kZlib:
      return Checked<ZlibDecoder>(error, MAX_WBITS);
    case Codec::kGzip:
      return Checked<ZlibDecoder>(error, MAX_WBITS + 16);  // zlib.h: +16 decodes gzip only
    case Codec::kZlibOrGzip:
      return Checked<ZlibDecoder>(error, MAX_WBITS + 32);  // zlib.h: +32 detects the header
    case Codec::kBzip2:
      return Checked<Bzip2Decoder>(error);
    case Codec::kXz:
      return Checked<LzmaDecoder>(error, LzmaDecoder::Container::kXz);
    case Codec::kLzmaAlone:
      return Checked<LzmaDecoder>(error, LzmaDecoder::Container::kAlone);
    case Codec::kXzOrLzma:
      return Checked<LzmaDecoder>(error, LzmaDecoder::Container::kAuto);
    case Codec::kZstd:
      return Checked<ZstdDecoder>(error);
    case Codec::kLz4:
      return Checked<Lz4Decoder>(error);
  }
  error = "unknown codec";
  return nullptr;
}

}  // namespace mg::decompress
