// Tests of the marshal reader on code objects assembled byte by byte in each layout (type
// codes and field order from CPython's marshal.c), and on broken input.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "analyzers/keras/marshal.h"
#include "support/test_paths.h"

namespace mg::keras {
namespace {

class Marshal {
 public:
  Marshal& Byte(std::uint8_t b) {
    bytes_.push_back(b);
    return *this;
  }
  Marshal& Int(std::int32_t value) {
    for (int i = 0; i < 4; ++i)
      Byte(static_cast<std::uint8_t>(static_cast<std::uint32_t>(value) >> (8 * i)));
    return *this;
  }
  // TYPE_SHORT_ASCII ('z') with FLAG_REF, or TYPE_STRING ('s') for bytes.
  Marshal& Str(const std::string& text, bool ref = true) {
    Byte(ref ? 'z' | 0x80 : 'z').Byte(static_cast<std::uint8_t>(text.size()));
    for (char c : text) Byte(static_cast<std::uint8_t>(c));
    return *this;
  }
  Marshal& Bytes(const std::string& data) {
    Byte('s').Int(static_cast<std::int32_t>(data.size()));
    for (char c : data) Byte(static_cast<std::uint8_t>(c));
    return *this;
  }
  Marshal& SmallTuple(std::uint8_t count) { return Byte(')').Byte(count); }
  Marshal& Ref(std::int32_t index) { return Byte('r').Int(index); }
  ByteView View() const { return ByteView(bytes_.data(), bytes_.size()); }
  std::vector<std::uint8_t>& bytes() { return bytes_; }

 private:
  std::vector<std::uint8_t> bytes_;
};

// lambda x: __import__('os').system('id') in the 3.8-3.10 layout: 6 ints, code, consts, names,
// varnames, freevars, cellvars, filename, name, firstlineno, lnotab. Ref 0 is the code object.
Marshal Python38Lambda() {
  Marshal m;
  m.Byte('c' | 0x80);
  for (int i = 0; i < 6; ++i) m.Int(i == 0 ? 1 : 0);
  m.Bytes("t\x00d\x01\x83\x01");
  m.SmallTuple(3).Byte('N').Str("os").Str("id");    // refs 1, 2
  m.SmallTuple(2).Str("__import__").Str("system");  // refs 3, 4
  m.SmallTuple(1).Str("x");                         // ref 5
  m.SmallTuple(0).SmallTuple(0);
  m.Str("<stdin>").Str("<lambda>");
  m.Int(1).Bytes("");
  return m;
}

TEST(KerasMarshalTest, Python38LayoutIsDetected) {
  const Marshal m = Python38Lambda();
  const CodeSummary code = ReadMarshalledCode(m.View());
  ASSERT_TRUE(code.ok) << code.error;
  EXPECT_EQ(code.layout, "Python 3.8-3.10");
  EXPECT_EQ(code.names, (std::vector<std::string>{"__import__", "system"}));
  EXPECT_EQ(code.constants, (std::vector<std::string>{"'os'", "'id'"}));
  EXPECT_EQ(DescribeCode(code),
            "names: __import__, system; constants: 'os', 'id' (Python 3.8-3.10 bytecode)");
}

TEST(KerasMarshalTest, Python311LayoutWithReferences) {
  Marshal m;
  m.Byte('c' | 0x80);
  for (int i = 0; i < 5; ++i) m.Int(0);
  m.Bytes("\x97\x00");
  m.SmallTuple(2).Byte('N').Str("echo pwned");  // ref 1
  m.SmallTuple(1).Str("eval");                  // ref 2
  m.SmallTuple(1).Ref(1);                       // a local named like the constant
  m.Bytes("\x20");                              // localspluskinds
  m.Str("<f>").Str("<lambda>").Ref(4);          // qualname refers back to co_name (ref 4)
  m.Int(1).Bytes("").Bytes("");
  const CodeSummary code = ReadMarshalledCode(m.View());
  ASSERT_TRUE(code.ok) << code.error;
  EXPECT_EQ(code.layout, "Python 3.11+");
  EXPECT_EQ(code.names, std::vector<std::string>{"eval"});
  EXPECT_EQ(code.constants, std::vector<std::string>{"'echo pwned'"});
}

// Written by Python 3.11 (testdata/make_marshal.py): floats, complex, bytes, a 100-bit int, a
// frozenset, Ellipsis and a nested comprehension's code object.
TEST(KerasMarshalTest, RealPython311CodeWithEveryConstantType) {
  const std::string bytes =
      test::ReadFile(test::SourceDir() / "src/analyzers/keras/testdata" / "rich_lambda.marshal");
  const CodeSummary code = ReadMarshalledCode(
      ByteView(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
  ASSERT_TRUE(code.ok) << code.error;
  EXPECT_EQ(code.layout, "Python 3.11+");
  EXPECT_EQ(code.names, std::vector<std::string>{"range"});
  EXPECT_EQ(code.constants, (std::vector<std::string>{"2.5", "<105-bit int>", "b'ab'", "<complex>",
                                                      "-7", "2", "100", "1"}));
}

TEST(KerasMarshalTest, BrokenInputIsUndecodable) {
  Marshal truncated = Python38Lambda();
  truncated.bytes().resize(truncated.bytes().size() - 3);
  EXPECT_FALSE(ReadMarshalledCode(truncated.View()).ok);

  Marshal trailing = Python38Lambda();
  trailing.Byte('N');
  EXPECT_FALSE(ReadMarshalledCode(trailing.View()).ok);

  Marshal bad_ref;
  bad_ref.Byte('c');
  for (int i = 0; i < 6; ++i) bad_ref.Int(0);
  bad_ref.Ref(7);
  const CodeSummary code = ReadMarshalledCode(bad_ref.View());
  EXPECT_FALSE(code.ok);
  EXPECT_EQ(DescribeCode(code).rfind("undecodable: not a marshalled code object", 0), 0u);

  Marshal not_code;
  not_code.Str("just a string", false);
  EXPECT_FALSE(ReadMarshalledCode(not_code.View()).ok);

  // A tuple claiming two billion elements, and deep nesting, stop at the limits.
  Marshal huge;
  huge.Byte('(').Int(0x7fffffff);
  EXPECT_FALSE(ReadMarshalledCode(huge.View()).ok);
  Marshal deep;
  for (int i = 0; i < 1000; ++i) deep.SmallTuple(1);
  EXPECT_FALSE(ReadMarshalledCode(deep.View()).ok);
}

}  // namespace
}  // namespace mg::keras
