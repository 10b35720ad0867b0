// The interface every format analyzer implements. An analyzer is stateless: all per-scan
// state lives in the ScanContext it is given, so one instance serves every thread.
#pragma once

#include <span>
#include <string_view>

#include "core/byte_view.h"
#include "report/rule.h"

namespace mg {

class ScanContext;

class Analyzer {
 public:
  virtual ~Analyzer() = default;

  // Format name used in reports ("pickle"); also the name given to ScanEmbedded to force it.
  virtual std::string_view Name() const = 0;

  // How sure the analyzer is that `data` is its format, from content only: 0 = not mine,
  // 100 = certain (a unique magic). The engine picks the highest; ties go to the first
  // analyzer in analyzers.def.
  virtual int Sniff(ByteView data) const = 0;

  // Like Sniff, also given the name of the file or archive member (a path; its last component
  // carries the extension). Formats without a magic number (ONNX, TensorFlow protobufs, Python
  // source, JSON configs) override this to use the name; the content must still be plausible.
  virtual int SniffNamed(std::string_view name, ByteView data) const {
    (void)name;
    return Sniff(data);
  }

  // Analyses `data`, reporting through `ctx`. Must return within ctx's limits whatever the
  // input; a problem with the input is a finding (ctx.Incomplete), never an exception.
  virtual void Analyze(ScanContext& ctx, ByteView data) const = 0;

  // The rules this analyzer can report, for the catalogue, SARIF and docs/rules.md.
  virtual std::span<const RuleInfo> Rules() const = 0;
};

// The last component of a file path or archive member name, as SniffNamed gets it: member
// names may use '/' or, written on Windows, '\\' (APPNOTE 4.4.17 allows only '/', writers
// disagree).
inline std::string_view PayloadBaseName(std::string_view name) {
  const std::size_t slash = name.find_last_of("/\\");
  return slash == std::string_view::npos ? name : name.substr(slash + 1);
}

// Every registered analyzer, in analyzers.def order.
std::span<const Analyzer* const> RegisteredAnalyzers();

// The registered analyzer with this name, or nullptr.
const Analyzer* FindAnalyzer(std::string_view name);

}  // namespace mg
