// Version parsing and ordering by ecosystem: PEP 440 for Python distributions, Maven's
// ComparableVersion for jars. Both parsers take untrusted text (METADATA headers, jar names,
// requirement pins) and bound it by kMaxVersionLength.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mg::advisories {

enum class Ecosystem : std::uint8_t { kPypi, kMaven };

std::string_view EcosystemName(Ecosystem ecosystem);
std::optional<Ecosystem> ParseEcosystem(std::string_view name);

// Longer version strings are not parsed (no real release comes close).
inline constexpr std::size_t kMaxVersionLength = 128;

// A PEP 440 version in normalised form. Numbers are kept as digit strings without leading
// zeros, so that any length compares correctly without overflow.
struct Pep440Version {
  std::string epoch = "0";
  std::vector<std::string> release;  // "1", "13", "1"
  // Pre-release: letter a, b or rc (alpha/beta/c/pre/preview normalised) and its number.
  std::string pre_letter;
  std::string pre_number;
  bool has_post = false;
  std::string post_number;
  bool has_dev = false;
  std::string dev_number;
  std::vector<std::string> local;  // lower-cased segments after '+'

  bool is_prerelease() const { return !pre_letter.empty() || has_dev; }
  // The canonical text ("1!2.0rc1.post0.dev3+cpu").
  std::string Normalized() const;
};

// PEP 440 "Version scheme" with the normalisations of its appendix: case, a leading 'v',
// '-', '_' and '.' separators, alpha/beta/c/pre/preview spellings, implicit numbers, the
// "1.0-1" post-release form, surrounding whitespace. nullopt when the text is not a version.
std::optional<Pep440Version> ParsePep440(std::string_view text);

// <0, 0, >0 as PEP 440 orders them ("Summary of permitted suffixes and relative ordering":
// dev < pre < release < post; a release with only .devN sorts before its pre-releases; trailing
// zeros of the release are ignored; a local version sorts after its public version, numeric
// local segments after alphanumeric ones).
int ComparePep440(const Pep440Version& a, const Pep440Version& b);

// A Maven version as ComparableVersion sees it: a tree of integer, string and list items.
struct MavenItem {
  enum class Kind : std::uint8_t { kInt, kString, kList };
  Kind kind = Kind::kInt;
  std::string text;               // digits (no leading zeros) or the lower-cased qualifier
  std::vector<MavenItem> items;   // for kList
};

// Maven 3 ComparableVersion parsing: '.' and '-' separate items, a digit/letter switch starts a
// new sub-list, single letters a/b/m before a digit mean alpha/beta/milestone, ga/final/release
// mean "" and cr means rc; trailing null items are dropped. nullopt for empty or over-long text.
std::optional<MavenItem> ParseMaven(std::string_view text);

// ComparableVersion order: alpha < beta < milestone < rc = cr < snapshot < "" = ga = final <
// sp < unknown qualifiers (lexically); numbers above qualifiers; 1.0 == 1.
int CompareMaven(const MavenItem& a, const MavenItem& b);

// A parsed version of either ecosystem.
class Version {
 public:
  static std::optional<Version> Parse(Ecosystem ecosystem, std::string_view text);

  Ecosystem ecosystem() const { return ecosystem_; }
  const std::string& text() const { return text_; }
  const Pep440Version& pep440() const { return pep440_; }
  bool is_prerelease() const;

  // Versions of different ecosystems are not comparable; callers never mix them.
  int Compare(const Version& other) const;

 private:
  Ecosystem ecosystem_ = Ecosystem::kPypi;
  std::string text_;
  Pep440Version pep440_;
  MavenItem maven_;
};

}  // namespace mg::advisories
