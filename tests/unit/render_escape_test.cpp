#include <gtest/gtest.h>

#include "render/escape.h"

namespace mg {
namespace {

TEST(TerminalSafeTest, KeepsPrintableAsciiAndUtf8) {
  EXPECT_EQ(TerminalSafe("os.system('id')"), "os.system('id')");
  EXPECT_EQ(TerminalSafe("caf\xc3\xa9 \xe6\xa8\xa1\xe5\x9e\x8b \xf0\x9f\x94\x92"),
            "caf\xc3\xa9 \xe6\xa8\xa1\xe5\x9e\x8b \xf0\x9f\x94\x92");
}

TEST(TerminalSafeTest, EscapesC0ControlsAndDel) {
  EXPECT_EQ(TerminalSafe("a\x1b[2Jb"), "a\\x1b[2Jb");
  EXPECT_EQ(TerminalSafe("\x07\x7f"), "\\x07\\x7f");
  EXPECT_EQ(TerminalSafe("l1\nl2\r\tx"), "l1\\nl2\\r\\tx");
  EXPECT_EQ(TerminalSafe(std::string_view("nul\0end", 7)), "nul\\x00end");
}

TEST(TerminalSafeTest, EscapesC1ControlsAndBidiOverrides) {
  EXPECT_EQ(TerminalSafe("\xc2\x9b" "31m"), "\\u{009B}31m");       // U+009B, CSI
  EXPECT_EQ(TerminalSafe("abc\xe2\x80\xae" "fed"), "abc\\u{202E}fed");  // RIGHT-TO-LEFT OVERRIDE
  EXPECT_EQ(TerminalSafe("\xe2\x81\xa6x\xe2\x81\xa9"), "\\u{2066}x\\u{2069}");
  EXPECT_EQ(TerminalSafe("\xef\xbb\xbf" "bom"), "\\u{FEFF}bom");
}

TEST(TerminalSafeTest, EscapesBytesThatAreNotUtf8) {
  EXPECT_EQ(TerminalSafe("\xff\xfe"), "\\xff\\xfe");
  EXPECT_EQ(TerminalSafe("\x9b" "31m"), "\\x9b31m");          // a raw 8-bit CSI
  EXPECT_EQ(TerminalSafe("\xc3"), "\\xc3");                    // truncated sequence
  EXPECT_EQ(TerminalSafe("\xc0\xaf"), "\\xc0\\xaf");           // overlong '/'
  EXPECT_EQ(TerminalSafe("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a UTF-16 surrogate
  EXPECT_EQ(TerminalSafe("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
}

TEST(TerminalSafeTest, CutsLongTextAtACharacterAndSaysHowMuchIsLeft) {
  EXPECT_EQ(TerminalSafe("abcdefgh", 5), "abcde ... (+3 bytes)");
  EXPECT_EQ(TerminalSafe("abcdef", 5), "abcde ... (+1 byte)");
  EXPECT_EQ(TerminalSafe("abcde", 5), "abcde");
  // An escape is never split: "\x1b" (4 bytes) does not fit after "ab" in 5.
  EXPECT_EQ(TerminalSafe("ab\x1b" "cd", 5), "ab ... (+3 bytes)");
  // Nor is a UTF-8 character.
  EXPECT_EQ(TerminalSafe("ab\xc3\xa9", 3), "ab ... (+2 bytes)");
}

TEST(Utf8TruncateTest, CutsAtACharacterBoundary) {
  EXPECT_EQ(Utf8Truncate("short", 10), "short");
  EXPECT_EQ(Utf8Truncate("abcdef", 3), "abc ... (+3 bytes)");
  EXPECT_EQ(Utf8Truncate("a\xe6\xa8\xa1z", 2), "a ... (+4 bytes)");
  EXPECT_EQ(Utf8Truncate("a\xe6\xa8\xa1z", 4), "a\xe6\xa8\xa1 ... (+1 byte)");
}

}  // namespace
}  // namespace mg
