// Rules reported by the engine itself (sniffing, limits, I/O, the folder walk).
#include <array>

#include "report/rule.h"

namespace mg {

namespace {

constexpr std::array kCoreRules = {
    RuleInfo{"SCAN-IO-ERROR", Severity::kMedium, "File could not be read",
             "The file exists but could not be opened, mapped or read (permissions, a special "
             "file, an I/O error). It was not analysed and the scan exits with code 2.",
             "The file could not be read: cannot open model.pt: Permission denied."},
    RuleInfo{"SCAN-LIMIT-FILE-SIZE", Severity::kMedium, "File larger than the size limit",
             "The file is larger than --max-file-size and was not analysed. Raise the limit to "
             "analyse it.",
             "The file is larger than the file size limit (68719476736 bytes)."},
    RuleInfo{"SCAN-LIMIT-DEPTH", Severity::kMedium, "Nesting deeper than the depth limit",
             "An embedded payload (an archive member, a pickle inside a pickle) is nested more "
             "deeply than --max-depth allows and was not analysed.",
             "Embedded payload 'pickle.loads@0x2a' is nested deeper than 8 levels."},
    RuleInfo{"SCAN-LIMIT-DECOMPRESSED", Severity::kMedium,
             "Decompressed size larger than the limit",
             "Decompressing or decoding embedded payloads produced more bytes than "
             "--max-decompressed allows; the rest was not analysed. Can also indicate a "
             "decompression bomb.",
             "More than 4294967296 bytes were decompressed or decoded."},
    RuleInfo{"SCAN-LIMIT-TIME", Severity::kMedium, "Time limit reached",
             "Analysis of the file took longer than --timeout and stopped early; what was not "
             "reached was not analysed.",
             "The time limit for this file ran out."},
    RuleInfo{"SCAN-UNSUPPORTED-FORMAT", Severity::kMedium, "Recognised format not analysed",
             "The content is a known format (by its magic number) that this version does not "
             "analyse. Medium and `incomplete` when the format can carry code (Java "
             "serialization, ONNX Runtime's ORT format), info when it cannot (Parquet).",
             "Recognised as java-serialization, which this version of modelgate cannot analyse "
             "yet."},
    RuleInfo{"SCAN-UNRECOGNIZED-FORMAT", Severity::kInfo, "Content of no known format",
             "The content matches no format that can carry code (text, JSON, images, raw "
             "weights...). Nothing in it was analysed; loading it as a model would fail or "
             "treat it as data.",
             "The content matches no model format that can carry code."},
    RuleInfo{"SCAN-SYMLINK-ESCAPE", Severity::kHigh, "Symbolic link out of the scanned folder",
             "A symbolic link inside a scanned folder points outside it. It is not followed; a "
             "loader that follows it would read a file nobody scanned (credentials, a planted "
             "pickle).",
             "-> /home/user/.ssh/id_rsa"},
};

}  // namespace

std::span<const RuleInfo> CoreRules() { return kCoreRules; }

}  // namespace mg
