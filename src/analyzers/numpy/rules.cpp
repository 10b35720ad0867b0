#include "analyzers/numpy/rules.h"

#include <array>

namespace mg::numpy {

namespace {

constexpr std::array kRules = {
    RuleInfo{rule::kObjectArray, Severity::kInfo, "Object array: the data is a pickle",
             "The dtype has an object field ('O', possibly inside a structured dtype), so "
             "numpy.save wrote the array as a pickle after the header and numpy.load "
             "unpickles it, which needs allow_pickle=True. The pickle was analysed as member "
             "'<object array>'; its findings carry the verdict.",
             "descr '|O', shape (3,): the 214 bytes after the header are a pickle."},
    RuleInfo{rule::kNonLiteralHeader, Severity::kHigh, "Header is code, not a literal",
             "The header dict contains a Python expression (a name, a call, an attribute, an "
             "operator or an f-string) where NumPy only ever writes literals. NumPy reads the "
             "header with ast.literal_eval and rejects it, but readers that evaluate the header "
             "(hand-written loaders calling eval, old tools) run the code. The file is "
             "`incomplete`: the array data is only sniffed.",
             "'descr': __import__('os').system('echo pwned')"},
    RuleInfo{rule::kDuplicateKey, Severity::kHigh, "Header key repeated",
             "A key appears twice in the header dict. Python keeps the last value, a reader "
             "that stops at the first one sees another dtype or shape: a scanner reading the "
             "first 'descr' can miss an object array. The last value is the one analysed.",
             "'descr' repeated: '<f4' is overridden by '|O'."},
    RuleInfo{rule::kMalformedHeader, Severity::kMedium, "Header unreadable",
             "The header is not a dict with exactly the keys 'descr', 'fortran_order' and "
             "'shape' and values of the right types, is not valid text for its version, or "
             "declares a data size that overflows. NumPy refuses such a file; other readers "
             "may not, so the file is `incomplete` and the bytes after the header are sniffed "
             "for another format (a pickle is analysed).",
             "shape is not a tuple of integers (at offset 0x30)."},
    RuleInfo{rule::kUnsupportedVersion, Severity::kMedium, "Unknown format version",
             "The version bytes after the magic are not 1.0, 2.0 or 3.0, the versions "
             "numpy.lib.format defines. The header layout is unknown: the file is "
             "`incomplete`.",
             "Format version 4.1."},
    RuleInfo{rule::kUnsupportedDtype, Severity::kMedium, "Type string not analysed",
             "The descr holds a type string outside the form numpy.save writes (byte order, "
             "type code, size: '<f8', '|O', '<U10', '<M8[ns]'), e.g. a type name or a "
             "comma-separated list. Whether it declares an object field is not established, so "
             "the file is `incomplete` and the data is sniffed for another format.",
             "type string 'float64' is not in the form NumPy writes."},
    RuleInfo{rule::kLargeHeader, Severity::kLow, "Header longer than NumPy accepts",
             "The header is longer than 10000 characters. NumPy (since 1.24) refuses it unless "
             "the caller passes allow_pickle=True, which also enables unpickling, or a larger "
             "max_header_size; Python's literal parser is costly on large input. Medium and "
             "`incomplete` when it is longer than 1 MiB, which is not parsed.",
             "Header of 65536 bytes."},
    RuleInfo{rule::kNoncanonicalHeader, Severity::kLow, "Header not as NumPy writes it",
             "The header is valid but differs from what numpy.save writes: padding other than "
             "spaces and a final newline, a comment, a Python 2 long suffix, or data not "
             "aligned to 16 bytes. Hand-crafted or rewritten files look like this.",
             "The padding holds a comment; the data starts at offset 75 (not 16-aligned)."},
    RuleInfo{rule::kTruncated, Severity::kMedium, "File shorter than declared",
             "The file ends inside the preamble or header, or holds less array data than the "
             "dtype and shape declare. The file is `incomplete`.",
             "shape (1000,) of '<f8' declares 8000 bytes of data, 800 present."},
    RuleInfo{rule::kTrailingData, Severity::kLow, "Data after the array",
             "Bytes follow the array data that the dtype and shape declare. numpy.load ignores "
             "them; they can carry a payload for another loader, so they are sniffed and "
             "analysed as member '<trailing data>'.",
             "96 bytes follow the 400 bytes of array data."},
};

}  // namespace

std::span<const RuleInfo> Rules() { return kRules; }

}  // namespace mg::numpy
