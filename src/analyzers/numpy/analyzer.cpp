// The NumPy .npy analyzer: reads the preamble and the literal header dict, judges them, and
// hands the data of object arrays (a pickle) to the pickle analyzer. The data of other arrays
// is never read: only its length is compared with what the header declares. An .npz archive
// reaches this analyzer member by member through the ZIP analyzer.
#include "engine/analyzer.h"

#include <string>

#include "analyzers/numpy/dtype.h"
#include "analyzers/numpy/header.h"
#include "analyzers/numpy/literal.h"
#include "analyzers/numpy/rules.h"
#include "engine/scan_context.h"

namespace mg::numpy {
namespace {

// ARRAY_ALIGN was 16 before NumPy 1.14 and is 64 since; 16 divides both.
constexpr std::uint64_t kMinimumAlignment = 16;

std::string Version(const Preamble& pre) {
  return std::to_string(pre.major) + "." + std::to_string(pre.minor);
}

class NpyScan {
 public:
  NpyScan(ScanContext& ctx, ByteView file) : ctx_(ctx), file_(file) {}

  void Run() {
    pre_ = ReadPreamble(file_);
    if (!PreambleUsable()) return;
    const std::string_view text = file_.Sub(pre_.header_offset, pre_.header_length)->AsStringView();
    if (pre_.header_length > kNumpyMaxHeaderChars) {
      ctx_.Report(rule::kLargeHeader, Severity::kLow,
                  "The header is " + std::to_string(pre_.header_length) +
                      " bytes long; NumPy refuses headers over " +
                      std::to_string(kNumpyMaxHeaderChars) +
                      " characters unless allow_pickle=True.",
                  pre_.header_offset);
    }
    if (pre_.major == 3 && !IsValidUtf8(text)) {
      return Unreadable("a version 3.0 header is not valid UTF-8", pre_.header_offset);
    }
    const LiteralParse parse = ParseLiteral(text, pre_.major < 3, pre_.major < 3);
    if (!parse.ok) return HeaderNotParsed(parse, text);
    if (parse.end != text.size()) {
      return Unreadable("text follows the header dict", pre_.header_offset + parse.end);
    }
    const HeaderDict header = ReadHeaderDict(parse.value);
    ReportDuplicates(header);
    if (!header.ok) return Unreadable(header.error, pre_.header_offset + header.error_offset);
    CheckCanonical(parse, text);
    JudgeArray(header);
  }

 private:
  bool PreambleUsable() {
    switch (pre_.error) {
      case PreambleError::kNone:
        return true;
      case PreambleError::kTooShort:
        ctx_.Incomplete(rule::kTruncated,
                        "The file ends before the .npy header length (" +
                            std::to_string(file_.size()) + " bytes).",
                        0);
        return false;
      case PreambleError::kUnknownVersion:
        ctx_.Incomplete(rule::kUnsupportedVersion,
                        "Format version " + Version(pre_) +
                            ": NumPy defines 1.0, 2.0 and 3.0; the header was not read.",
                        kMagic.size());
        return false;
      case PreambleError::kHeaderPastEnd:
        ctx_.Incomplete(rule::kTruncated,
                        "The header is declared " + std::to_string(pre_.header_length) +
                            " bytes long but the file ends " +
                            std::to_string(file_.size() - pre_.header_offset) +
                            " bytes after its start.",
                        pre_.header_offset);
        return false;
      case PreambleError::kHeaderTooLarge:
        ctx_.Incomplete(rule::kLargeHeader,
                        "The header is " + std::to_string(pre_.header_length) +
                            " bytes long, over the " + std::to_string(kMaxHeaderBytes) +
                            "-byte limit; it was not parsed.",
                        pre_.header_offset);
        SniffData();
        return false;
    }
    return false;
  }

  // Fail closed: the header cannot be read as NumPy reads it, so whatever follows is sniffed
  // (a loader with its own header reading may still unpickle it).
  void Unreadable(const std::string& why, std::uint64_t offset) {
    ctx_.Incomplete(rule::kMalformedHeader, "The .npy header is unreadable: " + why + ".", offset);
    SniffData();
  }

  void HeaderNotParsed(const LiteralParse& parse, std::string_view text) {
    const std::uint64_t offset = pre_.header_offset + parse.error_offset;
    if (parse.not_a_literal) {
      ctx_.Report(rule::kNonLiteralHeader, Severity::kHigh,
                  "The header holds a Python expression, not a literal: loaders that evaluate "
                  "the header run it.",
                  offset, Excerpt(parse.expression));
      return Unreadable("it is not a literal dict", offset);
    }
    const std::uint64_t near = parse.error_offset < text.size() ? parse.error_offset : 0;
    Unreadable("it is not a Python literal (" + parse.error + ", near '" +
                   Excerpt(text.substr(near), 40) + "')",
               offset);
  }

  void ReportDuplicates(const HeaderDict& header) {
    for (const std::string& key : header.duplicate_keys) {
      // Appended piece by piece: GCC 12 -Wrestrict misfires on "'" + std::string&&.
      std::string evidence(1, '\'');
      evidence += Excerpt(key, 60);
      evidence += "' repeated";
      if (key == "descr" && header.descr != nullptr) {
        evidence += ": " + header.first_descr + " is overridden by " + Repr(*header.descr);
      }
      ctx_.Report(rule::kDuplicateKey, Severity::kHigh,
                  "The header dict repeats a key; Python keeps the last value, other readers "
                  "may take the first.",
                  pre_.header_offset, evidence);
    }
  }

  void CheckCanonical(const LiteralParse& parse, std::string_view text) {
    std::string issues;
    auto add = [&issues](std::string_view issue) {
      if (!issues.empty()) issues += "; ";
      issues += issue;
    };
    // format.py _wrap_header: the dict, then spaces, then one '\n'.
    const std::size_t body_end =
        text.size() >= 2 ? text.find_last_not_of(' ', text.size() - 2) : std::string::npos;
    if (text.empty() || text.back() != '\n' || body_end == std::string::npos ||
        text[body_end] != '}') {
      add("the padding is not spaces and a final newline");
    }
    if (parse.comment) add("the header holds a comment");
    if (parse.python2_long) add("an integer has the Python 2 'L' suffix");
    if (pre_.data_offset % kMinimumAlignment != 0) {
      add("the data starts at offset " + std::to_string(pre_.data_offset) + ", not 16-aligned");
    }
    if (issues.empty()) return;
    ctx_.Report(rule::kNoncanonicalHeader, Severity::kLow,
                "The header is not written as numpy.save writes it: " + issues + ".",
                pre_.header_offset, Excerpt(text));
  }

  void JudgeArray(const HeaderDict& header) {
    const DtypeInfo dtype = DescribeDtype(*header.descr);
    if (!dtype.ok) {
      if (dtype.unsupported) {
        ctx_.Incomplete(rule::kUnsupportedDtype,
                        "The dtype cannot be analysed: " + dtype.error + ".",
                        pre_.header_offset + header.descr->offset);
        SniffData();
        return;
      }
      return Unreadable("descr is not a dtype: " + dtype.error,
                        pre_.header_offset + header.descr->offset);
    }
    const std::string described =
        "descr " + Repr(*header.descr, 120) + ", shape " + Repr(*header.shape, 80);
    if (dtype.has_object) return ObjectArray(described);
    const ElementCount elements = CountElements(*header.shape);
    if (elements.negative) {
      return Unreadable("shape has a negative dimension",
                        pre_.header_offset + header.shape->offset);
    }
    const std::optional<std::uint64_t> size =
        elements.overflow ? std::nullopt : CheckedMul(elements.count, dtype.itemsize);
    if (!size) {
      return Unreadable("the data size (" + described + ") overflows 64 bits",
                        pre_.header_offset + header.shape->offset);
    }
    CheckDataLength(*size, described);
  }

  // numpy.lib.format.read_array: `if dtype.hasobject: pickle.load(fp)` right after the header.
  void ObjectArray(const std::string& described) {
    const ByteView pickle = file_.Tail(pre_.data_offset);
    ctx_.Report(rule::kObjectArray, Severity::kInfo,
                "The array has object fields: numpy.load(allow_pickle=True) unpickles the " +
                    std::to_string(pickle.size()) +
                    " bytes after the header; they were "
                    "analysed as a pickle.",
                pre_.data_offset, described);
    ctx_.ScanEmbedded(std::string(kObjectMember), pickle, "pickle");
  }

  void CheckDataLength(std::uint64_t declared, const std::string& described) {
    const std::uint64_t present = file_.size() - pre_.data_offset;
    const std::string evidence = described + ": " + std::to_string(declared) + " bytes declared, " +
                                 std::to_string(present) + " present";
    if (present < declared) {
      ctx_.Incomplete(rule::kTruncated,
                      "The file holds less array data than the header declares (" + evidence + ").",
                      file_.size());
      return;
    }
    if (present == declared) return;
    const std::uint64_t trailing_offset = pre_.data_offset + declared;
    ctx_.Report(rule::kTrailingData, Severity::kLow,
                std::to_string(present - declared) + " bytes follow the " +
                    std::to_string(declared) + " bytes of array data.",
                trailing_offset, evidence);
    ctx_.ScanEmbedded(std::string(kTrailingMember), file_.Tail(trailing_offset));
  }

  void SniffData() {
    const ByteView data = file_.Tail(pre_.data_offset);
    if (!data.empty()) ctx_.ScanEmbedded(std::string(kDataMember), data);
  }

  ScanContext& ctx_;
  ByteView file_;
  Preamble pre_;
};

class NumpyAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return kFormatName; }
  int Sniff(ByteView data) const override { return data.StartsWith(kMagic) ? 100 : 0; }
  void Analyze(ScanContext& ctx, ByteView data) const override { NpyScan(ctx, data).Run(); }
  std::span<const RuleInfo> Rules() const override { return numpy::Rules(); }
};

}  // namespace
}  // namespace mg::numpy

namespace mg {

const Analyzer& NumpyAnalyzerInstance() {
  static const numpy::NumpyAnalyzer kInstance;
  return kInstance;
}

}  // namespace mg
