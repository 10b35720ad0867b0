#!/usr/bin/python3
"""Writes the .npy/.npz test files of the NumPy analyzer (and its fuzz corpus).

Run with Debian's python3 (NumPy 1.24):  /usr/bin/python3 make_npy.py

Clean files are written by NumPy itself (np.save, np.lib.format.write_array, np.savez,
np.savez_compressed). Malicious and malformed files are assembled byte by byte with struct;
their pickles are raw opcodes (pickletools names them) checked with pickletools.dis, which
decodes without importing or calling anything. Nothing malicious is ever loaded, and the
payload is only `echo pwned`.
"""

import io
import os
import pickletools
import shutil
import struct
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "corpus")
MAGIC = b"\x93NUMPY"


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def saved(array, version=None, allow_pickle=False):
    buf = io.BytesIO()
    np.lib.format.write_array(buf, array, version=version, allow_pickle=allow_pickle)
    return buf.getvalue()


def npz(name, arrays, compressed):
    buf = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buf, **arrays)
    write(name, buf.getvalue())


def clean_files():
    write("float32.npy", saved(np.arange(12, dtype="<f4").reshape(3, 4)))
    write("int64_be.npy", saved(np.arange(5, dtype=">i8")))
    write("bool.npy", saved(np.array([True, False, True])))
    write("unicode.npy", saved(np.array(["alpha", "beta"], dtype="<U5")))
    write("bytes.npy", saved(np.array([b"ab", b"cde"], dtype="S3")))
    write("datetime.npy", saved(np.array(["2024-01-01", "2024-06-30"], dtype="<M8[ns]")))
    write("scalar.npy", saved(np.array(3.5)))
    write("empty.npy", saved(np.zeros((0, 3), dtype="<f8")))
    write("fortran.npy", saved(np.asfortranarray(np.arange(6, dtype="<i2").reshape(2, 3))))
    nested = np.dtype([("id", "<i4"), ("pos", "<f8", (2, 3)),
                       ("info", [("name", "S4"), ("flag", "?")])])
    write("structured.npy", saved(np.zeros(2, dtype=nested)))
    aligned = np.dtype({"names": ["a", "b"], "formats": ["<i4", "<f8"],
                        "offsets": [0, 8], "itemsize": 24})  # descr lists padding voids
    write("structured_padded.npy", saved(np.zeros(3, dtype=aligned)))
    write("version2.npy", saved(np.arange(4, dtype="<u2"), version=(2, 0)))
    # Version 3.0 exists for UTF-8 field names.
    write("version3.npy", saved(np.zeros(2, dtype=[("temp\u00e9rature", "<f4")]),
                                version=(3, 0)))
    # Object arrays: plain ints and strings, pickled by numpy (protocol 3).
    write("object.npy", saved(np.array([1, "two", 3], dtype=object), allow_pickle=True))
    write("object_structured.npy",
          saved(np.array([(1, "x")], dtype=[("n", "<i4"), ("o", "O")]), allow_pickle=True))
    arrays = {"weights": np.linspace(0, 1, 8, dtype="<f4"), "labels": np.arange(4)}
    npz("arrays.npz", arrays, compressed=False)
    npz("arrays_compressed.npz", arrays, compressed=True)
    npz("with_object.npz", {"data": np.arange(3), "names": np.array(["a", "b"], dtype=object)},
        compressed=True)


def header(text, version=(1, 0), align=64):
    """A preamble and header as format.py _wrap_header writes them (unless align is None)."""
    body = text.encode("utf8" if version[0] >= 3 else "latin1")
    size_format = "<H" if version[0] == 1 else "<I"
    prefix = len(MAGIC) + 2 + struct.calcsize(size_format)
    if align is not None:
        body += b" " * (-(prefix + len(body) + 1) % align) + b"\n"
    return MAGIC + bytes(version) + struct.pack(size_format, len(body)) + body


def os_system_pickle():
    """os.system('echo pwned') as raw protocol 3 opcodes (what np.save writes for objects)."""
    command = b"echo pwned"
    ops = (b"\x80\x03"                                  # PROTO 3
           + b"cos\nsystem\n"                          # GLOBAL 'os system'
           + b"X" + struct.pack("<I", len(command)) + command  # BINUNICODE
           + b"\x85"                                   # TUPLE1
           + b"R"                                      # REDUCE
           + b".")                                     # STOP
    pickletools.dis(ops, out=io.StringIO())
    return ops


OBJECT_HEADER = "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }"


def malicious_files():
    payload = os_system_pickle()
    write("object_os_system.npy", header(OBJECT_HEADER) + payload)
    # Nested object field in a structured dtype.
    write("structured_object_os_system.npy",
          header("{'descr': [('a', '<i4'), ('b', [('c', '|O')])], 'fortran_order': False, "
                 "'shape': (1,), }") + payload)
    # An .npz whose member is that object array (stored and deflated).
    for name, method in (("evil.npz", zipfile.ZIP_STORED),
                         ("evil_compressed.npz", zipfile.ZIP_DEFLATED)):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", method) as archive:
            archive.writestr("clean.npy", saved(np.arange(3, dtype="<i4")))
            archive.writestr("evil.npy", header(OBJECT_HEADER) + payload)
        write(name, buf.getvalue())
    # A header that is code: NumPy's literal_eval rejects it, an eval-based reader runs it.
    write("non_literal_descr.npy",
          header("{'descr': __import__('os').system('echo pwned'), 'fortran_order': False, "
                 "'shape': (1,), }") + b"\0" * 8)
    write("fstring_descr.npy",
          header("{'descr': f'{__import__(\"os\").system(\"echo pwned\")}<f8', "
                 "'fortran_order': False, 'shape': (1,), }") + b"\0" * 8)
    # 'descr' twice: Python keeps the last ('|O'), a first-match reader sees '<f8'.
    write("duplicate_descr.npy",
          header("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'descr': '|O', }")
          + payload)
    # Float data declared, followed by a pickle nobody declared.
    write("trailing_pickle.npy",
          header("{'descr': '<i4', 'fortran_order': False, 'shape': (4,), }")
          + struct.pack("<4i", 1, 2, 3, 4) + payload)


def malformed_files():
    good = header("{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }") + b"\0" * 32
    write("preamble_only.npy", MAGIC + b"\x01\x00\x76")           # ends inside the length
    write("header_truncated.npy", good[:40])                     # file ends inside the header
    write("header_length_beyond.npy", MAGIC + b"\x02\x00" + struct.pack("<I", 1 << 30)
          + good[10:])
    write("unknown_version.npy", MAGIC + b"\x04\x01" + good[8:])
    write("huge_shape.npy",
          header("{'descr': '<f8', 'fortran_order': False, "
                 "'shape': (1099511627776, 1099511627776, 1099511627776), }"))
    write("data_short.npy",
          header("{'descr': '<f8', 'fortran_order': False, 'shape': (100,), }") + b"\0" * 80)
    write("trailing_zeros.npy", good + b"\0" * 16)
    # Padding with tabs and a comment, length not aligned.
    write("bad_padding.npy",
          header("{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }\t# x\n",
                 align=None) + b"\0" * 32)
    write("unsupported_dtype.npy",
          header("{'descr': 'float64', 'fortran_order': False, 'shape': (4,), }") + b"\0" * 32)
    write("missing_key.npy", header("{'descr': '<f8', 'shape': (4,), }") + b"\0" * 32)
    write("extra_key.npy",
          header("{'descr': '<f8', 'fortran_order': False, 'shape': (4,), 'x': 1, }")
          + b"\0" * 32)
    write("negative_shape.npy",
          header("{'descr': '<f8', 'fortran_order': False, 'shape': (-4,), }") + b"\0" * 32)
    write("python2_long.npy",
          header("{'descr': '<f8', 'fortran_order': False, 'shape': (4L,), }") + b"\0" * 32)
    write("large_header.npy",
          header("{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }"
                 + " " * 12000, version=(2, 0)) + b"\0" * 32)
    write("bad_utf8_v3.npy",
          header("{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }", version=(3, 0))
          .replace(b"'<f8'", b"'\xff\xfe'") + b"\0" * 32)


def main():
    clean_files()
    malicious_files()
    malformed_files()
    # Sanity: NumPy reads the clean non-object files back (never the crafted ones).
    for name in ("float32.npy", "structured.npy", "version3.npy", "fortran.npy"):
        np.load(os.path.join(HERE, name), allow_pickle=False)
    os.makedirs(CORPUS, exist_ok=True)
    for name in sorted(os.listdir(HERE)):
        path = os.path.join(HERE, name)
        if name.endswith((".npy", ".npz")) and os.path.getsize(path) <= 4096:
            shutil.copy(path, os.path.join(CORPUS, name))


if __name__ == "__main__":
    main()
