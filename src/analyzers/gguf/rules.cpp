#include "analyzers/gguf/rules.h"

#include <array>

namespace mg::gguf {
namespace {

constexpr std::array kRules = {
    RuleInfo{rule::kTemplateCodeExecution, Severity::kCritical, "Chat template escapes the sandbox",
             "A Jinja2 chat template (tokenizer.chat_template or tokenizer.chat_template.<name>, "
             "or another metadata string that is a template) reaches Python internals: a "
             "special attribute such as __class__, __globals__ or __subclasses__ (by '.', by a "
             "subscript, through the attr filter, or assembled from string pieces), a "
             "dangerous name (popen, subprocess, eval, exec, getattr, ...) as an attribute, or a "
             "Jinja global "
             "used in public exploits (lipsum, cycler, joiner, namespace, self, config, "
             "request) reached for attributes. llama-cpp-python before the CVE-2024-34359 fix "
             "rendered templates without a sandbox, so loading the model ran the code; "
             "sandboxed renderers have had escapes through the same paths. Do not load the "
             "model.",
             "Chat template 'tokenizer.chat_template': Sandbox escape: attribute access "
             "reaches '__globals__'. {{ lipsum.__globals__['os'].popen('id').read() }}"},
    RuleInfo{rule::kTemplateSuspicious, Severity::kHigh,
             "Chat template looks up attributes by name",
             "A chat template uses constructs that ordinary templates do not and that sandbox "
             "escapes rely on: the attr filter, a '_'-prefixed (private) attribute, os, system or "
             "open as an attribute, string "
             "formatting that builds text from character codes or underscores, or a string "
             "spelled with \\N{...} escapes. Review the template before loading the model.",
             "Suspicious template code: the attr filter looks attributes up by name."},
    RuleInfo{rule::kTemplateUnparsable, Severity::kMedium, "Chat template cannot be read",
             "A chat template does not lex as Jinja2 (an unterminated tag, comment, string or "
             "raw block, an unexpected character, unbalanced brackets). It cannot be judged, so "
             "the file is `incomplete`; the unread rest is still searched for special "
             "attribute names, which are reported as critical.",
             "Chat template 'tokenizer.chat_template': The template cannot be read as Jinja "
             "(a '{{' tag is never closed at offset 812)."},
    RuleInfo{rule::kTemplateTooLarge, Severity::kMedium, "Chat template too large",
             "A chat template is longer than the 1 MiB analysis limit (real ones are a few "
             "KB). Only a text search for special attribute names was done; the file is "
             "`incomplete`.",
             "The template is 4194304 bytes long, over the 1048576-byte analysis limit."},
    RuleInfo{rule::kMalformed, Severity::kMedium, "GGUF structure invalid",
             "A metadata value or array has a type GGUF does not define (or the content was "
             "handed to this analyzer without the GGUF magic), so the rest of the "
             "file cannot be located; the file is `incomplete`. Low, and not `incomplete`, for "
             "a bool that is neither 0 nor 1.",
             "The value of 'general.name' has type 13, which GGUF does not define."},
    RuleInfo{rule::kTruncated, Severity::kMedium, "GGUF shorter than declared",
             "The file ends inside the header, a key, a value, an array or a tensor info, or a "
             "declared count or length cannot fit in the bytes left. Nothing after that point "
             "was read (a chat template there could not be judged): the file is `incomplete`.",
             "The string value of 'tokenizer.chat_template' is declared 1099511627776 bytes "
             "long but only 812 bytes remain in the file."},
    RuleInfo{rule::kLimitExceeded, Severity::kMedium, "GGUF count over a limit",
             "A count, length or depth is over a documented limit (65536 metadata pairs, 2^20 "
             "tensors, 65535-byte keys, 1 GiB strings, 2^26 array elements, arrays nested 4 "
             "deep, 4 tensor dimensions) or the time limit ran out. Parsing stopped there: the "
             "file is `incomplete`. Also reported when more than 4096 strings look like "
             "templates: medium and `incomplete` if a chat template was left unjudged, low "
             "(once) for other strings.",
             "The header declares 4294967295 metadata pairs, over the limit of 65536."},
    RuleInfo{rule::kUnsupportedVersion, Severity::kMedium, "Unknown GGUF version",
             "The version field is 0 or above 3 (in either byte order). The layout is unknown: "
             "the file is `incomplete`.",
             "GGUF version 4: versions 1 to 3 are defined; the file was not read further."},
    RuleInfo{rule::kBigEndian, Severity::kInfo, "Big-endian GGUF",
             "The version field shows the file was written big-endian (GGUF v3 allows it for "
             "big-endian hosts). It was parsed as big-endian; little-endian loaders refuse it.",
             "The file is big-endian (GGUF version 3); it was read as such."},
    RuleInfo{rule::kDuplicateKey, Severity::kHigh, "Metadata key repeated",
             "A metadata key appears twice. llama.cpp refuses the file, but other readers keep "
             "the first or the last value, so two tools can see two different chat templates. "
             "Every value was analysed.",
             "The metadata key 'tokenizer.chat_template' appears more than once."},
    RuleInfo{rule::kBadAlignment, Severity::kMedium, "general.alignment invalid",
             "general.alignment is not a u32, is zero, is not a power of two, or is over 65536. "
             "Loaders refuse the file (llama.cpp asserts on a non-u32 value); the tensor layout "
             "could not be checked.",
             "general.alignment is 48, not a power of two."},
    RuleInfo{rule::kTensorInvalid, Severity::kMedium, "Tensor info invalid",
             "A tensor info breaks a rule loaders enforce: a name over 63 bytes, a name used "
             "twice, a negative dimension, a row length not a multiple of the type's block, a "
             "size that overflows, an offset not a multiple of the alignment, or data that "
             "overlaps another tensor's. Memory-unsafe loaders have had overflows here.",
             "Tensor 'blk.0.attn_q.weight' starts at data offset 100, not a multiple of the "
             "alignment 32."},
    RuleInfo{rule::kTensorOutOfBounds, Severity::kMedium, "Tensor data outside the file",
             "A tensor's data (offset plus the size its type and dimensions give) runs past "
             "the end of the file, or its offset overflows. A loader that maps the file reads "
             "outside it or fails.",
             "Tensor 'output.weight' declares 4096 bytes at data offset 1048576, past the end "
             "of the 2048-byte file."},
    RuleInfo{rule::kUnknownTensorType, Severity::kLow, "Unknown tensor type",
             "A tensor has a ggml type this version does not know (removed ids 4, 5, 31-33, "
             "36-38, or newer than MXFP4), so its size and bounds were not checked.",
             "Tensor 'token_embd.weight' has ggml type 99, which this version does not know."},
    RuleInfo{rule::kTrailingData, Severity::kLow, "Data after the tensors",
             "Non-zero bytes follow the last tensor's padded data. Loaders ignore them; they "
             "can carry a payload for another reader, so they were sniffed and analysed as "
             "member '<trailing data>'.",
             "96 bytes follow the tensor data."},
    RuleInfo{rule::kFindingsCapped, Severity::kInfo, "Further findings not listed",
             "More than 20 findings of one rule were found in one file; the rest are counted "
             "here rather than listed.",
             "GGUF-TENSOR-INVALID: 480 more findings not listed."},
};

}  // namespace

std::span<const RuleInfo> Rules() { return kRules; }

}  // namespace mg::gguf
