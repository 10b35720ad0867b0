#!/usr/bin/env python3
"""Seeds the compress fuzz corpus from ../testdata (made by make_compressed.py): the small files,
two cut streams and a legacy LZ4 header. Run: python3 make_corpus.py"""
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
TESTDATA = os.path.join(HERE, "..", "testdata")
for name in os.listdir(TESTDATA):
    path = os.path.join(TESTDATA, name)
    if not name.endswith(".py") and os.path.getsize(path) <= 4096 and "logreg" not in name:
        shutil.copy(path, HERE)
for name in ("logreg_lzma.joblib", "logreg_zlib.joblib"):
    shutil.copy(os.path.join(TESTDATA, name), HERE)
for name, keep in (("truncated.gz", 2000), ("truncated.xz", 100)):
    with open(os.path.join(TESTDATA, name), "rb") as src:
        data = src.read(keep)
    with open(os.path.join(HERE, name), "wb") as dst:
        dst.write(data)
with open(os.path.join(HERE, "lz4_legacy.lz4"), "wb") as dst:
    dst.write(b"\x02\x21\x4c\x18" + bytes(4))  # lz4 -l magic, then a block size
