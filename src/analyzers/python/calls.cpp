#include "analyzers/python/calls.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <string_view>

namespace mg::python {
namespace {

// The rule set (documented in docs/python.md). `prefix` entries end with '.' or a partial
// name ("os.exec" covers os.execv, os.execvpe...); the others match the whole dotted name.
struct Entry {
  std::string_view name;
  Danger danger;
  bool prefix;
};

constexpr std::array kTable = {
    // Commands: a shell or a new program.
    Entry{"os.system", Danger::kCommand, false},
    Entry{"os.popen", Danger::kCommand, true},  // popen, popen2.. (Python 2)
    Entry{"os.exec", Danger::kCommand, true},
    Entry{"os.spawn", Danger::kCommand, true},
    Entry{"os.posix_spawn", Danger::kCommand, true},
    Entry{"os.startfile", Danger::kCommand, false},
    Entry{"posix.system", Danger::kCommand, false},
    Entry{"nt.system", Danger::kCommand, false},
    Entry{"subprocess.", Danger::kCommand, true},
    Entry{"pty.spawn", Danger::kCommand, false},
    Entry{"commands.", Danger::kCommand, true},
    Entry{"platform.popen", Danger::kCommand, false},
    Entry{"asyncio.create_subprocess_", Danger::kCommand, true},
    // Code: Python source or modules chosen at run time.
    Entry{"builtins.exec", Danger::kCode, false},
    Entry{"builtins.eval", Danger::kCode, false},
    Entry{"builtins.compile", Danger::kCode, false},
    Entry{"builtins.__import__", Danger::kCode, false},
    Entry{"__builtins__.", Danger::kCode, true},
    Entry{"importlib.import_module", Danger::kCode, false},
    Entry{"importlib.__import__", Danger::kCode, false},
    Entry{"runpy.run_", Danger::kCode, true},
    Entry{"code.InteractiveInterpreter", Danger::kCode, false},
    Entry{"types.FunctionType", Danger::kCode, false},
    Entry{"types.CodeType", Danger::kCode, false},
    // Network.
    Entry{"socket.socket", Danger::kNetwork, false},
    Entry{"socket.create_connection", Danger::kNetwork, false},
    Entry{"socket.create_server", Danger::kNetwork, false},
    Entry{"socket.fromfd", Danger::kNetwork, false},
    Entry{"urllib.request.urlopen", Danger::kNetwork, false},
    Entry{"urllib.request.urlretrieve", Danger::kNetwork, false},
    Entry{"urllib.urlopen", Danger::kNetwork, false},
    Entry{"urllib.urlretrieve", Danger::kNetwork, false},
    Entry{"urllib2.urlopen", Danger::kNetwork, false},
    Entry{"requests.get", Danger::kNetwork, false},
    Entry{"requests.post", Danger::kNetwork, false},
    Entry{"requests.put", Danger::kNetwork, false},
    Entry{"requests.patch", Danger::kNetwork, false},
    Entry{"requests.delete", Danger::kNetwork, false},
    Entry{"requests.head", Danger::kNetwork, false},
    Entry{"requests.request", Danger::kNetwork, false},
    Entry{"requests.Session", Danger::kNetwork, false},
    Entry{"httpx.get", Danger::kNetwork, false},
    Entry{"httpx.post", Danger::kNetwork, false},
    Entry{"httpx.Client", Danger::kNetwork, false},
    Entry{"http.client.HTTPConnection", Danger::kNetwork, false},
    Entry{"http.client.HTTPSConnection", Danger::kNetwork, false},
    Entry{"ftplib.FTP", Danger::kNetwork, true},
    Entry{"smtplib.SMTP", Danger::kNetwork, true},
    Entry{"telnetlib.Telnet", Danger::kNetwork, false},
    Entry{"webbrowser.open", Danger::kNetwork, true},
    // Deserialization that can run code.
    Entry{"pickle.load", Danger::kDeserialize, true},  // load, loads
    Entry{"pickle.Unpickler", Danger::kDeserialize, false},
    Entry{"_pickle.load", Danger::kDeserialize, true},
    Entry{"cPickle.load", Danger::kDeserialize, true},
    Entry{"marshal.load", Danger::kDeserialize, true},
    Entry{"dill.load", Danger::kDeserialize, true},
    Entry{"cloudpickle.load", Danger::kDeserialize, true},
    Entry{"joblib.load", Danger::kDeserialize, false},
    Entry{"shelve.open", Danger::kDeserialize, false},
    Entry{"yaml.unsafe_load", Danger::kDeserialize, true},
    Entry{"jsonpickle.decode", Danger::kDeserialize, false},
    Entry{"torch.load", Danger::kDeserialize, false},
    // Native code.
    Entry{"ctypes.", Danger::kNative, true},
    Entry{"_ctypes.", Danger::kNative, true},
    Entry{"cffi.FFI", Danger::kNative, false},
};

// Builtins that run code when called under their bare name (Python reference, "Built-in
// Functions"; execfile is Python 2).
constexpr std::array<std::string_view, 5> kCodeBuiltins = {"exec", "eval", "compile", "__import__",
                                                           "execfile"};

// Names that, inside the arguments of exec/eval/compile, show decoded data being run.
constexpr std::array<std::string_view, 10> kDecoders = {
    "b64decode",   "b32decode",  "b16decode", "b85decode", "a85decode",
    "decodebytes", "decompress", "unhexlify", "fromhex",   "decode"};

// How far the argument scan of a code-running call looks, in tokens.
constexpr std::size_t kMaxArgumentTokens = 4096;
// How many code-running calls have their arguments searched (the analyzer reports 64 uses).
constexpr std::size_t kMaxDecodeChecks = 64;

bool IsOp(const Token& token, char op) {
  return token.kind == TokenKind::kOperator && token.text.size() == 1 && token.text[0] == op;
}
bool IsName(const Token& token, std::string_view name) {
  return token.kind == TokenKind::kName && token.text == name;
}

struct Imports {
  std::map<std::string, std::string, std::less<>> aliases;  // local name -> dotted name
  std::vector<std::string> star_modules;                    // from m import *
  std::vector<std::pair<std::size_t, std::size_t>> spans;   // [begin, end) token ranges
  std::set<std::string, std::less<>> defined;               // def/class names in the file
};

// A dotted name from tokens[i]; returns the index after it.
std::size_t DottedName(const std::vector<Token>& tokens, std::size_t i, std::string* name) {
  name->clear();
  while (i < tokens.size()) {
    if (tokens[i].kind == TokenKind::kOperator && tokens[i].text == ".") {
      *name += '.';  // leading dots of a relative import
      ++i;
      continue;
    }
    if (tokens[i].kind != TokenKind::kName) break;
    *name += tokens[i].text;
    ++i;
    if (i + 1 < tokens.size() && IsOp(tokens[i], '.') && tokens[i + 1].kind == TokenKind::kName) {
      *name += '.';
      ++i;
      continue;
    }
    break;
  }
  return i;
}

// "import a.b as c, d" from tokens[i] (the 'import'); returns the index after the statement.
std::size_t ImportStatement(const std::vector<Token>& tokens, std::size_t i, Imports* imports) {
  ++i;
  while (i < tokens.size()) {
    std::string module;
    i = DottedName(tokens, i, &module);
    if (module.empty()) break;
    if (i + 1 < tokens.size() && IsName(tokens[i], "as") &&
        tokens[i + 1].kind == TokenKind::kName) {
      imports->aliases[std::string(tokens[i + 1].text)] = module;
      i += 2;
    } else {
      const std::string top = module.substr(0, module.find('.'));
      imports->aliases[top] = top;
    }
    if (i >= tokens.size() || !IsOp(tokens[i], ',')) break;
    ++i;
  }
  return i;
}

// "from m import a as b, (c, d)" / "from m import *" from tokens[i] (the 'from').
std::size_t FromStatement(const std::vector<Token>& tokens, std::size_t i, Imports* imports) {
  std::string module;
  i = DottedName(tokens, i + 1, &module);
  if (i >= tokens.size() || !IsName(tokens[i], "import")) return i;
  ++i;
  if (i < tokens.size() && IsOp(tokens[i], '*')) {
    imports->star_modules.push_back(module);
    return i + 1;
  }
  const bool parenthesized = i < tokens.size() && IsOp(tokens[i], '(');
  if (parenthesized) ++i;
  while (i < tokens.size() && tokens[i].kind == TokenKind::kName) {
    const std::string imported(tokens[i].text);
    ++i;
    std::string local = imported;
    if (i + 1 < tokens.size() && IsName(tokens[i], "as") &&
        tokens[i + 1].kind == TokenKind::kName) {
      local = tokens[i + 1].text;
      i += 2;
    }
    imports->aliases[local] = module + "." + imported;
    if (i >= tokens.size() || !IsOp(tokens[i], ',')) break;
    ++i;
    while (parenthesized && i < tokens.size() && tokens[i].kind == TokenKind::kNewline) ++i;
  }
  if (parenthesized && i < tokens.size() && IsOp(tokens[i], ')')) ++i;
  return i;
}

bool AtStatementStart(const std::vector<Token>& tokens, std::size_t i) {
  if (i == 0) return true;
  const Token& before = tokens[i - 1];
  return before.kind == TokenKind::kNewline || IsOp(before, ';') || IsOp(before, ':');
}

Imports CollectImports(const std::vector<Token>& tokens) {
  Imports imports;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].kind != TokenKind::kName) continue;
    std::size_t end = i;
    if (tokens[i].text == "import" && AtStatementStart(tokens, i)) {
      end = ImportStatement(tokens, i, &imports);
    } else if (tokens[i].text == "from" && AtStatementStart(tokens, i)) {
      end = FromStatement(tokens, i, &imports);
    } else if ((tokens[i].text == "def" || tokens[i].text == "class") && i + 1 < tokens.size() &&
               tokens[i + 1].kind == TokenKind::kName) {
      imports.defined.insert(std::string(tokens[i + 1].text));
    }
    if (end > i) {
      imports.spans.emplace_back(i, end);
      i = end - 1;
    }
  }
  return imports;
}

// Whether the arguments of the call whose '(' is tokens[open] mention a decoder.
bool ArgumentsDecode(const std::vector<Token>& tokens, std::size_t open) {
  std::uint32_t depth = 0;
  const std::size_t stop = std::min(tokens.size(), open + kMaxArgumentTokens);
  for (std::size_t i = open; i < stop; ++i) {
    if (IsOp(tokens[i], '(')) ++depth;
    if (IsOp(tokens[i], ')') && --depth == 0) return false;
    if (tokens[i].kind == TokenKind::kName &&
        std::find(kDecoders.begin(), kDecoders.end(), tokens[i].text) != kDecoders.end()) {
      return true;
    }
  }
  return false;
}

// The text of a string literal without prefix, escapes or triple quotes; empty otherwise.
std::string_view PlainLiteral(std::string_view text) {
  if (text.size() < 2 || (text.front() != '\'' && text.front() != '"') ||
      text.back() != text.front() || text.find('\\') != std::string_view::npos ||
      (text.size() >= 6 && text.substr(0, 3) == std::string(3, text.front()))) {
    return {};
  }
  return text.substr(1, text.size() - 2);
}

// getattr(module.path, 'name') with a plain literal, its '(' at tokens[open]: the dotted name
// it fetches ("module.path.name"), and the index of its ')' in `close`.
std::optional<std::string> GetattrTarget(const std::vector<Token>& tokens, std::size_t open,
                                         std::size_t* close) {
  std::string object;
  const std::size_t comma = DottedName(tokens, open + 1, &object);
  if (object.empty() || object.front() == '.' || comma + 2 >= tokens.size() ||
      !IsOp(tokens[comma], ',') || tokens[comma + 1].kind != TokenKind::kString ||
      !IsOp(tokens[comma + 2], ')')) {
    return std::nullopt;
  }
  const std::string_view attribute = PlainLiteral(tokens[comma + 1].text);
  if (attribute.empty()) return std::nullopt;
  *close = comma + 2;
  return object + "." + std::string(attribute);
}

// The dotted name starting at tokens[i] resolved through the imports.
std::string Resolve(const std::string& dotted, const Imports& imports, bool called, Danger* danger,
                    bool* found) {
  const std::size_t dot = dotted.find('.');
  const std::string root = dotted.substr(0, dot);
  const std::string rest = dot == std::string::npos ? "" : dotted.substr(dot);
  if (auto alias = imports.aliases.find(root); alias != imports.aliases.end()) {
    const std::string name = alias->second + rest;
    *found = ClassifyName(name, called, danger);
    return name;
  }
  if (dot == std::string::npos && imports.defined.contains(root)) {
    *found = false;  // a function of the file's own, not the builtin
    return dotted;
  }
  *found = ClassifyName(dotted, called, danger);
  // Names a star import may have bound: only calls, since any plain variable would match a
  // whole-module entry such as "ctypes.".
  if (*found || dot != std::string::npos || !called) return dotted;
  for (const std::string& module : imports.star_modules) {
    const std::string name = module + "." + dotted;
    if (ClassifyName(name, called, danger)) {
      *found = true;
      return name;
    }
  }
  return dotted;
}

}  // namespace

bool ClassifyName(const std::string& name, bool called, Danger* danger) {
  if (called &&
      std::find(kCodeBuiltins.begin(), kCodeBuiltins.end(), name) != kCodeBuiltins.end()) {
    *danger = Danger::kCode;
    return true;
  }
  for (const Entry& entry : kTable) {
    const bool match = entry.prefix ? name.starts_with(entry.name) : name == entry.name;
    if (match) {
      *danger = entry.danger;
      return true;
    }
  }
  return false;
}

std::vector<DangerousUse> FindDangerousUses(const std::vector<Token>& tokens) {
  const Imports imports = CollectImports(tokens);
  std::vector<DangerousUse> uses;
  std::set<std::pair<std::string, std::uint32_t>> seen;
  std::size_t span = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    while (span < imports.spans.size() && imports.spans[span].second <= i) ++span;
    if (span < imports.spans.size() && imports.spans[span].first <= i) continue;
    if (tokens[i].kind != TokenKind::kName) continue;
    // A name after '.' belongs to an expression's attribute, one after def/class is defined.
    if (i > 0 && (IsOp(tokens[i - 1], '.') || IsName(tokens[i - 1], "def") ||
                  IsName(tokens[i - 1], "class"))) {
      continue;
    }
    std::string dotted;
    std::size_t after = DottedName(tokens, i, &dotted);
    bool called = after < tokens.size() && IsOp(tokens[after], '(');
    std::size_t resume = after - 1;
    if (called && dotted == "getattr" && !imports.aliases.contains("getattr")) {
      std::size_t close = 0;
      if (auto target = GetattrTarget(tokens, after, &close)) {
        dotted = *target;
        after = close + 1;
        called = after < tokens.size() && IsOp(tokens[after], '(');
        resume = close;
      }
    }
    Danger danger = Danger::kCode;
    bool found = false;
    const std::string name = Resolve(dotted, imports, called, &danger, &found);
    const Token& first = tokens[i];
    i = resume;
    if (!found || !seen.emplace(name, first.line).second) continue;
    DangerousUse use{danger, name, called, false, first.line, first.offset};
    // Bounded work: only the uses that get a finding of their own have their arguments read.
    if (called && danger == Danger::kCode && uses.size() < kMaxDecodeChecks) {
      use.decodes = ArgumentsDecode(tokens, after);
    }
    uses.push_back(std::move(use));
  }
  return uses;
}

}  // namespace mg::python
