#!/usr/bin/env python3
"""The baseline: CPython's pickletools.genops walk of a file (what Python scanners build on).

Prints one JSON line like bench_pickle_file: bytes, seconds, throughput, opcode count.
"""
import json
import os
import pickletools
import sys
import time


def main():
    path = sys.argv[1]
    size = os.path.getsize(path)
    start = time.perf_counter()
    count = 0
    with open(path, "rb") as f:
        for _ in pickletools.genops(f):
            count += 1
    seconds = time.perf_counter() - start
    print(json.dumps({"file": path, "bytes": size, "seconds": round(seconds, 4),
                      "mb_per_s": round(size / seconds / 1e6, 1), "opcodes": count}))


if __name__ == "__main__":
    main()
