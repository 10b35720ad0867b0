#!/usr/bin/python3
"""Writes the safetensors test files (testdata/), the fuzz corpus and the end-to-end fixtures.

Run with Debian's python3:  /usr/bin/python3 make_safetensors.py

Debian packages no safetensors library, so every file is assembled byte by byte, the clean
ones exactly as the reference writer (huggingface/safetensors, tensor.rs `prepare`) lays them
out: an 8-byte little-endian header length, compact JSON with __metadata__ first and tensors
sorted by descending dtype alignment then name, space padding to a multiple of 8, then the
tensor bytes back to back. The malformed ones change one thing each. The two polyglots hide a
raw-opcode pickle (checked with pickletools.dis, never loaded) whose payload is `echo pwned`.
"""

import io
import json
import os
import pickletools
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", "..", ".."))
CORPUS = os.path.join(HERE, "..", "corpus")
FIXTURES = os.path.join(ROOT, "tests", "fixtures")

# tensor.rs Dtype, in declaration (alignment) order, with the width in bits.
DTYPE_BITS = {
    "BOOL": 8, "F4": 4, "F6_E2M3": 6, "F6_E3M2": 6, "U8": 8, "I8": 8, "F8_E5M2": 8,
    "F8_E4M3": 8, "F8_E8M0": 8, "I16": 16, "U16": 16, "F16": 16, "BF16": 16, "I32": 32,
    "U32": 32, "F32": 32, "C64": 64, "F64": 64, "I64": 64, "U64": 64,
}
ORDER = list(DTYPE_BITS)


def nbytes(dtype, shape):
    count = 1
    for dim in shape:
        count *= dim
    return count * DTYPE_BITS[dtype] // 8


def compact(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def frame(header_bytes, buffer):
    return struct.pack("<Q", len(header_bytes)) + header_bytes + buffer


def pad(header_bytes):
    return header_bytes + b" " * (-len(header_bytes) % 8)


def serialize(tensors, metadata=None):
    """tensors: {name: (dtype, shape, data bytes)}, laid out as the reference writer does."""
    names = sorted(tensors, key=lambda n: (-ORDER.index(tensors[n][0]), n))
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    buffer = b""
    for name in names:
        dtype, shape, data = tensors[name]
        assert len(data) == nbytes(dtype, shape), name
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": [len(buffer), len(buffer) + len(data)]}
        buffer += data
    return frame(pad(compact(header)), buffer)


def raw(header_text, buffer=b"", padded=True):
    """A file with this exact header text (str or bytes)."""
    data = header_text.encode() if isinstance(header_text, str) else header_text
    return frame(pad(data) if padded else data, buffer)


def entry(dtype, shape, begin, end, **extra):
    value = {"dtype": dtype, "shape": shape, "data_offsets": [begin, end]}
    value.update(extra)
    return value


def floats(*values):
    return struct.pack("<%df" % len(values), *values)


def evil_pickle():
    # PROTO 2, GLOBAL 'os system', BINUNICODE 'echo pwned', TUPLE1, REDUCE, STOP
    cmd = b"echo pwned"
    data = (b"\x80\x02" + b"cos\nsystem\n" + b"X" + struct.pack("<I", len(cmd)) + cmd +
            b"\x85R.")
    pickletools.dis(io.BytesIO(data), out=io.StringIO())  # decodes only: no import, no call
    return data


def clean_files():
    files = {}
    files["model_f32.safetensors"] = serialize({
        "fc1.weight": ("F32", [2, 3], floats(0.5, -1.0, 2.0, 0.0, 1.5, -2.5)),
        "fc1.bias": ("F32", [2], floats(0.1, 0.2)),
        "embed": ("F16", [4], struct.pack("<4e", 1.0, 2.0, 3.0, 4.0)),
        "step": ("I64", [], struct.pack("<q", 1000)),
        "norm": ("BF16", [2], bytes([0x80, 0x3F, 0x00, 0x40])),
    }, metadata={"format": "pt"})
    files["empty.safetensors"] = serialize({})  # the reference's own test: {} and 6 spaces
    every = {}
    for dtype in DTYPE_BITS:
        shape = [4] if DTYPE_BITS[dtype] < 8 else [2]  # 4 F4 = 2 bytes, 4 F6 = 3 bytes
        every["t_" + dtype.lower()] = (dtype, shape, bytes(range(nbytes(dtype, shape))))
    files["all_dtypes.safetensors"] = serialize(every)
    files["zero_size.safetensors"] = serialize({
        "none": ("F32", [0, 5], b""), "scalar": ("F64", [], struct.pack("<d", 3.25)),
        "also_none": ("I8", [3, 0], b""),
    })
    files["large_metadata.safetensors"] = serialize(
        {"w": ("U8", [4], b"\x01\x02\x03\x04")},
        metadata={"format": "pt", "notes": "x" * (100 * 1024)})
    files["extra_field.safetensors"] = raw(
        compact({"w": entry("U8", [2], 0, 2, note="hand-edited")}), b"\x01\x02")
    files["leading_space.safetensors"] = raw(
        b"  " + compact({"w": entry("U8", [2], 0, 2)}) + b"\n", b"\x01\x02", padded=False)
    return files


def malformed_files():
    files = {}
    w = compact({"w": entry("F32", [2], 0, 8)})
    files["header_past_end.safetensors"] = struct.pack("<Q", 4096) + w
    files["header_too_large.safetensors"] = struct.pack("<Q", 200_000_000) + w
    files["invalid_json.safetensors"] = raw(b'{"w":{"dtype":"F32","shape":[2],', bytes(8))
    files["invalid_utf8.safetensors"] = raw(
        b'{"w\xff":' + compact(entry("F32", [2], 0, 8)) + b"}", bytes(8))
    files["entry_not_object.safetensors"] = raw('{"w":5}')
    files["missing_field.safetensors"] = raw(
        compact({"w": {"dtype": "F32", "shape": [2]}}), bytes(8))
    files["negative_shape.safetensors"] = raw(compact({"w": entry("F32", [-2], 0, 8)}),
                                              bytes(8))
    files["unknown_dtype.safetensors"] = raw(compact({"w": entry("float32", [2], 0, 8)}),
                                             bytes(8))
    files["size_mismatch.safetensors"] = raw(compact({"w": entry("F32", [2, 2], 0, 12)}),
                                             bytes(12))
    files["shape_overflow.safetensors"] = raw(
        compact({"w": entry("F32", [2**32, 2**32, 16], 0, 8)}), bytes(8))
    files["f4_odd.safetensors"] = raw(compact({"w": entry("F4", [3], 0, 2)}), bytes(2))
    files["offsets_past_buffer.safetensors"] = raw(
        compact({"w": entry("U8", [4096], 0, 4096)}), bytes(64))
    files["offsets_reversed.safetensors"] = raw(compact({"w": entry("U8", [4], 8, 4)}),
                                                bytes(8))
    files["overlap.safetensors"] = raw(compact({
        "a": entry("F32", [4], 0, 16), "b": entry("F32", [4], 8, 24)}), bytes(24))
    files["gap_at_start.safetensors"] = raw(compact({"w": entry("U8", [4], 4, 8)}), bytes(8))
    files["trailing_zeros.safetensors"] = raw(compact({"w": entry("U8", [4], 0, 4)}),
                                              bytes(12))
    files["duplicate_key.safetensors"] = raw(
        '{"w":' + compact(entry("U8", [8], 0, 8)).decode() + ',"w":' +
        compact(entry("U8", [4], 0, 4)).decode() + "}", bytes(4))
    files["metadata_not_strings.safetensors"] = raw(
        compact({"__metadata__": {"format": "pt", "epoch": 3}, "w": entry("U8", [2], 0, 2)}),
        b"\x01\x02")
    files["metadata_not_object.safetensors"] = raw(
        compact({"__metadata__": ["pt"], "w": entry("U8", [2], 0, 2)}), b"\x01\x02")
    files["header_array.safetensors"] = raw("[1,2]")  # sniffs as nothing: tested forced
    files["too_short.safetensors"] = b"\x10\x00\x00"  # likewise
    return files


def polyglot_files():
    payload = evil_pickle()
    files = {}
    files["trailing_pickle.safetensors"] = raw(
        compact({"w": entry("F32", [2], 0, 8)}), floats(1.0, 2.0) + payload)
    gap = len(payload) + (-len(payload) % 8)
    gap_bytes = payload + bytes(gap - len(payload))
    files["gap_pickle.safetensors"] = raw(compact({
        "a": entry("F32", [2], 0, 8), "b": entry("F32", [2], 8 + gap, 16 + gap)}),
        floats(1.0, 2.0) + gap_bytes + floats(3.0, 4.0))
    return files


def write(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


# Files copied to tests/fixtures/{clean,malicious}/safetensors/ for the expectation tests.
CLEAN_FIXTURES = ["model_f32.safetensors", "all_dtypes.safetensors", "empty.safetensors",
                  "zero_size.safetensors"]
MALICIOUS_FIXTURES = ["trailing_pickle.safetensors", "gap_pickle.safetensors",
                      "size_mismatch.safetensors", "overlap.safetensors",
                      "header_too_large.safetensors", "invalid_json.safetensors"]


def main():
    files = {**clean_files(), **malformed_files(), **polyglot_files()}
    shutil.rmtree(CORPUS, ignore_errors=True)
    for name, data in files.items():
        write(HERE, name, data)
        if len(data) < 64 * 1024:
            write(CORPUS, name, data)
    for name in CLEAN_FIXTURES:
        write(os.path.join(FIXTURES, "clean", "safetensors"), name, files[name])
    for name in MALICIOUS_FIXTURES:
        write(os.path.join(FIXTURES, "malicious", "safetensors"), name, files[name])


if __name__ == "__main__":
    main()
