#include "synthetic_pickles.h"

#include <cstring>

namespace mg::bench {

namespace {

// Opcode bytes from CPython's pickletools.
constexpr std::uint8_t kProto = 0x80, kFrame = 0x95, kEmptyList = ']', kMemoize = 0x94,
                       kMark = '(', kAppends = 'e', kBinInt1 = 'K', kBinInt = 'J',
                       kBinFloat = 'G', kBinBytes = 'B', kStop = '.', kBinPut = 'q';

void PutLe(std::vector<std::uint8_t>& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

void PutBinFloat(std::vector<std::uint8_t>& out, double value) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof(bits));
  out.push_back(kBinFloat);
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(bits >> (8 * i)));
}

// Protocol 4 wraps opcodes in FRAMEs of about 64 KiB; `body` is split at opcode boundaries by
// the caller's batching, so each batch becomes one frame.
void AppendFramed(std::vector<std::uint8_t>& out, const std::vector<std::uint8_t>& body,
                  bool framed) {
  if (framed) {
    out.push_back(kFrame);
    PutLe(out, body.size(), 8);
  }
  out.insert(out.end(), body.begin(), body.end());
}

}  // namespace

std::vector<std::uint8_t> OpcodeDensePickle(std::uint64_t count, int protocol) {
  const bool framed = protocol >= 4;
  std::vector<std::uint8_t> out = {kProto, static_cast<std::uint8_t>(protocol)};
  std::vector<std::uint8_t> batch = {kEmptyList};
  if (framed) {
    batch.push_back(kMemoize);
  } else {
    batch.insert(batch.end(), {kBinPut, 0});
  }
  for (std::uint64_t i = 0; i < count;) {
    batch.push_back(kMark);
    for (int j = 0; j < 1000 && i < count; ++j, ++i) {
      if (i % 2 == 0) {
        const std::uint64_t value = i % 100000;
        if (value < 256) {
          batch.insert(batch.end(), {kBinInt1, static_cast<std::uint8_t>(value)});
        } else {
          batch.push_back(kBinInt);
          PutLe(batch, value, 4);
        }
      } else {
        PutBinFloat(batch, static_cast<double>(i) * 0.5);
      }
    }
    batch.push_back(kAppends);
    AppendFramed(out, batch, framed);
    batch.clear();
  }
  std::vector<std::uint8_t> stop = {kStop};
  AppendFramed(out, stop, framed);
  return out;
}

std::vector<std::uint8_t> DataDensePickle(std::uint64_t count, std::uint32_t each) {
  std::vector<std::uint8_t> out = {kProto, 4, kEmptyList, kMemoize};
  out.reserve(out.size() + count * (each + 8) + 8);
  for (std::uint64_t i = 0; i < count; ++i) {
    if (i % 1000 == 0) out.push_back(kMark);
    out.push_back(kBinBytes);
    PutLe(out, each, 4);
    out.resize(out.size() + each, static_cast<std::uint8_t>(i));
    out.push_back(kMemoize);
    if (i % 1000 == 999 || i + 1 == count) out.push_back(kAppends);
  }
  out.push_back(kStop);
  return out;
}

}  // namespace mg::bench
