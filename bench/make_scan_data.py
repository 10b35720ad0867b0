#!/usr/bin/python3
"""Writes the inputs of bench/run-scan-bench.sh into DIR (default bench/data, git-ignored).

- sparse_10g.safetensors: a 10 GiB safetensors file, 40 F32 tensors of 256 MiB each. The
  header is written (in the reference writer's layout) and the file is then extended with
  truncate(), so the tensor bytes are a hole: it takes a few KiB of disk, and any read of
  the tensor area would show as page faults.
- torch_2g.pt: torch.save of a state dict of 8 float32 tensors of 256 MiB (random, seed 0),
  2 GiB in PyTorch's ZIP format. Skipped when torch cannot be imported.

Existing files are kept; delete them to regenerate.
"""

import json
import os
import struct
import sys

TENSORS = 40
TENSOR_SHAPE = [16384, 4096]  # F32: 256 MiB


def sparse_safetensors(path):
    size = TENSOR_SHAPE[0] * TENSOR_SHAPE[1] * 4
    header = {"__metadata__": {"format": "pt"}}
    for i in range(TENSORS):
        header["layer%02d.weight" % i] = {"dtype": "F32", "shape": TENSOR_SHAPE,
                                          "data_offsets": [i * size, (i + 1) * size]}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text)
        f.truncate(8 + len(text) + TENSORS * size)


def torch_checkpoint(path):
    try:
        import torch
    except ImportError:
        print("torch is not installed: %s skipped" % path, file=sys.stderr)
        return
    torch.manual_seed(0)
    state = {"layer%d.weight" % i: torch.randn(8192, 8192) for i in range(8)}
    torch.save(state, path)


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "data")
    os.makedirs(folder, exist_ok=True)
    sparse = os.path.join(folder, "sparse_10g.safetensors")
    if not os.path.exists(sparse):
        sparse_safetensors(sparse)
    checkpoint = os.path.join(folder, "torch_2g.pt")
    if not os.path.exists(checkpoint):
        torch_checkpoint(checkpoint)


if __name__ == "__main__":
    main()
