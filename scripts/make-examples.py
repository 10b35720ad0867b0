#!/usr/bin/python3
"""Writes the demo models in examples/ (see examples/README.md).

    /usr/bin/python3 scripts/make-examples.py

Clean examples come from the real libraries (scikit-learn, torch). Malicious ones are
assembled from raw pickle opcodes with the helpers of tests/fixtures/make_malicious.py, or
spliced into a torch checkpoint made by torch; nothing is ever unpickled. The command they
would run only prints a line, and names attacker.invalid, a host that cannot exist.
"""

import io
import os
import pickle
import sys
import zipfile

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "fixtures"))
sys.dont_write_bytecode = True  # no __pycache__ in the fixture folder, which tests scan
import make_malicious as op  # noqa: E402  (opcode helpers; importing runs nothing)

EXAMPLES = os.path.join(ROOT, "examples")
COMMAND = "echo pwned by attacker.invalid"
SEED = 7


def write(relative, data):
    path = os.path.join(EXAMPLES, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    print(f"{len(data):8d}  examples/{relative}")


def sklearn_classifier():
    rng = np.random.default_rng(SEED)
    features = rng.normal(size=(30, 3))
    labels = (features[:, 0] > 0).astype(np.int64)
    return pickle.dumps(LogisticRegression(random_state=SEED).fit(features, labels), protocol=4)


def torch_state_dict():
    torch.manual_seed(SEED)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)  # the zip format, torch's default since 1.6
    return buf.getvalue()


def malicious_pickle():
    """What a poisoned model.pkl looks like: os.system(COMMAND) at load time, protocol 2."""
    return op.proto(2) + op.call1("os", "system", COMMAND) + op.STOP


def checkpoint_with_payload(checkpoint):
    """The torch checkpoint with os.system(COMMAND) spliced into archive/data.pkl.

    The call's result is popped, so loading still returns the real state dict: a user would
    notice nothing."""
    with zipfile.ZipFile(io.BytesIO(checkpoint)) as source:
        members = [(info.filename, source.read(info)) for info in source.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, content in members:
            if name.endswith("/data.pkl"):
                content = content[:2] + op.call1("os", "system", COMMAND) + op.POP + content[2:]
                op.check(name, content)
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), content)
    return out.getvalue()


def main():
    checkpoint = torch_state_dict()
    write("clean/sklearn_classifier.pkl", sklearn_classifier())
    write("clean/tiny_mlp_state_dict.pt", checkpoint)
    payload = malicious_pickle()
    op.check("model.pkl", payload)
    write("malicious/model.pkl", payload)
    write("malicious/pytorch_model.bin", checkpoint_with_payload(checkpoint))


if __name__ == "__main__":
    main()
