// Test helpers: a byte-by-byte pickle opcode builder and a runner that analyses bytes through a
// ScanContext the way the engine does.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/limits.h"
#include "engine/scan_context.h"
#include "report/report.h"

namespace mg::pickle::test {

class PickleBuilder {
 public:
  PickleBuilder& Op(std::uint8_t code) {
    bytes_.push_back(static_cast<char>(code));
    return *this;
  }
  PickleBuilder& Raw(std::string_view raw) {
    bytes_.append(raw);
    return *this;
  }
  PickleBuilder& Le(std::uint64_t value, int width) {
    for (int i = 0; i < width; ++i) bytes_.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
    return *this;
  }
  PickleBuilder& Proto(int protocol) { return Op(0x80).Le(protocol, 1); }
  PickleBuilder& Frame(std::uint64_t length) { return Op(0x95).Le(length, 8); }
  PickleBuilder& Global(std::string_view module, std::string_view name) {
    return Op('c').Raw(module).Raw("\n").Raw(name).Raw("\n");
  }
  PickleBuilder& Inst(std::string_view module, std::string_view name) {
    return Op('i').Raw(module).Raw("\n").Raw(name).Raw("\n");
  }
  PickleBuilder& ShortUnicode(std::string_view s) { return Op(0x8c).Le(s.size(), 1).Raw(s); }
  PickleBuilder& BinUnicode(std::string_view s) { return Op('X').Le(s.size(), 4).Raw(s); }
  PickleBuilder& BinUnicode8(std::string_view s) { return Op(0x8d).Le(s.size(), 8).Raw(s); }
  PickleBuilder& ShortBytes(std::string_view s) { return Op('C').Le(s.size(), 1).Raw(s); }
  PickleBuilder& BinBytes(std::string_view s) { return Op('B').Le(s.size(), 4).Raw(s); }
  PickleBuilder& BinBytes8(std::string_view s) { return Op(0x8e).Le(s.size(), 8).Raw(s); }
  PickleBuilder& ByteArray8(std::string_view s) { return Op(0x96).Le(s.size(), 8).Raw(s); }
  PickleBuilder& ShortBinString(std::string_view s) { return Op('U').Le(s.size(), 1).Raw(s); }
  PickleBuilder& BinString(std::string_view s) { return Op('T').Le(s.size(), 4).Raw(s); }
  // Protocol 0 STRING: `repr` is written as is (quotes and escapes included).
  PickleBuilder& String(std::string_view repr) { return Op('S').Raw(repr).Raw("\n"); }
  // Protocol 0 UNICODE: raw-unicode-escape text.
  PickleBuilder& Unicode(std::string_view text) { return Op('V').Raw(text).Raw("\n"); }
  PickleBuilder& Int(std::int64_t v) { return Op('I').Raw(std::to_string(v)).Raw("\n"); }
  PickleBuilder& BinInt1(std::uint8_t v) { return Op('K').Le(v, 1); }
  PickleBuilder& BinInt(std::int32_t v) { return Op('J').Le(static_cast<std::uint32_t>(v), 4); }
  PickleBuilder& Mark() { return Op('('); }
  PickleBuilder& Tuple() { return Op('t'); }
  PickleBuilder& Tuple1() { return Op(0x85); }
  PickleBuilder& Tuple2() { return Op(0x86); }
  PickleBuilder& Reduce() { return Op('R'); }
  PickleBuilder& StackGlobal() { return Op(0x93); }
  PickleBuilder& Memoize() { return Op(0x94); }
  PickleBuilder& BinPut(std::uint8_t i) { return Op('q').Le(i, 1); }
  PickleBuilder& BinGet(std::uint8_t i) { return Op('h').Le(i, 1); }
  PickleBuilder& LongBinPut(std::uint32_t i) { return Op('r').Le(i, 4); }
  PickleBuilder& LongBinGet(std::uint32_t i) { return Op('j').Le(i, 4); }
  PickleBuilder& Pop() { return Op('0'); }
  PickleBuilder& None() { return Op('N'); }
  PickleBuilder& Stop() { return Op('.'); }
  // module.name(arg) as protocol 2 opcodes: GLOBAL, SHORT_BINUNICODE, TUPLE1, REDUCE.
  PickleBuilder& Call1(std::string_view module, std::string_view name, std::string_view arg) {
    return Global(module, name).ShortUnicode(arg).Tuple1().Reduce();
  }

  std::size_t size() const { return bytes_.size(); }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

struct Scan {
  Target target;
  std::vector<const Finding*> Find(std::string_view rule) const {
    std::vector<const Finding*> out;
    for (const auto& f : target.findings) {
      if (f.rule == rule) out.push_back(&f);
    }
    return out;
  }
  const Finding* First(std::string_view rule) const {
    auto all = Find(rule);
    return all.empty() ? nullptr : all.front();
  }
  bool complete() const { return target.status == TargetStatus::kComplete; }
};

inline Scan Analyze(const std::string& bytes, Limits limits = {}) {
  Scan scan;
  scan.target.path = "test.pkl";
  ScanContext ctx(scan.target, limits);
  AnalyzeBuffer(ctx, ByteView(std::string_view(bytes)), "pickle");
  return scan;
}

// The finding reporting an invocation (denied or unknown, whichever the lists say).
inline const Finding* CallFinding(const Scan& scan, std::string_view evidence) {
  for (const auto& f : scan.target.findings) {
    if ((f.rule == "PICKLE-DANGEROUS-CALL" || f.rule == "PICKLE-UNKNOWN-CALL") &&
        f.evidence == evidence) {
      return &f;
    }
  }
  return nullptr;
}

}  // namespace mg::pickle::test
