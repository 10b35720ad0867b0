#include "render/escape.h"

#include <cstdint>
#include <cstdio>

namespace mg {

namespace {

// Length of the well-formed UTF-8 sequence starting at s[i] (Unicode 15, table 3-7), or 0.
std::size_t ValidSequenceLength(std::string_view s, std::size_t i, std::uint32_t& code_point) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  unsigned char second_min = 0x80, second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_min = 0xA0;  // no overlong forms
    if (lead == 0xED) second_max = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_min = 0x90;
    if (lead == 0xF4) second_max = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (s.size() - i < length) return 0;
  if (byte(1) < second_min || byte(1) > second_max) return 0;
  code_point = lead & (0xFF >> (length + 1));
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(k) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(k) & 0x3F);
  }
  return length;
}

// Characters that are invisible or change how the text around them is shown.
bool IsFormatControl(std::uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) ||       // C1 controls (0x9B is CSI on some terminals)
         cp == 0x061C ||                      // Arabic letter mark
         (cp >= 0x200B && cp <= 0x200F) ||    // zero-width characters, LRM, RLM
         (cp >= 0x2028 && cp <= 0x202E) ||    // line/paragraph separators, bidi embeddings
         (cp >= 0x2060 && cp <= 0x2064) ||    // word joiner, invisible operators
         (cp >= 0x2066 && cp <= 0x2069) ||    // bidi isolates
         cp == 0xFEFF;                        // zero-width no-break space
}

std::string Hex(const char* format, std::uint32_t value) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), format, static_cast<unsigned>(value));
  return buf;
}

// The escaped form of the character at s[i]; `consumed` is set to its length in bytes.
std::string EscapeOne(std::string_view s, std::size_t i, std::size_t& consumed) {
  const auto byte = static_cast<unsigned char>(s[i]);
  consumed = 1;
  if (byte < 0x80) {
    switch (byte) {
      case '\n': return "\\n";
      case '\r': return "\\r";
      case '\t': return "\\t";
      default: break;
    }
    if (byte < 0x20 || byte == 0x7F) return Hex("\\x%02x", byte);
    return std::string(1, static_cast<char>(byte));
  }
  std::uint32_t code_point = 0;
  const std::size_t length = ValidSequenceLength(s, i, code_point);
  if (length == 0) return Hex("\\x%02x", byte);
  consumed = length;
  if (IsFormatControl(code_point)) return Hex("\\u{%04X}", code_point);
  return std::string(s.substr(i, length));
}

std::string CutNote(std::size_t omitted) {
  return " ... (+" + std::to_string(omitted) + (omitted == 1 ? " byte)" : " bytes)");
}

}  // namespace

std::string TerminalSafe(std::string_view raw, std::size_t max_bytes) {
  std::string out;
  out.reserve(raw.size() < max_bytes ? raw.size() : max_bytes);
  std::size_t i = 0;
  while (i < raw.size()) {
    std::size_t consumed = 0;
    const std::string piece = EscapeOne(raw, i, consumed);
    if (piece.size() > max_bytes - out.size()) return out + CutNote(raw.size() - i);
    out += piece;
    i += consumed;
  }
  return out;
}

std::string Utf8Truncate(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  // Step back over continuation bytes (10xxxxxx) so that no sequence is split; a UTF-8
  // sequence has at most three of them.
  while (cut > 0 && max_bytes - cut < 3 &&
         (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return std::string(text.substr(0, cut)) + CutNote(text.size() - cut);
}

}  // namespace mg
