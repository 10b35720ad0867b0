#include "analyzers/numpy/dtype.h"

#include <optional>
#include <string_view>

#include "core/checked_math.h"

namespace mg::numpy {
namespace {

using Kind = Literal::Kind;

DtypeInfo Invalid(std::string why) {
  DtypeInfo info;
  info.error = std::move(why);
  return info;
}

DtypeInfo Unsupported(const std::string& type) {
  DtypeInfo info = Invalid("type string '" + type + "' is not in the form NumPy writes");
  info.unsupported = true;
  return info;
}

// Item size of a type code written without a size ('<f' is float32); -1: needs a size.
int UnsizedItemsize(char code) {
  switch (code) {
    case '?':
    case 'b':
    case 'B':
    case 'c':
      return 1;
    case 'h':
    case 'H':
    case 'e':
      return 2;
    case 'i':
    case 'I':
    case 'f':
      return 4;
    case 'l':
    case 'L':
    case 'q':
    case 'Q':
    case 'p':
    case 'P':
    case 'd':
    case 'F':
    case 'O':
    case 'M':
    case 'm':
      return 8;
    case 'g':
    case 'D':
      return 16;
    case 'G':
      return 32;
    case 'S':
    case 'a':
    case 'U':
    case 'V':
      return 0;  // flexible, zero length
    default:
      return -1;
  }
}

// Whether `code` followed by `size` digits is a dtype NumPy builds ('i8', 'f16', 'c16'...);
// flexible codes take any size.
bool SizeAllowed(char code, std::uint64_t size) {
  switch (code) {
    case 'b':
      return size == 1;  // 'b1' is bool
    case 'i':
    case 'u':
      return size == 1 || size == 2 || size == 4 || size == 8;
    case 'f':
      return size == 2 || size == 4 || size == 8 || size == 16;
    case 'c':
      return size == 8 || size == 16 || size == 32;
    case 'O':
      return size == 4 || size == 8;  // stored as a pointer whatever is written
    case 'M':
    case 'm':
      return size == 8;
    case 'S':
    case 'a':
    case 'V':
    case 'U':
      return true;
    default:
      return false;
  }
}

bool IsUnitChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '/';
}

// A non-negative int, or nullopt.
std::optional<std::uint64_t> Count(const Literal& value) {
  if (value.kind != Kind::kInt || value.negative || value.too_big) {
    if (value.kind == Kind::kInt && value.negative && value.magnitude == 0) return 0;
    return std::nullopt;
  }
  return value.magnitude;
}

// Number of elements of a subarray shape: an int or a tuple of ints.
std::optional<std::uint64_t> ShapeProduct(const Literal& shape) {
  if (shape.kind == Kind::kInt) return Count(shape);
  if (shape.kind != Kind::kTuple) return std::nullopt;
  std::uint64_t product = 1;
  for (const Literal& dim : shape.items) {
    const std::optional<std::uint64_t> count = Count(dim);
    if (!count) return std::nullopt;
    const std::optional<std::uint64_t> next = CheckedMul(product, *count);
    if (!next) return std::nullopt;
    product = *next;
  }
  return product;
}

DtypeInfo Describe(const Literal& descr, std::uint32_t depth);

DtypeInfo Subarray(const Literal& base, const Literal& shape, std::uint32_t depth) {
  DtypeInfo info = Describe(base, depth + 1);
  if (!info.ok) return info;
  const std::optional<std::uint64_t> count = ShapeProduct(shape);
  if (!count) return Invalid("a subarray shape is not a tuple of non-negative integers");
  const std::optional<std::uint64_t> size = CheckedMul(info.itemsize, *count);
  if (!size) return Invalid("the item size overflows 64 bits");
  info.itemsize = *size;
  return info;
}

bool IsFieldName(const Literal& name) {
  if (name.kind == Kind::kString) return true;
  // (title, name): numpy.dtype takes a title beside the name.
  return name.kind == Kind::kTuple && name.items.size() == 2 &&
         name.items[1].kind == Kind::kString &&
         (name.items[0].kind == Kind::kString || name.items[0].kind == Kind::kNone);
}

DtypeInfo Structured(const Literal& fields, std::uint32_t depth) {
  DtypeInfo total;
  total.ok = true;
  for (const Literal& field : fields.items) {
    const bool sequence = field.kind == Kind::kTuple || field.kind == Kind::kList;
    if (!sequence || field.items.size() < 2 || field.items.size() > 3) {
      return Invalid("a structured field is not (name, descr) or (name, descr, shape)");
    }
    if (!IsFieldName(field.items[0])) return Invalid("a structured field name is not a string");
    const DtypeInfo member = field.items.size() == 2
                                 ? Describe(field.items[1], depth + 1)
                                 : Subarray(field.items[1], field.items[2], depth);
    if (!member.ok) return member;
    const std::optional<std::uint64_t> size = CheckedAdd(total.itemsize, member.itemsize);
    if (!size) return Invalid("the item size overflows 64 bits");
    total.itemsize = *size;
    total.has_object = total.has_object || member.has_object;
    total.fields += member.fields + 1;
  }
  return total;
}

DtypeInfo Describe(const Literal& descr, std::uint32_t depth) {
  if (depth > kMaxLiteralDepth) return Invalid("dtype nested too deeply");
  switch (descr.kind) {
    case Kind::kString:
      return DescribeTypeString(descr.text);
    case Kind::kList:
      return Structured(descr, depth);
    case Kind::kTuple:
      if (descr.items.size() == 2) return Subarray(descr.items[0], descr.items[1], depth);
      return Invalid("a tuple descr is not (descr, shape)");
    default:
      return Invalid("descr is neither a type string nor a list of fields");
  }
}

}  // namespace

DtypeInfo DescribeTypeString(const std::string& type) {
  std::string_view rest = type;
  if (!rest.empty() && std::string_view("<>|=").find(rest.front()) != std::string_view::npos) {
    rest.remove_prefix(1);
  }
  if (rest.empty()) return Unsupported(type);
  const char code = rest.front();
  rest.remove_prefix(1);
  std::string_view digits = rest.substr(0, rest.find_first_not_of("0123456789"));
  rest.remove_prefix(digits.size());
  if ((code == 'M' || code == 'm') && !rest.empty()) {
    // Datetime unit: '[ns]', '[D]', '[2ms]', '[ns/2]'.
    if (rest.size() < 3 || rest.front() != '[' || rest.back() != ']' || rest.size() > 18) {
      return Unsupported(type);
    }
    for (char c : rest.substr(1, rest.size() - 2)) {
      if (!IsUnitChar(c)) return Unsupported(type);
    }
    rest = {};
  }
  if (!rest.empty() || digits.size() > 18) return Unsupported(type);
  DtypeInfo info;
  if (digits.empty()) {
    const int size = UnsizedItemsize(code);
    if (size < 0) return Unsupported(type);
    info.itemsize = static_cast<std::uint64_t>(size);
  } else {
    std::uint64_t size = 0;
    for (char c : digits) size = size * 10 + static_cast<std::uint64_t>(c - '0');
    if (!SizeAllowed(code, size)) return Unsupported(type);
    // 'U<n>' counts UCS-4 characters; an object field is a pointer.
    info.itemsize = code == 'U' ? size * 4 : code == 'O' ? 8 : size;
  }
  info.ok = true;
  info.has_object = code == 'O';
  info.fields = 0;
  return info;
}

DtypeInfo DescribeDtype(const Literal& descr) { return Describe(descr, 0); }

}  // namespace mg::numpy
