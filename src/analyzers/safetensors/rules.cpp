#include "analyzers/safetensors/rules.h"

#include <array>

namespace mg::safetensors {

namespace {

// Every rule below medium describes a file the reference reader (huggingface/safetensors
// tensor.rs) accepts; every medium one a file it refuses, which is therefore `incomplete`.
constexpr std::array kRules = {
    RuleInfo{rule::kTruncated, Severity::kMedium, "File shorter than its header",
             "The file ends before the 8-byte header length, or before the end of the header "
             "that length announces. safetensors refuses it, so it is not a safetensors file; "
             "the file is `incomplete`.",
             "The header length field says 4096 bytes but only 100 bytes follow it."},
    RuleInfo{rule::kHeaderTooLarge, Severity::kMedium, "Header longer than 100 MB",
             "The header length is over 100,000,000 bytes, the limit of the reference reader "
             "(MAX_HEADER_SIZE). The header is not parsed and the file is `incomplete`.",
             "The header length field says 18446744073709551615 bytes."},
    RuleInfo{rule::kInvalidJson, Severity::kMedium, "Header is not JSON",
             "The header is not one valid UTF-8 JSON document, or exceeds the parser's limits "
             "(nesting depth 64, 2,000,000 values). safetensors refuses the file; whatever "
             "follows the header is sniffed and analysed as member "
             "'<data after an unreadable header>'. The file is `incomplete`.",
             "invalid JSON: syntax error while parsing object key (at offset 0x2a)."},
    RuleInfo{rule::kMalformedHeader, Severity::kMedium, "Header has the wrong structure",
             "The header is not an object of tensor entries, or an entry is not "
             "{\"dtype\": string, \"shape\": [non-negative integers], \"data_offsets\": "
             "[begin, end]}. safetensors refuses the file: it is `incomplete`.",
             "Tensor 'w': shape holds -1, not a non-negative integer."},
    RuleInfo{rule::kDuplicateKey, Severity::kMedium, "Header key repeated",
             "A key appears twice in the same JSON object. JSON readers disagree on which "
             "occurrence wins (the first, the last, or an error), so two tools can see "
             "different tensors in one file. Only the last value was checked; the file is "
             "`incomplete`.",
             "The header repeats the key /weight."},
    RuleInfo{rule::kUnknownDtype, Severity::kMedium, "Unknown dtype",
             "A tensor's dtype is not one the format defines (BOOL, F4, F6_E2M3, F6_E3M2, U8, "
             "I8, F8_E5M2, F8_E4M3, F8_E8M0, I16, U16, F16, BF16, I32, U32, F32, C64, F64, "
             "I64, U64; case matters). safetensors refuses the file: it is `incomplete`.",
             "Tensor 'w': dtype 'float32' is not a safetensors dtype."},
    RuleInfo{rule::kSizeMismatch, Severity::kMedium, "Tensor size does not match its offsets",
             "The tensor's element count (the product of its shape) times the dtype's width "
             "differs from end - begin of its data_offsets, overflows 64 bits, or (F4, F6) "
             "does not fill whole bytes. safetensors refuses the file: it is `incomplete`.",
             "Tensor 'w' (F32, shape [2,2]) takes 16 bytes, but its offsets span 12 bytes."},
    RuleInfo{rule::kOffsetOutOfBounds, Severity::kMedium, "Tensor outside the buffer",
             "A tensor's data_offsets end before they begin or point past the end of the "
             "byte buffer. safetensors refuses the file: it is `incomplete`.",
             "Tensor 'w' ends at byte 4096 of a buffer of 64 bytes."},
    RuleInfo{rule::kOffsetLayout, Severity::kMedium, "Tensors overlap or leave gaps",
             "Sorted by offset, each tensor must start exactly where the previous one ends, "
             "starting at 0. Overlapping tensors alias each other's bytes; a gap holds bytes "
             "no tensor describes, which are sniffed and analysed as member "
             "'<unreferenced bytes>'. safetensors refuses the file: it is `incomplete`.",
             "Tensor 'b' overlaps tensor 'a' (8 bytes shared)."},
    RuleInfo{rule::kTrailingData, Severity::kMedium, "Bytes after the last tensor",
             "The buffer goes on after the last tensor's data. safetensors refuses such a file "
             "(the last offset must be the end of the file); the extra bytes can carry a "
             "payload for another loader, so they are sniffed and analysed as member "
             "'<trailing data>'. The file is `incomplete`.",
             "96 bytes follow the last tensor's data."},
    RuleInfo{rule::kBadMetadata, Severity::kMedium, "__metadata__ is not a string map",
             "The __metadata__ entry must be an object whose values are all strings. "
             "safetensors refuses the file otherwise: it is `incomplete`.",
             "__metadata__ must map strings to strings, but the value of 'epoch' is a JSON "
             "number, not a string."},
    RuleInfo{rule::kUnexpectedField, Severity::kLow, "Unknown field in a tensor entry",
             "A tensor entry has keys besides dtype, shape and data_offsets. The reference "
             "reader ignores them, so the file loads, but no writer of the format produces "
             "them: the file was made or edited by hand, or carries data for another tool.",
             "'note', 'loader'"},
    RuleInfo{rule::kNoncanonicalHeader, Severity::kLow, "Header not as safetensors writes it",
             "The header does not start with '{', or is padded with something other than "
             "spaces (safetensors pads with spaces to a multiple of 8 bytes). Readers that "
             "take shortcuts (stopping at the first '}', requiring '{') see something else "
             "than the reference reader.",
             "The header is not laid out as safetensors writes it: it does not start with '{'."},
    RuleInfo{rule::kLargeMetadata, Severity::kInfo, "Large metadata value",
             "A __metadata__ value is longer than 64 KiB. The format cannot execute it, but "
             "tools that display or parse metadata (training configs, model cards, UIs) "
             "receive it with a file trusted as 'safe'; the evidence shows its start.",
             "Metadata value 'workflow' holds 2097152 bytes."},
    RuleInfo{rule::kFindingsCapped, Severity::kInfo, "Findings left out",
             "More than 20 findings of one rule in one file: the rest are counted, not listed.",
             "SAFETENSORS-SIZE-MISMATCH: 4000 more findings left out."},
};

}  // namespace

std::span<const RuleInfo> Rules() { return kRules; }

}  // namespace mg::safetensors
