#include "analyzers/keras/marshal.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <string_view>

#include "core/reader.h"

namespace mg::keras {
namespace {

// Field order of a marshalled code object (marshal.c, w_object for code objects):
//   3.7:       5 ints (argcount kwonlyargcount nlocals stacksize flags), code consts names
//              varnames freevars cellvars filename name, int firstlineno, lnotab
//   3.8-3.10:  posonlyargcount added after argcount (6 ints); lnotab is linetable in 3.10
//   3.11-3.13: 5 ints (argcount posonlyargcount kwonlyargcount stacksize flags), code consts
//              names localsplusnames localspluskinds filename name qualname, int firstlineno,
//              linetable exceptiontable
enum class Layout : std::uint8_t { kPy37, kPy38To310, kPy311Plus };

enum class Kind : std::uint8_t {
  kNull,
  kNone,
  kBool,
  kEllipsis,
  kInt,
  kFloat,
  kComplex,
  kBytes,
  kStr,
  kTuple,
  kList,
  kSet,
  kDict,
  kCode,
  kSlice,
};

struct Node {
  Kind kind = Kind::kNone;
  std::string text;                  // str and bytes (capped), numbers as text
  std::vector<std::uint32_t> items;  // container elements; code: consts, names
};

constexpr std::uint8_t kFlagRef = 0x80;    // marshal.c FLAG_REF: add the object to the refs
constexpr std::size_t kMaxKeptText = 160;  // characters kept of one string constant

class MarshalReader {
 public:
  MarshalReader(ByteView bytes, Layout layout) : reader_(bytes), layout_(layout) {}

  std::optional<std::uint32_t> ReadTop() {
    auto top = ReadObject(0);
    if (!top) return std::nullopt;
    if (nodes_[*top].kind != Kind::kCode) return Fail("the object is not a code object");
    if (!reader_.at_end()) return Fail("bytes follow the code object");
    return top;
  }

  const Node& node(std::uint32_t id) const { return nodes_[id]; }
  const std::string& error() const { return error_; }

 private:
  std::nullopt_t Fail(std::string why) {
    if (error_.empty()) {
      error_ = std::move(why) + " (offset " + std::to_string(reader_.position()) + ")";
    }
    return std::nullopt;
  }

  std::optional<std::uint32_t> NewNode(Kind kind) {
    if (nodes_.size() >= kMaxMarshalObjects) return Fail("too many objects");
    nodes_.push_back(Node{kind, {}, {}});
    return static_cast<std::uint32_t>(nodes_.size() - 1);
  }

  std::optional<std::int64_t> Int32() {
    auto value = reader_.I32Le();
    if (!value) return Fail("truncated");
    return *value;
  }

  std::optional<std::uint64_t> Length(bool short_form) {
    if (short_form) {
      auto value = reader_.U8();
      if (!value) return Fail("truncated");
      return *value;
    }
    auto value = Int32();
    if (!value) return std::nullopt;
    if (*value < 0) return Fail("negative length");
    return static_cast<std::uint64_t>(*value);
  }

  std::optional<std::uint32_t> ReadObject(std::uint32_t depth) {
    if (depth > kMaxMarshalDepth) return Fail("nesting too deep");
    auto code_byte = reader_.U8();
    if (!code_byte) return Fail("truncated");
    const bool flagged = (*code_byte & kFlagRef) != 0;
    const char type = static_cast<char>(*code_byte & ~kFlagRef);
    if (type == 'r') return ReadRef();
    // r_ref_reserve: a flagged object takes the next ref index before its children do.
    std::optional<std::size_t> ref_slot;
    if (flagged) {
      ref_slot = refs_.size();
      refs_.push_back(kUnfilled);
    }
    auto id = ReadBody(type, depth);
    if (id && ref_slot) refs_[*ref_slot] = *id;
    return id;
  }

  std::optional<std::uint32_t> ReadRef() {
    auto index = Int32();
    if (!index) return std::nullopt;
    if (*index < 0 || static_cast<std::uint64_t>(*index) >= refs_.size() ||
        refs_[*index] == kUnfilled) {
      return Fail("reference to an unknown object");
    }
    return refs_[*index];
  }

  std::optional<std::uint32_t> Scalar(Kind kind, std::string text) {
    auto id = NewNode(kind);
    if (id) nodes_[*id].text = std::move(text);
    return id;
  }

  std::optional<std::uint32_t> ReadBody(char type, std::uint32_t depth) {
    switch (type) {
      case '0':
        return Scalar(Kind::kNull, "");
      case 'N':
        return Scalar(Kind::kNone, "None");
      case 'F':
        return Scalar(Kind::kBool, "False");
      case 'T':
        return Scalar(Kind::kBool, "True");
      case 'S':
        return Scalar(Kind::kEllipsis, "StopIteration");
      case '.':
        return Scalar(Kind::kEllipsis, "...");
      case 'i': {
        auto value = Int32();
        return value ? Scalar(Kind::kInt, std::to_string(*value)) : std::nullopt;
      }
      case 'I': {
        auto value = reader_.U64Le();
        if (!value) return Fail("truncated");
        return Scalar(Kind::kInt, std::to_string(static_cast<std::int64_t>(*value)));
      }
      case 'l':
        return ReadLong();
      case 'f':
        return ReadFloatText(Kind::kFloat, 1);
      case 'x':
        return ReadFloatText(Kind::kComplex, 2);
      case 'g':
        return ReadBinaryFloat(Kind::kFloat, 8);
      case 'y':
        return ReadBinaryFloat(Kind::kComplex, 16);
      case 's':
        return ReadString(Kind::kBytes, false);
      case 't':
      case 'u':
      case 'a':
      case 'A':
        return ReadString(Kind::kStr, false);
      case 'z':
      case 'Z':
        return ReadString(Kind::kStr, true);
      case '(':
        return ReadSequence(Kind::kTuple, false, depth);
      case ')':
        return ReadSequence(Kind::kTuple, true, depth);
      case '[':
        return ReadSequence(Kind::kList, false, depth);
      case '<':
      case '>':
        return ReadSequence(Kind::kSet, false, depth);
      case '{':
        return ReadDict(depth);
      case ':':
        return ReadFixed(Kind::kSlice, 3, depth);  // Python 3.14 TYPE_SLICE
      case 'c':
        return ReadCode(depth);
      default: {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned>(type));
        return Fail(std::string("unknown type code ") + hex);
      }
    }
  }

  // TYPE_LONG: a signed digit count, then that many 15-bit digits, least significant first.
  std::optional<std::uint32_t> ReadLong() {
    auto count = Int32();
    if (!count) return std::nullopt;
    const std::uint64_t digits = static_cast<std::uint64_t>(*count < 0 ? -*count : *count);
    if (digits > reader_.remaining() / 2) return Fail("long integer past the end");
    std::uint64_t value = 0;
    for (std::uint64_t i = 0; i < digits; ++i) {
      auto digit = reader_.U16Le();
      if (!digit || *digit > 0x7fff) return Fail("bad long digit");
      if (i < 4) value |= static_cast<std::uint64_t>(*digit) << (15 * i);
    }
    // Built by appending: GCC 12 -Wrestrict misfires on "literal" + std::string&&.
    std::string text;
    if (digits > 4) {
      text = "<";
      text += std::to_string(digits * 15);
      text += "-bit int>";
    } else {
      text = *count < 0 ? "-" : "";
      text += std::to_string(value);
    }
    return Scalar(Kind::kInt, std::move(text));
  }

  std::optional<std::uint32_t> ReadFloatText(Kind kind, int parts) {
    std::string text;
    for (int i = 0; i < parts; ++i) {
      auto length = Length(true);
      if (!length) return std::nullopt;
      auto bytes = reader_.Bytes(*length);
      if (!bytes) return Fail("truncated");
      if (i > 0) text += "+";
      text += bytes->AsStringView();
    }
    return Scalar(kind, text);
  }

  std::optional<std::uint32_t> ReadBinaryFloat(Kind kind, std::uint64_t size) {
    if (size == 8) {
      auto value = reader_.F64Le();
      if (!value) return Fail("truncated");
      char text[32];
      std::snprintf(text, sizeof text, "%.17g", *value);
      return Scalar(kind, text);
    }
    if (!reader_.Skip(size)) return Fail("truncated");
    return Scalar(kind, "<complex>");
  }

  std::optional<std::uint32_t> ReadString(Kind kind, bool short_form) {
    auto length = Length(short_form);
    if (!length) return std::nullopt;
    auto bytes = reader_.Bytes(*length);
    if (!bytes) return Fail("string past the end");
    return Scalar(kind, std::string(bytes->Prefix(kMaxKeptText).AsStringView()));
  }

  std::optional<std::uint32_t> ReadSequence(Kind kind, bool short_form, std::uint32_t depth) {
    auto count = Length(short_form);
    if (!count) return std::nullopt;
    // Every element takes at least one byte: a larger count cannot be honest.
    if (*count > reader_.remaining()) return Fail("element count past the end");
    return ReadFixed(kind, *count, depth);
  }

  std::optional<std::uint32_t> ReadFixed(Kind kind, std::uint64_t count, std::uint32_t depth) {
    auto id = NewNode(kind);
    if (!id) return std::nullopt;
    for (std::uint64_t i = 0; i < count; ++i) {
      auto item = ReadObject(depth + 1);
      if (!item) return std::nullopt;
      if (nodes_[*item].kind == Kind::kNull) return Fail("NULL inside a container");
      nodes_[*id].items.push_back(*item);
    }
    return id;
  }

  std::optional<std::uint32_t> ReadDict(std::uint32_t depth) {
    auto id = NewNode(Kind::kDict);
    if (!id) return std::nullopt;
    while (true) {
      auto key = ReadObject(depth + 1);
      if (!key) return std::nullopt;
      if (nodes_[*key].kind == Kind::kNull) return id;  // TYPE_NULL ends a dict
      auto value = ReadObject(depth + 1);
      if (!value) return std::nullopt;
      nodes_[*id].items.push_back(*key);
      nodes_[*id].items.push_back(*value);
    }
  }

  std::optional<std::uint32_t> Expect(Kind kind, std::uint32_t depth, std::string_view field) {
    auto id = ReadObject(depth + 1);
    if (!id) return std::nullopt;
    if (nodes_[*id].kind != kind) {
      return Fail("code field " + std::string(field) + " has a wrong type");
    }
    return id;
  }

  bool ExpectStrTuple(std::uint32_t depth, std::string_view field, std::uint32_t* out = nullptr) {
    auto id = Expect(Kind::kTuple, depth, field);
    if (!id) return false;
    for (std::uint32_t item : nodes_[*id].items) {
      if (nodes_[item].kind != Kind::kStr) {
        Fail("code field " + std::string(field) + " holds a non-string");
        return false;
      }
    }
    if (out != nullptr) *out = *id;
    return true;
  }

  std::optional<std::uint32_t> ReadCode(std::uint32_t depth) {
    auto id = NewNode(Kind::kCode);
    if (!id) return std::nullopt;
    const int int_fields = layout_ == Layout::kPy38To310 ? 6 : 5;
    for (int i = 0; i < int_fields; ++i) {
      if (!Int32()) return std::nullopt;
    }
    std::uint32_t names = 0;
    if (!Expect(Kind::kBytes, depth, "co_code")) return std::nullopt;
    auto consts = Expect(Kind::kTuple, depth, "co_consts");
    if (!consts || !ExpectStrTuple(depth, "co_names", &names)) return std::nullopt;
    if (layout_ == Layout::kPy311Plus) {
      if (!ExpectStrTuple(depth, "co_localsplusnames") ||
          !Expect(Kind::kBytes, depth, "co_localspluskinds")) {
        return std::nullopt;
      }
    } else {
      for (std::string_view field : {"co_varnames", "co_freevars", "co_cellvars"}) {
        if (!ExpectStrTuple(depth, field)) return std::nullopt;
      }
    }
    if (!Expect(Kind::kStr, depth, "co_filename") || !Expect(Kind::kStr, depth, "co_name")) {
      return std::nullopt;
    }
    if (layout_ == Layout::kPy311Plus && !Expect(Kind::kStr, depth, "co_qualname")) {
      return std::nullopt;
    }
    if (!Int32() || !Expect(Kind::kBytes, depth, "co_linetable")) return std::nullopt;
    if (layout_ == Layout::kPy311Plus && !Expect(Kind::kBytes, depth, "co_exceptiontable")) {
      return std::nullopt;
    }
    nodes_[*id].items = {*consts, names};
    return id;
  }

  static constexpr std::uint32_t kUnfilled = 0xffffffffu;

  Reader reader_;
  Layout layout_;
  std::vector<Node> nodes_;
  std::vector<std::uint32_t> refs_;
  std::string error_;
};

std::string Repr(const Node& node) {
  std::string out = node.kind == Kind::kBytes ? "b'" : "'";
  for (char c : node.text) {
    if (c == '\'' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x",
                    static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += hex;
    } else {
      out += c;
    }
  }
  return out + "'";
}

void AddUnique(std::vector<std::string>& list, std::string item) {
  if (list.size() >= kMaxReportedItems) return;
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(std::move(item));
}

// Collects names and constants of a code object and of the code objects among its constants
// (nested lambdas, comprehensions). `budget` bounds the walk: refs can share subtrees.
void Collect(const MarshalReader& reader, std::uint32_t id, CodeSummary& out,
             std::uint32_t& budget) {
  if (budget == 0) return;
  --budget;
  const Node& node = reader.node(id);
  switch (node.kind) {
    case Kind::kCode:
      for (std::uint32_t name : reader.node(node.items[1]).items) {
        AddUnique(out.names, reader.node(name).text);
      }
      Collect(reader, node.items[0], out, budget);
      return;
    case Kind::kTuple:
    case Kind::kList:
    case Kind::kSet:
      for (std::uint32_t item : node.items) Collect(reader, item, out, budget);
      return;
    case Kind::kStr:
    case Kind::kBytes:
      AddUnique(out.constants, Repr(node));
      return;
    case Kind::kInt:
    case Kind::kFloat:
    case Kind::kComplex:
      AddUnique(out.constants, node.text);
      return;
    default:
      return;
  }
}

std::string_view LayoutName(Layout layout) {
  switch (layout) {
    case Layout::kPy37:
      return "Python 3.7";
    case Layout::kPy38To310:
      return "Python 3.8-3.10";
    case Layout::kPy311Plus:
      return "Python 3.11+";
  }
  return "";
}

}  // namespace

CodeSummary ReadMarshalledCode(ByteView bytes) {
  CodeSummary summary;
  if (bytes.size() > kMaxMarshalBytes) {
    summary.error = "the code is " + std::to_string(bytes.size()) + " bytes, over the " +
                    std::to_string(kMaxMarshalBytes) + "-byte limit";
    return summary;
  }
  std::string first_error;
  for (Layout layout : {Layout::kPy311Plus, Layout::kPy38To310, Layout::kPy37}) {
    MarshalReader reader(bytes, layout);
    const auto top = reader.ReadTop();
    if (!top) {
      if (first_error.empty()) first_error = reader.error();
      continue;
    }
    summary.ok = true;
    summary.layout = std::string(LayoutName(layout));
    std::uint32_t budget = kMaxMarshalObjects;
    Collect(reader, *top, summary, budget);
    return summary;
  }
  summary.error = "not a marshalled code object of Python 3.7-3.13: " + first_error;
  return summary;
}

std::string DescribeCode(const CodeSummary& code) {
  if (!code.ok) return "undecodable: " + code.error;
  auto join = [](const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items) {
      if (!out.empty()) out += ", ";
      out += item;
    }
    return out.empty() ? std::string("none") : out;
  };
  std::string text = "names: " + join(code.names) + "; constants: " + join(code.constants);
  constexpr std::size_t kMaxEvidence = 1200;
  if (text.size() > kMaxEvidence) text = text.substr(0, kMaxEvidence) + "...";
  return text + " (" + code.layout + " bytecode)";
}

}  // namespace mg::keras
