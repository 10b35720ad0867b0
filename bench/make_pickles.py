#!/usr/bin/env python3
"""Writes the benchmark pickles with CPython's own pickler (docs/performance.md).

opcode_dense_p2.pkl / opcode_dense_p4.pkl: ~200 MB each, a list of small ints and floats
(millions of BININT1/BININT/BINFLOAT opcodes, APPENDS batches of 1000, FRAMEs at protocol 4).
data_dense_p4.pkl: ~1 GB, a list of 1024 distinct 1 MiB byte strings (BINBYTES).
"""
import os
import pickle
import sys


def opcode_dense(count):
    # Alternate ints and floats as the C++ synthetic generator does.
    return [(i % 100000) if i % 2 == 0 else i * 0.5 for i in range(count)]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "data")
    os.makedirs(out, exist_ok=True)
    numbers = opcode_dense(31_500_000)
    for protocol in (2, 4):
        path = os.path.join(out, f"opcode_dense_p{protocol}.pkl")
        if not os.path.exists(path):
            with open(path, "wb") as f:
                pickle.dump(numbers, f, protocol=protocol)
        print(path, os.path.getsize(path))
    del numbers
    path = os.path.join(out, "data_dense_p4.pkl")
    if not os.path.exists(path):
        # bytearray -> bytes gives a distinct object each time, so the pickler writes every one.
        blobs = [bytes(bytearray([i % 251]) * (1 << 20)) for i in range(1024)]
        with open(path, "wb") as f:
            pickle.dump(blobs, f, protocol=4)
        del blobs
    print(path, os.path.getsize(path))


if __name__ == "__main__":
    main()
