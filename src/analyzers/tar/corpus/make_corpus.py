#!/usr/bin/env python3
"""Seeds the tar fuzz corpus: the crafted archives of ../testdata, regenerated into this folder
by make_tars.py, minus the larger ones. Run: python3 make_corpus.py"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MAKER = os.path.join(HERE, "..", "testdata", "make_tars.py")
subprocess.run([sys.executable, MAKER, HERE], check=True)
for name in os.listdir(HERE):
    path = os.path.join(HERE, name)
    if name.endswith(".tar") and os.path.getsize(path) > 16384:
        os.remove(path)
