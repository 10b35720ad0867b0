#include "analyzers/pickle/sniff.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "analyzers/pickle/opcodes.h"

namespace mg::pickle {
namespace {

constexpr int kMaxSniffOpcodes = 256;
constexpr std::uint64_t kMaxSniffLine = 256;

bool IsNameChar(std::uint8_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.';
}

bool LineIsValid(std::uint8_t code, ByteView line) {
  if (line.size() > kMaxSniffLine) return code == op::kString || code == op::kUnicode;
  switch (code) {
    case op::kInt:
    case op::kLong:
    case op::kGet:
    case op::kPut: {
      if (line.empty()) return false;
      for (std::uint64_t i = 0; i < line.size(); ++i) {
        const std::uint8_t c = line[i];
        const bool ok = (c >= '0' && c <= '9') || (i == 0 && (c == '-' || c == '+')) ||
                        (code == op::kLong && c == 'L' && i + 1 == line.size());
        if (!ok) return false;
      }
      return true;
    }
    case op::kFloat:
      for (std::uint64_t i = 0; i < line.size(); ++i) {
        if (std::strchr("0123456789.eE+-infatyINFATY", line[i]) == nullptr) return false;
      }
      return !line.empty();
    case op::kString:
      return line.size() >= 2 && line[0] == line[line.size() - 1] &&
             (line[0] == '\'' || line[0] == '"');
    case op::kGlobal:
    case op::kInst:
      if (line.empty()) return false;
      for (std::uint64_t i = 0; i < line.size(); ++i) {
        if (!IsNameChar(line[i])) return false;
      }
      return true;
    default:
      return true;
  }
}

// Stack effect for validation: values popped (beyond a MARK when `from_mark`), values pushed.
struct Effect {
  int pop;
  int push;
  bool from_mark;
};

Effect EffectOf(std::uint8_t code) {
  switch (code) {
    case op::kStop:
    case op::kPop:
      return {1, 0, false};
    case op::kDup:
      return {1, 2, false};
    case op::kBinPersId:
    case op::kReadonlyBuffer:
      return {1, 1, false};
    case op::kReduce:
    case op::kNewObj:
    case op::kStackGlobal:
      return {2, 1, false};
    case op::kNewObjEx:
      return {3, 1, false};
    case op::kBuild:
    case op::kAppend:
      return {2, 1, false};
    case op::kSetItem:
      return {3, 1, false};
    case op::kTuple1:
      return {1, 1, false};
    case op::kTuple2:
      return {2, 1, false};
    case op::kTuple3:
      return {3, 1, false};
    case op::kPut:
    case op::kBinPut:
    case op::kLongBinPut:
    case op::kMemoize:
      return {1, 1, false};
    case op::kAppends:
    case op::kSetItems:
    case op::kAddItems:
      return {0, 0, true};
    case op::kDict:
    case op::kList:
    case op::kTuple:
    case op::kFrozenSet:
    case op::kInst:
    case op::kObj:
      return {0, 1, true};
    case op::kPopMark:
      return {0, 0, true};
    case op::kMark:
    case op::kProto:
    case op::kFrame:
      return {0, 0, false};
    default:
      return {0, 1, false};
  }
}

std::uint64_t ArgumentSize(ArgKind kind, ByteView data, std::uint64_t pos, bool& ok) {
  ok = true;
  auto counted = [&](int width) -> std::uint64_t {
    if (data.size() - pos < static_cast<std::uint64_t>(width)) {
      ok = false;
      return 0;
    }
    std::uint64_t length = 0;
    for (int i = width - 1; i >= 0; --i) length = (length << 8) | data[pos + i];
    if (length > data.size() - pos - width) ok = false;
    return width + length;
  };
  switch (kind) {
    case ArgKind::kNone:
      return 0;
    case ArgKind::kU1:
      return 1;
    case ArgKind::kU2:
      return 2;
    case ArgKind::kI4:
    case ArgKind::kU4:
      return 4;
    case ArgKind::kF8:
    case ArgKind::kU8:
      return 8;
    case ArgKind::kBytes1:
      return counted(1);
    case ArgKind::kBytes4:
      return counted(4);
    case ArgKind::kBytes8:
      return counted(8);
    case ArgKind::kLine:
    case ArgKind::kTwoLines:
      return 0;  // handled by the caller
  }
  return 0;
}

}  // namespace

int SniffPickle(ByteView data, std::uint64_t text_window) {
  if (data.empty()) return 0;
  const bool has_proto =
      data.size() >= 2 && data[0] == op::kProto && data[1] >= 2 && data[1] <= kHighestProtocol;
  std::vector<int> marks;
  int depth = 0;
  std::uint64_t pos = 0;
  int count = 0;
  // A GLOBAL then a call among valid opcodes is a pickle even if it is cut short or followed by
  // garbage: pickle.load runs the call before it fails.
  bool saw_global = false;
  bool saw_call = false;
  std::uint64_t valid_end = 0;  // end of the last opcode that validated
  auto note = [&](std::uint8_t code) {
    valid_end = pos;
    if (code == op::kGlobal || code == op::kInst) saw_global = true;
    if (saw_global && (code == op::kReduce || code == op::kInst || code == op::kObj ||
                       code == op::kNewObj || code == op::kNewObjEx || code == op::kBuild)) {
      saw_call = true;
    }
  };
  for (; count < kMaxSniffOpcodes && pos < data.size(); ++count) {
    const std::uint8_t code = data[pos++];
    const OpcodeInfo& info = LookupOpcode(code);
    if (info.name.empty()) break;
    bool ok = true;
    if (info.arg == ArgKind::kLine || info.arg == ArgKind::kTwoLines) {
      for (int l = 0; l < (info.arg == ArgKind::kTwoLines ? 2 : 1) && ok; ++l) {
        const bool text = code == op::kString || code == op::kUnicode;
        const std::uint64_t window =
            std::min<std::uint64_t>(data.size() - pos, text ? text_window : 4096);
        const void* nl = std::memchr(data.data() + pos, '\n', window);
        if (nl == nullptr) {
          ok = false;
          break;
        }
        const std::uint64_t length = static_cast<const std::uint8_t*>(nl) - (data.data() + pos);
        ok = LineIsValid(code, ByteView(data.data() + pos, length));
        pos += length + 1;
      }
    } else {
      const std::uint64_t size = ArgumentSize(info.arg, data, pos, ok);
      if (ok && size > data.size() - pos) ok = false;
      if (ok) pos += size;
    }
    if (!ok) break;
    if (code == op::kProto && count != 0) break;
    if (code == op::kMark) {
      marks.push_back(depth);
      depth = 0;
      note(code);
      continue;
    }
    const Effect effect = EffectOf(code);
    if (effect.from_mark) {
      if (marks.empty()) break;
      depth = marks.back();
      marks.pop_back();
      if ((code == op::kAppends || code == op::kSetItems || code == op::kAddItems) && depth < 1) {
        break;
      }
      depth += effect.push;
      note(code);
      continue;
    }
    if (depth < effect.pop) break;
    depth += effect.push - effect.pop;
    note(code);
    if (code == op::kStop) return has_proto ? 95 : (count >= 1 ? 85 : 0);
  }
  if (has_proto) return count >= 2 ? 95 : 90;
  if (data[0] == op::kProto && data.size() >= 2 && data[1] < 2) return count >= 4 ? 60 : 0;
  if (saw_call) return 75;
  if (saw_global && valid_end >= data.size()) return 70;  // truncated after an import
  // Without PROTO: enough valid opcodes that a text file would not pass by chance.
  if (count >= kMaxSniffOpcodes || (count >= 8 && valid_end >= data.size())) return 60;
  return 0;
}

}  // namespace mg::pickle
