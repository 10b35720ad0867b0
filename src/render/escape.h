// Making strings from scanned files safe to show. A file name, an archive member name or an
// evidence string is attacker-controlled: written raw to a terminal it could move the cursor,
// rewrite earlier lines, set the window title or reorder text (bidi controls, "Trojan Source").
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>

namespace mg {

// Returns `raw` with every byte or character that could control a terminal escaped:
// C0 controls and DEL as \n \r \t or \xNN; bytes that are not valid UTF-8 as \xNN; C1 controls
// (U+0080-U+009F), bidi and invisible format characters as \u{XXXX}. Printable UTF-8 is kept.
// When the escaped text would exceed `max_bytes`, it is cut at a character boundary and
// " ... (+N bytes)" says how many bytes of `raw` were left out.
std::string TerminalSafe(std::string_view raw,
                         std::size_t max_bytes = std::numeric_limits<std::size_t>::max());

// The longest prefix of `text` of at most `max_bytes` bytes that does not split a UTF-8
// sequence, followed by " ... (+N bytes)" when something was cut.
std::string Utf8Truncate(std::string_view text, std::size_t max_bytes);

}  // namespace mg
