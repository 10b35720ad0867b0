#include "analyzers/zip/rules.h"

#include <array>

namespace mg::zip {

namespace {

constexpr std::array kRules = {
    RuleInfo{rule::kMalformed, Severity::kMedium, "Archive structure unreadable",
             "No end of central directory record was found, or the central directory it points "
             "to cannot be read (a truncated download, garbage, or a deliberately broken "
             "archive). The members that could still be found by walking local headers were "
             "analysed; the archive is `incomplete`.",
             "No end of central directory record in the last 65557 bytes."},
    RuleInfo{rule::kPrependedData, Severity::kMedium, "Data before the first member",
             "Bytes precede the first local header. Readers that locate the archive from its "
             "end still open it, while loaders that look at the first bytes (torch.load checks "
             "for PK\\x03\\x04) see another format: a polyglot. The prepended bytes are "
             "analysed too, from offset 0, with the analyzer that recognises them.",
             "412 bytes precede the first member (the file starts with 80 02 ...)."},
    RuleInfo{rule::kAppendedData, Severity::kLow, "Data after the end record",
             "Bytes follow the end of central directory record and its comment. ZIP readers "
             "ignore them; they can hide a payload for another tool or shift readers that "
             "search for the end record differently.",
             "96 bytes follow the end of central directory record."},
    RuleInfo{rule::kUnreferencedData, Severity::kMedium, "Data no central header refers to",
             "Bytes between members, or between the central directory and the end record, "
             "belong to no member listed in the central directory. When they hold a local "
             "header, streaming readers (which walk local headers) see a member that "
             "central-directory readers do not; such hidden members are analysed.",
             "120 bytes at offset 0x3f2 are not part of any listed member."},
    RuleInfo{rule::kMultipleEndRecords, Severity::kMedium, "More than one end record",
             "Several end of central directory signatures fit at the end of the file (for "
             "example one hidden in the comment). Readers that search from the end and readers "
             "that validate differently pick different ones; every central directory found is "
             "analysed.",
             "2 end of central directory records (at 0x51c and 0x4f0)."},
    RuleInfo{rule::kOffsetMismatch, Severity::kMedium, "Central directory not where declared",
             "The central directory offset in the end record does not match where the "
             "directory ends. Python's zipfile and Info-ZIP shift every offset by the "
             "difference (to tolerate prepended data) while miniz-based readers (PyTorch) do "
             "not; both readings are analysed.",
             "The end record places the central directory at 0x10 but it ends 256 bytes later "
             "than that implies."},
    RuleInfo{rule::kZip64, Severity::kInfo, "ZIP64 records",
             "The archive uses ZIP64 end records or extra fields (normal for members over "
             "4 GiB). Reported because old readers ignore ZIP64 values; medium when a 32-bit "
             "field disagrees with its ZIP64 value or the ZIP64 record is unreadable.",
             "ZIP64 end record at 0x1f0."},
    RuleInfo{rule::kMultiDisk, Severity::kMedium, "Multi-disk archive",
             "The end record names a disk other than 0: a split or spanned archive whose other "
             "parts are not here. What this file holds was analysed.",
             "The end record says this is disk 1 of a spanned archive."},
    RuleInfo{rule::kCountMismatch, Severity::kMedium, "Central directory count or size wrong",
             "The member count or central directory size in the end record differs from what "
             "the central directory holds. Readers that trust the count and readers that walk "
             "the headers list different members.",
             "The end record declares 3 members but the central directory holds 2."},
    RuleInfo{rule::kNameMismatch, Severity::kHigh, "Local and central names differ",
             "A member's name in its local header differs from the name in the central "
             "directory. Central-directory readers and streaming readers extract it under "
             "different names; a scanner that trusts one is evaded through the other.",
             "Local header name 'evil.pkl' differs from central name 'archive/data.pkl'."},
    RuleInfo{rule::kHeaderMismatch, Severity::kHigh, "Local and central headers disagree",
             "The compression method, sizes, CRC or flags of a member differ between its local "
             "header and the central directory, so readers read different bytes. Every "
             "version is analysed.",
             "Method 8 in the local header, 0 in the central directory."},
    RuleInfo{rule::kDuplicateName, Severity::kHigh, "Duplicate member name",
             "Two members have the same name. Python's zipfile returns the last one, miniz "
             "(PyTorch) may return either; a scanner that checks one is evaded through the "
             "other. All of them are analysed.",
             "'archive/data.pkl' appears 2 times."},
    RuleInfo{rule::kOverlappingMembers, Severity::kHigh, "Members overlap",
             "Two members (or a member and the central directory) share bytes. Legitimate "
             "writers never do this; it is how non-recursive zip bombs multiply output and how "
             "one member's data hides inside another's.",
             "Member 'b' at 0x40 starts inside member 'a' (0x0-0x80)."},
    RuleInfo{rule::kCrcMismatch, Severity::kMedium, "CRC-32 mismatch",
             "The CRC-32 of a member's data differs from the declared one. PyTorch's reader "
             "does not check CRCs and loads the bytes anyway, so the member is analysed as "
             "read; readers that check reject it.",
             "CRC-32 is 0x1234abcd, declared 0x00000000."},
    RuleInfo{rule::kSizeMismatch, Severity::kMedium, "Data size differs from declared",
             "A member decompresses to a size other than the declared uncompressed size, or a "
             "stored member's compressed and uncompressed sizes differ. Readers stop at "
             "different lengths; each length a reader would use is analysed.",
             "Inflates to 4096 bytes, declared 100."},
    RuleInfo{rule::kFalseEncryption, Severity::kMedium, "Encryption flag on plain data",
             "A member is flagged as encrypted but its data is plain (it matches the declared "
             "CRC-32 unencrypted). Readers that honour the flag refuse it, readers that ignore "
             "it load it: a scanner that skips encrypted members is evaded.",
             "Flag bit 0 set but the data is not encrypted."},
    RuleInfo{rule::kEncrypted, Severity::kMedium, "Encrypted member",
             "The member is encrypted; its content cannot be analysed, so the archive is "
             "`incomplete`. The raw bytes were still sniffed, as a reader ignoring the flag "
             "would read them.",
             "Member 'data.pkl' is encrypted (flags 0x0001)."},
    RuleInfo{rule::kReservedFlags, Severity::kLow, "Reserved flag bits set",
             "General purpose flag bits that APPNOTE reserves or leaves unused are set. No "
             "legitimate writer sets them; readers ignore or reject them differently.",
             "Flags 0x4000."},
    RuleInfo{rule::kUnsupportedMethod, Severity::kMedium, "Compression method not analysed",
             "The member uses a compression method this build does not decode (LZMA, PPMd, "
             "AES...). Its content was not analysed: `incomplete`.",
             "Member 'data.pkl' uses LZMA, which this version cannot decode."},
    RuleInfo{rule::kDataError, Severity::kMedium, "Member data unreadable",
             "A member's local header is missing, its data extends past the file, or its "
             "compressed stream is corrupt. What could be read was analysed; the archive is "
             "`incomplete`.",
             "Deflate stream error in 'data.pkl': invalid block type."},
    RuleInfo{rule::kPathTraversal, Severity::kHigh, "Member path escapes the extraction folder",
             "A member name contains '..' components, is absolute, or starts with a drive "
             "letter. Extracting the archive writes outside the target folder (zip slip).",
             "'../../.bashrc'"},
    RuleInfo{rule::kSuspiciousName, Severity::kMedium, "Member name with unusual characters",
             "A member name contains backslashes (a path separator on Windows only), NUL "
             "bytes (which truncate the name in C readers) or other control characters, so "
             "readers and extractors see different names.",
             "'archive\\\\data.pkl'"},
    RuleInfo{rule::kCompressionRatio, Severity::kHigh, "Compression ratio above the limit",
             "A member inflates to more than --max-compression-ratio times its compressed "
             "size (beyond the first MiB): a zip bomb. Decompression stopped at the limit; the "
             "rest was not analysed.",
             "'bomb.bin' inflates beyond 200x its 1031 compressed bytes."},
    RuleInfo{rule::kDeclaredSize, Severity::kHigh, "Declared sizes exceed the budget",
             "The compressed members declare more uncompressed bytes in total than "
             "--max-decompressed allows: a zip bomb, or an archive too large to analyse. "
             "Members past the budget are not analysed.",
             "Compressed members declare 1099511627776 bytes in total."},
    RuleInfo{rule::kTooManyMembers, Severity::kMedium, "More members than the limit",
             "The archive lists more members than --max-members allows; the rest were not "
             "analysed.",
             "More than 100000 members; the rest were not analysed."},
    RuleInfo{rule::kFindingsCapped, Severity::kInfo, "Repeated findings summarised",
             "A rule fired more often than the per-archive cap; the remaining occurrences are "
             "counted in this finding instead of being listed.",
             "ZIP-CRC-MISMATCH: 1200 more occurrences not listed."},
};

}  // namespace

std::span<const RuleInfo> Rules() { return kRules; }

}  // namespace mg::zip
