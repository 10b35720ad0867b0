#include "analyzers/pickle/literal.h"

#include <cstring>

#include "analyzers/pickle/opcodes.h"
#include "core/text.h"

namespace mg::pickle {
namespace {

std::optional<ByteView> LineAt(ByteView data, std::uint64_t start) {
  if (start > data.size()) return std::nullopt;
  const auto* begin = data.data() + start;
  const void* nl = std::memchr(begin, '\n', data.size() - start);
  if (nl == nullptr) return std::nullopt;
  return ByteView(begin, static_cast<const std::uint8_t*>(nl) - begin);
}

std::optional<ByteView> CountedAt(ByteView data, std::uint64_t start, int width) {
  auto header = data.Sub(start, width);
  if (!header) return std::nullopt;
  std::uint64_t length = 0;
  for (int i = width - 1; i >= 0; --i) length = (length << 8) | (*header)[i];
  return data.Sub(start + width, length);
}

std::optional<std::string> RawUnicodeEscapeDecode(ByteView raw, std::uint64_t max_bytes,
                                                  bool* truncated) {
  std::string out;
  for (std::uint64_t i = 0; i < raw.size(); ++i) {
    if (out.size() >= max_bytes) {
      if (truncated != nullptr) *truncated = true;
      break;
    }
    std::uint8_t c = raw[i];
    int digits = 0;
    if (c == '\\' && i + 1 < raw.size()) {
      if (raw[i + 1] == 'u') digits = 4;
      if (raw[i + 1] == 'U') digits = 8;
    }
    if (digits == 0) {
      AppendUtf8(out, c);  // raw-unicode-escape: other bytes are Latin-1 code points
      continue;
    }
    if (i + 2 + digits > raw.size()) return std::nullopt;
    std::uint32_t cp = 0;
    for (int d = 0; d < digits; ++d) {
      const int v = HexDigitValue(raw[i + 2 + d]);
      if (v < 0) return std::nullopt;
      cp = (cp << 4) | static_cast<std::uint32_t>(v);
    }
    if (cp > 0x10FFFF) return std::nullopt;
    AppendUtf8(out, cp);
    i += 1 + digits;
  }
  return out;
}

}  // namespace

std::size_t Utf8SequenceLength(const unsigned char* p, std::size_t n) {
  if (n == 0) return 0;
  const unsigned char c = p[0];
  if (c < 0x80) return 1;
  std::size_t length = 0;
  std::uint32_t cp = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    length = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    length = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    length = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (n < length) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  if ((length == 3 && cp < 0x800) || (length == 4 && cp < 0x10000) || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return length;
}

bool IsValidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t length = Utf8SequenceLength(p + i, text.size() - i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::optional<std::string> PythonEscapeDecode(ByteView raw, std::uint64_t max_bytes,
                                              bool* truncated) {
  std::string out;
  for (std::uint64_t i = 0; i < raw.size(); ++i) {
    if (out.size() >= max_bytes) {
      if (truncated != nullptr) *truncated = true;
      break;
    }
    const std::uint8_t c = raw[i];
    if (c != '\\' || i + 1 >= raw.size()) {
      if (c == '\\') return std::nullopt;  // "Trailing \ in string"
      out.push_back(static_cast<char>(c));
      continue;
    }
    const std::uint8_t e = raw[++i];
    switch (e) {
      case '\n':
        break;
      case '\\':
      case '\'':
      case '"':
        out.push_back(static_cast<char>(e));
        break;
      case 'a':
        out.push_back('\a');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'v':
        out.push_back('\v');
        break;
      case 'x': {
        if (i + 2 >= raw.size()) return std::nullopt;  // "\x" needs two hex digits
        const int hi = HexDigitValue(raw[i + 1]);
        const int lo = HexDigitValue(raw[i + 2]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        break;
      }
      default:
        if (e >= '0' && e <= '7') {  // up to three octal digits
          unsigned v = e - '0';
          for (int d = 0; d < 2 && i + 1 < raw.size() && raw[i + 1] >= '0' && raw[i + 1] <= '7';
               ++d) {
            v = v * 8 + (raw[++i] - '0');
          }
          out.push_back(static_cast<char>(v & 0xFF));
        } else {  // unknown escapes are kept as they are
          out.push_back('\\');
          out.push_back(static_cast<char>(e));
        }
    }
  }
  return out;
}

std::optional<Literal> ReadLiteral(ByteView data, std::uint64_t offset) {
  if (offset >= data.size()) return std::nullopt;
  const std::uint8_t code = data[offset];
  const std::uint64_t arg = offset + 1;
  Literal lit;
  std::optional<ByteView> raw;
  switch (code) {
    case op::kBinUnicode:
      raw = CountedAt(data, arg, 4);
      lit.type = LiteralType::kStr;
      break;
    case op::kShortBinUnicode:
      raw = CountedAt(data, arg, 1);
      lit.type = LiteralType::kStr;
      break;
    case op::kBinUnicode8:
      raw = CountedAt(data, arg, 8);
      lit.type = LiteralType::kStr;
      break;
    case op::kBinString:
      raw = CountedAt(data, arg, 4);
      lit.type = LiteralType::kStr8;
      break;
    case op::kShortBinString:
      raw = CountedAt(data, arg, 1);
      lit.type = LiteralType::kStr8;
      break;
    case op::kBinBytes:
      raw = CountedAt(data, arg, 4);
      lit.type = LiteralType::kBytes;
      break;
    case op::kShortBinBytes:
      raw = CountedAt(data, arg, 1);
      lit.type = LiteralType::kBytes;
      break;
    case op::kBinBytes8:
      raw = CountedAt(data, arg, 8);
      lit.type = LiteralType::kBytes;
      break;
    case op::kByteArray8:
      raw = CountedAt(data, arg, 8);
      lit.type = LiteralType::kByteArray;
      break;
    case op::kUnicode:
      raw = LineAt(data, arg);
      lit.type = LiteralType::kStr;
      lit.encoding = TextEncoding::kRawUnicodeEscape;
      break;
    case op::kString: {
      raw = LineAt(data, arg);
      if (!raw || raw->size() < 2) return std::nullopt;
      raw = raw->Sub(1, raw->size() - 2);  // pickletools: the repr's quotes
      lit.type = LiteralType::kStr8;
      lit.encoding = TextEncoding::kPythonEscaped;
      break;
    }
    case op::kPersId:  // protocol 0 persistent id: an ASCII string
      raw = LineAt(data, arg);
      lit.type = LiteralType::kStr8;
      break;
    case op::kInt:
    case op::kLong:
      raw = LineAt(data, arg);
      lit.type = LiteralType::kBigInt;
      lit.encoding = TextEncoding::kDecimal;
      break;
    case op::kLong1:
    case op::kLong4:
      raw = CountedAt(data, arg, code == op::kLong1 ? 1 : 4);
      lit.type = LiteralType::kBigInt;
      lit.encoding = TextEncoding::kLittleEndian;
      break;
    case op::kFloat:
      raw = LineAt(data, arg);
      lit.type = LiteralType::kFloat;
      lit.encoding = TextEncoding::kDecimal;
      break;
    case op::kBinFloat:
      raw = data.Sub(arg, 8);
      lit.type = LiteralType::kFloat;
      lit.encoding = TextEncoding::kBigEndianDouble;
      break;
    default:
      return std::nullopt;
  }
  if (!raw) return std::nullopt;
  lit.raw = *raw;
  return lit;
}

std::optional<std::string> DecodeLiteral(const Literal& lit, std::uint64_t max_bytes,
                                         bool* truncated) {
  if (truncated != nullptr) *truncated = false;
  switch (lit.encoding) {
    case TextEncoding::kRawUnicodeEscape:
      return RawUnicodeEscapeDecode(lit.raw, max_bytes, truncated);
    case TextEncoding::kPythonEscaped:
      return PythonEscapeDecode(lit.raw, max_bytes, truncated);
    default:
      break;
  }
  ByteView view = lit.raw;
  if (view.size() > max_bytes) {
    view = view.Prefix(max_bytes);
    if (truncated != nullptr) *truncated = true;
  }
  return std::string(view.AsStringView());
}

std::optional<std::int64_t> ParseDecimalInt(ByteView text) {
  std::uint64_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  std::uint64_t end = text.size();
  if (end > i && text[end - 1] == 'L') --end;  // protocol 0 LONG: "123L"
  if (i == end) return std::nullopt;
  std::int64_t v = 0;
  for (; i < end; ++i) {
    const std::uint8_t c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    if (__builtin_mul_overflow(v, 10, &v)) return std::nullopt;
    if (__builtin_add_overflow(v, c - '0', &v)) return std::nullopt;
  }
  return negative ? -v : v;
}

}  // namespace mg::pickle
