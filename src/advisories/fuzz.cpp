// Fuzz target: the version parsers (PEP 440 and Maven, with comparisons against a few fixed
// versions), range parsing, core-metadata headers and the advisory list, on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "advisories/advisory.h"
#include "advisories/environment.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mg::advisories;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const mg::ByteView bytes(data, size);
  for (const Ecosystem ecosystem : {Ecosystem::kPypi, Ecosystem::kMaven}) {
    const auto version = Version::Parse(ecosystem, text);
    const auto reference = Version::Parse(ecosystem, "1.0rc1");
    if (version && reference) {
      // Antisymmetry: a < b exactly when b > a.
      const bool below = version->Compare(*reference) < 0;
      if (below != (reference->Compare(*version) > 0)) __builtin_trap();
      if (version->Compare(*version) != 0) __builtin_trap();
      // The normalized form can outgrow kMaxVersionLength ("4-0" becomes "4.post0"), and the
      // parser rightly refuses what is over the limit, so the round trip is checked within it.
      const std::string normalized =
          ecosystem == Ecosystem::kPypi ? version->pep440().Normalized() : std::string();
      if (ecosystem == Ecosystem::kPypi && normalized.size() <= kMaxVersionLength) {
        const auto again = ParsePep440(normalized);
        if (!again || ComparePep440(*again, version->pep440()) != 0) __builtin_trap();
      }
    }
    (void)ParseRange(ecosystem, text);
  }
  (void)ParseDistMetadata(bytes);
  (void)SparkVersionFromJarName(text);
  (void)SparkVersionFromRelease(text);
  (void)ParseAdvisories(bytes);
  return 0;
}
