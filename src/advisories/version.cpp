// PEP 440 and Maven ComparableVersion, written from the specifications:
// https://peps.python.org/pep-0440/ and Maven's ComparableVersion documentation
// (https://maven.apache.org/pom.html#version-order-specification).
#include "advisories/version.h"

#include <algorithm>
#include <array>

namespace mg::advisories {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsSeparator(char c) { return c == '.' || c == '-' || c == '_'; }

std::string Lowered(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trimmed(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

// Digits without leading zeros ("007" -> "7", "000" -> "0").
std::string StripZeros(std::string_view digits) {
  std::size_t first = 0;
  while (first + 1 < digits.size() && digits[first] == '0') ++first;
  return std::string(digits.substr(first));
}

// Compares two digit strings without leading zeros as numbers.
int CompareNumbers(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

// A cursor over the lower-cased version text.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek(std::size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  std::size_t pos() const { return pos_; }
  void Reset(std::size_t pos) { pos_ = pos; }
  void Skip(std::size_t n = 1) { pos_ += n; }
  bool TakeWord(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  std::string TakeDigits() {
    const std::size_t start = pos_;
    while (IsDigit(Peek())) ++pos_;
    return StripZeros(text_.substr(start, pos_ - start));
  }
  // An optional '.', '-' or '_' followed by digits: the number, or "" with nothing consumed.
  std::string TakeOptionalNumber() {
    const std::size_t start = pos_;
    if (IsSeparator(Peek()) && IsDigit(Peek(1))) Skip();
    if (!IsDigit(Peek())) {
      pos_ = start;
      return "";
    }
    return TakeDigits();
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

// Takes one of `labels` (longest spellings first), after an optional separator.
std::string_view TakeLabel(Cursor& cursor, std::initializer_list<std::string_view> labels) {
  const std::size_t start = cursor.pos();
  if (IsSeparator(cursor.Peek())) cursor.Skip();
  for (const std::string_view label : labels) {
    if (cursor.TakeWord(label)) return label;
  }
  cursor.Reset(start);
  return {};
}

bool ParseRelease(Cursor& cursor, Pep440Version& out) {
  if (!IsDigit(cursor.Peek())) return false;
  std::string first = cursor.TakeDigits();
  if (cursor.Peek() == '!') {
    cursor.Skip();
    out.epoch = first;
    if (!IsDigit(cursor.Peek())) return false;
    first = cursor.TakeDigits();
  }
  out.release.push_back(first);
  while (cursor.Peek() == '.' && IsDigit(cursor.Peek(1))) {
    cursor.Skip();
    out.release.push_back(cursor.TakeDigits());
  }
  return true;
}

void ParsePre(Cursor& cursor, Pep440Version& out) {
  const std::string_view label =
      TakeLabel(cursor, {"preview", "alpha", "beta", "pre", "rc", "a", "b", "c"});
  if (label.empty()) return;
  // PEP 440 "Pre-release spelling": alpha -> a, beta -> b, c/pre/preview -> rc.
  // (Built then moved in: g++ 12 -O3 warns falsely, -Wrestrict, on assigning a literal here.)
  std::string letter = "rc";
  if (label == "alpha" || label == "a") letter = std::string(1, 'a');
  if (label == "beta" || label == "b") letter = std::string(1, 'b');
  out.pre_letter = std::move(letter);
  const std::string number = cursor.TakeOptionalNumber();
  out.pre_number = number.empty() ? "0" : number;  // "Implicit pre-release number"
}

void ParsePost(Cursor& cursor, Pep440Version& out) {
  // "Implicit post releases": 1.0-1 is 1.0.post1 (only with '-' and a number).
  if (cursor.Peek() == '-' && IsDigit(cursor.Peek(1))) {
    cursor.Skip();
    out.has_post = true;
    out.post_number = cursor.TakeDigits();
    return;
  }
  const std::string_view label = TakeLabel(cursor, {"post", "rev", "r"});
  if (label.empty()) return;
  out.has_post = true;
  const std::string number = cursor.TakeOptionalNumber();
  out.post_number = number.empty() ? "0" : number;
}

void ParseDev(Cursor& cursor, Pep440Version& out) {
  if (TakeLabel(cursor, {"dev"}).empty()) return;
  out.has_dev = true;
  const std::string number = cursor.TakeOptionalNumber();
  out.dev_number = number.empty() ? "0" : number;
}

// "Local version identifiers": [a-z0-9]+ segments separated by '.', '-' or '_' (all read as
// '.'); numeric segments are compared as numbers, so their leading zeros go.
bool ParseLocal(Cursor& cursor, Pep440Version& out) {
  if (cursor.Peek() != '+') return true;
  cursor.Skip();
  std::string segment;
  const auto flush = [&]() {
    if (segment.empty()) return false;
    const bool numeric = std::all_of(segment.begin(), segment.end(), IsDigit);
    out.local.push_back(numeric ? StripZeros(segment) : segment);
    segment.clear();
    return true;
  };
  while (!cursor.AtEnd()) {
    const char c = cursor.Peek();
    if (IsSeparator(c)) {
      if (!flush()) return false;
    } else if (IsDigit(c) || IsLower(c)) {
      segment.push_back(c);
    } else {
      return false;
    }
    cursor.Skip();
  }
  return flush();
}

// The comparison key's parts, as in PEP 440's ordering: -1 stands for "negative infinity",
// +1 for "positive infinity", 0 for "a value follows".
int ComparePre(const Pep440Version& a, const Pep440Version& b) {
  const auto rank = [](const Pep440Version& v) {
    if (v.pre_letter.empty()) return (!v.has_post && v.has_dev) ? -1 : 1;
    return 0;
  };
  const int ra = rank(a);
  const int rb = rank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  if (ra != 0) return 0;
  if (a.pre_letter != b.pre_letter) return a.pre_letter < b.pre_letter ? -1 : 1;  // a < b < rc
  return CompareNumbers(a.pre_number, b.pre_number);
}

int CompareLocal(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const auto numeric = [](const std::string& s) {
    return std::all_of(s.begin(), s.end(), IsDigit);
  };
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    const bool na = numeric(a[i]);
    const bool nb = numeric(b[i]);
    if (na != nb) return na ? 1 : -1;  // numeric segments sort after alphanumeric ones
    const int c = na ? CompareNumbers(a[i], b[i]) : a[i].compare(b[i]);
    if (c != 0) return c < 0 ? -1 : 1;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

}  // namespace

std::string_view EcosystemName(Ecosystem ecosystem) {
  return ecosystem == Ecosystem::kPypi ? "pypi" : "maven";
}

std::optional<Ecosystem> ParseEcosystem(std::string_view name) {
  if (name == "pypi") return Ecosystem::kPypi;
  if (name == "maven") return Ecosystem::kMaven;
  return std::nullopt;
}

std::string Pep440Version::Normalized() const {
  // Appends only: g++ 12 -O3 warns falsely (-Wrestrict) on `"." + std::string` temporaries.
  std::string out;
  if (epoch != "0") out.append(epoch).append("!");
  for (std::size_t i = 0; i < release.size(); ++i) {
    if (i) out.push_back('.');
    out.append(release[i]);
  }
  if (!pre_letter.empty()) out.append(pre_letter).append(pre_number);
  if (has_post) out.append(".post").append(post_number);
  if (has_dev) out.append(".dev").append(dev_number);
  for (std::size_t i = 0; i < local.size(); ++i) {
    out.push_back(i ? '.' : '+');
    out.append(local[i]);
  }
  return out;
}

std::optional<Pep440Version> ParsePep440(std::string_view text) {
  text = Trimmed(text);
  if (text.empty() || text.size() > kMaxVersionLength) return std::nullopt;
  const std::string lowered = Lowered(text);
  Cursor cursor(lowered);
  if (cursor.Peek() == 'v') cursor.Skip();  // "Preceding v character"
  Pep440Version out;
  if (!ParseRelease(cursor, out)) return std::nullopt;
  ParsePre(cursor, out);
  ParsePost(cursor, out);
  ParseDev(cursor, out);
  if (!ParseLocal(cursor, out) || !cursor.AtEnd()) return std::nullopt;
  return out;
}

int ComparePep440(const Pep440Version& a, const Pep440Version& b) {
  if (const int c = CompareNumbers(a.epoch, b.epoch); c != 0) return c;
  // Trailing zeros of the release segment do not count: 1.0 == 1.0.0.
  const auto significant = [](const std::vector<std::string>& release) {
    std::size_t n = release.size();
    while (n > 1 && release[n - 1] == "0") --n;
    return n;
  };
  const std::size_t na = significant(a.release);
  const std::size_t nb = significant(b.release);
  for (std::size_t i = 0; i < std::max(na, nb); ++i) {
    const std::string& x = i < na ? a.release[i] : std::string("0");
    const std::string& y = i < nb ? b.release[i] : std::string("0");
    if (const int c = CompareNumbers(x, y); c != 0) return c;
  }
  if (const int c = ComparePre(a, b); c != 0) return c;
  if (a.has_post != b.has_post) return a.has_post ? 1 : -1;
  if (a.has_post) {
    if (const int c = CompareNumbers(a.post_number, b.post_number); c != 0) return c;
  }
  if (a.has_dev != b.has_dev) return a.has_dev ? -1 : 1;
  if (a.has_dev) {
    if (const int c = CompareNumbers(a.dev_number, b.dev_number); c != 0) return c;
  }
  if (a.local.empty() != b.local.empty()) return a.local.empty() ? -1 : 1;
  return CompareLocal(a.local, b.local);
}

// ---- Maven ----------------------------------------------------------------------------------

namespace {

using Kind = MavenItem::Kind;

// ComparableVersion's qualifier order. "preview" is not a Maven qualifier (Maven would sort it
// after the release, as any unknown word); Spark publishes 4.0.0-preview1 before 4.0.0, so it
// is ranked here as a pre-release, between milestone and rc. Documented in docs/advisories.md.
constexpr std::array<std::string_view, 8> kQualifiers = {
    "alpha", "beta", "milestone", "preview", "rc", "snapshot", "", "sp"};

std::string QualifierKey(const std::string& qualifier) {
  for (std::size_t i = 0; i < kQualifiers.size(); ++i) {
    if (kQualifiers[i] == qualifier) return std::string(1, static_cast<char>('0' + i));
  }
  std::string key = std::to_string(kQualifiers.size());
  key.push_back('-');
  key.append(qualifier);
  return key;
}

MavenItem IntItem(std::string_view digits) { return {Kind::kInt, StripZeros(digits), {}}; }

MavenItem StringItem(std::string value, bool followed_by_digit) {
  std::string_view canonical = value;
  if (followed_by_digit && value.size() == 1) {
    if (value == "a") canonical = "alpha";
    if (value == "b") canonical = "beta";
    if (value == "m") canonical = "milestone";
  }
  if (value == "ga" || value == "final" || value == "release") canonical = "";
  if (value == "cr") canonical = "rc";
  return {Kind::kString, std::string(canonical), {}};
}

bool IsNull(const MavenItem& item) {
  switch (item.kind) {
    case Kind::kInt: return item.text == "0";
    case Kind::kString: return item.text.empty();
    case Kind::kList: return item.items.empty();
  }
  return false;
}

// Drops trailing null items, looking past non-null sub-lists (ListItem.normalize()).
// Every list is normalised, innermost first, as Maven does when it pops its parse stack.
void Normalize(MavenItem& list) {
  for (MavenItem& item : list.items) {
    if (item.kind == Kind::kList) Normalize(item);
  }
  for (std::size_t i = list.items.size(); i-- > 0;) {
    const MavenItem& item = list.items[i];
    if (IsNull(item)) {
      list.items.erase(list.items.begin() + static_cast<std::ptrdiff_t>(i));
    } else if (item.kind != Kind::kList) {
      break;
    }
  }
}

int CompareToNull(const MavenItem& item) {
  switch (item.kind) {
    case Kind::kInt: return item.text == "0" ? 0 : 1;
    case Kind::kString: {
      const int c = QualifierKey(item.text).compare(QualifierKey(""));
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case Kind::kList:
      for (const MavenItem& child : item.items) {
        if (const int c = CompareToNull(child); c != 0) return c;
      }
      return 0;
  }
  return 0;
}

// The list nesting that '-' and digit/letter switches create, as indices into the tree.
struct MavenBuilder {
  MavenItem root{Kind::kList, "", {}};
  std::vector<std::vector<std::size_t>> stack{{}};

  MavenItem& Current() {
    MavenItem* node = &root;
    for (const std::size_t index : stack.back()) node = &node->items[index];
    return *node;
  }
  void Add(MavenItem item) { Current().items.push_back(std::move(item)); }
  void OpenList() {
    std::vector<std::size_t> path = stack.back();
    path.push_back(Current().items.size());
    Add({Kind::kList, "", {}});
    stack.push_back(std::move(path));
  }
};

}  // namespace

std::optional<MavenItem> ParseMaven(std::string_view text) {
  text = Trimmed(text);
  if (text.empty() || text.size() > kMaxVersionLength) return std::nullopt;
  const std::string version = Lowered(text);
  MavenBuilder builder;
  bool is_digit = false;
  std::size_t start = 0;
  const auto item_at = [&](std::size_t end, bool digit) {
    const std::string_view piece = std::string_view(version).substr(start, end - start);
    return digit ? IntItem(piece) : StringItem(std::string(piece), false);
  };
  for (std::size_t i = 0; i < version.size(); ++i) {
    const char c = version[i];
    if (c == '.' || c == '-') {
      builder.Add(i == start ? IntItem("0") : item_at(i, is_digit));
      start = i + 1;
      if (c == '-') builder.OpenList();
    } else if (IsDigit(c)) {
      if (!is_digit && i > start) {
        builder.Add(StringItem(version.substr(start, i - start), true));
        start = i;
        builder.OpenList();
      }
      is_digit = true;
    } else {
      if (is_digit && i > start) {
        builder.Add(item_at(i, true));
        start = i;
        builder.OpenList();
      }
      is_digit = false;
    }
  }
  if (version.size() > start) builder.Add(item_at(version.size(), is_digit));
  Normalize(builder.root);
  return std::move(builder.root);
}

int CompareMaven(const MavenItem& a, const MavenItem& b) {
  switch (a.kind) {
    case Kind::kInt:
      if (b.kind != Kind::kInt) return 1;  // a number is newer than a qualifier or a list
      return CompareNumbers(a.text, b.text);
    case Kind::kString:
      if (b.kind == Kind::kInt || b.kind == Kind::kList) return -1;
      {
        const int c = QualifierKey(a.text).compare(QualifierKey(b.text));
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
      }
    case Kind::kList:
      if (b.kind == Kind::kInt) return -1;
      if (b.kind == Kind::kString) return 1;
      for (std::size_t i = 0; i < std::max(a.items.size(), b.items.size()); ++i) {
        int c = 0;
        if (i >= a.items.size()) c = -CompareToNull(b.items[i]);
        else if (i >= b.items.size()) c = CompareToNull(a.items[i]);
        else c = CompareMaven(a.items[i], b.items[i]);
        if (c != 0) return c;
      }
      return 0;
  }
  return 0;
}

// ---- Version --------------------------------------------------------------------------------

std::optional<Version> Version::Parse(Ecosystem ecosystem, std::string_view text) {
  Version version;
  version.ecosystem_ = ecosystem;
  version.text_ = std::string(Trimmed(text));
  if (ecosystem == Ecosystem::kPypi) {
    auto parsed = ParsePep440(text);
    if (!parsed) return std::nullopt;
    version.pep440_ = std::move(*parsed);
  } else {
    auto parsed = ParseMaven(text);
    if (!parsed) return std::nullopt;
    version.maven_ = std::move(*parsed);
  }
  return version;
}

namespace {

// A qualifier that sorts before the release ("alpha" ... "snapshot") anywhere in the version.
bool HasPreQualifier(const MavenItem& item) {
  if (item.kind == Kind::kString) return QualifierKey(item.text) < QualifierKey("");
  for (const MavenItem& child : item.items) {
    if (HasPreQualifier(child)) return true;
  }
  return false;
}

}  // namespace

bool Version::is_prerelease() const {
  if (ecosystem_ == Ecosystem::kPypi) return pep440_.is_prerelease();
  return HasPreQualifier(maven_);
}

int Version::Compare(const Version& other) const {
  if (ecosystem_ == Ecosystem::kPypi) return ComparePep440(pep440_, other.pep440_);
  return CompareMaven(maven_, other.maven_);
}

}  // namespace mg::advisories
