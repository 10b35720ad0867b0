// Specifier intervals (PEP 440 "Version specifiers") against advisory ranges.
#include "advisories/requirement.h"

#include <algorithm>

namespace mg::advisories {

namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The release prefix with its last component incremented: "2.5" -> "2.6", for the exclusive
// upper bound of "~=2.5.1" (-> "2.6") and "==2.5.*" (-> "2.6").
std::optional<Version> Bumped(const Pep440Version& v, std::size_t keep) {
  if (keep == 0 || keep > v.release.size()) return std::nullopt;
  std::string text = v.epoch;
  text.push_back('!');
  for (std::size_t i = 0; i < keep; ++i) {
    std::string part = v.release[i];
    if (i + 1 == keep) {
      // Decimal increment of a digit string.
      std::size_t pos = part.size();
      while (pos > 0 && part[pos - 1] == '9') part[--pos] = '0';
      if (pos == 0) part.insert(part.begin(), '1');
      else ++part[pos - 1];
    }
    if (i) text.push_back('.');
    text.append(part);
  }
  return Version::Parse(Ecosystem::kPypi, text);
}

void Raise(AllowedVersions& out, const Version& v, bool inclusive) {
  const int c = out.lower ? v.Compare(*out.lower) : 1;
  if (c > 0 || (c == 0 && !inclusive)) {
    out.lower = v;
    out.lower_inclusive = inclusive;
  }
}

void Lower(AllowedVersions& out, const Version& v, bool inclusive) {
  const int c = out.upper ? v.Compare(*out.upper) : -1;
  if (c < 0 || (c == 0 && !inclusive)) {
    out.upper = v;
    out.upper_inclusive = inclusive;
  }
}

bool ApplyClause(std::string_view clause, AllowedVersions& out) {
  constexpr std::string_view kOps[] = {"===", "==", "~=", "!=", "<=", ">=", "<", ">"};
  for (const std::string_view op : kOps) {
    if (clause.substr(0, op.size()) != op) continue;
    std::string_view operand = Trim(clause.substr(op.size()));
    const bool wildcard = operand.size() > 2 && operand.substr(operand.size() - 2) == ".*";
    if (wildcard) operand.remove_suffix(2);
    const auto v = Version::Parse(Ecosystem::kPypi, operand);
    if (!v) return false;
    if (op == "!=") return true;
    if (wildcard) {
      if (op != "==") return false;
      const auto next = Bumped(v->pep440(), v->pep440().release.size());
      if (!next) return false;
      Raise(out, *v, true);
      Lower(out, *next, false);
    } else if (op == "==" || op == "===") {
      Raise(out, *v, true);
      Lower(out, *v, true);
    } else if (op == "~=") {
      const auto next = Bumped(v->pep440(), v->pep440().release.size() - 1);
      if (!next) return false;  // "~=1" is not allowed by PEP 440
      Raise(out, *v, true);
      Lower(out, *next, false);
    } else if (op == ">=" || op == ">") {
      Raise(out, *v, op == ">=");
    } else {
      Lower(out, *v, op == "<=");
    }
    return true;
  }
  return false;
}

// Whether every version in `allowed` satisfies `constraint`.
bool AllSatisfy(const AllowedVersions& allowed, const Constraint& constraint) {
  using Op = Constraint::Op;
  const Version& x = constraint.version;
  switch (constraint.op) {
    case Op::kLess:
    case Op::kLessEqual: {
      if (!allowed.upper) return false;
      const int c = allowed.upper->Compare(x);
      return c < 0 || (c == 0 && (constraint.op == Op::kLessEqual || !allowed.upper_inclusive));
    }
    case Op::kGreater:
    case Op::kGreaterEqual: {
      if (!allowed.lower) return false;
      const int c = allowed.lower->Compare(x);
      return c > 0 || (c == 0 && (constraint.op == Op::kGreaterEqual || !allowed.lower_inclusive));
    }
    case Op::kEqual:
      return allowed.lower && allowed.upper && allowed.lower->Compare(x) == 0 &&
             allowed.upper->Compare(x) == 0;
    case Op::kNotEqual:
      return (allowed.upper && allowed.upper->Compare(x) < 0) ||
             (allowed.lower && allowed.lower->Compare(x) > 0);
  }
  return false;
}

}  // namespace

std::optional<AllowedVersions> ParseSpecifier(std::string_view spec) {
  if (spec.size() > kMaxVersionLength * 8) return std::nullopt;
  spec = Trim(spec.substr(0, spec.find(';')));  // environment markers do not narrow versions
  if (!spec.empty() && spec.front() == '[') {   // extras
    const std::size_t close = spec.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    spec = Trim(spec.substr(close + 1));
  }
  if (!spec.empty() && spec.front() == '(' && spec.back() == ')') {  // PEP 508 allows parens
    spec = Trim(spec.substr(1, spec.size() - 2));
  }
  AllowedVersions out;
  while (!spec.empty()) {
    const std::size_t comma = spec.find(',');
    if (!ApplyClause(Trim(spec.substr(0, comma)), out)) return std::nullopt;
    if (comma == std::string_view::npos) break;
    spec = spec.substr(comma + 1);
  }
  return out;
}

std::vector<const Advisory*> AdvisoriesForRequirement(const AdvisoryList& list,
                                                      std::string_view name,
                                                      std::string_view spec) {
  std::vector<const Advisory*> out;
  const auto allowed = ParseSpecifier(spec);
  if (!allowed || !allowed->upper) return out;  // unbounded above: a fixed release is allowed
  const std::string normalized = list.AdvisoryName(Ecosystem::kPypi, NormalizePackageName(name));
  for (const Advisory& advisory : list.advisories) {
    if (advisory.ecosystem != Ecosystem::kPypi || advisory.package != normalized ||
        advisory.fixed.empty()) {
      continue;
    }
    for (const VersionRange& range : advisory.affected) {
      bool inside = true;
      for (const Constraint& constraint : range.constraints) {
        inside = inside && AllSatisfy(*allowed, constraint);
      }
      if (inside) {
        out.push_back(&advisory);
        break;
      }
    }
  }
  return out;
}

std::vector<const Advisory*> AdvisoriesForVersion(const AdvisoryList& list, Ecosystem ecosystem,
                                                  std::string_view name,
                                                  std::string_view version) {
  const auto parsed = Version::Parse(ecosystem, version);
  if (!parsed) return {};
  std::vector<const Advisory*> out;
  const std::string advisory_name = list.AdvisoryName(ecosystem, NormalizePackageName(name));
  for (const Advisory* advisory : list.Matching(ecosystem, advisory_name, *parsed)) {
    if (!advisory->fixed.empty()) out.push_back(advisory);
  }
  return out;
}

std::string DescribeAdvisories(Ecosystem ecosystem, const std::vector<const Advisory*>& matching) {
  std::string ids;
  std::optional<Version> last_fixed;  // ParseAdvisories has checked every fixed version
  for (const Advisory* advisory : matching) {
    ids += (ids.empty() ? "" : ", ") + advisory->id + " (" + advisory->loading_path + ")";
    const auto fixed = Version::Parse(ecosystem, advisory->fixed);
    if (fixed && (!last_fixed || last_fixed->Compare(*fixed) < 0)) last_fixed = fixed;
  }
  if (!last_fixed) return ids;
  return ids + (matching.size() == 1 ? "; fixed in " : "; all fixed in ") + last_fixed->text();
}

std::string DescribeRecordedRelease(Ecosystem ecosystem, std::string_view name,
                                    std::string_view version) {
  const auto matching = AdvisoriesForVersion(BundledAdvisories(), ecosystem, name, version);
  if (matching.empty()) return "";
  return "a release affected by " + DescribeAdvisories(ecosystem, matching);
}

Severity HighestSeverity(const std::vector<const Advisory*>& matching, Severity cap) {
  Severity highest = Severity::kInfo;
  for (const Advisory* advisory : matching) {
    highest = std::max(highest, std::min(advisory->severity, cap));
  }
  return highest;
}

}  // namespace mg::advisories
