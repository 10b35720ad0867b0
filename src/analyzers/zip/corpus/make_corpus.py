#!/usr/bin/env python3
"""Seeds the zip fuzz corpus: the small crafted archives of ../testdata (regenerated into this
folder by make_zips.py) minus the large bomb. Run: python3 make_corpus.py"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MAKER = os.path.join(HERE, "..", "testdata", "make_zips.py")
subprocess.run([sys.executable, MAKER, HERE], check=True)
for name in os.listdir(HERE):
    path = os.path.join(HERE, name)
    if name.endswith(".zip") and os.path.getsize(path) > 8192:
        os.remove(path)
with open(os.path.join(HERE, "..", "testdata", "torch_small.pt"), "rb") as src:
    with open(os.path.join(HERE, "torch_small.pt"), "wb") as dst:
        dst.write(src.read())
