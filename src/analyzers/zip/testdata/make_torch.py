#!/usr/bin/env python3
"""Writes torch_small.pt, a real PyTorch (1.13) zip checkpoint of one small tensor.

Run with the system Python that has torch: /usr/bin/python3 make_torch.py [output folder].
torch.save names the archive's top folder after the file ('torch_small/data.pkl').
"""
import os
import sys

import torch

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
torch.save({"weight": torch.arange(4, dtype=torch.float32)}, os.path.join(OUT, "torch_small.pt"))
